"""Forms of the email setup page (notifications/setup_views.py): the reminder schedule,
the morning digest, the reply-to address, and the organisers' own paragraphs."""

from datetime import time

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.i18n import language_name_in_text
from events.models import Event

from .models import Kind, NotificationSettings, ReminderSchedule

LANGUAGE_NAMES = dict(settings.LANGUAGES)
#: Empty rows offered for new reminders.
NEW_REMINDER_ROWS = 2
#: The emails a preview can show, and their names.
PREVIEW_KINDS = [
    (Kind.CONFIRMED.value, _("Confirmation")),
    (Kind.REMINDER.value, _("Reminder")),
]


def event_languages(event: Event) -> list[str]:
    """The event's languages, its default language first."""
    return [event.default_language] + [
        code for code in (event.languages or []) if code != event.default_language
    ]


def time_widget() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EmailSetupForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=_("Send a morning digest of the day’s programme"),
        required=False,
        help_text=_("For events of several days: each morning, the day’s programme."),
    )
    digest_time = forms.TimeField(label=_("Digest time"), initial=time(7, 30), widget=time_widget())
    reply_to = forms.EmailField(
        label=_("Reply-to address"),
        required=False,
        max_length=254,
        help_text=_("Where participants’ replies go. Empty: the site’s address."),
    )

    def __init__(self, *args, event: Event, options: NotificationSettings | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.languages = event_languages(event)
        schedule = list(ReminderSchedule.objects.filter(event=event).order_by("-days_before"))
        self.reminder_rows = []
        for index in range(len(schedule) + NEW_REMINDER_ROWS):
            days, at = f"reminder_{index}_days", f"reminder_{index}_time"
            self.fields[days] = forms.IntegerField(
                label=_("Days before the start"), min_value=0, max_value=365, required=False
            )
            self.fields[at] = forms.TimeField(
                label=_("At (local time)"), required=False, widget=time_widget()
            )
            if index < len(schedule):
                self.initial.setdefault(days, schedule[index].days_before)
                self.initial.setdefault(at, schedule[index].local_time)
            self.reminder_rows.append((days, at))
        self.text_fields = {}
        for field, label in (
            ("confirmation_text", _("Your paragraph in the confirmation (%(language)s)")),
            ("reminder_text", _("Your paragraph in the reminders (%(language)s)")),
        ):
            for code in self.languages:
                name = f"{field}_{code}"
                self.fields[name] = forms.CharField(
                    # Inside a label: "(engleză)", "(anglais)" (locale/GLOSSARY.md).
                    label=label % {"language": language_name_in_text(code)},
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
                if options is not None:
                    self.initial.setdefault(name, getattr(options, name) or "")
                self.text_fields.setdefault(field, []).append((code, name))
        if options is not None:
            self.initial.setdefault("daily_digest", options.daily_digest)
            self.initial.setdefault("digest_time", options.digest_time)
            self.initial.setdefault("reply_to", options.reply_to)

    def live_preview(self, url: str) -> None:
        """Each paragraph asks for the preview of its email while it is typed (htmx: the
        whole form posted to ``url`` half a second after the last key, nothing saved)."""
        for names in self.text_fields.values():
            for _code, name in names:
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": url,
                        "hx-trigger": "keyup changed delay:500ms",
                        "hx-include": "closest form",
                        "hx-target": "#live-preview",
                        "hx-swap": "innerHTML",
                    }
                )

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for days, at in self.reminder_rows:
            if cleaned.get(days) is None and cleaned.get(at) is not None:
                self.add_error(days, _("How many days before the start?"))
            if cleaned.get(days) is not None:
                if cleaned[days] in seen:
                    self.add_error(days, _("There is already a reminder on this day."))
                seen.add(cleaned[days])
        return cleaned

    def offsets(self) -> list[tuple[int, time]]:
        data = self.cleaned_data
        return [
            (data[days], data.get(at) or time(9, 0))
            for days, at in self.reminder_rows
            if data.get(days) is not None
        ]

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            field: {code: self.cleaned_data.get(name, "") for code, name in names}
            for field, names in self.text_fields.items()
        }

    # Sections of the page (workspace/setup/emails.html).

    def reminder_sections(self) -> list:
        return [(self[days], self[at]) for days, at in self.reminder_rows]

    def text_sections(self) -> list:
        return [
            (LANGUAGE_NAMES[code], [self[name] for _c, name in names_for_code])
            for code, names_for_code in self._by_language()
        ]

    def _by_language(self):
        for code in self.languages:
            yield code, [(code, f"{field}_{code}") for field in self.text_fields]


class PreviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Email"), choices=PREVIEW_KINDS)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
