"""Participants on their private page: the waiting list of a full workshop, changing a
workshop, cancelling after a confirmation step."""

from datetime import timedelta

from playwright.sync_api import expect

from events.models import ProgrammeItem
from registrations import services
from registrations.models import Registration

from ..factories import EventFactory, ProgrammeItemFactory, at, person
from .conftest import DESKTOP, PHONE, emails_to, field, links_in, visit


def event_with_workshops(capacity: int):
    event = EventFactory(
        slug="meeting-lyon",
        title_en="National meeting in Lyon",
        starts_at=at(20, "09:00"),
        ends_at=at(21, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    workshops = [
        ProgrammeItemFactory(
            event=event,
            kind=ProgrammeItem.Kind.WORKSHOP,
            title_en=title,
            starts_at=event.starts_at + timedelta(hours=2),
            capacity=capacity,
        )
        for title in ("Mapping our members", "Funding festivals")
    ]
    return event, workshops


def cancel_from_private_page(page, site, registration):
    visit(page, f"{site}/en/r/{registration.secret}/")
    page.get_by_role("link", name="Cancel my registration").click()
    expect(page.get_by_role("heading", name="Cancel your registration?")).to_be_visible()
    visit(page, page.url, name="cancel-confirmation")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_text("This registration is cancelled.")).to_be_visible()


def test_a_participant_on_a_full_workshops_waiting_list_gets_the_place_freed_by_a_cancellation(
    open_page, site, smtp
):
    event, (mapping, _funding) = event_with_workshops(capacity=1)
    holder, _ = services.registration_create(
        event=event, person=person(email="maria@example.org", language="en", workshops=[mapping])
    )
    page = open_page(DESKTOP)
    visit(page, f"{site}/en/events/{event.slug}/register/")
    field(page, "First name").fill("Jean")
    field(page, "Last name").fill("Dupont")
    field(page, "Email").fill("jean@example.org")
    field(page, "Organisation").fill("Collectif Exemple")
    page.get_by_label("Mapping our members (full: waiting list)").check()
    field(page, "I have read the privacy notice and agree to it.").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    [confirmation] = emails_to(smtp, "jean@example.org")
    [private_link] = links_in(confirmation, r"/r/")
    visit(page, private_link, name="private-page")
    workshops = page.get_by_role("list").filter(has_text="Mapping our members")
    expect(workshops).to_contain_text("On the waiting list")

    cancel_from_private_page(open_page(PHONE), site, holder)

    [changed] = emails_to(smtp, "jean@example.org", subject="Your workshops")
    assert "Mapping our members" in changed.part("text/plain")
    page.reload()
    expect(workshops).to_contain_text("Mapping our members")
    expect(workshops).to_contain_text("Confirmed")
    expect(workshops).not_to_contain_text("On the waiting list")


def test_a_participant_changes_their_workshop_then_cancels_after_confirming(open_page, site):
    event, (mapping, _funding) = event_with_workshops(capacity=10)
    registration, _ = services.registration_create(
        event=event, person=person(email="ana@example.org", language="en", workshops=[mapping])
    )
    page = open_page(PHONE)
    visit(page, f"{site}/en/r/{registration.secret}/")
    page.get_by_label("Funding festivals").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your workshop choices have been saved.")).to_be_visible()
    workshops = page.get_by_role("list").filter(has_text="Funding festivals")
    expect(workshops).not_to_contain_text("Mapping our members")

    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("link", name="No, keep my registration").click()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    cancel_from_private_page(page, site, registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
