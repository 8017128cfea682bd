"""The form of an organisation's directory entry, its texts in each language side by side."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from PIL import Image

from events.forms import language_name
from events.models import Organisation

#: The image formats a logo may have (Pillow's names), and the extension each is saved with.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


class LogoInput(forms.ClearableFileInput):
    """The current logo links to the directory's own logo view (the storage's /media/ is
    served by nothing), and only while the organisation is listed (the view answers 404
    otherwise): then its name alone."""

    template_name = "network/widgets/logo_input.html"
    logo_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["logo_url"] = self.logo_url
        return context


class DirectoryEntryForm(forms.ModelForm):
    """Consent, website, logo, coordinates, and the field of work, the short description
    and the city in every language of the site."""

    TEXTS = ("field_of_work", "description")

    class Meta:
        model = Organisation
        fields = ["listed", "website", "logo", "latitude", "longitude"]
        widgets = {"logo": LogoInput(attrs={"accept": "image/*"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = [code for code, _name in settings.LANGUAGES]
        for name in self.TEXTS:
            text_label = capfirst(Organisation._meta.get_field(name).verbose_name)
            for code in self.languages:
                field_name = build_localized_fieldname(name, code)
                field = Organisation._meta.get_field(field_name).formfield()
                field.required = False
                field.label = f"{text_label} ({language_name(code)})"
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 5
                self.fields[field_name] = field
                self.initial[field_name] = getattr(self.instance, field_name)
        # The city, named in each language ("Lisboa", "Lisbon", "Lisszabon"): the map finds
        # it by any of them.
        city_label = capfirst(Organisation._meta.get_field("city").verbose_name)
        for code in self.languages:
            field_name = build_localized_fieldname("city", code)
            field = Organisation._meta.get_field(field_name).formfield()
            field.required = False
            field.label = f"{city_label} ({language_name(code)})"
            self.fields[field_name] = field
            self.initial[field_name] = getattr(self.instance, field_name)
        if self.instance.pk and self.instance.listed and self.instance.logo:
            self.fields["logo"].widget.logo_url = reverse(
                "network:logo", kwargs={"slug": self.instance.slug}
            )
        self.fields["latitude"].validators += [MinValueValidator(-90), MaxValueValidator(90)]
        self.fields["longitude"].validators += [MinValueValidator(-180), MaxValueValidator(180)]
        self.fields["latitude"].help_text = _(
            "Leave the coordinates empty to place the organisation at its city."
        )
        self.fields["logo"].help_text = _(
            "PNG, JPEG, GIF or WebP, at most %(size)s and %(pixels)s pixels wide or high."
        ) % {
            "size": filesizeformat(settings.NETWORK_LOGO_MAX_BYTES),
            "pixels": settings.NETWORK_LOGO_MAX_PIXELS,
        }

    def city_cells(self) -> list:
        return [self[build_localized_fieldname("city", code)] for code in self.languages]

    def rows(self) -> list[dict]:
        """One row per text, one cell per language, for the side-by-side table."""
        return [
            {
                "label": Organisation._meta.get_field(name).verbose_name,
                "cells": [self[build_localized_fieldname(name, code)] for code in self.languages],
            }
            for name in self.TEXTS
        ]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.initial.get("logo"):
            return logo  # kept or cleared
        if logo.size > settings.NETWORK_LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is too large: at most %(size)s."),
                params={"size": filesizeformat(settings.NETWORK_LOGO_MAX_BYTES)},
                code="too_large",
            )
        # Django's image field has opened the file with Pillow: it is an image.
        image = getattr(logo, "image", None)
        kind = getattr(image, "format", None)
        if kind not in LOGO_FORMATS:
            raise forms.ValidationError(
                _("Upload the logo as a PNG, JPEG, GIF or WebP image."), code="format"
            )
        logo.seek(0)
        with Image.open(logo) as opened:
            width, height = opened.size
        if max(width, height) > settings.NETWORK_LOGO_MAX_PIXELS:
            raise forms.ValidationError(
                _("The logo is too large: at most %(pixels)s pixels wide or high."),
                params={"pixels": settings.NETWORK_LOGO_MAX_PIXELS},
                code="too_many_pixels",
            )
        logo.seek(0)
        # Saved under the organisation's name with the extension of its real format, so
        # that it is served with the matching type whatever the name it was sent with.
        logo.name = f"{self.instance.slug}.{LOGO_FORMATS[kind]}"
        logo.content_type = Image.MIME[kind]
        return logo

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors.keys() & {
            "latitude",
            "longitude",
        }:
            raise forms.ValidationError(
                _("Give both the latitude and the longitude, or neither."), code="coordinates"
            )
        # Coordinates in the form always win, the city changed or not; the city places
        # the organisation only when they are left empty (services.directory_entry_save).
        return cleaned

    def save(self, commit=True):
        organisation = super().save(commit=False)
        for name in (*self.TEXTS, "city"):
            for code in self.languages:
                field_name = build_localized_fieldname(name, code)
                setattr(organisation, field_name, self.cleaned_data.get(field_name, ""))
        if commit:
            organisation.save()
        return organisation
