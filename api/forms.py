import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Organisation

from .models import SCOPES

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or site that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may read"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Leave empty for a token that does not expire."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day


class SlugChoiceField(forms.ModelChoiceField):
    """A choice by slug; anything that is no slug (a NUL byte, say) is simply no choice."""

    def to_python(self, value):
        if value not in self.empty_values and not SLUG.fullmatch(str(value)):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class EmbedForm(forms.Form):
    """What a partner wants to show: the snippet is built from these choices."""

    WHAT = (
        ("network", _("The network’s upcoming events")),
        ("organisation", _("One organisation’s upcoming events")),
        ("event", _("One event’s programme")),
    )
    what = forms.ChoiceField(label=_("Show"), choices=WHAT, initial="network")
    organisation = SlugChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="slug",
    )
    event = SlugChoiceField(
        label=_("Event"), queryset=Event.objects.none(), required=False, to_field_name="slug"
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")

    def __init__(self, *args, events, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        for needed in ("organisation", "event"):
            # an invalid choice already says so: one error, not two
            if data.get("what") == needed and not data.get(needed) and needed not in self.errors:
                self.add_error(needed, _("Choose one."))
        return data
