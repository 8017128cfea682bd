from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import EventFilterForm
from .models import Event


def _event_list(request, *, past: bool):
    countries = selectors.event_countries(user=request.user)
    form = EventFilterForm(request.GET or None, countries=countries)
    status = 200
    filters = {"kind": "", "country": ""}
    if form.is_bound:
        if form.is_valid():
            filters = form.cleaned_data
        else:
            status = 400
    events = selectors.event_list(user=request.user, past=past, **filters)
    context = {"events": events, "form": form, "past": past}
    return render(request, "events/event_list.html", context, status=status)


def event_list(request):
    return _event_list(request, past=False)


def past_event_list(request):
    return _event_list(request, past=True)


def event_detail(request, slug: str):
    try:
        event = selectors.event_get(user=request.user, slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None
    context = {
        "event": event,
        "days": selectors.programme_days(event=event),
        "is_draft": event.status == Event.Status.DRAFT,
    }
    return render(request, "events/event_detail.html", context)
