"""The event's emails set up by its organiser: reminder schedule, own paragraphs in each
language, and a preview of the email as a participant receives it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Kind, OutgoingMessage, ReminderSchedule
from registrations import services

from ..events.test_pages import text
from ..factories import person
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def emails_url(event) -> str:
    return f"/en/workspace/{event.slug}/setup/emails/"


def save_emails(client, event, **fields):
    data = {"digest_time": "07:30", "reply_to": "", **fields}
    response = client.post(emails_url(event), data)
    assert response.status_code == 302, text(response)


def test_the_reminder_schedule_is_set_and_pending_reminders_follow_it(organiser_client, event):
    registration, _created = services.registration_create(event=event, person=person())
    keys = set(
        OutgoingMessage.objects.filter(registration=registration, kind=Kind.REMINDER)
        .exclude(state="cancelled")
        .values_list("dedupe_key", flat=True)
    )
    assert keys == {"reminder:7d", "reminder:1d"}  # the default schedule
    page = text(organiser_client.get(emails_url(event)))
    assert "With no reminder set, they go 7 days and 1 day before" in page

    save_emails(
        organiser_client,
        event,
        reminder_0_days="3",
        reminder_0_time="10:00",
        reminder_1_days="1",
        reminder_1_time="18:30",
    )
    assert list(
        ReminderSchedule.objects.filter(event=event).values_list("days_before", "local_time")
    ) == [
        (3, timezone.datetime(2000, 1, 1, 10).time()),
        (1, timezone.datetime(2000, 1, 1, 18, 30).time()),
    ]
    queued = dict(
        OutgoingMessage.objects.filter(
            registration=registration, kind=Kind.REMINDER, state="queued"
        ).values_list("dedupe_key", "due_at")
    )
    assert set(queued) == {"reminder:3d", "reminder:1d"}
    first_day = event.local_starts_at.date()
    due = timezone.localtime(queued["reminder:3d"], event.tz)
    assert (due.date(), due.strftime("%H:%M")) == (first_day - timedelta(days=3), "10:00")
    due = timezone.localtime(queued["reminder:1d"], event.tz)
    assert due.strftime("%H:%M") == "18:30"
    assert (
        OutgoingMessage.objects.get(registration=registration, dedupe_key="reminder:7d").state
        == "cancelled"
    )
    # The page shows the schedule saved.
    html = organiser_client.get(emails_url(event)).content.decode()
    assert 'name="reminder_0_days" value="3"' in html


def test_the_preview_shows_the_organisers_paragraph_in_the_chosen_language(
    organiser_client,
    event,
):
    save_emails(
        organiser_client,
        event,
        confirmation_text_en="Bring your passport & your <b>smile</b>.",
        confirmation_text_fr="Apportez votre passeport.",
        reminder_text_ro="Autobuzul pleacă la 8:00.",
    )
    preview = f"/en/workspace/{event.slug}/setup/emails/preview/"
    french = organiser_client.get(preview, {"kind": "confirmed", "language": "fr"})
    page = text(french)
    assert "Inscription confirmée" in page
    assert "Apportez votre passeport." in page and "Bring your passport" not in page
    english = organiser_client.get(preview, {"kind": "confirmed", "language": "en"})
    assert "Registration confirmed: Training in Timișoara" in text(english)
    html = english.content.decode()
    assert "Bring your passport &amp; your &lt;b&gt;smile&lt;/b&gt;." in html
    assert "<b>smile</b>" not in html
    reminder = organiser_client.get(preview, {"kind": "reminder", "language": "ro"})
    assert "Autobuzul pleacă la 8:00." in text(reminder)
    # A language with no paragraph of its own gets the event's main language.
    italian = organiser_client.get(preview, {"kind": "confirmed", "language": "it"})
    assert "Bring your passport" in text(italian)


def test_participants_receive_the_organisers_paragraph_in_their_language(
    organiser_client,
    event,
):
    save_emails(
        organiser_client,
        event,
        confirmation_text_en="Bring your passport.",
        confirmation_text_fr="Apportez votre passeport.",
    )
    services.registration_create(event=event, person=person(email="f@example.org", language="fr"))
    services.registration_create(event=event, person=person(email="e@example.org", language="en"))
    deliver_outbox()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Apportez votre passeport." in bodies["f@example.org"]
    assert "Bring your passport." not in bodies["f@example.org"]
    assert "Bring your passport." in bodies["e@example.org"]


def test_an_organiser_working_in_french_keeps_each_languages_paragraph(organiser_client, event):
    """Saved from the French page, the French paragraph stays French (the default
    language's text does not overwrite the column of the page's language)."""
    response = organiser_client.post(
        f"/fr/workspace/{event.slug}/setup/emails/",
        {
            "digest_time": "07:30",
            "reply_to": "",
            "confirmation_text_en": "Bring your passport.",
            "confirmation_text_fr": "Apportez votre passeport.",
        },
    )
    assert response.status_code == 302, text(response)
    event.notification_settings.refresh_from_db()
    assert event.notification_settings.confirmation_text_fr == "Apportez votre passeport."
    assert event.notification_settings.confirmation_text_en == "Bring your passport."
    services.registration_create(event=event, person=person(email="f@example.org", language="fr"))
    deliver_outbox()
    assert "Apportez votre passeport." in mail.outbox[0].body


def test_the_preview_follows_the_paragraph_as_it_is_typed(organiser_client, event):
    """As the organiser types a paragraph, htmx posts the whole form to the preview and
    swaps in the email of that paragraph, in its language; without JavaScript the form's
    preview button shows the same. Nothing is saved until they press Save."""
    from notifications.models import NotificationSettings

    from ..html_forms import form_values

    save_emails(organiser_client, event, confirmation_text_en="Bring your passport.")
    page = organiser_client.get(emails_url(event))
    html = page.content.decode()
    preview = f"/en/workspace/{event.slug}/setup/emails/preview/"
    assert f'hx-post="{preview}"' in html and 'hx-trigger="keyup changed delay:500ms"' in html
    assert 'id="live-preview"' in html and "/static/vendor/htmx/htmx.min.js" in html
    assert f'formaction="{preview}"' in html  # the button that works without JavaScript
    typed = {key: values[0] for key, values in form_values(html).items() if values}
    typed["reminder_text_ro"] = "Autobuzul pleacă la <8:00> & nu așteaptă."

    # htmx: the paragraph being typed names the email and the language; the answer is
    # the preview alone.
    response = organiser_client.post(
        preview, typed, headers={"HX-Request": "true", "HX-Trigger-Name": "reminder_text_ro"}
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and "<iframe" in fragment
    assert "Autobuzul pleacă la &lt;8:00&gt; &amp; nu așteaptă." in fragment
    assert "<8:00>" not in fragment
    assert "they are not saved yet" in text(response)
    assert "HX-Request" in response["Vary"]

    # Without JavaScript: the preview button posts the form to the same address, with the
    # email and language chosen beside it, and gets the preview page.
    typed["confirmation_text_fr"] = "Apportez votre passeport."
    typed.update({"typed-kind": "confirmed", "typed-language": "fr"})
    response = organiser_client.post(preview, typed)
    assert response.status_code == 200
    page = text(response)
    assert "Inscription confirmée" in page and "Apportez votre passeport." in page
    assert "<html" in response.content.decode()

    # Nothing typed was saved.
    options = NotificationSettings.objects.get(event=event)
    assert options.confirmation_text_en == "Bring your passport."
    assert not options.reminder_text_ro and not options.confirmation_text_fr
