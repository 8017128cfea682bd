"""Acting on many people at once (every page of a filtered list, after a confirmation),
and check-in on a phone in every language."""

import re

import pytest
from django.core import mail

from notifications.models import Broadcast, OutgoingMessage
from registrations import services
from registrations.models import Attendance, Registration

from ..events.test_pages import text
from ..factories import ProgrammeItemFactory, at, person
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(event):
    """62 people registered (more than one page of 50): 60 Romanians, 2 French."""
    event.capacity = 100
    event.save()
    for index in range(62):
        country = "FR" if index >= 60 else "RO"
        services.registration_create(
            event=event,
            person=person(
                email=f"p{index:02d}@example.org", last_name=f"Person{index:02d}", country=country
            ),
        )
    OutgoingMessage.objects.all().delete()
    return event


def filter_country(client, event, country):
    response = client.post(
        f"/en/workspace/{event.slug}/participants/",
        {"action": "filter", "sort": "name", "country": country},
    )
    assert response.status_code == 302


def test_write_to_every_person_matching_the_filters_on_every_page(organiser_client, crowd):
    client, event = organiser_client, crowd
    filter_country(client, event, "RO")
    page = text(client.get(f"/en/workspace/{event.slug}/participants/"))
    assert "Select all 60 people matching the filters (on every page)" in page
    response = client.post(
        f"/en/workspace/{event.slug}/participants/bulk/", {"bulk_action": "write", "scope": "all"}
    )
    assert response.status_code == 302
    write = client.get(response["Location"])
    assert "To 60 people." in text(write)
    sent = client.post(
        response["Location"], {"subject_en": "Bus times", "body_en": "The bus leaves at 8."}
    )
    assert sent.status_code == 302
    broadcast = Broadcast.objects.get(event=event)
    assert OutgoingMessage.objects.filter(broadcast=broadcast).count() == 60
    deliver_outbox()
    assert len(mail.outbox) == 60
    assert all(message.to[0] < "p60" for message in mail.outbox)  # not the French two
    progress = text(client.get(sent["Location"]))
    assert "60 of 60 sent, 0 failed" in progress


def test_bulk_cancel_of_the_filtered_set_asks_first_with_the_count(organiser_client, crowd):
    client, event = organiser_client, crowd
    filter_country(client, event, "RO")
    bulk = f"/en/workspace/{event.slug}/participants/bulk/"
    confirm = client.post(bulk, {"bulk_action": "cancel", "scope": "all"})
    assert confirm.status_code == 200
    assert "Cancel the registrations of 60 people?" in text(confirm)
    assert Registration.objects.filter(status="cancelled").count() == 0  # nothing yet
    # The confirmation carries exactly those 60 people.
    values = re.findall(r'name="selected" value="(\d+)"', confirm.content.decode())
    assert len(values) == 60
    done = client.post(bulk, {"bulk_action": "cancel", "confirmed": "1", "selected": values})
    assert done.status_code == 302
    assert Registration.objects.filter(status="cancelled").count() == 60
    assert set(
        Registration.objects.exclude(status="cancelled").values_list("country", flat=True)
    ) == {"FR"}
    assert "60 registrations updated." in text(client.get(done["Location"]))


def test_bulk_approve_and_reject_ask_first_with_the_count(organiser_client, event):
    event.requires_approval = True
    event.save()
    pending = [services.registration_create(event=event, person=person())[0] for _index in range(3)]
    bulk = f"/en/workspace/{event.slug}/participants/bulk/"
    ticked = [pending[0].pk, pending[1].pk]
    confirm = organiser_client.post(bulk, {"bulk_action": "approve", "selected": ticked})
    assert "Approve the registrations of 2 people?" in text(confirm)
    assert Registration.objects.filter(status="pending").count() == 3
    organiser_client.post(bulk, {"bulk_action": "approve", "selected": ticked, "confirmed": "1"})
    assert Registration.objects.filter(status="confirmed").count() == 2
    confirm = organiser_client.post(bulk, {"bulk_action": "reject", "selected": [pending[2].pk]})
    assert "Reject the registration of 1 person?" in text(confirm)
    organiser_client.post(
        bulk, {"bulk_action": "reject", "selected": [pending[2].pk], "confirmed": "1"}
    )
    assert Registration.objects.get(pk=pending[2].pk).status == "rejected"


@pytest.mark.parametrize("language", ["en", "fr", "ro", "hu", "pt", "it"])
def test_checkin_shows_the_day_in_a_date_input_in_every_language(
    organiser_client,
    event,
    language,
):
    page = organiser_client.get(f"/{language}/workspace/{event.slug}/checkin/")
    html = page.content.decode()
    first_day = event.local_starts_at.date().isoformat()
    field = re.search(r'<input type="date" name="day"[^>]*>', html)
    assert field and f'value="{first_day}"' in field.group(0), field


def test_checkin_search_works_with_the_day_the_page_shows(organiser_client, event):
    event.starts_at, event.ends_at = at(0, "08:00"), at(1, "18:00")
    event.save()
    services.registration_create(event=event, person=person(last_name="Dumitrescu"))
    page = organiser_client.get(f"/fr/workspace/{event.slug}/checkin/")
    day = re.search(r'name="day" value="([^"]+)"', page.content.decode()).group(1)
    found = organiser_client.post(
        f"/fr/workspace/{event.slug}/checkin/", {"day": day, "search": "Dumitrescu"}
    )
    assert "Dumitrescu" in text(found)


@pytest.fixture
def two_day_sessions(event):
    """A two-day event that ended yesterday, a session on each day, one participant."""
    event.starts_at, event.ends_at = at(-2, "08:00"), at(-1, "18:00")
    event.save()
    first = ProgrammeItemFactory(event=event, title_en="Opening", starts_at=at(-2, "10:00"))
    second = ProgrammeItemFactory(event=event, title_en="Field visit", starts_at=at(-1, "14:00"))
    claire = services.registration_create(event=event, person=person(last_name="Martin"))[0]
    return event, first, second, claire


def test_checkin_offers_only_the_sessions_of_the_chosen_day(organiser_client, two_day_sessions):
    event, _first, _second, _claire = two_day_sessions
    url = f"/en/workspace/{event.slug}/checkin/"
    first_day = event.local(event.starts_at).date().isoformat()
    second_day = event.local(event.ends_at).date().isoformat()
    page = text(organiser_client.post(url, {"day": first_day, "search": ""}))
    assert "Opening" in page and "Field visit" not in page
    page = text(organiser_client.post(url, {"day": second_day, "search": ""}))
    assert "Field visit" in page and "Opening" not in page


def test_checkin_refuses_a_session_of_another_day(organiser_client, two_day_sessions):
    event, _first, second, claire = two_day_sessions
    url = f"/en/workspace/{event.slug}/checkin/{claire.uuid}/"
    first_day = event.local(event.starts_at).date().isoformat()
    response = organiser_client.post(
        url, {"day": first_day, "session": second.pk, "next": "search"}, follow=True
    )
    assert response.status_code == 200
    assert "This session is not on the chosen day." in text(response)
    assert not claire.attendances.exists()
    # The search form says so too, rather than listing the wrong day's sessions.
    found = organiser_client.post(
        f"/en/workspace/{event.slug}/checkin/",
        {"day": first_day, "session": second.pk, "search": "Martin"},
    )
    assert "This session is not on the chosen day." in text(found)


def test_checking_in_a_session_again_is_harmless(organiser_client, two_day_sessions):
    event, first, _second, claire = two_day_sessions
    url = f"/en/workspace/{event.slug}/checkin/{claire.uuid}/"
    first_day = event.local(event.starts_at).date().isoformat()
    # Recorded before sessions were checked against the day: under the second day.
    Attendance.objects.create(
        registration=claire, item=first, day=event.local(event.ends_at).date()
    )
    for _time in range(2):
        response = organiser_client.post(url, {"day": first_day, "session": first.pk})
        assert response.status_code == 302
    assert "is checked in" in text(organiser_client.get(response["Location"]))
    mark = claire.attendances.get()  # one mark for the session, on its day
    assert (mark.item, mark.day) == (first, event.local(event.starts_at).date())


def test_bulk_confirmation_counts_only_the_people_the_action_applies_to(organiser_client, event):
    event.requires_approval = True
    event.save()
    pending = [services.registration_create(event=event, person=person())[0] for _index in range(2)]
    event.requires_approval = False
    event.save()
    confirmed = [
        services.registration_create(event=event, person=person())[0] for _index in range(4)
    ]
    assert {r.status for r in confirmed} == {"confirmed"}
    bulk = f"/en/workspace/{event.slug}/participants/bulk/"
    everyone = [r.pk for r in pending + confirmed]
    page = text(organiser_client.post(bulk, {"bulk_action": "approve", "selected": everyone}))
    assert "Approve the registrations of 2 people?" in page
    assert "4 other people chosen are left out" in page
    done = organiser_client.post(
        bulk, {"bulk_action": "approve", "selected": everyone, "confirmed": "1"}
    )
    listing = text(organiser_client.get(done["Location"]))
    assert "2 registrations updated." in listing and "not waiting" not in listing
    assert Registration.objects.filter(status="confirmed").count() == 6
    # Nobody left to promote: said at once, nothing to confirm.
    response = organiser_client.post(bulk, {"bulk_action": "promote", "selected": everyone})
    assert "None of the people chosen is on the waiting list." in text(
        organiser_client.get(response["Location"])
    )
