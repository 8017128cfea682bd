"""The network's public directory, each listed organisation's page, its logo and the map
data; and, in the workspace, the entries a coordinator (or a superuser) edits.

Everything public starts from ``selectors.listed_organisations()``: an organisation that
did not agree to be listed answers 404 everywhere, its logo included.
"""

import mimetypes
from functools import wraps
from urllib.parse import urlsplit

from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from config.privacy import no_store
from events.models import Organisation

from . import selectors, services
from .forms import LOGO_FORMATS, DirectoryEntryForm


class DirectoryFilterForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    field = forms.ChoiceField(label=gettext_lazy("Field of work"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = [("", _("All countries"))]
        self.fields["country"].choices = everywhere + selectors.directory_countries()
        every_field = [("", _("All fields of work"))]
        fields_of_work = selectors.directory_fields_of_work()
        self.fields["field"].choices = every_field + [(value, value) for value in fields_of_work]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "country": self.cleaned_data["country"],
            "field_of_work": self.cleaned_data["field"],
        }


#: OpenStreetMap's attribution, the settings' default: shown in the page's language (the
#: words as OpenStreetMap's own site translates them); an operator's own text stays as set.
OSM_ATTRIBUTION = gettext_noop("© OpenStreetMap contributors")


def attribution_text() -> str:
    text = settings.NETWORK_MAP_ATTRIBUTION_TEXT
    return _(OSM_ATTRIBUTION) if text == OSM_ATTRIBUTION else text


def _tile_origin() -> str:
    """The origin of the map's tiles, the only other site the directory's page loads from."""
    parts = urlsplit(settings.NETWORK_MAP_TILE_URL)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"


def _with_tiles(view):
    """The page may load images from the tile server (and nothing else from anywhere)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        origin = _tile_origin()
        answer = csp_update({"img-src": [origin]})(view) if origin else view
        return answer(request, *args, **kwargs)

    return wrapped


@_with_tiles
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    entries = selectors.directory_entries(**form.filters())
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    context = {
        "form": form,
        "entries": entries,
        "located": [entry for entry in entries if entry.located],
        "map_data_url": reverse("network:map_data") + query,
        "tile_url": settings.NETWORK_MAP_TILE_URL,
        "tile_referrer_policy": settings.NETWORK_MAP_TILE_REFERRER_POLICY,
        "attribution_text": attribution_text(),
        "attribution_url": settings.NETWORK_MAP_ATTRIBUTION_URL,
    }
    return render(request, "network/directory.html", context, status=400 if form.errors else 200)


def map_data(request):
    """The located listed organisations (the directory's filters apply) as GeoJSON."""
    form = DirectoryFilterForm(request.GET or None)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(entry.longitude), float(entry.latitude)],
            },
            "properties": {
                "name": entry.organisation.name,
                "city": entry.organisation.city,
                "country": str(entry.organisation.country.name),
                "field_of_work": entry.field_of_work,
                "url": reverse("network:organisation", kwargs={"slug": entry.organisation.slug}),
            },
        }
        for entry in selectors.directory_entries(**form.filters())
        if entry.located
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def organisation(request, slug: str):
    try:
        entry = selectors.directory_entry(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404(_("No such organisation in the network directory.")) from None
    context = {
        "entry": entry,
        "organisation": entry.organisation,
        "record": selectors.organisation_events(entry.organisation),
    }
    return render(request, "network/organisation.html", context)


def logo(request, slug: str):
    """A listed organisation's logo, an image of one of the accepted formats only."""
    organisation = get_object_or_404(selectors.listed_organisations().exclude(logo=""), slug=slug)
    extension = organisation.logo.name.rsplit(".", 1)[-1].lower()
    if extension not in LOGO_FORMATS.values() or not organisation.logo.storage.exists(
        organisation.logo.name
    ):
        raise Http404(_("No such logo."))
    content_type = mimetypes.types_map.get(f".{extension}", "application/octet-stream")
    if extension == "webp":
        content_type = "image/webp"
    response = FileResponse(organisation.logo.open("rb"), content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, public=True, max_age=3600)
    return response


# --- the workspace: the entries a coordinator or superuser edits -------------------------


@login_required
def entries(request):
    organisations = selectors.entries_editable_by(request.user).order_by("name")
    if not organisations.exists():
        raise PermissionDenied
    return no_store(render(request, "network/entries.html", {"organisations": organisations}))


@login_required
def entry_edit(request, slug: str):
    instance = get_object_or_404(selectors.entries_editable_by(request.user), slug=slug)
    form = DirectoryEntryForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["latitude"] is not None
        saved = services.directory_entry_save(
            organisation=form.save(commit=False), actor=request.user
        )
        messages.success(request, _("The directory entry is saved."))
        if not typed and saved.city and (saved.latitude is None or saved.longitude is None):
            messages.warning(
                request,
                _("The city is not in the list of places: enter its coordinates for the map."),
            )
        return redirect("network:entry", slug=saved.slug)
    context = {"organisation": instance, "form": form}
    status = 400 if request.method == "POST" else 200
    return no_store(render(request, "network/entry_edit.html", context, status=status))
