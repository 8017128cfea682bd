"""The public pages at desktop and phone widths: readable, accessible, a collapsed menu on
a phone (that works without JavaScript), and the screenshots the README shows."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, visit
from .test_newcomer import romanian_event

LANGUAGES = ["English", "Français", "Română", "Magyar", "Português", "Italiano"]


def open_home(page, site: str, javascript: bool) -> None:
    """The home page; scanned and photographed when JavaScript runs (axe-core needs it)."""
    if javascript:
        visit(page, f"{site}/en/", name="home")
    else:
        page.goto(f"{site}/en/")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_menu_is_collapsed_on_a_phone_and_open_on_a_desktop(open_page, site, javascript):
    romanian_event()
    phone = open_page(PHONE, java_script_enabled=javascript)
    open_home(phone, site, javascript)
    upcoming = phone.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Upcoming events"
    )
    expect(upcoming).to_be_hidden()
    phone.get_by_text("Menu", exact=True).click()
    expect(upcoming).to_be_visible()
    languages = phone.get_by_role("navigation", name="Language").get_by_role("link")
    expect(languages).to_have_text(LANGUAGES)
    if javascript:
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desktop = open_page(DESKTOP, java_script_enabled=javascript)
    open_home(desktop, site, javascript)
    expect(desktop.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(
        desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Upcoming events")
    ).to_be_visible()
    expect(desktop.get_by_role("navigation", name="Language").get_by_role("link")).to_have_text(
        LANGUAGES
    )


def test_the_event_and_registration_pages_at_desktop_width(open_page, site):
    event = romanian_event()
    page = open_page(DESKTOP)
    visit(page, f"{site}/ro/events/{event.slug}/", name="event")
    visit(page, f"{site}/ro/events/{event.slug}/register/", name="register")
