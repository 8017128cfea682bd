import pytest

from events.models import Event
from registrations import services

from ..factories import EventFactory, OrganisationFactory, UserFactory, VenueFactory, at, person

BUCHAREST = "Europe/Bucharest"


@pytest.fixture
def timisoara(db):
    """The Timișoara training: a mobility hosted by CRIES, with a Hungarian, a Portuguese
    and a Romanian delegation, an organiser and two partner coordinators."""
    venue = VenueFactory(
        name="CRIES",
        city="Timișoara",
        country="RO",
        latitude="45.755900",
        longitude="21.229000",
    )
    host = OrganisationFactory(name="CRIES", country="RO", city="Timișoara")
    event = EventFactory(
        slug="timisoara",
        kind=Event.Kind.TRAINING,
        title_en="Training in Timișoara",
        host=host,
        venue=venue,
        timezone=BUCHAREST,
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(33, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
        languages=["en", "pt", "ro", "hu"],
    )
    event.hungary = OrganisationFactory(name="Fekete Sereg", country="HU")
    event.portugal = OrganisationFactory(name="Largo Residências", country="PT")
    event.romania = host
    event.organiser = UserFactory(email="odile@example.org")
    event.organisers.add(event.organiser)
    event.hu_coordinator = UserFactory(email="rita@example.org")
    event.hungary.coordinators.add(event.hu_coordinator)
    event.pt_coordinator = UserFactory(email="marta@example.org")
    event.portugal.coordinators.add(event.pt_coordinator)
    return event


def register(event, first, organisation, **extra):
    return services.registration_create(
        event=event,
        person=person(
            first_name=first,
            last_name="Tester",
            email=f"{first.lower()}@example.org",
            organisation=organisation,
            country=organisation.country,
            **extra,
        ),
    )[0]
