"""htmx's enhancements in a real browser, under the site's Content Security Policy (no
inline script or style): a programme item moves without the page reloading, and the email
preview follows a paragraph as it is typed. The same pages work without JavaScript
(tests/events/test_setup.py, tests/workspace/test_setup_emails.py)."""

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import ProgrammeItem

from ..factories import EventFactory, ProgrammeItemFactory, UserFactory, at
from .conftest import DESKTOP, log_in, visit

BUCHAREST = "Europe/Bucharest"


def test_programme_moves_and_the_email_preview_happen_in_place(site, open_page):
    organiser = UserFactory(email="oana@example.org", is_staff=False)
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    event = EventFactory(
        slug="timisoara",
        title_en="Training in Timișoara",
        languages=["en", "ro"],
        timezone=BUCHAREST,
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(31, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    event.organisers.add(organiser)
    ProgrammeItemFactory(
        event=event,
        title_en="Opening",
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(30, "10:00", BUCHAREST),
    )
    workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        starts_at=at(30, "11:00", BUCHAREST),
        ends_at=at(30, "12:30", BUCHAREST),
    )
    page = open_page(DESKTOP)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, site, organiser)

    visit(page, f"{site}/en/workspace/timisoara/setup/programme/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Move up (Mapping)").click()
    expect(
        page.get_by_role("status").filter(has_text="“Mapping” now starts at 09:00.")
    ).to_be_visible()
    assert page.evaluate("window.notReloaded === true"), "the list was swapped in place"
    first = page.locator("#programme-days li").first
    expect(first).to_contain_text("Mapping")
    workshop.refresh_from_db()
    assert event.local(workshop.starts_at).strftime("%H:%M") == "09:00"
    assert not refused, refused  # htmx itself sets no inline style nor evaluates code

    visit(page, f"{site}/en/workspace/timisoara/setup/emails/")
    assert not refused, refused
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Your paragraph in the confirmation (Romanian)").press_sequentially(
        "Ne vedem la gară.", delay=20
    )
    frame = page.frame_locator("#live-preview iframe")
    expect(frame.locator("body")).to_contain_text("Ne vedem la gară.")
    expect(page.locator("#live-preview")).to_contain_text("they are not saved yet")
    assert page.evaluate("window.notReloaded === true")
    # What the policy blocks now is the email's own styling in its sandboxed frame (as on
    # the saved texts' preview page), nothing of htmx's.
    assert all("inline style" in text or "cid:" in text for text in refused), refused
