"""The workspace's pages for partner sites and scripts: API tokens (created and revoked
by their owner) and how to embed the widget."""

from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.privacy import no_store

from . import selectors, services
from .forms import ApiTokenForm, EmbedForm
from .models import SCOPES


@login_required
def tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_on"]
        expires_at = timezone.make_aware(datetime.combine(day, time.max)) if day else None
        _token, new_key = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=expires_at,
        )
        form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": selectors.tokens_of(request.user),
        "new_key": new_key,
        "scopes": SCOPES,
        "now": timezone.now(),
        "docs_url": reverse("api:docs"),
        "schema_url": reverse("api:schema"),
    }
    # The key is in this answer only: never stored by a browser or a proxy.
    return no_store(render(request, "api/tokens.html", context))


@login_required
@require_POST
def token_revoke(request, pk: int):
    if not services.api_token_revoke(user=request.user, token_id=pk):
        raise Http404(_("No such token."))
    messages.success(request, _("The token is revoked: it no longer opens anything."))
    return redirect("api_tokens:list")


@login_required
def embed(request):
    # every public event's programme may be shown, past ones too: latest first
    events = selectors.public_events(when="all").order_by("-starts_at")
    form = EmbedForm(
        request.GET or None,
        events=events,
        organisations=selectors.organisations_with_public_events(),
    )
    widget_url = path = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        with translation.override(data["language"]):
            if data["what"] == "organisation":
                path = reverse("widget:organisation", kwargs={"slug": data["organisation"].slug})
            elif data["what"] == "event":
                path = reverse("widget:event", kwargs={"slug": data["event"].slug})
            else:
                path = reverse("widget:events")
        widget_url = request.build_absolute_uri(path)
    context = {
        "form": form,
        "widget_url": widget_url,
        "widget_path": path,  # the preview, from this site
        # Its own name, not the hashed one: a partner's page keeps it across our updates.
        "script_url": request.build_absolute_uri(f"{settings.STATIC_URL}api/embed.js"),
    }
    return no_store(render(request, "api/embed.html", context))
