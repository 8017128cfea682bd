"""Forms of the resources pages: a resource (file or link, its title in each of the
event's languages), a speaker's upload, and an upload link."""

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.forms import DashForNoChoice, language_name
from events.models import Event, ProgrammeItem, Speaker

from . import files
from .models import Resource

#: Links open only web pages (no ``javascript:``, ``data:`` or ``ftp:``).
WEB_ONLY = URLValidator(schemes=["http", "https"])


class WebURLField(forms.URLField):
    """A link to a web page: ``WEB_ONLY`` in place of the default URL check (both would
    say "Enter a valid URL." twice)."""

    default_validators = [WEB_ONLY]


def event_languages(event: Event) -> list[str]:
    languages = list(event.languages or [])
    if event.default_language not in languages:
        languages.insert(0, event.default_language)
    return languages


class _Titled(forms.Form):
    """A title per language of the event (the default language's is required)."""

    def add_titles(self, event: Event, resource: Resource | None = None) -> None:
        self.languages = event_languages(event)
        label = capfirst(Resource._meta.get_field("title").verbose_name)
        for code in self.languages:
            name = f"title_{code}"
            self.fields[name] = forms.CharField(
                label=f"{label} ({language_name(code)})",
                max_length=200,
                required=code == event.default_language,
            )
            if resource is not None:
                self.initial[name] = getattr(resource, name, "")

    def titles(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"title_{code}", "") for code in self.languages}


class _FileOrLink(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "PDF, image (JPEG, PNG, WebP), office document (pptx, docx, xlsx, odp, odt, ods) "
            "or plain text."
        ),
    )
    url = WebURLField(
        label=_("Or a link"),
        required=False,
        assume_scheme="https",
        max_length=500,
    )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            files.inspect(uploaded)  # too large, or of a refused type: the field says why
        return uploaded

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or "file" in self.errors
        has_url = bool(cleaned.get("url")) or "url" in self.errors
        if not has_file and not has_url:
            raise forms.ValidationError(_("Give either a file or a link."))
        if cleaned.get("file") and cleaned.get("url"):
            raise forms.ValidationError(_("Give either a file or a link, not both."))
        return cleaned


def _offer_programme_items(field: forms.ModelChoiceField, event: Event) -> None:
    field.queryset = event.programme_items.order_by("starts_at", "pk")
    field.label_from_instance = lambda item: item.i18n.title


class _Placed(_Titled):
    """A resource's place in the programme (an item, or the whole event), its kind and its
    titles."""

    item = forms.ModelChoiceField(
        label=_("Programme item"),
        queryset=ProgrammeItem.objects.none(),
        required=False,
        empty_label=_("The whole event"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)


class ResourceForm(_FileOrLink, _Placed):
    """A new resource, on the event's setup pages."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_programme_items(self.fields["item"], event)
        self.add_titles(event)
        self.order_fields(["item", "kind", *self.fields])


class ResourceEditForm(_Placed):
    """A resource's place in the programme, kind and titles (its file or link stays)."""

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        event = resource.event
        _offer_programme_items(self.fields["item"], event)
        self.initial.setdefault("item", resource.item_id)
        self.initial.setdefault("kind", resource.kind)
        if resource.is_link:
            del self.fields["kind"]
        self.add_titles(event, resource)


class SpeakerUploadForm(_FileOrLink, _Titled):
    """What a speaker sends through their upload link."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[choice for choice in Resource.Kind.choices if choice[0] != Resource.Kind.LINK],
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_titles(event)
        self.order_fields(["kind", *self.fields])


class UploadLinkForm(DashForNoChoice, forms.Form):
    speaker = forms.ModelChoiceField(
        label=_("Speaker"),
        queryset=Speaker.objects.none(),
        required=False,
        help_text=_("Optional: the speaker in the programme this link is for."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(label=_("Language of the email"), choices=settings.LANGUAGES)
    item = forms.ModelChoiceField(
        label=_("Programme item"),
        queryset=ProgrammeItem.objects.none(),
        required=False,
        empty_label=_("The whole event"),
        help_text=_("What the speaker’s resources are attached to."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_programme_items(self.fields["item"], event)
        self.fields["speaker"].queryset = (
            Speaker.objects.filter(programme_items__event=event)
            .select_related("organisation")
            .distinct()
        )
        self.initial.setdefault("language", event.default_language)
