import zoneinfo
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.collation import country_choices
from events.forms import DashForNoChoice
from registrations.form_extensions import FormExtension
from registrations.models import Role
from registrations.validators import validate_one_line_text

from . import cities, services
from .models import (
    BandTable,
    Means,
    MobilityDetails,
    MobilitySettings,
    Project,
    ProjectActivity,
    Series,
)
from .services import DetailsInput


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in the event's time zone, whatever time zone is
    active (the registration form is not read in the event's)."""

    widget = DateTimeInput

    def __init__(self, *, tz: zoneinfo.ZoneInfo | None = None, **kwargs):
        self.tz = tz
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime) and self.tz is not None and timezone.is_aware(value):
            return timezone.localtime(value, self.tz).replace(tzinfo=None)
        return super().prepare_value(value)

    def to_python(self, value):
        if self.tz is None:
            return super().to_python(value)
        with timezone.override(self.tz):
            return super().to_python(value)


CITY_NOT_FOUND = _(
    "This place is not in our list of towns of that country: check the "
    "spelling, or enter the nearest town of 5,000 inhabitants or more."
)


PLACE_AMBIGUOUS = _(
    "Several towns are called %(name)s in this country (%(country)s): choose yours in the "
    "list below."
)


class PlaceSelect(forms.Select):
    """The towns of the name typed, to choose from: shown only when the name is shared by
    several towns of the country (``offer_places`` gives the choices); otherwise nothing
    is rendered and nothing is sent."""

    @property
    def is_hidden(self) -> bool:
        return len(self.choices) < 2

    def render(self, name, value, attrs=None, renderer=None):
        if self.is_hidden:
            return ""
        return super().render(name, value, attrs, renderer)


def _degrees(value, positive: str, negative: str) -> str:
    return f"{number_format(round(abs(value), 2), 2)}° {positive if value >= 0 else negative}"


def place_label(city: cities.City) -> str:
    """How a town is told apart from its namesakes: its region where the list names it,
    its country, its size and where it is."""
    place = f"{city.name}, {city.region}" if city.region else city.name
    return gettext("%(place)s (%(country)s): %(inhabitants)s inhabitants, %(position)s") % {
        "place": place,
        "country": countries.name(city.country),
        "inhabitants": number_format(city.population, force_grouping=True),
        "position": f"{_degrees(city.latitude, 'N', 'S')}, {_degrees(city.longitude, 'E', 'W')}",
    }


def offer_places(field: forms.Field, candidates: list) -> None:
    """Make ``field`` (``origin_place``) a choice among ``candidates`` when there are
    several, else hide it."""
    if len(candidates) < 2:
        field.widget.choices = []
        return
    labels = [(str(city.geonameid), place_label(city)) for city in candidates]
    # Never two identical choices: the list's own number tells apart what nothing else does.
    counts = Counter(label for _id, label in labels)
    field.widget.choices = [
        ("", _("Choose your town")),
        *(
            (id_, f"{label} · GeoNames {id_}" if counts[label] > 1 else label)
            for id_, label in labels
        ),
    ]


#: How far from the event an arrival or a departure may be: the Erasmus+ guide funds at
#: most 2 travel days (6 with green travel) around the activity; a fortnight leaves room
#: for a longer stay without accepting a mistyped month or year.
TRAVEL_WINDOW = timedelta(days=14)
#: The oldest plausible participant.
MAX_AGE_YEARS = 110


def check_dates(values: dict, add_error: Callable[[str, str], None], *, event) -> None:
    """Plausible dates: a date of birth in the past and at most 110 years ago; arrival
    before the event ends and at most 14 days before it starts; departure after it starts
    and at most 14 days after it ends."""
    born = values.get("date_of_birth")
    if born:
        today = timezone.localdate(timezone.now(), event.tz) if event else date.today()
        if born >= today:
            add_error("date_of_birth", _("The date of birth must be in the past."))
        elif born.year < today.year - MAX_AGE_YEARS:
            add_error("date_of_birth", _("Check the year: this date of birth is too long ago."))
    if event is None:
        return
    arrival, departure = values.get("arrival_at"), values.get("departure_at")
    if arrival:
        if arrival < event.starts_at - TRAVEL_WINDOW:
            add_error(
                "arrival_at",
                _("Arrival must be at most 14 days before the event starts."),
            )
        elif arrival >= event.ends_at:
            add_error("arrival_at", _("Arrival must be before the event ends."))
    if departure:
        if departure > event.ends_at + TRAVEL_WINDOW:
            add_error(
                "departure_at",
                _("Departure must be at most 14 days after the event ends."),
            )
        elif departure <= event.starts_at:
            add_error("departure_at", _("Departure must be after the event starts."))


def check_details(values: dict, add_error: Callable[[str, str], None], *, event=None) -> None:
    """The checks of travel details that read several fields: the city exists in the
    offline list of its country (``values["origin"]``: the ``cities.City``, or None when
    no city was given) and, where several towns of the country share its name, the one
    chosen among them (``values["origin_place"]``; ``values["origin_candidates"]``: those
    to offer), departure after arrival, plausible dates (``check_dates``). Shared by the
    private page's form and the registration form's mobility section."""
    values["origin"], values["origin_candidates"] = None, []
    city, country = values.get("origin_city"), values.get("origin_country")
    if city and country:
        candidates = cities.city_candidates(name=city, country=country)
        chosen = str(values.get("origin_place") or "")
        if not candidates:
            add_error("origin_city", CITY_NOT_FOUND)
        elif len(candidates) == 1:
            values["origin"] = candidates[0]
        else:
            values["origin_candidates"] = candidates
            values["origin"] = next(
                (found for found in candidates if str(found.geonameid) == chosen), None
            )
            if values["origin"] is None:
                add_error(
                    "origin_city",
                    PLACE_AMBIGUOUS % {"name": city, "country": countries.name(country)},
                )
    elif city and "origin_country" in values:
        add_error("origin_country", _("Choose the country of the town you travel from."))
    elif country and "origin_city" in values:
        add_error("origin_city", _("Enter the town you travel from in that country."))
    arrival, departure = values.get("arrival_at"), values.get("departure_at")
    if arrival and departure and departure <= arrival:
        add_error("departure_at", _("Departure must come after arrival."))
    check_dates(values, add_error, event=event)


def details_fields(
    *, settings: MobilitySettings, tz, required: bool, zone: str = ""
) -> dict[str, forms.Field]:
    """The travel-details fields as an event asks them. ``required``: the city and its
    country must be given (the private page), else they may be left for later (the
    registration form). The means of transport may always be "not known yet"."""
    fields = {
        "origin_country": forms.ChoiceField(
            label=_("Country you travel from"),
            choices=country_choices,
            required=required,
        ),
        "origin_city": forms.CharField(
            label=_("City or town you travel from"),
            max_length=200,
            required=required,
            validators=[validate_one_line_text],
            help_text=_("A place of 5,000 inhabitants or more: otherwise the nearest such town."),
        ),
        # Shown only when several towns of the country share the name typed.
        "origin_place": forms.CharField(
            label=_("Which of these towns?"), required=False, widget=PlaceSelect
        ),
        "arrival_at": LocalDateTimeField(
            label=_("Arrival (date and time, local time)"),
            required=False,
            tz=tz,
            help_text=_("Times are in the event’s time zone (%(zone)s).") % {"zone": zone}
            if zone
            else "",
        ),
        "departure_at": LocalDateTimeField(
            label=_("Departure (date and time, local time)"), required=False, tz=tz
        ),
        # "I do not know yet" stays a valid answer until the organisers lock the details.
        "means": forms.ChoiceField(
            label=_("Main means of transport"),
            choices=[("", _("I do not know yet")), *Means.choices],
            widget=forms.RadioSelect,
            required=False,
        ),
        "needs_visa_letter": forms.BooleanField(
            label=_("I need a visa invitation letter"), required=False
        ),
        "accommodation_nights": forms.IntegerField(
            label=_("Accommodation nights needed"), min_value=0, max_value=60, required=False
        ),
        "room_sharing": forms.CharField(
            label=_("Room-sharing wishes"),
            max_length=300,
            required=False,
            validators=[validate_one_line_text],
        ),
        "date_of_birth": forms.DateField(
            label=_("Date of birth"), required=False, widget=DateInput()
        ),
        "fewer_opportunities": forms.BooleanField(
            label=_("I am a participant with fewer opportunities"),
            required=False,
            help_text=fewer_opportunities_help(settings),
        ),
    }
    if not settings.asks_date_of_birth:
        del fields["date_of_birth"]
    return fields


def fewer_opportunities_help(settings: MobilitySettings) -> str:
    if settings.coordinators_see_fewer_opportunities:
        return _("Only the organisers and your organisation’s coordinator see this answer.")
    return _("Only the organisers see this answer.")


def details_input(data: dict) -> DetailsInput:
    return DetailsInput(
        origin=data.get("origin"),
        arrival_at=data.get("arrival_at"),
        departure_at=data.get("departure_at"),
        means=data.get("means") or "",
        needs_visa_letter=data.get("needs_visa_letter", False),
        accommodation_nights=data.get("accommodation_nights"),
        room_sharing=data.get("room_sharing", ""),
        date_of_birth=data.get("date_of_birth"),
        fewer_opportunities=data.get("fewer_opportunities", False),
    )


class MobilityDetailsForm(forms.Form):
    """A participant's travel details, from their private page. Times are typed in the
    event's time zone; the city is looked up in the offline city list of its country."""

    required = True

    def __init__(self, *args, settings: MobilitySettings, tz=None, zone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.event = settings.event
        self.fields.update(
            details_fields(settings=settings, tz=tz, required=self.required, zone=zone)
        )
        if not self.is_bound:
            offer_places(self.fields["origin_place"], saved_candidates(self.initial))

    def clean(self):
        data = super().clean()
        check_details(data, self.add_error, event=self.event)
        offer_places(self.fields["origin_place"], data["origin_candidates"])
        return data

    def details(self) -> DetailsInput:
        return details_input(self.cleaned_data)


class OrganiserDetailsForm(MobilityDetailsForm):
    """One person's travel details as an organiser corrects them, locked or not: the same
    fields, the city may stay unknown, and the person's role."""

    required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fewer_opportunities"].label = _("Participant with fewer opportunities")
        self.fields["fewer_opportunities"].help_text = ""
        self.fields["needs_visa_letter"].label = _("Needs a visa invitation letter")
        self.fields["role"] = forms.ChoiceField(label=_("Role"), choices=Role.choices)


def saved_candidates(initial: dict) -> list:
    """The namesakes of the town saved, to show which one it is."""
    if not initial.get("origin_place"):
        return []
    return cities.city_candidates(
        name=initial.get("origin_city", ""), country=initial.get("origin_country", "")
    )


def details_initial(details: MobilityDetails | None) -> dict:
    if details is None:
        return {}
    return {
        "origin_country": details.origin_country.code,
        "origin_city": details.origin_city,
        "origin_place": str(details.origin_geonameid or ""),
        "arrival_at": details.arrival_at,
        "departure_at": details.departure_at,
        "means": details.means,
        "needs_visa_letter": details.needs_visa_letter,
        "accommodation_nights": details.accommodation_nights,
        "room_sharing": details.room_sharing,
        "date_of_birth": details.date_of_birth,
        "fewer_opportunities": details.fewer_opportunities,
    }


class MobilityFormExtension(FormExtension):
    """The travel details asked in the registration form of a mobility (and in the form a
    delegate confirms their details with): the same fields as the private page's, the
    city, its country and the means of transport may be left for later."""

    prefix = "mobility"

    def __init__(self, *, event, settings: MobilitySettings, details: MobilityDetails | None):
        super().__init__()
        self.legend = _("Your travel")
        self.details = details
        self.event = event
        self.fields = details_fields(
            settings=settings, tz=event.tz, required=False, zone=event.timezone_label
        )
        offer_places(self.fields["origin_place"], saved_candidates(self.initial()))

    def initial(self) -> dict:
        return details_initial(self.details)

    def clean(self, cleaned, add_error) -> None:
        check_details(cleaned, add_error, event=self.event)
        offer_places(self.fields["origin_place"], cleaned["origin_candidates"])

    def save(self, *, registration, cleaned, new, actor=None) -> None:
        from registrations.services import RegistrationError

        data = details_input(cleaned)
        if new and data == details_input({}):
            return  # nothing given yet: the private page asks for it
        try:
            services.mobility_details_save(registration=registration, data=data, first=new)
        except services.MobilityError as error:
            raise RegistrationError(str(error)) from error


class MobilitySettingsForm(DashForNoChoice, forms.Form):
    """An event's mobility settings, on its setup page."""

    band_table = forms.ModelChoiceField(
        label=_("Distance bands of the programme year"),
        queryset=BandTable.objects.all(),
        required=False,
        help_text=_("The travel grant is computed from this table of the programme guide."),
    )
    asks_date_of_birth = forms.BooleanField(
        label=_("Ask the date of birth"),
        required=False,
        help_text=_("Unticking it erases the dates of birth already given."),
    )
    coordinators_see_fewer_opportunities = forms.BooleanField(
        label=_("Partner coordinators see who is a participant with fewer opportunities"),
        required=False,
        help_text=_("Only for their own organisation’s participants. Organisers always see it."),
    )
    locked = forms.BooleanField(
        label=_("Lock the travel details"),
        required=False,
        help_text=_("Participants can no longer change them from their private page."),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_(
            "The project’s coordinators then see this event’s participants in the project "
            "overview and its beneficiary report."
        ),
    )
    activity_type = forms.ChoiceField(
        label=_("Activity type in the project"),
        choices=[("", "—"), *ProjectActivity.Type.choices],
        required=False,
    )
    series = forms.ModelChoiceField(
        label=_("Series"), queryset=Series.objects.none(), required=False
    )

    def __init__(self, *args, projects, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["series"].queryset = series

    def clean(self):
        data = super().clean()
        if data.get("project") and not data.get("activity_type"):
            self.add_error("activity_type", _("Choose the activity type in the project."))
        return data
