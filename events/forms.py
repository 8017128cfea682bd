import zoneinfo

from django import forms
from django.conf import settings
from django.db.models import BLANK_CHOICE_DASH
from django.utils.text import capfirst
from django.utils.timezone import make_aware, make_naive
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from registrations.validators import validate_one_line_text

from .collation import country_choices
from .formats import date_format
from .i18n import language_name_in_text
from .models import TIMEZONE_CHOICES, Event, ProgrammeItem, Room, Speaker, Venue
from .names import name_fields


def one_line(form: forms.BaseForm, *prefixes: str) -> None:
    """Refuse line breaks, tabs and invisible control characters, beside the field, in
    the form's one-line texts (names and titles: ``prefixes`` of their field names), which
    reach email subjects, calendar invites and exports."""
    for name, field in form.fields.items():
        if name.startswith(prefixes) and isinstance(field, forms.CharField):
            field.validators.append(validate_one_line_text)


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Event.Kind.choices]
        self.fields["country"].choices = [("", _("All countries")), *countries]


# --- organisers' setup pages ----------------------------------------------------------------

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"

#: A select's empty choice, on the setup pages as on the public forms.
NO_CHOICE = "—"
_DJANGO_NO_CHOICE = BLANK_CHOICE_DASH[0][1]  # "---------"


class DashForNoChoice:
    """A form mixin (listed first): the empty choice of its selects reads "—", as on the
    public forms, instead of Django's "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == _DJANGO_NO_CHOICE:
                    field.empty_label = NO_CHOICE
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.MultipleChoiceField
            ):
                choices = list(field.choices)
                if choices and choices[0] == ("", _DJANGO_NO_CHOICE):
                    field.choices = [("", NO_CHOICE), *choices[1:]]


class LocalDateTimeInput(forms.DateTimeInput):
    """A ``datetime-local`` input showing the moment in the event's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_INPUT_FORMAT)


def language_name(code: str) -> str:
    return language_name_in_text(code)


def _in_zone(value, tz):
    """A moment typed as a local time of the event's zone (the form read it in the
    server's zone)."""
    if value is None:
        return None
    return make_aware(make_naive(value), tz)


class LocalTimesMixin:
    """Form fields of moments are typed and shown in the event's own time zone."""

    LOCAL_FIELDS: tuple[str, ...] = ()
    _moments: dict = {}  # replaced per form by _show_local

    def changed_fields(self) -> list[str]:
        """``changed_data``, with the moments compared as moments (the form's initial
        values are the event's local wall-clock times, which never equal a typed moment)."""
        changed = [name for name in self.changed_data if name not in self.LOCAL_FIELDS]
        for name in self.LOCAL_FIELDS:
            if name in self.cleaned_data and self.cleaned_data[name] != self._moments.get(name):
                changed.append(name)
        return changed

    def _show_local(self, tz) -> None:
        self._moments = {name: getattr(self.instance, name, None) for name in self.LOCAL_FIELDS}
        for name in self.LOCAL_FIELDS:
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[name] = make_naive(value, tz)

    def _read_local(self, cleaned: dict, tz) -> None:
        for name in self.LOCAL_FIELDS:
            if cleaned.get(name) is not None:
                cleaned[name] = _in_zone(cleaned[name], tz)


RESERVED_SLUGS = {"new", "organisations"}  # workspace/organisations/ is the network's


class EventSettingsForm(DashForNoChoice, LocalTimesMixin, forms.ModelForm):
    """What an event is, when and where; its team and co-organisers (setup pages)."""

    LOCAL_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "host",
            "co_organisers",
            "venue",
            "online_url",
            "contact_email",
            "timezone",
            "starts_at",
            "ends_at",
            "registration_opens_at",
            "registration_closes_at",
            "default_language",
            "languages",
            "programme_provisional",
            "organisers",
            "coordinators_see_sensitive_data",
            "coordinators_cancel_after_deadline",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput,
            "ends_at": LocalDateTimeInput,
            "registration_opens_at": LocalDateTimeInput,
            "registration_closes_at": LocalDateTimeInput,
            "co_organisers": forms.CheckboxSelectMultiple,
            "organisers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["venue"].queryset = selectors.venues_for_setup(user)
        if self.instance.pk:
            self.fields["organisers"].queryset = selectors.team_accounts_offered(
                user=user, event=self.instance
            )
            self.fields["organisers"].help_text = _(
                "Members of the teams you are in. A superuser adds people of another "
                "organisation; after that, every organiser of the event sees them here."
            )
            self._show_local(self.instance.tz)
        else:
            del self.fields["organisers"]

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("timezone") or self.instance.timezone
        self._read_local(cleaned, zoneinfo.ZoneInfo(zone))
        closes, ends = cleaned.get("registration_closes_at"), cleaned.get("ends_at")
        if closes and ends and closes > ends:
            # Else people register after the event (and are asked for feedback on it).
            self.add_error(
                "registration_closes_at",
                _("Registration must close by the end of the event at the latest."),
            )
        return cleaned


class EventCreateForm(EventSettingsForm):
    """A new event from scratch: its address on the site and its title come first."""

    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_one_line_text])

    class Meta(EventSettingsForm.Meta):
        fields = ["slug", *EventSettingsForm.Meta.fields]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is taken. Choose another one."))
        return slug

    def save(self, commit=True):
        event = super().save(commit=False)
        setattr(event, f"title_{event.default_language}", self.cleaned_data["title"])
        return event


class EventChoiceField(forms.ModelChoiceField):
    """Events told apart by their first day, address and state ("Training in Timișoara ·
    16 March 2026 · timisoara-2026 · Draft"): copies share their title."""

    def label_from_instance(self, event: Event) -> str:
        parts = [event.i18n.title, date_format(event.local_starts_at, "DATE_FORMAT"), event.slug]
        if event.status != Event.Status.PUBLISHED:
            parts.append(str(event.get_status_display()))
        return " · ".join(parts)


class EventCopyForm(DashForNoChoice, forms.Form):
    """A new event as a copy of an earlier one, moved to a new first day."""

    source = EventChoiceField(label=_("Copy of"), queryset=Event.objects.none())
    slug = forms.SlugField(label=_("Address of the new event"), max_length=80)
    first_day = forms.DateField(
        label=_("First day of the new event"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The programme moves by the same number of days, at the same local times."),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone of the new event"),
        choices=[("", _("The same as the copied event")), *TIMEZONE_CHOICES],
        required=False,
        help_text=_("The programme keeps its local times in the new time zone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["source"].queryset = selectors.events_organised_by(user).order_by("-starts_at")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("This address is taken. Choose another one."))
        return slug


def translated_fields(names: tuple[str, ...], languages: list[str]) -> list[str]:
    return [build_localized_fieldname(name, code) for name in names for code in languages]


class EventTextsForm(forms.ModelForm):
    """The event's texts in each of its languages, side by side."""

    NAMES = ("title", "summary", "description", "privacy_notice")

    class Meta:
        model = Event
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        self.languages = event.languages or [event.default_language]
        for name in self.NAMES:
            text_label = capfirst(Event._meta.get_field(name).verbose_name)
            for code in self.languages:
                field_name = build_localized_fieldname(name, code)
                field = Event._meta.get_field(field_name).formfield()
                field.required = name == "title" and code == event.default_language
                field.label = f"{text_label} ({language_name(code)})"
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 4 if name == "summary" else 8
                self.fields[field_name] = field
                self.initial[field_name] = getattr(event, field_name)
        one_line(self, "title_")

    def rows(self) -> list[dict]:
        """One row per text, one cell per language, for the side-by-side table."""
        return [
            {
                "name": name,
                "label": Event._meta.get_field(name).verbose_name,
                "cells": [self[build_localized_fieldname(name, code)] for code in self.languages],
            }
            for name in self.NAMES
        ]

    def save(self, commit=True):
        for name, value in self.cleaned_data.items():
            setattr(self.instance, name, value)
        return self.instance


class ProgrammeItemForm(DashForNoChoice, LocalTimesMixin, forms.ModelForm):
    """One item of the programme: kind, titles in the event's languages, time, room,
    speakers, places."""

    LOCAL_FIELDS = ("starts_at", "ends_at")

    class Meta:
        model = ProgrammeItem
        fields = [
            "kind",
            "starts_at",
            "ends_at",
            "room",
            "speakers",
            "language",
            "capacity",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput,
            "ends_at": LocalDateTimeInput,
            "speakers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, event: Event, user, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.instance.event = event
        self.event = event
        languages = event.languages or [event.default_language]
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "location": capfirst(ProgrammeItem._meta.get_field("location").verbose_name),
        }
        for code in languages:
            for name in ("title", "description", "location"):
                field_name = build_localized_fieldname(name, code)
                field = ProgrammeItem._meta.get_field(field_name).formfield()
                field.required = name == "title" and code == event.default_language
                field.label = f"{labels[name]} ({language_name(code)})"
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 3
                self.fields[field_name] = field
                self.initial[field_name] = getattr(self.instance, field_name, "")
        self.order_fields(
            [
                "kind",
                *translated_fields(("title",), languages),
                "starts_at",
                "ends_at",
                "room",
                *translated_fields(("location",), languages),
            ]
        )
        for name in translated_fields(("location",), languages):
            self.fields[name].help_text = ProgrammeItem._meta.get_field("location").help_text
        self.fields["room"].queryset = (
            event.venue.rooms.all() if event.venue_id else self.fields["room"].queryset.none()
        )
        # Each labelled with its name (in Hungarian, its organisation's country decides
        # the order).
        self.fields["speakers"].queryset = selectors.speakers_for_setup(user).select_related(
            "organisation"
        )
        self._show_local(event.tz)
        one_line(self, "title_", "location_")

    def clean(self):
        cleaned = super().clean()
        self._read_local(cleaned, self.event.tz)
        return cleaned

    def _post_clean(self):
        for name in self.fields:
            if (
                name.startswith(("title_", "description_", "location_"))
                and name in self.cleaned_data
            ):
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


INTERFACE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class NamedInEachLanguage:
    """A form whose ``TRANSLATED`` text (a city, a room's name) is typed in each interface
    language side by side (a venue and its rooms serve events of any languages), at least
    one of them."""

    TRANSLATED = ""
    MISSING = _("Write it in at least one language.")

    @property
    def group_label(self) -> str:
        return capfirst(self._meta.model._meta.get_field(self.TRANSLATED).verbose_name)

    def _name_in_each_language(self) -> None:
        label = self.group_label
        for code in INTERFACE_LANGUAGES:
            field = self.fields[build_localized_fieldname(self.TRANSLATED, code)]
            field.required = False
            field.label = f"{label} ({language_name(code)})"

    @property
    def language_names(self) -> list[str]:
        return translated_fields((self.TRANSLATED,), INTERFACE_LANGUAGES)

    def language_cells(self) -> list:
        return [self[name] for name in self.language_names]

    def _check_one_language(self, cleaned: dict) -> None:
        if not any(cleaned.get(name) for name in self.language_names):
            self.add_error(self.language_names[0], self.MISSING)


class VenueForm(DashForNoChoice, NamedInEachLanguage, forms.ModelForm):
    """A venue, its city named in each language ("Lisboa", "Lisbon", "Lisszabon")."""

    TRANSLATED = "city"

    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "postcode",
            *translated_fields(("city",), INTERFACE_LANGUAGES),
            "country",
            "latitude",
            "longitude",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_in_each_language()
        self.fields["country"].choices = country_choices
        one_line(self, "name", "address", "postcode", "city_")

    def clean(self):
        cleaned = super().clean()
        self._check_one_language(cleaned)
        return cleaned


class RoomForm(NamedInEachLanguage, forms.ModelForm):
    """A room of a venue, named in each language ("Sala grande", "Main hall", "Nagyterem")."""

    TRANSLATED = "name"

    class Meta:
        model = Room
        fields = [*translated_fields(("name",), INTERFACE_LANGUAGES), "capacity", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_in_each_language()
        one_line(self, "name", "address", "postcode", "city_")

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not cleaned.get("DELETE"):
            self._check_one_language(cleaned)
        return cleaned


RoomFormSet = forms.inlineformset_factory(Venue, Room, form=RoomForm, extra=2, can_delete=True)


class SpeakerForm(DashForNoChoice, forms.ModelForm):
    """A speaker, with a short biography in each interface language."""

    class Meta:
        model = Speaker
        fields = [
            "first_name",
            "last_name",
            "organisation",
            *translated_fields(("bio",), [code for code, _name in settings.LANGUAGES]),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Vezetéknév" before "Keresztnév" on a Hungarian form, as a registration's.
        self.order_fields(name_fields())
        one_line(self, "first_name", "last_name")
        for code, _name in settings.LANGUAGES:
            field = self.fields[build_localized_fieldname("bio", code)]
            label = _("Short biography")
            field.label = f"{label} ({language_name(code)})"
            field.widget.attrs["rows"] = 3
