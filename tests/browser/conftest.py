"""Journeys in a real browser: Debian's Chromium driven by Playwright against a live server,
with a real Celery worker sending the emails to the test SMTP server.

Every page a journey visits is scanned with axe-core (bundled by axe-playwright-python) and
may have no serious or critical violation. The main pages are saved as PNG screenshots at
desktop and phone widths: into docs/screenshots/ (which the README shows) when
``UPDATE_SCREENSHOTS=1`` is set, else into a temporary folder, so that a test run leaves
the git tree as it was.

The network has an identity (name, logo, colours, contact, footer) as a superuser would
set it: the pages are scanned and photographed with it.
"""

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections

from ..smtp import SMTPServer
from ..workers import celery_worker, purge_broker, wait_for

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
SCREENSHOTS = (
    DOCS_SCREENSHOTS
    if UPDATE_SCREENSHOTS
    else Path(tempfile.gettempdir()) / f"rencontres-screenshots-{os.getuid()}"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Without the background-networking flags Chromium tries to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    """Every test under tests/browser/ is a browser test; without Chromium it is skipped."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.worker)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium "
                        "chromium-driver, or set CHROMIUM=/path/to/chromium)"
                    )
                )


@pytest.fixture
def chromium(site, async_unsafe):
    """Chromium, started for one test after its database and servers are set up: Playwright's
    sync API keeps an event loop running in this thread until it stops, which Django's
    synchronous code (the other tests) must not see."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's event loop runs, asgiref gives this thread's database
        # connections a context of their own: close the test's connection here, where it
        # is seen, or it outlives the test (and PostgreSQL cannot drop the test database).
        connections.close_all()


@pytest.fixture
def async_unsafe(monkeypatch):
    """Playwright's sync API runs an event loop in this thread: the test's own ORM calls
    are still synchronous, so Django is told not to refuse them."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded and exported files, in one folder for the live server and the worker."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker(smtp, live_server, transactional_db, media_root):
    """A real Celery worker sending to the test SMTP server, with links to the live server."""
    purge_broker()
    environment = {
        "EMAIL_URL": smtp.url,
        "OUTBOX_DISPATCH_SECONDS": "1",
        "SITE_URL": live_server.url,
        "MEDIA_ROOT": str(media_root),
    }
    with celery_worker(extra_env=environment) as process:
        yield process


@pytest.fixture
def site(transactional_db, live_server, worker, async_unsafe, settings, network):
    """The live server's address, with its links built on it and the worker running.

    The test database comes first: the (session-wide) live server then stops before the
    database is dropped, and its connections with it (PostgreSQL refuses to drop a
    database in use)."""
    settings.SITE_URL = live_server.url
    return live_server.url


def network_logo() -> bytes:
    """Two overlapping rings (people meeting), in the network's colours, as a PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (176, 96), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 88, 88), outline="#0b5cad", width=14)
    draw.ellipse((72, 8, 152, 88), outline="#7a2e8c", width=14)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def network(transactional_db, media_root):
    """The network's identity, as a superuser sets it in the admin."""
    from django.core.files.base import ContentFile

    from events.models import NetworkIdentity

    identity = NetworkIdentity(
        name="Rencontres",
        primary_colour="#0b5cad",
        accent_colour="#5a1f6b",
        email="contact@rencontres.example",
        postal_address="Strada Mărășești 4, 300086 Timișoara, Romania",
        website="https://rencontres.example",
        footer_en="Meetings and trainings of a network of youth organisations.",
        footer_fr="Rencontres et formations d’un réseau d’associations de jeunesse.",
        footer_ro="Întâlnirile și formările unei rețele de organizații de tineret.",
    )
    identity.logo.save("rencontres.png", ContentFile(network_logo()), save=False)
    identity.save()
    return identity


@pytest.fixture
def open_page(chromium):
    """``open_page(viewport)``: a new page in a fresh browser context (its own cookies),
    with the downloads accepted; all closed at the end of the test."""
    contexts = []

    def open_new(viewport=DESKTOP, **options):
        context = chromium.new_context(viewport=viewport, accept_downloads=True, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_new
    for context in contexts:
        context.close()


_axe = None


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    global _axe
    if _axe is None:
        _axe = Axe()
    results = _axe.run(page)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def screenshot(page, name: str) -> None:
    """Save the whole page as <name>-<width>.png: in docs/screenshots/ with
    ``UPDATE_SCREENSHOTS=1``, else in a temporary folder."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def visit(page, url: str, *, name: str | None = None):
    """Go to ``url``, check the page's accessibility, and screenshot it when named."""
    page.goto(url)
    assert_accessible(page)
    if name:
        screenshot(page, name)
    return page


def log_in(page, site: str, user) -> None:
    """Sign in through the login page, as the person would (their address is verified)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    visit(page, f"{site}/en/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    # Signed in: the menu (collapsed on a phone) offers to log out.
    page.locator('a[href$="/accounts/logout/"]').wait_for(state="attached")


def field(page, label: str):
    """The form field labelled ``label`` exactly (a required field's asterisk aside)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\s*\*?\s*$"))


def emails_to(smtp, address: str, count: int = 1, subject: str = ""):
    """Wait until ``count`` emails (whose subject contains ``subject``) reached ``address``."""
    return wait_for(
        lambda: (
            [received for received in smtp.sink.to(address) if subject in received.subject][:count]
            if len([r for r in smtp.sink.to(address) if subject in r.subject]) >= count
            else None
        ),
        timeout=45,
        what=f"{count} email(s) to {address} about {subject!r}",
    )


def links_in(received, pattern: str) -> list[str]:
    """The addresses in an email's plain-text part that match ``pattern``."""
    text = received.part("text/plain")
    return [url for url in re.findall(r"https?://\S+", text) if re.search(pattern, url)]
