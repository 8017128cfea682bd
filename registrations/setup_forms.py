"""Forms of the registration setup pages (registrations/setup_views.py): the
registration window and capacity, partner quotas, and the registration form's questions
with their options, translations and conditions."""

from django import forms
from django.conf import settings
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from events import selectors as event_selectors
from events.models import Event, Organisation

from .models import Question, QuestionOption, Quota

LANGUAGE_NAMES = dict(settings.LANGUAGES)
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
CONDITION_KINDS = (*CHOICE_KINDS, Question.Kind.YES_NO)
#: Empty rows offered for new options on a question's page.
NEW_OPTION_ROWS = 3


def event_languages(event: Event) -> list[str]:
    """The event's languages, its default language first: the texts organisers write."""
    return [event.default_language] + [
        code for code in (event.languages or []) if code != event.default_language
    ]


def local_datetime_widget() -> forms.DateTimeInput:
    """A date and time picker: ISO values, read in the event's time zone (the view
    activates it)."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RegistrationSettingsForm(forms.Form):
    registration_opens_at = forms.DateTimeField(
        label=_("Registration opens at"),
        required=False,
        widget=local_datetime_widget(),
        help_text=_("Empty: open as soon as the event is published."),
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes at"),
        required=False,
        widget=local_datetime_widget(),
        help_text=_("Empty: open until the event starts."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        help_text=_(
            "Leave empty for no limit. When the event is full, people can still register "
            "and are put on the waiting list, which moves up automatically."
        ),
    )
    requires_approval = forms.BooleanField(
        label=_("Registrations need approval"),
        required=False,
        help_text=_("An organiser or the participant’s partner coordinator approves each one."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if closes and closes > self.event.ends_at:
            self.add_error(
                "registration_closes_at",
                _("Registration must close by the end of the event at the latest."),
            )
        capacity = cleaned.get("capacity")
        if capacity is not None and capacity < self.event.places_taken:
            self.add_error(
                "capacity",
                _("%(count)d places are taken already: the capacity cannot be lower.")
                % {"count": self.event.places_taken},
            )
        elif capacity is not None:
            reserved = event_selectors.public_places(event=self.event).reserved
            if reserved and capacity < self.event.places_taken + reserved:
                # Else the public page counts places nobody without a quota can take.
                self.add_error(
                    "capacity",
                    _(
                        "%(taken)d places are taken and %(reserved)d more are reserved for "
                        "partner organisations: the capacity cannot be lower than %(total)d. "
                        "Lower the partners’ reserved places first."
                    )
                    % {
                        "taken": self.event.places_taken,
                        "reserved": reserved,
                        "total": self.event.places_taken + reserved,
                    },
                )
        return cleaned


class QuotaForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none(), empty_label="—"
    )
    places = forms.IntegerField(label=_("Reserved places"), min_value=1)
    release_at = forms.DateTimeField(
        label=_("Unused places released at"),
        required=False,
        widget=local_datetime_widget(),
        help_text=_(
            "After this moment, reserved places nobody took go to the waiting list, "
            "then to everyone. Empty: reserved until registration closes."
        ),
    )

    def __init__(self, *args, event: Event, quota: Quota | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event, self.quota = event, quota
        taken = Quota.objects.filter(event=event)
        if quota is not None:
            taken = taken.exclude(pk=quota.pk)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            pk__in=taken.values("organisation")
        ).order_by("name")

    def clean_places(self):
        places = self.cleaned_data["places"]
        if self.event.capacity is not None and places > self.event.capacity:
            raise forms.ValidationError(
                _("The event has %(capacity)d places in all.") % {"capacity": self.event.capacity}
            )
        return places


class QuestionTextsForm(forms.Form):
    """Base of a question's setup form (registration form or feedback survey): the
    question's label, required in the event's main language, and its help text, in each
    of the form's ``languages``."""

    TEXTS = ("label", "help_text")

    def add_text_fields(self, *, event: Event, question, languages: list[str]) -> None:
        self.languages = languages
        for code in languages:
            name = LANGUAGE_NAMES[code]
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name},
                max_length=300,
                required=code == event.default_language,
            )
            self.fields[f"help_text_{code}"] = forms.CharField(
                label=_("Help text (%(language)s)") % {"language": name},
                max_length=300,
                required=False,
            )
            if question is not None:
                for text in self.TEXTS:
                    self.initial.setdefault(
                        f"{text}_{code}", getattr(question, f"{text}_{code}") or ""
                    )

    def apply_texts(self, question) -> None:
        for code in self.languages:
            for text in self.TEXTS:
                setattr(question, f"{text}_{code}", self.cleaned_data.get(f"{text}_{code}", ""))

    def language_sections(self) -> list:
        return [
            (LANGUAGE_NAMES[code], [self[f"label_{code}"], self[f"help_text_{code}"]])
            for code in self.languages
        ]


class QuestionForm(QuestionTextsForm):
    """A question in the event's languages, its options (for choice questions) and the
    answer to an earlier question it is shown for."""

    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    position = forms.IntegerField(
        label=_("Position in the form"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_("Questions are asked from the lowest number to the highest."),
    )
    shown_if = forms.ChoiceField(
        label=_("Ask this question only when"),
        required=False,
        help_text=_(
            "For example, ask for a flight number only when the answer to “How do you "
            "travel?” is “Plane”. Otherwise, it is asked to everyone."
        ),
    )

    def __init__(self, *args, event: Event, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event, self.question = event, question
        self.add_text_fields(event=event, question=question, languages=event_languages(event))
        self.existing_options = list(question.options.all()) if question else []
        self.option_rows = []  # (key, [field names], delete field name or None)
        for option in self.existing_options:
            self._option_row(f"option_{option.pk}", option, deletable=True)
        for index in range(NEW_OPTION_ROWS):
            self._option_row(f"new_{index}", None, deletable=False)
        self.fields["shown_if"].choices = [("", _("Always ask it")), *self._conditions()]
        if question is None:
            last = Question.objects.filter(event=event).aggregate(last=Max("position"))["last"]
            self.initial.setdefault("position", 0 if last is None else last + 1)
        else:
            self.initial.setdefault("kind", question.kind)
            self.initial.setdefault("required", question.required)
            self.initial.setdefault("position", question.position)
            if question.shown_if_question_id:
                self.initial.setdefault(
                    "shown_if", f"{question.shown_if_question_id}:{question.shown_if_value}"
                )

    def _option_row(self, key: str, option: QuestionOption | None, *, deletable: bool) -> None:
        names = []
        for code in self.languages:
            name = f"{key}_{code}"
            self.fields[name] = forms.CharField(
                label=_("Option (%(language)s)") % {"language": LANGUAGE_NAMES[code]},
                max_length=200,
                required=False,
            )
            if option is not None:
                self.initial.setdefault(name, getattr(option, f"label_{code}") or "")
            names.append(name)
        delete = None
        if deletable:
            delete = f"{key}_delete"
            self.fields[delete] = forms.BooleanField(label=_("Remove this option"), required=False)
        self.option_rows.append((key, names, delete))

    def _conditions(self) -> list[tuple[str, str]]:
        """Every (question, answer) of the event's choice and yes-or-no questions asked
        before this one, as "question key:answer": the form asks a question after the one
        it depends on, and a condition cannot go round in a circle. (A new question goes
        last: every question is before it.)"""
        others = (
            Question.objects.filter(event=self.event, kind__in=CONDITION_KINDS)
            .select_related("event")
            .prefetch_related("options")
        )
        if self.question is not None:
            position = self.question.position
            earlier = Q(position__lt=position) | Q(position=position, pk__lt=self.question.pk)
            others = others.filter(earlier).exclude(shown_if_question=self.question)
        choices = []
        for other in others:
            label = other.i18n.label
            if other.kind == Question.Kind.YES_NO:
                answers = [("yes", _("Yes")), ("no", _("No"))]
            else:
                answers = [(str(option.pk), option.i18n.label) for option in other.options.all()]
            for value, answer in answers:
                choices.append(
                    (
                        f"{other.pk}:{value}",
                        _("the answer to “%(question)s” is “%(answer)s”")
                        % {"question": label, "answer": answer},
                    )
                )
        return choices

    def clean(self):
        cleaned = super().clean()
        self._check_dependents(cleaned)
        if cleaned.get("kind") in CHOICE_KINDS:
            kept = [
                key
                for key, names, delete in self.option_rows
                if not (delete and cleaned.get(delete)) and any(cleaned.get(n) for n in names)
            ]
            if not kept:
                self.add_error(
                    "new_0_" + self.event.default_language,
                    _("A choice question needs at least one option."),
                )
            for key, names, delete in self.option_rows:
                if delete and cleaned.get(delete):
                    continue
                default = f"{key}_{self.event.default_language}"
                if any(cleaned.get(n) for n in names) and not cleaned.get(default):
                    self.add_error(default, _("Write the option in the event’s main language."))
        return cleaned

    def _check_dependents(self, cleaned: dict) -> None:
        """Questions asked only for some answer to this one must keep that answer: its
        kind stays one with answers to choose, and the options they depend on stay."""
        if self.question is None:
            return
        dependents = list(self.question.dependent_questions.select_related("event"))
        if not dependents:
            return
        yes_no = all(dependent.shown_if_value in ("yes", "no") for dependent in dependents)
        kinds = (Question.Kind.YES_NO,) if yes_no else CHOICE_KINDS
        if cleaned.get("kind") and cleaned["kind"] not in kinds:
            self.add_error(
                "kind",
                _(
                    "“%(question)s” is asked only for some answers to this one: change its "
                    "condition first."
                )
                % {"question": dependents[0].i18n.label},
            )
            return
        removed = {
            key.removeprefix("option_")
            for key, names, delete in self.option_rows
            if delete and (cleaned.get(delete) or not any(cleaned.get(name) for name in names))
        }
        for dependent in dependents:
            if dependent.shown_if_value in removed:
                self.add_error(
                    f"option_{dependent.shown_if_value}_{self.event.default_language}",
                    _("“%(question)s” is asked only for this answer: change its condition first.")
                    % {"question": dependent.i18n.label},
                )

    # What the view hands to ``services.question_save``.

    def apply(self, question: Question) -> tuple[Question, list, list]:
        """Put the form's values into ``question``; return it with its options to save
        (in order) and those to remove."""
        data = self.cleaned_data
        question.kind = data["kind"]
        question.required = data["required"]
        question.position = data["position"]
        self.apply_texts(question)
        question.shown_if_question, question.shown_if_value = None, ""
        if data.get("shown_if"):
            parent_key, _colon, value = data["shown_if"].partition(":")
            question.shown_if_question = Question.objects.get(pk=int(parent_key), event=self.event)
            question.shown_if_value = value
        options, removed = [], []
        by_key = {f"option_{option.pk}": option for option in self.existing_options}
        for key, names, delete in self.option_rows:
            option = by_key.get(key)
            if delete and data.get(delete):
                removed.append(option)
                continue
            if not any(data.get(name) for name in names):
                if option is not None:
                    removed.append(option)
                continue
            option = option or QuestionOption()
            for code, name in zip(self.languages, names, strict=True):
                setattr(option, f"label_{code}", data.get(name, ""))
            options.append(option)
        return question, options, removed

    # Sections of the page (workspace/setup/question_edit.html).

    def about_fields(self) -> list:
        return [self["kind"], self["required"], self["position"]]

    def option_sections(self) -> list:
        return [
            ([self[name] for name in names], self[delete] if delete else None)
            for _key, names, delete in self.option_rows
        ]
