"""Demo travel for the Timișoara training (a mobility): a few participants of the partner
delegations with their city of origin, dates and means of transport, so that the
organisers' mobility overview and spreadsheets have something to show. Made through the
registration and mobility services; loading twice changes nothing."""

from datetime import timedelta

from django.db import transaction

from events.models import Event, Organisation
from registrations import services as registration_services
from registrations.models import Registration

from . import cities, services

TRAVELLERS = [
    # email, first, last, organisation, language, city, country, means, extra
    (
        "participant@rencontres.example",
        "",
        "",
        "largo-residencias",
        "pt",
        "Lisboa",
        "PT",
        "train",
        {"room_sharing": "With someone from my organisation"},
    ),
    (
        "rita.kandiko@example.org",
        "Rita",
        "Kandikó",
        "fekete-sereg",
        "hu",
        "Veszprém",
        "HU",
        "shared_car",
        {},
    ),
    (
        "bence.toth@example.org",
        "Bence",
        "Tóth",
        "fekete-sereg",
        "hu",
        "Budapest",
        "HU",
        "train",
        {"fewer_opportunities": True},
    ),
    (
        "zsofia.nagy@example.org",
        "Zsófia",
        "Nagy",
        "fekete-sereg",
        "hu",
        "Budapest",
        "HU",
        "train",
        {"accompanying_person": True},
    ),
    (
        "marco.bianchi@example.org",
        "Marco",
        "Bianchi",
        "solidarius-italia",
        "it",
        "Roma",
        "IT",
        "plane",
        {"needs_visa_letter": False},
    ),
    ("claire.dubois@example.org", "Claire", "Dubois", "ufisc", "fr", "Paris", "FR", "plane", {}),
]


@transaction.atomic
def load() -> None:
    event = Event.objects.filter(slug="coopterr-training-timisoara").first()
    if event is None:
        return
    services.mobility_settings_get_or_create(event=event)
    for email, first, last, org, language, city, country, means, extra in TRAVELLERS:
        registration = Registration.objects.filter(event=event, email=email).first()
        if registration is None:
            if event.registration_state() != "open":
                continue
            registration, _created = registration_services.registration_create(
                event=event,
                person=registration_services.Person(
                    email=email,
                    first_name=first,
                    last_name=last,
                    organisation=Organisation.objects.get(slug=org),
                    country=country,
                    language=language,
                    privacy_consent=True,
                ),
            )
        if hasattr(registration, "mobility") or not registration.holds_place:
            continue
        services.mobility_details_save(
            registration=registration,
            data=services.DetailsInput(
                origin=cities.city_find(name=city, country=country),
                arrival_at=event.starts_at - timedelta(hours=16),
                departure_at=event.ends_at + timedelta(hours=17),
                means=means,
                needs_visa_letter=extra.get("needs_visa_letter", False),
                accommodation_nights=(
                    event.local_ends_at.date() - event.local_starts_at.date()
                ).days
                + 1,
                room_sharing=extra.get("room_sharing", ""),
                accompanying_person=extra.get("accompanying_person", False),
                fewer_opportunities=extra.get("fewer_opportunities", False),
            ),
        )
