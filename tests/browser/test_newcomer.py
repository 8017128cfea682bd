"""A newcomer on a phone registers in Romanian, without an account, and adds the event to
a calendar from the private link the email brings."""

from datetime import timedelta

from playwright.sync_api import expect

from events.models import ProgrammeItem
from registrations.models import Question, Registration

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    VenueFactory,
    at,
)
from .conftest import PHONE, assert_accessible, emails_to, field, links_in, screenshot, visit


def romanian_event():
    event = EventFactory(
        slug="formare-timisoara",
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        description_ro="Patru zile despre economia socială și cultură.",
        languages=["en", "ro"],
        default_language="ro",
        timezone="Europe/Bucharest",
        starts_at=at(30, "09:00", "Europe/Bucharest"),
        ends_at=at(31, "17:00", "Europe/Bucharest"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
        host=OrganisationFactory(name="Asociația Exemplu", country="RO", city="Timișoara"),
        venue=VenueFactory(
            name="Casa Tineretului",
            address="Strada Arieș 19",
            postcode="300575",
            city="Timișoara",
            country="RO",
        ),
    )
    ProgrammeItemFactory(
        event=event, title_en="Welcome", title_ro="Bun venit", starts_at=event.starts_at
    )
    for title_en, title_ro in (("Cooperatives", "Cooperative"), ("Festivals", "Festivaluri")):
        ProgrammeItemFactory(
            event=event,
            kind=ProgrammeItem.Kind.WORKSHOP,
            title_en=title_en,
            title_ro=title_ro,
            starts_at=event.starts_at + timedelta(hours=2),
            capacity=10,
        )
    QuestionFactory(
        event=event,
        kind=Question.Kind.LINE,
        label_en="Travelling from (city)",
        label_ro="Plecare din (oraș)",
        required=True,
    )
    return event


def fill_registration(page, *, email: str, workshop: str):
    field(page, "Prenume").fill("Ioana")
    field(page, "Nume").fill("Mureșan")
    field(page, "E-mail").fill(email)
    field(page, "Organizație").fill("Asociația Exemplu")
    field(page, "Plecare din (oraș)").fill("Cluj-Napoca")
    page.get_by_label(workshop).check()
    field(page, "Am citit politica de confidențialitate și sunt de acord cu ea.").check()


def test_a_newcomer_on_a_phone_registers_in_romanian_and_subscribes_to_the_calendar(
    open_page, site, smtp
):
    event = romanian_event()
    page = open_page(PHONE)

    visit(page, f"{site}/ro/events/{event.slug}/", name="event")
    expect(page.get_by_role("heading", name="Formare la Timișoara")).to_be_visible()
    expect(page.get_by_role("heading", name="Program")).to_be_visible()
    expect(page.get_by_text("Bun venit")).to_be_visible()
    expect(page.get_by_text("Cooperative")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Înscrieți-vă").click()
    expect(page.get_by_role("heading", name="Înscriere la „Formare la Timișoara”")).to_be_visible()
    for legend in ("Despre dumneavoastră", "Organizația dumneavoastră", "Ateliere"):
        expect(page.get_by_role("group", name=legend)).to_be_visible()
    # A one-line answer is typed into a one-line box.
    city = field(page, "Plecare din (oraș)")
    assert city.evaluate("element => element.tagName") == "INPUT"
    page.get_by_role("button", name="Trimiteți înscrierea").click()  # nothing filled in yet
    expect(page.get_by_role("alert")).to_contain_text("Unele răspunsuri trebuie revăzute")
    assert_accessible(page)
    screenshot(page, "register-errors")
    fill_registration(page, email="ioana@example.org", workshop="Cooperative")
    screenshot(page, "register")
    page.get_by_role("button", name="Trimiteți înscrierea").click()

    expect(page.get_by_role("heading", name="Verificați-vă e-mailul")).to_be_visible()
    visit(page, page.url, name="check-email")

    [confirmation] = emails_to(smtp, "ioana@example.org")
    [private_link] = links_in(confirmation, r"/r/")
    visit(page, private_link, name="private-page")
    expect(page.get_by_text("Înscrierea dumneavoastră este confirmată.")).to_be_visible()
    expect(page.get_by_text("Cooperative").first).to_be_visible()
    webcal = page.get_by_role("link", name="Aplicația de calendar")
    assert webcal.get_attribute("href").startswith("webcal://")
    google = page.get_by_role("link", name="Adăugați în Google Calendar")
    assert google.get_attribute("href").startswith("https://calendar.google.com/")
    outlook = page.get_by_role("link", name="Adăugați în Outlook")
    assert outlook.get_attribute("href").startswith("https://outlook.live.com/")
    assert Registration.objects.get(email="ioana@example.org").status == "confirmed"
