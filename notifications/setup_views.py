"""The event's emails, set up by its organisers in the workspace: the reminder schedule,
the morning digest, the reply-to address, their own paragraph in the confirmation and the
reminders in each language, and a preview of an email as a participant receives it."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from config.privacy import no_store
from registrations.models import Registration
from registrations.setup_views import organiser_event

from . import services
from .models import NotificationSettings, OutgoingMessage
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
    context = {"event": event, "form": form, "preview_form": preview, "section": "emails"}
    return no_store(render(request, "workspace/setup/emails.html", context))


def preview_email(event, *, kind: str, language: str):
    """The email of ``kind`` as a participant reading ``language`` receives it, built by
    the outbox's own renderer from an unsaved outbox row: for the event's first
    registration (its private link replaced by a placeholder, so that the preview opens
    nobody's registration), or for nobody in particular when there is none yet."""
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


@login_required
def email_preview(request, slug: str):
    event, _access = organiser_event(request, slug)
    form = PreviewForm(request.GET or None, initial={"language": event.default_language})
    email = None
    if form.is_valid():
        email = preview_email(
            event, kind=form.cleaned_data["kind"], language=form.cleaned_data["language"]
        )
    html = ""
    if email is not None:
        html = next(
            (content for content, mimetype in email.alternatives if mimetype == "text/html"), ""
        )
    context = {
        "event": event,
        "form": form,
        "email": email,
        "html": html,
        "section": "emails",
    }
    return no_store(render(request, "workspace/setup/email_preview.html", context))
