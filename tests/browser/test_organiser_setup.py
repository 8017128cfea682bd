"""An organiser sets up an event as a copy of a past one and publishes it, and follows a
large export's progress to its download: in a real browser, every page scanned."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import Event, ProgrammeItem
from registrations import services
from registrations.models import Quota

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
    at,
    person,
)
from .conftest import DESKTOP, PHONE, field, log_in, screenshot, visit

BUCHAREST = "Europe/Bucharest"


def organiser_account():
    """An organiser as the product makes them: in the Organisers group, no staff flag."""
    user = UserFactory(email="oana@example.org", first_name="Oana", is_staff=False)
    user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    return user


def past_training(organiser) -> Event:
    venue = VenueFactory(name="Casa Tineretului", city="Timișoara", country="RO")
    event = EventFactory(
        slug="timisoara-2025",
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        languages=["en", "ro"],
        timezone=BUCHAREST,
        venue=venue,
        starts_at=at(-300, "09:00", BUCHAREST),
        ends_at=at(-298, "17:00", BUCHAREST),
        registration_opens_at=at(-360),
        registration_closes_at=at(-310),
    )
    event.organisers.add(organiser)
    room = RoomFactory(venue=venue, name="Sala Mare")
    ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        title_ro="Cartografiere",
        room=room,
        capacity=20,
        starts_at=at(-300, "11:00", BUCHAREST),
        ends_at=at(-300, "12:30", BUCHAREST),
    )
    QuestionFactory(event=event, label_en="Dietary wishes", label_ro="Preferințe alimentare")
    Quota.objects.create(
        event=event,
        organisation=OrganisationFactory(name="CRIES", country="RO"),
        places=5,
        release_at=at(-320),
    )
    return event


def test_an_organiser_copies_a_past_event_and_publishes_it(open_page, site):
    organiser = organiser_account()
    source = past_training(organiser)
    first_day = (source.local_starts_at + timedelta(days=364)).date()

    page = open_page(DESKTOP)
    log_in(page, site, organiser)
    visit(page, f"{site}/en/workspace/new/", name="copy-event")
    copy_form = page.get_by_role("region", name="As a copy of an earlier event")
    expect(copy_form).to_contain_text("The partner quotas are copied without their release dates")
    expect(copy_form).to_contain_text("the registration window (opening and closing) move")
    field(copy_form, "Copy of").select_option(value=str(source.pk))
    field(copy_form, "Address of the new event").fill("timisoara-2026")
    field(copy_form, "First day of the new event").fill(first_day.isoformat())
    copy_form.get_by_role("button", name="Copy the event").click()

    expect(page.get_by_text("The copy is created as a draft.")).to_be_visible()
    expect(page.get_by_text("The partner quotas have no release date yet")).to_be_visible()
    visit(page, page.url, name="setup-event")
    copy = Event.objects.get(slug="timisoara-2026")
    assert copy.status == Event.Status.DRAFT
    assert copy.local_starts_at.date() == first_day

    visit(page, f"{site}/en/workspace/timisoara-2026/setup/programme/", name="setup-programme")
    expect(page.get_by_text("Mapping")).to_be_visible()

    visit(page, f"{site}/en/workspace/timisoara-2026/setup/")
    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page.get_by_text("Publish this event?")).to_be_visible()
    visit(page, page.url)
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("The event is published.")).to_be_visible()
    copy.refresh_from_db()
    assert copy.status == Event.Status.PUBLISHED

    # Anyone now sees it, in Romanian, with the network's identity and contact.
    phone = open_page(PHONE)
    visit(phone, f"{site}/ro/events/timisoara-2026/")
    expect(phone.get_by_role("heading", name="Formare la Timișoara", level=1)).to_be_visible()
    expect(phone.get_by_text("Cartografiere")).to_be_visible()
    footer = phone.locator("footer")
    expect(footer).to_contain_text(
        "Întâlnirile și formările unei rețele de organizații de tineret."
    )
    expect(footer).to_contain_text("contact@rencontres.example")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_organiser_follows_a_large_export_to_its_download(open_page, site, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 3  # more rows than this: a worker builds the file
    organiser = organiser_account()
    event = EventFactory(
        slug="meeting-lyon",
        title_en="National meeting in Lyon",
        languages=["en"],
        starts_at=at(20, "09:00"),
        ends_at=at(21, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    event.organisers.add(organiser)
    names = ["Popescu", "Ionescu", "Martin", "Tóth", "Kovács", "Rossi"]
    for number, last_name in enumerate(names):
        services.registration_create(
            event=event,
            person=person(last_name=last_name, email=f"p{number}@example.org", language="en"),
        )

    page = open_page(DESKTOP)
    log_in(page, site, organiser)
    visit(page, f"{site}/en/workspace/{event.slug}/participants/")
    field(page, "Format").select_option("csv")
    page.get_by_role("button", name="Export", exact=True).click()

    # The progress page refreshes itself until the worker has written the file.
    expect(page.get_by_role("heading", name="Export")).to_be_visible()
    assert f"/workspace/{event.slug}/exports/" in page.url  # the job's own page
    download_link = page.get_by_role("link", name="Download the file")
    expect(download_link).to_be_visible(timeout=45_000)
    visit(page, page.url, name="export-done")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the file").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert len(rows) == 1 + len(names)
    assert set(names) <= {cell for row in rows for cell in row}
    screenshot(page, "export-done")
