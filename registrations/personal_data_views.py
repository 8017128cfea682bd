"""A person's own data: their copy as JSON and its erasure, from the private link or from
their account; account deletion; the privacy page. The rules are in ``personal_data``."""

import json

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from config.privacy import no_store
from events.downloads import disposition, file_name

from . import personal_data
from .private_page import registration_or_404


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )


def _json_download(data: dict, label: str) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = disposition(file_name(label, extension="json"))
    return no_store(response)


def my_data(request, secret: str):
    """From the private link: download everything held about this address, or erase it."""
    registration = registration_or_404(secret)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        personal_data.person_erase(subject=personal_data.subject_of_registration(registration))
        return redirect("registrations:data_erased")
    context = {"registration": registration, "event": registration.event, "form": form}
    return no_store(render(request, "registrations/my_data.html", context))


@require_GET
def my_data_download(request, secret: str):
    registration = registration_or_404(secret)
    data = personal_data.person_export(subject=personal_data.subject_of_registration(registration))
    return _json_download(data, pgettext("file name", "my-rencontres-data"))


def data_erased(request):
    return render(request, "registrations/data_erased.html")


@login_required
@require_GET
def account_data_download(request):
    data = personal_data.person_export(subject=personal_data.subject_of_user(request.user))
    return _json_download(data, pgettext("file name", "my-rencontres-data"))


@login_required
@reauthentication_required(allow_get=True)
def account_delete(request):
    """Delete one's account and erase one's data: a confirmation, and a recent login
    (allauth asks for the password or a code again when the last one is too old)."""
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        personal_data.account_delete(user=user)
        return redirect("registrations:data_erased")
    return no_store(render(request, "registrations/account_delete.html", {"form": form}))


def privacy(request):
    context = {
        "periods": personal_data.retention_periods(),
        "files_days": personal_data.files_retention_days(),
    }
    return render(request, "registrations/privacy.html", context)
