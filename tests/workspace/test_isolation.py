"""Text people typed is isolated where it is shown inline in lists and tables: a
right-to-left override (U+202E) in a name cannot reorder the text around it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, ProgrammeItem
from registrations import services
from registrations.models import Registration

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    UserFactory,
    at,
    person,
)

pytestmark = pytest.mark.django_db

OVERRIDE = "\u202e"


def assert_isolated(response):
    """Every piece of page text that holds the override is the whole content of a <bdi>
    element (attributes, which markup cannot isolate, are left aside)."""
    assert response.status_code == 200
    html = response.content.decode()
    isolated = re.findall(r"<bdi>([^<]*)</bdi>", html)
    assert any(OVERRIDE in value for value in isolated)
    outside = re.sub(r"<[^>]*>", " ", re.sub(r"<bdi>[^<]*</bdi>", " ", html))
    assert OVERRIDE not in outside


@pytest.fixture
def event(db):
    event = EventFactory(
        registration_opens_at=at(-5), registration_closes_at=at(15), requires_approval=False
    )
    event.workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        starts_at=at(20, "11:00"),
        ends_at=at(20, "12:00"),
    )
    event.organiser = UserFactory()
    event.organisers.add(event.organiser)
    event.partner = OrganisationFactory()
    event.coordinator = UserFactory()
    event.partner.coordinators.add(event.coordinator)
    # Written through the service, as rows from before the forms refused such names are.
    event.registration, _created = services.registration_create(
        event=event,
        person=person(
            first_name=f"Ana{OVERRIDE}lavE",
            last_name=f"Popescu{OVERRIDE}x",
            email=f"ana{OVERRIDE}@example.org",
            organisation=event.partner,
            organisation_name=f"Org{OVERRIDE}gro",
            dietary_needs=f"vegan{OVERRIDE}",
            accessibility_needs=f"ramp{OVERRIDE}",
            listed_publicly=True,
            workshops=[event.workshop],
        ),
    )
    return event


@pytest.mark.parametrize(
    "page", ["", "participants/", "checkin/{uuid}/", "workshops/{workshop}/", "emails/"]
)
def test_workspace_pages_isolate_names(client, event, page):
    client.force_login(event.organiser)
    path = page.format(uuid=event.registration.uuid, workshop=event.workshop.pk)
    assert_isolated(client.get(f"/en/workspace/{event.slug}/{path}"))


def test_check_in_search_isolates_names(client, event):
    client.force_login(event.organiser)
    response = client.post(
        f"/en/workspace/{event.slug}/checkin/",
        {"search": "ana", "day": event.local_starts_at.date().isoformat()},
    )
    assert_isolated(response)


def test_the_private_page_and_the_attendee_list_isolate_names(client, event):
    secret = event.registration.secret
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert_isolated(client.get(f"/en/r/{secret}/"))
    assert_isolated(client.get(f"/en/r/{secret}/attendees/"))


def test_the_delegation_page_isolates_names(client, event):
    client.force_login(event.coordinator)
    assert_isolated(client.get(f"/en/coordinator/{event.partner.slug}/{event.slug}/"))


def test_messages_after_an_action_isolate_the_name(client, event):
    client.force_login(event.organiser)
    # The event is under way (nobody is checked in for a day still to come).
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(days=1)
    )
    event.refresh_from_db()
    url = f"/en/workspace/{event.slug}/checkin/{event.registration.uuid}/"
    day = event.local_starts_at.date().isoformat()
    page = client.post(url, {"day": day, "present": "1"}, follow=True).content.decode()
    name = f"Ana{OVERRIDE}lavE Popescu{OVERRIDE}x"
    assert f"\u2068{name}\u2069 is checked in." in page


def test_the_coordinators_decision_message_isolates_the_name(client, event):
    event.requires_approval = True
    event.save()
    pending, _created = services.registration_create(
        event=event,
        person=person(first_name=f"Bence{OVERRIDE}", last_name="Tóth", organisation=event.partner),
    )
    assert pending.status == Registration.Status.PENDING
    client.force_login(event.coordinator)
    page = client.post(f"/en/registrations/{pending.pk}/approve/", follow=True).content.decode()
    assert f"\u2068Bence{OVERRIDE} Tóth\u2069 is now" in page
