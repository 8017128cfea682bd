"""In the organisers' workspace: write to participants, and see what every email did (the
event's organisers only: ``registrations.setup_views.organiser_event``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.privacy import no_store
from events.i18n import language_name_in_text
from events.models import Event
from registrations import selectors as registration_selectors
from registrations.setup_views import organiser_event
from registrations.validators import validate_one_line_text

from . import services
from .models import Broadcast, OutgoingMessage


class MessageForm(forms.Form):
    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        languages = [event.default_language] + [
            code for code in (event.languages or []) if code != event.default_language
        ]
        self.languages = languages
        for code in languages:
            required = code == event.default_language
            # Inside a label: "(engleză)", "(anglais)" (locale/GLOSSARY.md).
            name = {"language": language_name_in_text(code)}
            self.fields[f"subject_{code}"] = forms.CharField(
                label=gettext_lazy("Subject (%(language)s)") % name,
                max_length=200,
                required=required,
                validators=[validate_one_line_text],
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=gettext_lazy("Message (%(language)s)") % name,
                widget=forms.Textarea(attrs={"rows": 6}),
                max_length=20000,
                required=required,
            )

    def texts(self):
        data = self.cleaned_data
        return (
            {code: data.get(f"subject_{code}", "") for code in self.languages},
            {code: data.get(f"body_{code}", "") for code in self.languages},
        )


@login_required
def write(request, slug: str):
    event, _access = organiser_event(request, slug)
    ids = request.session.get(f"workspace:{event.pk}:recipients", [])
    recipients = registration_selectors.participants(
        access=registration_selectors.WorkspaceAccess("organiser", None), event=event
    ).filter(pk__in=ids)
    form = MessageForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid() and recipients.exists():
        subjects, bodies = form.texts()
        broadcast = services.broadcast_create(
            event=event,
            author=request.user,
            subjects=subjects,
            bodies=bodies,
            registration_ids=list(recipients.values_list("pk", flat=True)),
        )
        request.session.pop(f"workspace:{event.pk}:recipients", None)
        return redirect("notifications:broadcast", slug=event.slug, pk=broadcast.pk)
    context = {"event": event, "form": form, "recipients": recipients}
    return no_store(render(request, "workspace/write.html", context))


@login_required
def broadcast_progress(request, slug: str, pk: int):
    event, _access = organiser_event(request, slug)
    broadcast = get_object_or_404(Broadcast, pk=pk, event=event)
    counts = broadcast.messages.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(state="sent")),
        failed=Count("pk", filter=Q(state="failed")),
        waiting=Count("pk", filter=Q(state__in=["queued", "sending"])),
    )
    context = {
        "event": event,
        "broadcast": broadcast,
        "counts": counts,
        "failed": broadcast.messages.filter(state="failed"),
    }
    return no_store(render(request, "workspace/broadcast.html", context))


@login_required
def email_log(request, slug: str):
    event, _access = organiser_event(request, slug)
    state = request.GET.get("state", "")
    emails = OutgoingMessage.objects.filter(event=event).select_related("registration")
    if state in OutgoingMessage.State.values:
        emails = emails.filter(state=state)
    page = Paginator(emails.order_by("-due_at"), 50).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "page": page,
        "state": state,
        "states": OutgoingMessage.State.choices,
    }
    return no_store(render(request, "workspace/emails.html", context))


@login_required
@require_POST
def resend(request, slug: str, pk: int):
    event, _access = organiser_event(request, slug)
    message = get_object_or_404(OutgoingMessage, pk=pk, event=event)
    services.message_resend(message=message)
    messages.success(
        request, _("The email to %(recipient)s is queued again.") % {"recipient": message.recipient}
    )
    return redirect("notifications:emails", slug=event.slug)
