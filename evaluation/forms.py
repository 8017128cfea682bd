"""The survey's setup forms (organisers) and the survey itself (participants)."""

from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from events.models import Event, ProgrammeItem
from registrations.setup_forms import (
    LANGUAGE_NAMES,
    QuestionTextsForm,
    event_languages,
    local_datetime_widget,
)

from .models import RATINGS, Survey, SurveyQuestion
from .services import Given

TEXT_MAX = 3000


class SurveySettingsForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("The survey closes at"),
        widget=local_datetime_widget(),
        help_text=_(
            "It opens when the event ends; participants receive its link in the email "
            "thanking them for coming."
        ),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= self.event.ends_at:
            raise forms.ValidationError(
                _("The survey opens when the event ends: close it after that.")
            )
        return closes_at


class SurveyQuestionForm(QuestionTextsForm):
    """A question in the event's languages, and in every other language it has a text in
    (written before the event's languages changed): shown there too, so it can be
    corrected or emptied rather than left stale."""

    kind = forms.ChoiceField(label=_("Kind of answer"), choices=SurveyQuestion.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    per_session = forms.BooleanField(
        label=_("Ask it for each session"),
        required=False,
        help_text=_(
            "Each participant answers it for every workshop or session they chose or attended."
        ),
    )
    position = forms.IntegerField(
        label=_("Position in the survey"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_("Questions are asked from the lowest number to the highest."),
    )

    def __init__(self, *args, survey: Survey, question: SurveyQuestion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey, self.question = survey, question
        event = survey.event
        languages = event_languages(event)
        if question is not None:
            languages += [
                code
                for code in LANGUAGE_NAMES
                if code not in languages
                and any(getattr(question, f"{name}_{code}", "") for name in self.TEXTS)
            ]
        self.add_text_fields(event=event, question=question, languages=languages)
        if question is None:
            last = survey.questions.aggregate(last=Max("position"))["last"]
            self.initial.setdefault("position", 0 if last is None else last + 1)
        else:
            for name in ("kind", "required", "per_session", "position"):
                self.initial.setdefault(name, getattr(question, name))

    def apply(self, question: SurveyQuestion) -> SurveyQuestion:
        data = self.cleaned_data
        for name in ("kind", "required", "per_session", "position"):
            setattr(question, name, data[name])
        self.apply_texts(question)
        return question

    def about_fields(self) -> list:
        return [self["kind"], self["required"], self["per_session"], self["position"]]


RATING_CHOICES = [(str(value), str(value)) for value in RATINGS]


class AnswerForm(forms.Form):
    """The survey as one participant sees it: each question once, and each question asked
    per session once for each of their sessions; then whether to sign."""

    sign = forms.BooleanField(
        label=_("Sign my answers with my name"),
        required=False,
        help_text=_(
            "Otherwise your answers are anonymous: the organisers see them without your name."
        ),
    )

    def __init__(
        self, *args, questions: list[SurveyQuestion], sessions: list[ProgrammeItem], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.entries = []  # (field name, question, session or None)
        for question in questions:
            if question.per_session:
                for item in sessions:
                    self._add(question, item)
            else:
                self._add(question, None)
        self.order_fields([name for name, _question, _item in self.entries] + ["sign"])

    def _add(self, question: SurveyQuestion, item: ProgrammeItem | None) -> None:
        name = f"q{question.pk}" + (f"_s{item.pk}" if item else "")
        label = question.i18n.label
        if question.kind == SurveyQuestion.Kind.RATING:
            field = forms.TypedChoiceField(
                label=label,
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=question.required,
                widget=forms.RadioSelect,
            )
        else:
            field = forms.CharField(
                label=label,
                max_length=TEXT_MAX,
                required=question.required,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        field.help_text = question.i18n.help_text
        if question.kind == SurveyQuestion.Kind.RATING and not field.help_text:
            field.help_text = _("From 1 (poor) to 5 (excellent).")
        self.fields[name] = field
        self.entries.append((name, question, item))

    def sections(self) -> list[tuple[ProgrammeItem | None, list]]:
        """The questions asked once, then each session's: (session or None, fields)."""
        groups: dict = {}
        for name, _question, item in self.entries:
            groups.setdefault(item.pk if item else None, (item, []))[1].append(self[name])
        return list(groups.values())

    def answers(self) -> list[Given]:
        data = self.cleaned_data
        return [
            Given(
                question=question,
                item=item,
                rating=data.get(name) if question.kind == SurveyQuestion.Kind.RATING else None,
                text=(data.get(name) or "").strip()
                if question.kind == SurveyQuestion.Kind.TEXT
                else "",
            )
            for name, question, item in self.entries
        ]
