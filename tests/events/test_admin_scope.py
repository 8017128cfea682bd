"""The Django admin is the superusers': an organiser (staff, not a superuser) works in the
workspace and its setup pages, and the admin refuses them whatever their permissions; a
superuser sees and edits every event's objects there.

The organiser here holds every permission of the three apps, so that what refuses them
is the admin site itself, not a missing permission. Forms are posted as the page renders
them, with one value changed: what a crafted request would send.
"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission

from events.models import Event, ProgrammeItem
from registrations import services
from registrations.models import Question

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuotaFactory,
    RoomFactory,
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


def refused_by_the_admin(response) -> bool:
    """The admin answers a non-superuser with its login page."""
    return response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_organiser_cannot_make_themselves_coordinator_of_another_events_partner(
    client, two_events
):
    a, b, partner = two_events["a"], two_events["b"], two_events["partner"]
    client.force_login(b.organiser)
    url = f"/en/admin/events/organisation/{partner.pk}/change/"
    assert refused_by_the_admin(client.get(url))
    response = client.post(
        url,
        {
            "name": partner.name,
            "slug": partner.slug,
            "country": "FR",
            "coordinators": [b.organiser.pk],
        },
    )
    assert refused_by_the_admin(response)
    assert not partner.coordinators.exists()
    # So event A's people stay out of reach: no list, no export, no decision.
    assert client.get(f"/en/workspace/{a.slug}/participants/").status_code == 404
    response = client.post(f"/en/workspace/{a.slug}/export/", {"format": "csv"})
    assert response.status_code == 404
    assert "Delia" not in response.content.decode()


def test_the_admin_refuses_organisers_whatever_their_permissions(client, two_events):
    a, b = two_events["a"], two_events["b"]
    client.force_login(b.organiser)
    for url in (
        "/en/admin/",
        "/en/admin/events/event/",
        f"/en/admin/events/event/{b.pk}/change/",
        f"/en/admin/events/event/{a.pk}/change/",
        "/en/admin/events/programmeitem/add/",
        "/en/admin/registrations/question/add/",
        "/en/admin/registrations/registration/",
        "/en/admin/notifications/outgoingmessage/",
        "/en/admin/events/organisation/",
        f"/en/admin/events/venue/{b.venue.pk}/change/",
    ):
        response = client.get(url)
        assert refused_by_the_admin(response), url
        assert "Delia" not in response.content.decode() and "Event A" not in text(response)
    # Crafted posts naming event A create nothing.
    response = client.post(
        "/en/admin/events/programmeitem/add/",
        {"event": a.pk, "title_en": "Planted by B", "kind": "plenary"},
    )
    assert refused_by_the_admin(response)
    assert not ProgrammeItem.objects.filter(title_en="Planted by B").exists()
    response = client.post(
        "/en/admin/registrations/question/add/", {"event": a.pk, "label_en": "Planted"}
    )
    assert refused_by_the_admin(response)
    assert not Question.objects.filter(label_en="Planted").exists()
    response = client.get(
        "/en/admin/autocomplete/",
        {"app_label": "events", "model_name": "event", "field_name": "host", "term": "Partner"},
    )
    assert refused_by_the_admin(response) or response.status_code == 403


def test_a_superuser_names_a_partners_coordinators_among_every_account(client, two_events):
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


def test_a_superuser_sees_every_events_objects_in_the_admin(client, two_events):
    b = two_events["b"]
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    events = text(client.get("/en/admin/events/event/"))
    for title in ("Event A", "Event B", "Event C", "Secret draft of A"):
        assert title in events
    items = text(client.get("/en/admin/events/programmeitem/"))
    assert "Opening of A" in items and "Workshop of A" in items
    registrations = text(client.get("/en/admin/registrations/registration/"))
    assert "Delia" in registrations and "paula@example.org" in registrations
    emails = text(client.get("/en/admin/notifications/outgoingmessage/"))
    assert "paula@example.org" in emails
    page = client.get(f"/en/admin/events/event/{b.pk}/change/")
    assert page.status_code == 200
    assert "Room of B" in options(page, "programme_items-__prefix__-room")
    assert "Workshop of A" in text(client.get("/en/admin/notifications/broadcast/add/"))
