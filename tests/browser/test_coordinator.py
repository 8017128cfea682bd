"""A partner coordinator registers their delegation; each person confirms their details
from the email they receive."""

from playwright.sync_api import expect

from events.models import Organisation

from ..factories import EventFactory, OrganisationFactory, QuotaFactory, UserFactory, at
from .conftest import DESKTOP, PHONE, emails_to, field, links_in, log_in, screenshot, visit

DELEGATES = [
    ("Bence", "Tóth", "bence@example.org"),
    ("Réka", "Kovács", "reka@example.org"),
    ("Zsófia", "Nagy", "zsofia@example.org"),
]


def test_a_coordinator_registers_three_people_who_each_confirm_their_details(open_page, site, smtp):
    organisation: Organisation = OrganisationFactory(name="Fekete Sereg", slug="fekete-sereg")
    coordinator = UserFactory(email="coordinator@example.org")
    organisation.coordinators.add(coordinator)
    event = EventFactory(
        slug="training-cluj",
        title_en="Training in Cluj",
        starts_at=at(30, "09:00"),
        ends_at=at(33, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    QuotaFactory(event=event, organisation=organisation, places=4)

    page = open_page(DESKTOP)
    log_in(page, site, coordinator)
    page.get_by_role("link", name="My delegations").click()
    page.get_by_role("link", name="Training in Cluj").first.click()
    expect(page.get_by_role("heading", name="Delegation of Fekete Sereg")).to_be_visible()
    expect(page.get_by_text("Places reserved for your organisation: 4.")).to_be_visible()
    for number, (first, last, email) in enumerate(DELEGATES, start=1):
        person = page.get_by_role("group", name=f"Person {number}")
        field(person, "First name").fill(first)
        field(person, "Last name").fill(last)
        field(person, "Email").fill(email)
    page.get_by_role("button", name="Register them").click()
    expect(page.get_by_text("3 people registered")).to_be_visible()
    visit(page, page.url, name="delegation")
    table = page.get_by_role("table")
    for first, last, _email in DELEGATES:
        expect(table.get_by_role("row", name=f"{first} {last}")).to_be_visible()

    for first, _last, email in DELEGATES:
        [invitation] = emails_to(smtp, email, subject="You are registered for")
        [link] = links_in(invitation, r"/details/")
        delegate = open_page(PHONE)
        visit(delegate, link, name="confirm-details" if first == "Bence" else None)
        assert field(delegate, "First name").input_value() == first
        field(delegate, "I have read the privacy notice and agree to it.").check()
        delegate.get_by_role("button", name="Confirm").click()
        expect(delegate.get_by_text("Thank you, your details are confirmed.")).to_be_visible()

    page.reload()
    for first, last, _email in DELEGATES:
        row = table.get_by_role("row", name=f"{first} {last}")
        expect(row.get_by_role("cell").nth(3)).to_have_text("Yes")
    screenshot(page, "delegation")
