"""The event's emails, set up by its organisers in the workspace: the reminder schedule,
the morning digest, the reply-to address, their own paragraph in the confirmation and the
reminders in each language, and a preview of an email as a participant receives it."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.privacy import no_store
from events.htmx import is_htmx, varies
from registrations.models import Registration
from registrations.setup_views import organiser_event

from . import services
from .models import Kind, NotificationSettings, OutgoingMessage
from .rendering import build_email
from .setup_forms import EmailSetupForm, PreviewForm

#: What stands for a registration's private link in a preview (it opens nothing).
PREVIEW_LINK_KEY = "preview"


def _options(event) -> NotificationSettings | None:
    return NotificationSettings.objects.filter(event=event).first()


@login_required
def email_setup(request, slug: str):
    event, _access = organiser_event(request, slug)
    form = EmailSetupForm(request.POST or None, event=event, options=_options(event))
    if request.method == "POST" and form.is_valid():
        services.email_setup_save(
            event=event,
            actor=request.user,
            offsets=form.offsets(),
            texts=form.texts(),
            daily_digest=form.cleaned_data["daily_digest"],
            digest_time=form.cleaned_data["digest_time"],
            reply_to=form.cleaned_data["reply_to"],
        )
        messages.success(request, _("The email settings are saved."))
        return redirect("notifications:setup_emails", slug=event.slug)
    preview = PreviewForm(initial={"kind": "confirmed", "language": event.default_language})
    # Beside the form's own preview button: which email, in which language.
    typed = PreviewForm(
        initial={"kind": "confirmed", "language": event.default_language}, prefix="typed"
    )
    form.live_preview(reverse("notifications:setup_email_preview", args=[event.slug]))
    context = {
        "event": event,
        "form": form,
        "preview_form": preview,
        "typed_form": typed,
        "section": "emails",
    }
    return no_store(render(request, "workspace/setup/emails.html", context))


def preview_email(event, *, kind: str, language: str, options: NotificationSettings | None = None):
    """The email of ``kind`` as a participant reading ``language`` receives it, built by
    the outbox's own renderer from an unsaved outbox row: for the event's first
    registration (its private link replaced by a placeholder, so that the preview opens
    nobody's registration), or for nobody in particular when there is none yet.
    ``options``: the email settings to show (unsaved: the texts an organiser is typing)
    instead of the saved ones."""
    if options is not None:
        event.notification_settings = options  # read by the renderer, never saved here
    registration = (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .select_related("event__venue", "organisation", "registered_by")
        .order_by("created_at", "pk")
        .first()
    )
    if registration is not None:
        registration = copy.copy(registration)
        registration.secret = PREVIEW_LINK_KEY
        registration.language = language
    message = OutgoingMessage(
        kind=kind,
        recipient=registration.email if registration else "participant@example.org",
        language=language,
        registration=registration,
        event=event,
        due_at=timezone.now(),
        message_id="<preview@rencontres>",
    )
    return build_email(message)


#: The texts of the email setup form, by field name: which email each one goes into.
TYPED_KINDS = {"confirmation_text": Kind.CONFIRMED, "reminder_text": Kind.REMINDER}


def _typed_preview(request, event):
    """The email as a participant would receive it with the paragraphs typed in the email
    setup form (POSTed, not saved): the email and language of the text htmx says was
    being typed (``HX-Trigger-Name``), else those chosen beside the form's preview button."""
    setup = EmailSetupForm(request.POST, event=event, options=_options(event))
    setup.is_valid()  # the texts are read even when, say, a reminder row is wrong
    options = copy.copy(_options(event)) or NotificationSettings(event=event)
    for names in setup.text_fields.values():
        for _code, name in names:
            setattr(options, name, setup.cleaned_data.get(name, ""))
    chosen = PreviewForm(request.POST, prefix="typed")
    kind = chosen.cleaned_data["kind"] if chosen.is_valid() else Kind.CONFIRMED
    language = chosen.cleaned_data["language"] if chosen.is_valid() else event.default_language
    field, _sep, code = request.headers.get("HX-Trigger-Name", "").rpartition("_")
    if field in TYPED_KINDS and code in setup.languages:
        kind, language = TYPED_KINDS[field], code
    email = preview_email(event, kind=kind, language=language, options=options)
    return email, PreviewForm(initial={"kind": kind, "language": language})


def _html_part(email) -> str:
    return next(
        (content for content, mimetype in email.alternatives if mimetype == "text/html"), ""
    )


@login_required
def email_preview(request, slug: str):
    """An email as a participant receives it: with the saved texts (GET), or with those
    being typed in the email setup form (POST, saved by nothing: the form's preview
    button, or htmx as the organiser types, answered with the preview alone)."""
    event, _access = organiser_event(request, slug)
    if request.method == "POST":
        email, form = _typed_preview(request, event)
        context = {
            "event": event,
            "form": form,
            "email": email,
            "html": _html_part(email),
            "typed": True,
            "section": "emails",
        }
        template = "_email_preview.html" if is_htmx(request) else "email_preview.html"
        return varies(no_store(render(request, f"workspace/setup/{template}", context)))
    form = PreviewForm(request.GET or None, initial={"language": event.default_language})
    email = None
    if form.is_valid():
        email = preview_email(
            event, kind=form.cleaned_data["kind"], language=form.cleaned_data["language"]
        )
    html = _html_part(email) if email is not None else ""
    context = {
        "event": event,
        "form": form,
        "email": email,
        "html": html,
        "section": "emails",
    }
    return no_store(render(request, "workspace/setup/email_preview.html", context))
