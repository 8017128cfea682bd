"""An organiser filters the participant list, exports it, writes to the people in it, and
checks someone in on a phone."""

import csv
import io
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event
from registrations import services

from ..factories import EventFactory, UserFactory, at, person
from .conftest import DESKTOP, PHONE, emails_to, field, log_in, screenshot, visit

PEOPLE = [
    ("Ana", "Popescu", "ana@example.org", "RO"),
    ("Mihai", "Ionescu", "mihai@example.org", "RO"),
    ("Claire", "Martin", "claire@example.org", "FR"),
    ("Bence", "Tóth", "bence@example.org", "HU"),
]


def test_an_organiser_filters_exports_writes_and_checks_someone_in(open_page, site, smtp):
    organiser = UserFactory(email="organiser@example.org")
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
    for first, last, email, country in PEOPLE:
        services.registration_create(
            event=event,
            person=person(
                first_name=first, last_name=last, email=email, country=country, language="en"
            ),
        )

    page = open_page(DESKTOP)
    log_in(page, site, organiser)
    visit(page, f"{site}/en/workspace/{event.slug}/participants/", name="participants")
    expect(page.get_by_text("4 participants")).to_be_visible()
    filters = page.get_by_role("form", name="Filter participants")
    field(filters, "Country").select_option(label="Romania")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.get_by_text("2 participants")).to_be_visible()
    rows = page.get_by_role("table").get_by_role("row")
    assert rows.filter(has_text="Popescu").count() == 1
    assert rows.filter(has_text="Martin").count() == 0
    visit(page, page.url)

    field(page, "Format").select_option("csv")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as exported:
        table = list(csv.reader(io.StringIO(exported.read())))
    names = {cell for row in table for cell in row}
    assert {"Popescu", "Ionescu"} <= names
    assert "Martin" not in names and "Tóth" not in names

    page.get_by_label("Select Ana Popescu").check()
    page.get_by_label("Select Mihai Ionescu").check()
    page.get_by_label("With the selected people").select_option("write")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Write to participants")).to_be_visible()
    expect(page.get_by_text("To 2 people.")).to_be_visible()
    visit(page, page.url, name="write")
    page.get_by_label("Subject (English)").fill("Trains from Bucharest")
    page.get_by_label("Message (English)").fill("We travel together on Thursday.")
    page.get_by_role("button", name="Send").click()
    for address in ("ana@example.org", "mihai@example.org"):
        [message] = emails_to(smtp, address, subject="Trains from Bucharest")
        assert "We travel together on Thursday." in message.part("text/plain")
    assert not [
        m
        for m in smtp.sink.received
        if "Trains" in m.subject and set(m.recipients) & {"claire@example.org", "bence@example.org"}
    ]

    # The meeting is under way: nobody is checked in for a day still to come.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(days=1)
    )
    phone = open_page(PHONE)
    log_in(phone, site, organiser)
    visit(phone, f"{site}/en/workspace/{event.slug}/participants/", name="participants")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visit(phone, f"{site}/en/workspace/{event.slug}/checkin/", name="checkin")
    field(phone, "Name").fill("Martin")
    phone.get_by_role("button", name="Find").click()
    card = phone.get_by_role("listitem").filter(has_text="Martin")
    card.get_by_role("button", name="Mark present").click()
    # The name is isolated with Unicode marks (FSI/PDI) for right-to-left names.
    expect(phone.get_by_role("status")).to_contain_text(
        re.compile(r"Claire Martin\W* is checked in\.")
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "checkin-done")
