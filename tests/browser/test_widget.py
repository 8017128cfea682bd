"""The widget inside a partner's website: a page served from another origin (another
port) pastes the snippet; Chromium shows the network's next events in Portuguese inside
the frame, resized to its content, with links opening the full page in a new tab."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from ..factories import EventFactory, OrganisationFactory, at
from .conftest import DESKTOP


@pytest.fixture
def partner_site(site):
    """A partner's page on http://127.0.0.1:<another port>, embedding the widget with the
    script, as the workspace's embedding page gives it."""
    snippet = (
        f'<div data-rencontres-widget="{site}/pt/widget/events/"></div>\n'
        f'<script src="{site}/static/api/embed.js" async></script>'
    )
    page = (
        '<!DOCTYPE html><html lang="pt"><head><meta charset="utf-8"><title>Parceiro</title>'
        "</head><body><h1>Associação parceira</h1>"
        f"{snippet}<p id='after'>Rodapé do parceiro</p></body></html>"
    ).encode()

    class Partner(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_partner_site_shows_the_networks_next_events_in_portuguese(open_page, partner_site):
    host = OrganisationFactory(name="Rede <Parceira>")
    for n, title in enumerate(["Encontro de Saint-Étienne", "Formação em Cluj", "Fórum online"]):
        EventFactory(
            slug=f"next-{n}",
            title_en=f"Event {n}",
            title_pt=title,
            host=host,
            starts_at=at(10 + n * 7),
        )
    EventFactory(slug="hidden", title_en="Unannounced draft", status="draft")

    page = open_page(DESKTOP)
    page.goto(partner_site)
    frame_element = page.locator("iframe")
    expect(frame_element).to_have_count(1)
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Próximos eventos")).to_be_visible()
    links = frame.get_by_role("link", name="Encontro de Saint-Étienne")
    expect(links).to_have_attribute("target", "_blank")
    expect(links).to_have_attribute("rel", "noopener")
    expect(frame.get_by_text("Formação em Cluj")).to_be_visible()
    expect(frame.get_by_text("Unannounced draft")).to_have_count(0)

    # the frame took the height of its content (the script's default is 400px)
    content = frame.locator("body").evaluate("body => body.getBoundingClientRect().height")
    height = frame_element.evaluate("frame => frame.getBoundingClientRect().height")
    assert abs(height - content) <= 2, (height, content)

    # a message from anywhere but the frame's window and origin changes nothing
    page.evaluate("window.postMessage({rencontresWidget: true, height: 7}, '*')")
    page.wait_for_timeout(300)
    assert frame_element.evaluate("frame => frame.getBoundingClientRect().height") == height

    # a link opens the full event page in a new tab
    with page.context.expect_page() as opened:
        links.click()
    event_page = opened.value
    event_page.wait_for_load_state()
    assert event_page.url.endswith("/pt/events/next-0/")
    expect(event_page.get_by_role("heading", name="Encontro de Saint-Étienne")).to_be_visible()


def test_any_other_page_refuses_to_be_framed(open_page, site, partner_site):
    """The event page itself (not the widget) stays unframeable from a partner's site."""
    EventFactory(slug="framed", title_en="Not for frames")
    page = open_page(DESKTOP)
    page.goto(partner_site)
    page.set_content(
        f'<iframe src="{site}/en/events/framed/" title="x"></iframe>'
        f'<iframe src="{site}/en/widget/events/framed/" title="y"></iframe>'
    )
    page.wait_for_timeout(1500)
    frames = {frame.url: frame for frame in page.frames}
    widget = frames.get(f"{site}/en/widget/events/framed/")
    assert widget is not None and "Not for frames" in widget.content()
    blocked = [frame for url, frame in frames.items() if url.endswith("/en/events/framed/")]
    assert not blocked or "Not for frames" not in blocked[0].content()


def test_the_api_documentation_works_under_the_sites_content_security_policy(open_page, site):
    """Swagger UI, from the site's own static files: no CDN, nothing the CSP refuses."""
    page = open_page(DESKTOP)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site}/api/docs/")
    expect(page.get_by_text("Rencontres API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/events/{slug}/registrations/")).to_be_visible()
    assert not refused, refused
    assert all(url.startswith(site) or url.startswith("data:") for url in requests), requests


def test_an_organiser_makes_a_token_and_the_embedding_code_in_the_workspace(open_page, site):
    """From the workspace: an API token made, used by a script and revoked; the code to
    paste for the widget, with its preview. Each page passes the accessibility scan."""
    import json
    import urllib.error
    import urllib.request

    from registrations.models import Registration

    from ..factories import UserFactory
    from .conftest import field, log_in, visit

    organiser = UserFactory(email="organiser.widget@example.org")
    event = EventFactory(slug="saint-etienne", title_en="Saint-Étienne meeting")
    event.organisers.add(organiser)
    Registration.objects.create(
        event=event,
        status="confirmed",
        email="ana@example.org",
        first_name="Ana",
        last_name="Popescu",
        language="ro",
        privacy_consent_version="1",
    )
    page = open_page(DESKTOP)
    log_in(page, site, organiser)
    visit(page, f"{site}/en/workspace/")
    page.get_by_role("link", name="API tokens").click()
    visit(page, page.url)
    page.get_by_label("Name").fill("Programme sync")
    page.get_by_label("Read the registrations of the events you organise or coordinate").check()
    page.get_by_role("button", name="Create the token").click()
    key = page.locator("#token-key").inner_text()
    visit(page, page.url)

    def registrations():
        request = urllib.request.Request(
            f"{site}/api/v1/events/saint-etienne/registrations/",
            headers={"Authorization": f"Bearer {key}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    assert [person["last_name"] for person in registrations()["results"]] == ["Popescu"]
    page.get_by_role("button", name="Revoke Programme sync").click()
    expect(page.get_by_text("The token is revoked: it no longer opens anything.")).to_be_visible()
    with pytest.raises(urllib.error.HTTPError) as refused:
        registrations()
    assert refused.value.code == 401

    visit(page, f"{site}/en/workspace/")
    page.get_by_role("link", name="Show the events on your website").click()
    field(page, "Show").select_option("event")
    field(page, "Event").select_option("saint-etienne")
    page.get_by_role("combobox", name="Language").select_option("pt")
    page.get_by_role("button", name="Make the code").click()
    expect(page.locator("#snippet-script")).to_contain_text(
        f'data-rencontres-widget="{site}/pt/widget/events/saint-etienne/"'
    )
    preview = page.frame_locator("iframe.widget-preview")
    expect(preview.get_by_role("heading", name="Programa")).to_be_visible()
    visit(page, page.url)

    widget = open_page(DESKTOP)
    visit(widget, f"{site}/pt/widget/events/saint-etienne/")
    visit(widget, f"{site}/pt/widget/events/")
