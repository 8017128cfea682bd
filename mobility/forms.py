from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registrations.validators import validate_one_line_text

from . import cities
from .models import BandTable, Means, MobilityDetails, MobilitySettings
from .services import DetailsInput


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MobilityDetailsForm(forms.Form):
    """A participant's travel details. Times are read in the event's time zone (the view
    activates it); the city is looked up in the offline city list of its country."""

    origin_country = forms.ChoiceField(label=_("Country you travel from"))
    origin_city = forms.CharField(
        label=_("City or town you travel from"),
        max_length=200,
        validators=[validate_one_line_text],
        help_text=_("A place of 5,000 inhabitants or more: otherwise the nearest such town."),
    )
    arrival_at = forms.DateTimeField(
        label=_("Arrival (date and time, local time)"), required=False, widget=DateTimeInput()
    )
    departure_at = forms.DateTimeField(
        label=_("Departure (date and time, local time)"), required=False, widget=DateTimeInput()
    )
    means = forms.ChoiceField(
        label=_("Main means of transport"), choices=Means.choices, widget=forms.RadioSelect
    )
    needs_visa_letter = forms.BooleanField(
        label=_("I need a visa invitation letter"), required=False
    )
    accommodation_nights = forms.IntegerField(
        label=_("Accommodation nights needed"), min_value=0, max_value=60, required=False
    )
    room_sharing = forms.CharField(
        label=_("Room-sharing wishes"),
        max_length=300,
        required=False,
        validators=[validate_one_line_text],
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    accompanying_person = forms.BooleanField(label=_("I am an accompanying person"), required=False)
    fewer_opportunities = forms.BooleanField(
        label=_("I am a participant with fewer opportunities"),
        required=False,
        help_text=_(
            "Only the organisers see this answer (and your organisation's coordinator, "
            "where the event allows it)."
        ),
    )

    def __init__(self, *args, settings: MobilitySettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_country"].choices = [("", "—"), *countries]
        if not settings.asks_date_of_birth:
            del self.fields["date_of_birth"]
        if not settings.asks_accompanying:
            del self.fields["accompanying_person"]

    def clean(self):
        data = super().clean()
        if data.get("origin_city") and data.get("origin_country"):
            city = cities.city_find(name=data["origin_city"], country=data["origin_country"])
            if city is None:
                self.add_error(
                    "origin_city",
                    _(
                        "This place is not in our list of towns of that country: check the "
                        "spelling, or enter the nearest town of 5,000 inhabitants or more."
                    ),
                )
            data["origin"] = city
        arrival, departure = data.get("arrival_at"), data.get("departure_at")
        if arrival and departure and departure <= arrival:
            self.add_error("departure_at", _("Departure must come after arrival."))
        return data

    def details(self) -> DetailsInput:
        data = self.cleaned_data
        return DetailsInput(
            origin=data["origin"],
            arrival_at=data.get("arrival_at"),
            departure_at=data.get("departure_at"),
            means=data["means"],
            needs_visa_letter=data.get("needs_visa_letter", False),
            accommodation_nights=data.get("accommodation_nights"),
            room_sharing=data.get("room_sharing", ""),
            date_of_birth=data.get("date_of_birth"),
            accompanying_person=data.get("accompanying_person", False),
            fewer_opportunities=data.get("fewer_opportunities", False),
        )


def details_initial(details: MobilityDetails | None) -> dict:
    if details is None:
        return {}
    return {
        "origin_country": details.origin_country.code,
        "origin_city": details.origin_city,
        "arrival_at": details.arrival_at,
        "departure_at": details.departure_at,
        "means": details.means,
        "needs_visa_letter": details.needs_visa_letter,
        "accommodation_nights": details.accommodation_nights,
        "room_sharing": details.room_sharing,
        "date_of_birth": details.date_of_birth,
        "accompanying_person": details.accompanying_person,
        "fewer_opportunities": details.fewer_opportunities,
    }


class MobilitySettingsForm(forms.Form):
    band_table = forms.ModelChoiceField(
        label=_("Distance bands of the programme year"),
        queryset=BandTable.objects.all(),
        required=False,
    )
    asks_date_of_birth = forms.BooleanField(label=_("Ask the date of birth"), required=False)
    asks_accompanying = forms.BooleanField(
        label=_("Ask whether the person is an accompanying person"), required=False
    )
