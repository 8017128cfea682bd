"""A participant of a mobility enters and corrects their travel details from their
private registration page, until the organisers lock them."""

from datetime import timedelta

import pytest
from django.utils import translation

from mobility import services as mobility_services
from mobility.models import MobilityDetails
from registrations import services
from registrations.models import Registration

from ..events.test_pages import text
from ..factories import EventFactory, form_fields, person
from .conftest import register

pytestmark = pytest.mark.django_db


def travel_form(**overrides):
    values = {
        "origin_country": "PT",
        "origin_city": "Lisboa",
        "means": "train",
        "arrival_at": "",
        "departure_at": "",
        "accommodation_nights": "4",
        "room_sharing": "With João",
        "date_of_birth": "1990-04-25",
    }
    values.update(overrides)
    return values


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def test_done_when_a_portuguese_participant_travelling_by_train_sees_band_green_amount_and_days(
    client, timisoara
):
    response = client.post(
        f"/pt/events/{timisoara.slug}/register/",
        form_fields(
            first_name="Marta",
            last_name="Silva",
            email="marta.silva@example.org",
            organisation=str(timisoara.portugal.pk),
            organisation_name="",
            country="PT",
            language="pt",
        ),
    )
    assert response.status_code in (200, 302)
    # The private link comes by email; the participant follows it.
    registration = Registration.objects.get(email="marta.silva@example.org")
    private = text(client.get(f"/pt/r/{registration.secret}/"))
    assert "Indique os seus dados de viagem" in private
    arrival = timisoara.local_starts_at.date() - timedelta(days=2)
    departure = timisoara.local_ends_at.date() + timedelta(days=2)
    response = client.post(
        f"/pt/r/{registration.secret}/mobility/",
        travel_form(arrival_at=f"{arrival}T18:30", departure_at=f"{departure}T10:00"),
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "2000–2999 km" in page
    assert "2 602 km" in page  # grouped as Portuguese groups thousands
    assert "410 EUR" in page  # the green amount of the band
    assert "Dias de viagem financiados 4" in page
    details = MobilityDetails.objects.get(registration=registration)
    assert (details.origin_city, details.origin_country.code, details.means) == (
        "Lisbon",
        "PT",
        "train",
    )
    # Arrival is read in the event's own time zone.
    assert timisoara.local(details.arrival_at).strftime("%H:%M") == "18:30"


def test_the_participant_corrects_their_details_until_the_organisers_lock_them(client, timisoara):
    registration = register(timisoara, "Bence", timisoara.hungary)
    url = f"/en/r/{registration.secret}/mobility/"
    client.post(url, travel_form(origin_country="HU", origin_city="Budapest", means="plane"))
    client.post(url, travel_form(origin_country="HU", origin_city="Szeged", means="bus"))
    details = MobilityDetails.objects.get(registration=registration)
    assert (details.origin_city, details.means) == ("Szeged", "bus")

    organiser = client.__class__()
    organiser.force_login(timisoara.organiser)
    organiser.post(f"/en/workspace/{timisoara.slug}/mobility/lock/", {"locked": "1"})

    response = client.post(url, travel_form(origin_country="HU", origin_city="Budapest"))
    assert response.status_code == 200
    assert "The organisers have locked the travel details" in text(response)
    details.refresh_from_db()
    assert details.origin_city == "Szeged"


def test_an_unknown_city_is_refused_with_a_message(client, timisoara):
    registration = register(timisoara, "Zsofi", timisoara.hungary)
    response = client.post(
        f"/en/r/{registration.secret}/mobility/",
        travel_form(origin_country="HU", origin_city="Atlantis"),
    )
    assert response.status_code == 200
    assert "This place is not in our list of towns of that country" in text(response)
    assert not MobilityDetails.objects.filter(registration=registration).exists()


def test_the_travel_page_is_reached_only_by_the_private_link_of_a_mobility(client, timisoara):
    assert client.get("/en/r/not-a-secret/mobility/").status_code == 404
    meeting = EventFactory(registration_opens_at=timisoara.registration_opens_at)
    other, _created = services.registration_create(event=meeting, person=person())
    assert client.get(f"/en/r/{other.secret}/mobility/").status_code == 404
    assert "travel details" not in text(client.get(f"/en/r/{other.secret}/"))


def test_the_travel_page_is_never_stored_by_a_browser(client, timisoara):
    registration = register(timisoara, "Anna", timisoara.hungary)
    response = client.get(f"/en/r/{registration.secret}/mobility/")
    assert "no-store" in response["Cache-Control"]


def test_date_of_birth_is_not_asked_where_the_event_does_not_ask_it(client, timisoara):
    settings = mobility_services.mobility_settings_get_or_create(event=timisoara)
    settings.asks_date_of_birth = False
    settings.save()
    registration = register(timisoara, "Gabor", timisoara.hungary)
    page = text(client.get(f"/en/r/{registration.secret}/mobility/"))
    assert "Date of birth" not in page
    client.post(
        f"/en/r/{registration.secret}/mobility/",
        travel_form(origin_country="HU", origin_city="Budapest"),
    )
    assert MobilityDetails.objects.get(registration=registration).date_of_birth is None
