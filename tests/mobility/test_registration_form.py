"""The travel details of a mobility are asked in the registration form itself, written in
the registration's own transaction, with their errors beside their fields; a delegate
registered by their coordinator gives them when confirming their details."""

import re
from datetime import timedelta

import pytest
from django.utils import translation

from mobility import services as mobility_services
from mobility.models import MobilityDetails
from registrations import services
from registrations.models import Registration

from ..events.test_pages import text
from ..factories import EventFactory, form_fields
from .conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def travel(**overrides):
    values = {
        "mobility_origin_country": "PT",
        "mobility_origin_city": "Lisboa",
        "mobility_means": "train",
        "mobility_accommodation_nights": "4",
        "mobility_room_sharing": "With João",
        "mobility_date_of_birth": "1990-04-25",
        "mobility_fewer_opportunities": "on",
    }
    values.update(overrides)
    return values


def marta(event, **overrides):
    return form_fields(
        first_name="Marta",
        last_name="Silva",
        email="marta.silva@example.org",
        organisation=str(event.portugal.pk),
        organisation_name="",
        country="PT",
        language="pt",
        **overrides,
    )


def field_errors(response, name: str) -> str:
    """The error list shown beside one field of the form."""
    html = response.content.decode()
    found = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def test_the_registration_form_of_a_mobility_asks_the_travel_details(client, timisoara):
    page = text(client.get(f"/en/events/{timisoara.slug}/register/"))
    for label in (
        "Your travel",
        "Country you travel from",
        "City or town you travel from",
        "Arrival (date and time, local time)",
        "Main means of transport",
        "I need a visa invitation letter",
        "Accommodation nights needed",
        "Room-sharing wishes",
        "Date of birth",
        "I am a participant with fewer opportunities",
    ):
        assert label in page, label
    assert "time zone (UTC+0" in page
    # In the participant's language too.
    page = text(client.get(f"/pt/events/{timisoara.slug}/register/"))
    assert "Principal meio de transporte" in page


def test_a_meeting_that_is_no_mobility_asks_no_travel(client, timisoara):
    meeting = EventFactory(registration_opens_at=timisoara.registration_opens_at)
    page = text(client.get(f"/en/events/{meeting.slug}/register/"))
    assert "City or town you travel from" not in page


def test_registering_saves_the_travel_details_with_the_registration(client, timisoara):
    arrival = timisoara.local_starts_at.date() - timedelta(days=2)
    response = client.post(
        f"/pt/events/{timisoara.slug}/register/",
        marta(timisoara, **travel(mobility_arrival_at=f"{arrival}T18:30")),
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="marta.silva@example.org")
    details = MobilityDetails.objects.get(registration=registration)
    assert (details.origin_city, details.origin_country.code, details.means) == (
        "Lisbon",
        "PT",
        "train",
    )
    assert (details.accommodation_nights, details.room_sharing) == (4, "With João")
    assert str(details.date_of_birth) == "1990-04-25"
    assert details.fewer_opportunities is True
    # Typed in the event's time zone (Bucharest), whatever the page's.
    assert timisoara.local(details.arrival_at).strftime("%Y-%m-%d %H:%M") == f"{arrival} 18:30"
    # The private page shows the band and the green amount at once, and lets her correct.
    page = text(client.get(f"/pt/r/{registration.secret}/mobility/"))
    assert "2 602 km" in page and "410 EUR" in page
    assert "Os seus dados de viagem" in text(client.get(f"/pt/r/{registration.secret}/"))


def test_travel_left_for_later_is_asked_on_the_private_page(client, timisoara):
    response = client.post(f"/en/events/{timisoara.slug}/register/", marta(timisoara))
    assert response.status_code == 302
    registration = Registration.objects.get(email="marta.silva@example.org")
    assert not MobilityDetails.objects.filter(registration=registration).exists()
    assert "Enter your travel details" in text(client.get(f"/en/r/{registration.secret}/"))


def test_errors_are_shown_beside_their_fields_in_the_persons_language(client, timisoara):
    arrival = timisoara.local_starts_at.date()
    response = client.post(
        f"/pt/events/{timisoara.slug}/register/",
        marta(
            timisoara,
            **travel(
                mobility_origin_city="Atlantis",
                mobility_arrival_at=f"{arrival}T18:30",
                mobility_departure_at=f"{arrival}T08:00",
                mobility_accommodation_nights="-1",
            ),
        ),
    )
    assert response.status_code == 400
    assert "não está na nossa lista" in field_errors(response, "mobility_origin_city")
    assert "A partida tem de ser depois da chegada" in field_errors(
        response, "mobility_departure_at"
    )
    assert field_errors(response, "mobility_accommodation_nights")
    # Nothing was written: no registration without its travel.
    assert not Registration.objects.filter(email="marta.silva@example.org").exists()
    assert not MobilityDetails.objects.exists()


def test_a_city_without_its_country_is_refused_beside_the_country(client, timisoara):
    response = client.post(
        f"/en/events/{timisoara.slug}/register/",
        marta(timisoara, **travel(mobility_origin_country="")),
    )
    assert response.status_code == 400
    assert "Choose the country of the town you travel from." in field_errors(
        response, "mobility_origin_country"
    )
    assert not Registration.objects.exists()


def test_a_known_address_submitted_again_changes_nothing_of_the_travel(client, timisoara):
    client.post(f"/en/events/{timisoara.slug}/register/", marta(timisoara, **travel()))
    # Someone who knows her address submits the form with other travel details.
    response = client.post(
        f"/en/events/{timisoara.slug}/register/",
        marta(timisoara, **travel(mobility_origin_city="Porto", mobility_means="plane")),
    )
    assert response.status_code == 302
    details = MobilityDetails.objects.get()
    assert (details.origin_city, details.means) == ("Lisbon", "train")


def test_a_newcomer_gives_their_travel_even_after_the_lock_then_cannot_change_it(client, timisoara):
    mobility_services.mobility_lock(event=timisoara, locked=True)
    client.post(f"/en/events/{timisoara.slug}/register/", marta(timisoara, **travel()))
    registration = Registration.objects.get(email="marta.silva@example.org")
    assert MobilityDetails.objects.get(registration=registration).origin_city == "Lisbon"
    page = text(client.get(f"/en/r/{registration.secret}/mobility/"))
    assert "The organisers have locked the travel details" in page


def test_date_of_birth_is_asked_only_where_the_event_asks_the_role_always_counts(client, timisoara):
    settings = mobility_services.mobility_settings_get_or_create(event=timisoara)
    settings.asks_date_of_birth = False
    settings.save()
    page = text(client.get(f"/en/events/{timisoara.slug}/register/"))
    assert "Date of birth" not in page
    client.post(
        f"/en/events/{timisoara.slug}/register/",
        marta(timisoara, role="accompanying", **travel()),
    )
    details = MobilityDetails.objects.get()
    assert details.date_of_birth is None and details.accompanying_person is True


def test_a_delegate_gives_their_travel_when_confirming_their_details(client, timisoara):
    """A coordinator registers names and addresses only: travel, date of birth and fewer
    opportunities are the person's own to give, with their consent."""
    (registration, _created), *_rest = services.delegation_register(
        coordinator=timisoara.hu_coordinator,
        event=timisoara,
        organisation=timisoara.hungary,
        people=[services.Person(email="bence@example.org", first_name="Bence", last_name="K")],
    )
    url = f"/en/r/{registration.secret}/details/"
    assert "City or town you travel from" in text(client.get(url))
    response = client.post(
        url,
        form_fields(
            first_name="Bence",
            last_name="K",
            email="bence@example.org",
            country="HU",
            language="hu",
            **travel(mobility_origin_country="HU", mobility_origin_city="Budapest"),
        ),
    )
    assert response.status_code == 302, text(response)
    details = MobilityDetails.objects.get(registration=registration)
    assert (details.origin_city, details.fewer_opportunities) == ("Budapest", True)
    # Confirming again shows what was given; once locked, the form no longer asks it.
    assert 'value="Budapest"' in client.get(url).content.decode()
    mobility_services.mobility_lock(event=timisoara, locked=True)
    assert "City or town you travel from" not in text(client.get(url))


def test_the_coordinator_registering_a_delegation_is_not_asked_anyones_travel(client, timisoara):
    client.force_login(timisoara.hu_coordinator)
    page = text(client.get(f"/en/coordinator/{timisoara.hungary.slug}/{timisoara.slug}/"))
    assert "City or town you travel from" not in page
    assert register(timisoara, "Zsofi", timisoara.hungary).status == "confirmed"


def test_the_travel_details_are_written_in_the_registrations_own_transaction(timisoara):
    """Travel the database refuses (departure before arrival, past the form's checks)
    takes the registration down with it: no registration without its travel."""
    from django.db import IntegrityError

    from mobility.forms import MobilityFormExtension
    from mobility.selectors import settings_of

    extension = MobilityFormExtension(
        event=timisoara, settings=settings_of(timisoara), details=None
    )
    arrival = timisoara.starts_at
    cleaned = {"arrival_at": arrival, "departure_at": arrival - timedelta(hours=1)}
    with pytest.raises(IntegrityError):
        services.registration_create(
            event=timisoara,
            person=services.Person(
                email="marta.silva@example.org",
                first_name="Marta",
                last_name="Silva",
                organisation=timisoara.portugal,
                privacy_consent=True,
                extensions=[(extension, cleaned)],
            ),
        )
    assert not Registration.objects.exists()
    assert not MobilityDetails.objects.exists()
