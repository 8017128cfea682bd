"""The directory's map in a real browser (Debian's Chromium through Playwright): drawn by
the vendored Leaflet under the site's content security policy, its tiles asked from the
tile server only, with the site's origin as the only referrer; the list without
JavaScript."""

import io
import os
from pathlib import Path

import pytest
from django.db import connections
from PIL import Image

from ..browser.conftest import CHROMIUM_ARGS, DESKTOP, assert_accessible
from ..factories import OrganisationFactory

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]


#: A name that runs a script if any part of the map writes it as HTML.
HOSTILE = '<img src=x onerror="window.owned = true">Evil'


def _tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 230, 220)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def browser(live_server, transactional_db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()


@pytest.fixture
def partners(transactional_db):
    OrganisationFactory(
        name="CRIES",
        country="RO",
        city="Timișoara",
        listed=True,
        latitude="45.748900",
        longitude="21.208700",
        field_of_work_en="Solidarity economy",
    )
    OrganisationFactory(name="UFISC", country="FR", city="Paris", listed=True)  # at its city
    OrganisationFactory(
        name=HOSTILE,
        country="IT",
        city=HOSTILE,
        listed=True,
        latitude="41.9",
        longitude="12.5",
        field_of_work_en=HOSTILE,
    )
    OrganisationFactory(
        name="Unlisted Omega", country="HU", latitude="47.5", longitude="19.0", listed=False
    )


def test_the_map_draws_the_listed_organisations_with_tiles_from_the_tile_server_only(
    browser, live_server, partners
):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems, outside, tiles = [], [], []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    def answer_tile(route):
        tiles.append(route.request)
        route.fulfill(status=200, content_type="image/png", body=_tile())

    page.route("https://tile.openstreetmap.org/**", answer_tile)
    page.on(
        "request",
        lambda request: (
            not request.url.startswith((live_server.url, "https://tile.openstreetmap.org/"))
            and not request.url.startswith("data:")
            and outside.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/en/network/")
    markers = page.locator("#network-map .leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == 3
    page.locator("#network-map img.leaflet-tile-loaded").first.wait_for()
    assert tiles
    for request in tiles:
        assert request.headers.get("referer") in (None, f"{live_server.url}/")
    assert not outside, outside
    assert not problems, problems  # no script error, no content security policy violation
    assert "OpenStreetMap contributors" in page.locator(".leaflet-control-attribution").inner_text()
    tooltips = []
    for number in range(markers.count()):  # every tooltip and popup opened
        markers.nth(number).dispatch_event("mouseover")
        tooltip = page.locator(".leaflet-tooltip").last
        tooltip.wait_for()
        tooltips.append(tooltip.text_content())
        markers.nth(number).dispatch_event("click")
        popup = page.locator(".leaflet-popup-content").last
        popup.wait_for()
        assert popup.get_by_role("link").count() == 1
        page.keyboard.press("Escape")
    assert HOSTILE in tooltips  # written as text, not as HTML
    assert page.locator("#network-map img[src='x']").count() == 0
    assert page.evaluate("window.owned") is None
    assert not problems, problems
    assert_accessible(page)
    context.close()


def test_the_keyboard_reaches_named_markers_and_leaflets_words_are_translated(
    browser, live_server, partners
):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=_tile()),
    )
    page.goto(f"{live_server.url}/fr/network/")
    page.locator("#network-map .leaflet-marker-icon").first.wait_for()
    assert page.get_by_role("button", name="Zoom avant").count() == 1
    assert page.get_by_role("button", name="Zoom arrière").count() == 1
    for name in ("CRIES", "UFISC", HOSTILE):
        assert page.get_by_role("button", name=name, exact=True).count() == 1
    names = []
    for _ in range(60):  # Tab through the page until every marker was reached
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement.classList.contains('leaflet-marker-icon')"
            " && document.activeElement.getAttribute('aria-label')"
        )
        if focused:
            names.append(focused)
        if len(names) == 3:
            break
    assert sorted(names) == sorted(["CRIES", "UFISC", HOSTILE])
    page.get_by_role("button", name="CRIES", exact=True).focus()
    page.keyboard.press("Enter")  # its popup, with a named close button
    close = page.get_by_role("button", name="Fermer les détails de l’organisation")
    close.wait_for()
    close.click()
    page.locator(".leaflet-popup").wait_for(state="detached")
    assert page.evaluate("window.owned") is None
    assert not problems, problems
    assert_accessible(page)
    context.close()


def test_without_javascript_the_list_is_there_and_no_empty_map(browser, live_server, partners):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/network/")
    assert page.get_by_role("link", name="CRIES").is_visible()
    assert page.get_by_role("link", name="UFISC").is_visible()
    assert not page.locator("#network-map").is_visible()
    assert "Unlisted Omega" not in page.content()
    context.close()
