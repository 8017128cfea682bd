"""The registration journey with the keyboard alone: Tab to move, Space to tick, Enter to
follow a link or send the form."""

from playwright.sync_api import expect

from registrations.models import Registration

from .conftest import DESKTOP, assert_accessible, emails_to
from .test_newcomer import romanian_event


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def test_a_person_registers_with_the_keyboard_alone(open_page, site, smtp):
    event = romanian_event()
    page = open_page(DESKTOP)
    page.goto(f"{site}/ro/events/{event.slug}/")

    tab_to(page, f'a[href$="/events/{event.slug}/register/"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Înscriere la „Formare la Timișoara”")).to_be_visible()
    for selector, text in (
        ("#id_first_name", "Ioana"),
        ("#id_last_name", "Mureșan"),
        ("#id_email", "tastatura@example.org"),
        ("#id_organisation_name", "Asociația Exemplu"),
        ('input[name^="question_"]', "Cluj-Napoca"),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, 'input[type="radio"][name="workshop_0"]')
    page.keyboard.press("Space")
    tab_to(page, "#id_privacy_consent")
    page.keyboard.press("Space")
    tab_to(page, 'button[type="submit"]')
    assert_accessible(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Verificați-vă e-mailul")).to_be_visible()
    emails_to(smtp, "tastatura@example.org")
    registration = Registration.objects.get(email="tastatura@example.org")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.workshop_choices.count() == 1
