"""An organiser (staff, not a superuser) in the Django admin: every page offers and accepts
only objects of the events they organise, and what events share (organisations and their
coordinators, venues, speakers) is the superusers'.

The organiser here holds every permission of the three apps, so that what refuses them
is the scoping, not a missing permission. Forms are posted as the page renders them, with
one value changed: what a crafted request would send.
"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission

from events.models import Event, ProgrammeItem
from notifications.models import Broadcast
from registrations import services
from registrations.models import Question

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuotaFactory,
    RoomFactory,
    SpeakerFactory,
    UserFactory,
    at,
    person,
)
from .test_pages import text

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would post for the first ``<form>`` with the given id."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            if kind not in ("submit", "button", "file"):
                self.values.append((attrs["name"], attrs.get("value", default)))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.values.append((self.textarea, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            name, value = self.values.pop()
            self.values.append((name, value + data.removeprefix("\n")))


def form_values(response, form_id: str) -> dict:
    parser = FormValues(form_id)
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    return data


def options(response, name: str) -> str:
    """The text of the ``<select name=...>`` of a page (its choices)."""
    html = response.content.decode()
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


@pytest.fixture
def two_events(db):
    """Event A (with a partner organisation, its people and a draft twin) and event B,
    each with its own organiser."""
    partner = OrganisationFactory(name="Partner of A")
    a = EventFactory(
        title_en="Event A", registration_opens_at=at(-3), registration_closes_at=at(10)
    )
    QuotaFactory(event=a, organisation=partner, places=5)
    a.delegate = services.registration_create(
        event=a,
        person=person(first_name="Delia", last_name="Gate", organisation=partner),
    )[0]
    a.participant = UserFactory(email="paula@example.org", first_name="Paula")
    services.registration_create(
        event=a, user=a.participant, person=person(email="paula@example.org")
    )
    a.organiser = UserFactory(email="alice@example.org", first_name="Alice", is_staff=True)
    a.organisers.add(a.organiser)
    a.draft = EventFactory(title_en="Secret draft of A", status=Event.Status.DRAFT)
    a.draft.organisers.add(a.organiser)
    a.item = ProgrammeItemFactory(event=a, title_en="Opening of A")
    a.workshop = ProgrammeItemFactory(
        event=a, title_en="Workshop of A", kind=ProgrammeItem.Kind.WORKSHOP
    )
    b = EventFactory(title_en="Event B")
    b.organiser = UserFactory(email="bob@example.org", first_name="Bob", is_staff=True)
    b.organiser.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["events", "registrations", "notifications"]
        )
    )
    b.organisers.add(b.organiser)
    b.colleague = UserFactory(email="carla@example.org", first_name="Carla")
    EventFactory(title_en="Event C").organisers.add(b.organiser, b.colleague)
    b.room = RoomFactory(venue=b.venue, name="Room of B")
    return {"a": a, "b": b, "partner": partner}


def test_an_organiser_cannot_make_themselves_coordinator_of_another_events_partner(
    client, two_events
):
    a, b, partner = two_events["a"], two_events["b"], two_events["partner"]
    client.force_login(b.organiser)
    url = f"/en/admin/events/organisation/{partner.pk}/change/"
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "name": partner.name,
            "slug": partner.slug,
            "country": "FR",
            "coordinators": [b.organiser.pk],
        },
    )
    assert response.status_code == 403
    assert not partner.coordinators.exists()
    # So event A's people stay out of reach: no list, no export, no decision.
    assert client.get(f"/en/workspace/{a.slug}/participants/").status_code == 404
    response = client.post(f"/en/workspace/{a.slug}/export/", {"format": "csv"})
    assert response.status_code == 404
    assert "Delia" not in response.content.decode()
    assert "Partner of A" not in text(client.get("/en/admin/"))


def test_organisations_venues_and_speakers_are_the_superusers(client, two_events):
    b = two_events["b"]
    speaker = SpeakerFactory(name="Shared speaker")
    client.force_login(b.organiser)
    for url in (
        "/en/admin/events/organisation/",
        "/en/admin/events/organisation/add/",
        f"/en/admin/events/venue/{b.venue.pk}/change/",
        "/en/admin/events/venue/add/",
        f"/en/admin/events/speaker/{speaker.pk}/change/",
        "/en/admin/registrations/profile/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/en/admin/events/venue/{b.venue.pk}/change/",
        {"name": "Renamed", "address": "x", "city": "x", "country": "FR"},
    )
    assert response.status_code == 403
    b.venue.refresh_from_db()
    assert b.venue.name != "Renamed"
    # The autocompletion behind the pickers reads those admins: refused as well.
    response = client.get(
        "/en/admin/autocomplete/",
        {"app_label": "events", "model_name": "event", "field_name": "host", "term": "Partner"},
    )
    assert response.status_code == 403

    # A superuser still names a partner's coordinators, among every account.
    a, partner = two_events["a"], two_events["partner"]
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/en/admin/events/organisation/{partner.pk}/change/"
    page = client.get(url)
    assert "paula@example.org" in options(page, "coordinators")
    data = form_values(page, "organisation_form")
    data["coordinators"] = [a.participant.pk]
    assert client.post(url, data).status_code == 302
    assert list(partner.coordinators.all()) == [a.participant]


def test_the_programme_item_admin_refuses_an_item_on_another_event(client, two_events):
    a, b = two_events["a"], two_events["b"]
    client.force_login(b.organiser)
    draft_talk = ProgrammeItemFactory(event=a.draft, title_en="Draft talk")
    draft_talk.speakers.add(SpeakerFactory(name="Unannounced speaker"))
    a.item.speakers.add(SpeakerFactory(name="Announced speaker"))
    page = client.get("/en/admin/events/programmeitem/add/")
    assert "Event B" in options(page, "event")
    assert "Event A" not in options(page, "event")
    assert "Announced speaker" in options(page, "speakers")  # on a public programme
    assert "Unannounced speaker" not in options(page, "speakers")
    data = form_values(page, "programmeitem_form")
    day = a.starts_at.astimezone(a.tz)
    data.update(
        {
            "title_en": "Planted on A",
            "starts_at_0": day.strftime("%Y-%m-%d"),
            "starts_at_1": "10:00",
            "ends_at_0": day.strftime("%Y-%m-%d"),
            "ends_at_1": "11:00",
            "event": a.pk,
        }
    )
    response = client.post("/en/admin/events/programmeitem/add/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not ProgrammeItem.objects.filter(title_en="Planted on A").exists()
    assert "Planted on A" not in text(client.get(f"/en/events/{a.slug}/"))

    data["event"] = b.pk  # the same form on their own event is saved
    response = client.post("/en/admin/events/programmeitem/add/", data)
    assert response.status_code == 302
    assert ProgrammeItem.objects.get(title_en="Planted on A").event == b

    # Another event's item cannot be opened, nor moved.
    url = f"/en/admin/events/programmeitem/{a.item.pk}/change/"
    assert client.get(url).status_code == 302  # "doesn't exist", back to the list
    client.post(url, {**data, "title_en": "Renamed"})
    a.item.refresh_from_db()
    assert a.item.title_en == "Opening of A"


def test_the_admin_shows_no_other_organisers_events_or_their_objects(client, two_events):
    a, b = two_events["a"], two_events["b"]
    client.force_login(b.organiser)
    for url in (
        "/en/admin/events/programmeitem/",
        "/en/admin/events/event/",
        "/en/admin/registrations/question/",
        "/en/admin/registrations/registration/",
        "/en/admin/notifications/broadcast/",
        "/en/admin/notifications/outgoingmessage/",
    ):
        page = text(client.get(url))
        assert "Secret draft of A" not in page, url
        assert "Event A" not in page, url
        assert "Delia" not in page, url
    # Nor opened by their address.
    question = Question.objects.create(event=a, label_en="Private question")
    for url in (
        f"/en/admin/events/event/{a.pk}/change/",
        f"/en/admin/events/event/{a.draft.pk}/change/",
        f"/en/admin/registrations/question/{question.pk}/change/",
        f"/en/admin/registrations/registration/{a.delegate.pk}/change/",
    ):
        response = client.get(url, follow=True)
        assert "Delia" not in text(response) and "Private question" not in text(response), url
        assert "Secret draft of A" not in text(response), url


def test_the_question_admin_refuses_a_question_on_another_event(client, two_events):
    a, b = two_events["a"], two_events["b"]
    client.force_login(b.organiser)
    page = client.get("/en/admin/registrations/question/add/")
    assert "Event A" not in options(page, "event")
    data = form_values(page, "question_form")
    data.update({"label": "Planted question", "label_en": "Planted question", "event": a.pk})
    response = client.post("/en/admin/registrations/question/add/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not Question.objects.filter(label_en="Planted question").exists()

    data["event"] = b.pk
    assert client.post("/en/admin/registrations/question/add/", data).status_code == 302
    assert Question.objects.get(label_en="Planted question").event == b


def test_a_message_cannot_name_another_events_workshops(client, two_events):
    a, b = two_events["a"], two_events["b"]
    client.force_login(b.organiser)
    page = client.get("/en/admin/notifications/broadcast/add/")
    assert "Workshop of A" not in options(page, "workshops")
    assert "Event A" not in options(page, "event")
    data = {
        "event": b.pk,
        "subject_en": "Hello",
        "body_en": "Hello",
        "workshops": [a.workshop.pk],
    }
    response = client.post("/en/admin/notifications/broadcast/add/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    response = client.post(
        "/en/admin/notifications/broadcast/add/", {**data, "event": a.pk, "workshops": []}
    )
    assert response.status_code == 200
    assert not Broadcast.objects.exists()


def test_the_event_form_offers_only_the_organisers_team_and_rooms(client, two_events):
    a, b = two_events["a"], two_events["b"]
    other_room = RoomFactory(name="Room of another venue")
    client.force_login(b.organiser)
    url = f"/en/admin/events/event/{b.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    team = options(page, "organisers")
    assert "bob@example.org" in team or "Bob" in team
    assert "carla@example.org" in team or "Carla" in team  # a colleague on event C
    for stranger in ("paula", "Paula", "alice", "Alice"):
        assert stranger not in team  # a participant, another event's organiser
    rooms = options(page, "programme_items-__prefix__-room")
    assert "Room of B" in rooms and "Room of another venue" not in rooms

    # Posted as rendered, the form saves; naming a participant as organiser is refused.
    data = form_values(page, "event_form")
    assert client.post(url, data).status_code == 302
    data["organisers"] = [b.organiser.pk, a.participant.pk]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not b.organisers.filter(pk=a.participant.pk).exists()

    # A programme item on another venue's room is refused too.
    data = form_values(page, "event_form")
    data.update(
        {
            "programme_items-TOTAL_FORMS": ["1"],
            "programme_items-0-kind": "plenary",
            "programme_items-0-title_en": "Talk",
            "programme_items-0-starts_at_0": b.starts_at.astimezone(b.tz).strftime("%Y-%m-%d"),
            "programme_items-0-starts_at_1": "10:00",
            "programme_items-0-ends_at_0": b.starts_at.astimezone(b.tz).strftime("%Y-%m-%d"),
            "programme_items-0-ends_at_1": "11:00",
            "programme_items-0-room": other_room.pk,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert not b.programme_items.exists()
