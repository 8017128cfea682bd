"""The registration form: what the event asks, validated field by field."""

import contextlib
from datetime import date

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.collation import country_choices, sorted_countries
from events.formats import date_format
from events.models import Event, Organisation, ProgrammeItem

from .form_extensions import FormExtension, extensions_asked
from .models import Question, Registration, Role, questions_asked
from .names import name_fields
from .services import Person, normalise_email
from .validators import validate_one_line_text

HONEYPOT_FIELD = "website"


def workshop_slots(event: Event) -> list[list[ProgrammeItem]]:
    """Workshops that start together form a slot where the participant picks one. Read
    through the event's own manager, so every ``item.event`` is ``event`` itself."""
    workshops = (
        event.programme_items.filter(kind=ProgrammeItem.Kind.WORKSHOP)
        .select_related("room")
        .order_by("starts_at", "room__position", "pk")
    )
    slots: dict = {}
    for item in workshops:
        if item.cancelled:  # cancelled in the setup pages: no longer offered
            continue
        slots.setdefault(item.starts_at, []).append(item)
    return list(slots.values())


class CountryField(forms.ChoiceField):
    """A country by its ISO code. The names are listed only when the form is rendered;
    a submitted code is checked against the codes, without building that list."""

    def __init__(self, **kwargs):
        super().__init__(choices=country_choices, **kwargs)

    def valid_value(self, value) -> bool:
        return value in countries


def event_questions(event: Event):
    """The event's questions with their options, in their order (each ``question.event``
    is ``event`` itself, set by its manager: no join)."""
    return event.questions.prefetch_related("options").order_by("position", "pk")


def question_field(question: Question, condition: str = "") -> forms.Field:
    """The form field of one of the event's questions. ``condition``: for a question shown
    only for some answer to another, that condition in words; such a field is checked by
    ``RegistrationForm.clean`` (required only when the condition holds), and carries
    the condition for static/js/conditional-questions.js, which hides it until then."""
    field = _question_field(question)
    if question.is_conditional:
        field.required = False
        field.help_text = " ".join(part for part in (condition, str(field.help_text)) if part)
        field.widget.attrs.update(
            {
                "data-shown-if-field": f"question_{question.shown_if_question_id}",
                "data-shown-if-value": question.shown_if_value,
            }
        )
    return field


def condition_text(question: Question, questions: dict) -> str:
    """'Only if “How do you travel?” is “Plane”.', in the active language."""
    parent = questions.get(question.shown_if_question_id)
    if parent is None:
        return ""
    value = question.shown_if_value
    if parent.kind == Question.Kind.YES_NO:
        shown = _("Yes") if value == "yes" else _("No")
    else:
        shown = next(
            (option.i18n.label for option in parent.options.all() if str(option.pk) == value),
            value,
        )
    return _("Only if “%(question)s” is “%(answer)s”.") % {
        "question": parent.i18n.label,
        "answer": shown,
    }


def _question_field(question: Question) -> forms.Field:
    label = question.i18n.label
    common = {"label": label, "required": question.required, "help_text": question.i18n.help_text}
    options = [(str(option.pk), option.i18n.label) for option in question.options.all()]
    match question.kind:
        case Question.Kind.LINE:
            return forms.CharField(max_length=300, validators=[validate_one_line_text], **common)
        case Question.Kind.TEXT:
            return forms.CharField(
                max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), **common
            )
        case Question.Kind.SINGLE:
            return forms.ChoiceField(choices=[("", "—"), *options], **common)
        case Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
        case Question.Kind.YES_NO:
            return forms.TypedChoiceField(
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                empty_value=None,
                **common,
            )
        case Question.Kind.DATE:
            # A date input shows and sends ISO dates whatever the page's language.
            return forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
            )
        case Question.Kind.NUMBER:
            return forms.DecimalField(max_digits=12, decimal_places=2, **common)
    raise ValueError(question.kind)


def default_person_language(event: Event | None = None) -> str:
    """The language a registration form proposes: the page's, or the event's default
    language when the page's is not one of the interface languages."""
    language = get_language()
    if language in dict(settings.LANGUAGES):
        return language
    return event.default_language if event else settings.LANGUAGE_CODE


class PersonFields(forms.Form):
    """Who is registered: the fields the registration form and a coordinator's form for
    their delegates begin with."""

    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_one_line_text]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[validate_one_line_text]
    )
    email = forms.EmailField(label=_("Email"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(name_fields())


class RegistrationForm(PersonFields):
    # Listed when the form is rendered; a submitted choice is looked up by its key alone.
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("If yours is not among the partner organisations."),
        validators=[validate_one_line_text],
    )
    country = CountryField(label=_("Country"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTICIPANT)
    language = forms.ChoiceField(
        label=_("Language for emails and calendars"), choices=settings.LANGUAGES
    )
    dietary_needs = forms.CharField(label=_("Dietary needs"), max_length=300, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), max_length=300, required=False
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it."), required=True
    )
    listed_publicly = forms.BooleanField(
        label=_("Show my name, organisation and country in the attendee list."),
        required=False,
        initial=False,
    )
    # A honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def __init__(
        self,
        *args,
        event: Event,
        organisations: QuerySet[Organisation],
        require_consent=True,
        registration: Registration | None = None,
        extended: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["organisation"].queryset = organisations
        # Organisers are made organisers by organisers: the form offers the role only to
        # someone who already has it (their own details, confirmed again).
        if self.initial.get("role") != Role.ORGANISER:
            self.fields["role"].choices = [
                choice for choice in Role.choices if choice[0] != Role.ORGANISER
            ]
        if not require_consent:
            self.fields["privacy_consent"].required = False
        self.question_fields = []
        # Read once per request: the registration service checks the answers against them.
        self.questions = list(event_questions(event))
        by_key = {question.pk: question for question in self.questions}
        for question in self.questions:
            name = f"question_{question.pk}"
            self.fields[name] = question_field(question, condition_text(question, by_key))
            self.question_fields.append((name, question))
        self.slot_fields = []
        self._workshops: dict[str, ProgrammeItem] = {}
        for index, slot in enumerate(workshop_slots(event)):
            name = f"workshop_{index}"
            choices = []
            for item in slot:
                self._workshops[str(item.pk)] = item
                label = item.i18n.title
                if item.room:
                    label = f"{label} ({item.room.name})"
                if item.places_left == 0:
                    label = _("%(workshop)s (full: waiting list)") % {"workshop": label}
                choices.append((str(item.pk), label))
            start = event.local(slot[0].starts_at)
            when = date_format(start, "DATETIME_FORMAT")
            # Several workshops at once: people choose one of them. A workshop alone at
            # its time (one moved out of a parallel slot, say) is optional: people may
            # take part in it as well as in the others, or not.
            optional = len(slot) == 1
            if optional:
                choices.append(("", _("I will not take part in this workshop")))
            self.fields[name] = forms.ChoiceField(
                label=_("Workshop on %(when)s") % {"when": when},
                choices=choices,
                widget=forms.RadioSelect,
                required=not optional,
                help_text=_("Optional.") if optional else "",
            )
            self.slot_fields.append(name)
        # What the apps above registrations ask (mobility: the travel details).
        self.extensions: list[FormExtension] = (
            extensions_asked(event=event, registration=registration) if extended else []
        )
        self.extension_data: list[tuple[FormExtension, dict]] = []
        for extension in self.extensions:
            for name, field in extension.fields.items():
                self.fields[extension.name(name)] = field
            for name, value in extension.initial().items():
                self.initial.setdefault(extension.name(name), value)

    def sections(self) -> list[tuple[str, list]]:
        """The fields in the sections the page shows, each under its legend (a long flat
        form is hard to fill in); sections without a field are left out."""
        names = [
            (_("About you"), [*name_fields(), "email", "language"]),
            (_("Your organisation"), ["organisation", "organisation_name", "country", "role"]),
            (_("Workshops"), self.slot_fields),
            (_("Questions from the organisers"), [name for name, _q in self.question_fields]),
            (_("Food and access"), ["dietary_needs", "accessibility_needs"]),
            *[
                (extension.legend, [extension.name(name) for name in extension.fields])
                for extension in self.extensions
            ],
            (_("Privacy"), ["privacy_consent", "listed_publicly"]),
        ]
        sections = []
        for legend, fields in names:
            bound = [self[name] for name in fields if name in self.fields]
            if bound:
                sections.append((legend, bound))
        return sections

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("This form could not be sent. Please try again."))
        if not cleaned.get("organisation") and not cleaned.get("organisation_name"):
            self.add_error(
                "organisation_name", _("Choose a partner organisation or write the name of yours.")
            )
        self._clean_conditional_questions(cleaned)
        self.extension_data = []
        for extension in self.extensions:
            values = {
                name: cleaned[extension.name(name)]
                for name in extension.fields
                if extension.name(name) in cleaned
            }

            def add_error(name, message, extension=extension):
                self.add_error(extension.name(name), message)

            extension.clean(values, add_error)
            self.extension_data.append((extension, values))
        return cleaned

    def _clean_conditional_questions(self, cleaned: dict) -> None:
        """A question shown only for some answer to another is required (if it is) only
        when that answer was given; otherwise what was typed into it is ignored."""
        answers = {question.pk: cleaned.get(name) for name, question in self.question_fields}
        asked = questions_asked([question for _name, question in self.question_fields], answers)
        for name, question in self.question_fields:
            if not question.is_conditional:
                continue
            if question.pk not in asked:
                cleaned[name] = None
                self.errors.pop(name, None)
            elif (
                question.required
                and name not in self.errors
                and cleaned.get(name) in (None, "", [])
            ):
                self.add_error(name, forms.Field.default_error_messages["required"])

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organisation=data.get("organisation"),
            organisation_name=data.get("organisation_name", ""),
            country=data.get("country") or "",
            role=data["role"],
            language=data["language"],
            dietary_needs=data.get("dietary_needs", ""),
            accessibility_needs=data.get("accessibility_needs", ""),
            privacy_consent=bool(data.get("privacy_consent")),
            listed_publicly=bool(data.get("listed_publicly")),
            answers={question.pk: data.get(name) for name, question in self.question_fields},
            workshops=[self._workshops[data[name]] for name in self.slot_fields if data.get(name)],
            extensions=list(self.extension_data),
        )


def details_initial(registration: Registration) -> dict:
    """A registration's details as the registration form shows them, answers included:
    a form that edits someone's details starts from all of them, so that submitting it
    again keeps what the person gave (needs, attendee-list choice, answers)."""
    initial = {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "language": registration.language,
        "organisation": str(registration.organisation_id or ""),
        "organisation_name": registration.organisation_name,
        "country": registration.country.code if registration.country else "",
        "role": registration.role,
        "dietary_needs": registration.dietary_needs,
        "accessibility_needs": registration.accessibility_needs,
        "listed_publicly": registration.listed_publicly,
    }
    for answer in registration.answers.all():
        value = answer.value
        if isinstance(value, bool):
            value = "yes" if value else "no"
        initial[f"question_{answer.question_id}"] = value
    return initial


class WorkshopChoiceForm(forms.Form):
    """Only the workshop slots: to change one's choices from the private page."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        base = RegistrationForm(
            event=event, organisations=Organisation.objects.none(), extended=False
        )
        self._workshops = base._workshops
        self.slot_fields = base.slot_fields
        for name in self.slot_fields:
            self.fields[name] = base.fields[name]

    def workshops(self) -> list[ProgrammeItem]:
        return [
            self._workshops[self.cleaned_data[name]]
            for name in self.slot_fields
            if self.cleaned_data.get(name)
        ]


class DelegateForm(PersonFields):
    language = forms.ChoiceField(
        label=_("Language for emails and calendars"), choices=settings.LANGUAGES, required=False
    )

    def __init__(self, *args, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # As on the public registration form: the page's language, which the coordinator
        # changes for a delegate who reads another (the person's first email goes in it).
        self.default_language = default_person_language(event)
        self.fields["language"].initial = self.default_language

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_language(self):
        return self.cleaned_data["language"] or self.default_language


# absolute_max: a hand-made POST claiming thousands of forms is refused, not built.
DelegationFormSet = forms.formset_factory(
    DelegateForm, extra=5, max_num=100, absolute_max=100, validate_max=True
)


class ProfileForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_one_line_text]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[validate_one_line_text]
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.all(), required=False
    )
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, validators=[validate_one_line_text]
    )
    country = CountryField(label=_("Country"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Every email and calendar we send you is in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(name_fields())


class ParticipantFilterForm(forms.Form):
    """The participant list's filters. Kept in the session, never in the URL, so that no
    name or address typed in the search ends up in a link or a server log."""

    search = forms.CharField(label=_("Name or email"), max_length=100, required=False)
    statuses = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Registration.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, empty_value=None, required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices], required=False)
    workshop = forms.TypedChoiceField(
        label=_("Workshop"), coerce=int, empty_value=None, required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("organisation", _("Organisation")),
            ("country", _("Country")),
            ("status", _("Status")),
            ("registered", _("Registration date")),
        ],
    )
    descending = forms.BooleanField(label=_("Reverse order"), required=False)

    def __init__(self, *args, event: Event, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(registrations__in=registrations).distinct()
        self.fields["organisation"].choices = [("", "—"), *[(o.pk, o.name) for o in organisations]]
        codes = {code for code in registrations.values_list("country", flat=True) if code}
        self.fields["country"].choices = [("", "—"), *sorted_countries(codes)]
        workshops = ProgrammeItem.objects.filter(event=event, kind=ProgrammeItem.Kind.WORKSHOP)
        self.fields["workshop"].choices = [
            ("", "—"),
            *[
                (
                    item.pk,
                    f"{item.i18n.title} "
                    f"({date_format(event.local(item.starts_at), 'SHORT_DATETIME_FORMAT')})",
                )
                for item in workshops.select_related("event").order_by("starts_at")
            ],
        ]
        self.question_fields = []
        for question in (
            event.questions.filter(
                kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.YES_NO]
            )
            .prefetch_related("options")
            .select_related("event")
        ):
            if question.kind == Question.Kind.YES_NO:
                choices = [("", "—"), ("true", _("Yes")), ("false", _("No"))]
            else:
                choices = [("", "—"), *[(str(o.pk), o.i18n.label) for o in question.options.all()]]
            name = f"answer_{question.pk}"
            self.fields[name] = forms.ChoiceField(
                label=question.i18n.label, choices=choices, required=False
            )
            self.question_fields.append((name, question.pk))

    def query(self) -> dict:
        """The filters as plain data, for the session and for export jobs."""
        data = self.cleaned_data
        return {
            "search": data.get("search", ""),
            "statuses": data.get("statuses") or [],
            "organisation": data.get("organisation"),
            "country": data.get("country", ""),
            "role": data.get("role", ""),
            "workshop": data.get("workshop"),
            "answers": {
                str(qid): data.get(name) for name, qid in self.question_fields if data.get(name)
            },
            "sort": data.get("sort") or "name",
            "descending": bool(data.get("descending")),
        }


class ExportForm(forms.Form):
    FORMATS = [
        ("csv", _("CSV (Excel, UTF-8)")),
        ("csv-semicolon", _("CSV with semicolons (European Excel)")),
        ("xlsx", _("Excel workbook (XLSX)")),
        ("signin", _("PDF sign-in sheets, one per day")),
        ("badges", _("PDF name badges")),
    ]
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    columns = forms.MultipleChoiceField(
        label=_("Columns"), required=False, widget=forms.CheckboxSelectMultiple
    )
    preset = forms.ChoiceField(label=_("Saved columns"), required=False)
    save_as = forms.CharField(label=_("Save these columns as"), max_length=100, required=False)
    per_session = forms.BooleanField(label=_("Sign-in sheets per session too"), required=False)

    def __init__(self, *args, columns, presets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = [(c.key, c.label) for c in columns]
        self.fields["preset"].choices = [("", "—"), *[(str(p.pk), p.name) for p in presets]]
        self._presets = {str(p.pk): p for p in presets}

    def chosen_columns(self) -> list[str]:
        preset = self._presets.get(self.cleaned_data.get("preset") or "")
        if preset and not self.cleaned_data.get("columns"):
            return list(preset.columns)
        return list(self.cleaned_data.get("columns") or [])


class CheckinSearchForm(forms.Form):
    search = forms.CharField(label=_("Name"), max_length=100, required=False)
    # ISO, as a date input expects in every language (a localised value shows blank).
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    session = forms.TypedChoiceField(
        label=_("Session"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Only the chosen day’s sessions are listed: "
            "choose another day and search again to see its own."
        ),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the sessions of the day shown (the day sent, else the day offered first).
        day = self.initial.get("day")
        if self.is_bound:
            with contextlib.suppress(ValueError):
                day = date.fromisoformat(self.data.get("day", ""))
        items = [
            item
            for item in event.programme_items.select_related("event").order_by("starts_at")
            if event.local(item.starts_at).date() == day
        ]
        self.fields["session"].error_messages["invalid_choice"] = _(
            "This session is not on the chosen day."
        )
        self.fields["session"].choices = [
            ("", _("The whole day")),
            *[
                (
                    item.pk,
                    f"{date_format(event.local(item.starts_at), 'SHORT_DATETIME_FORMAT')} "
                    f"{item.i18n.title}",
                )
                for item in items
            ],
        ]
