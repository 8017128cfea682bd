"""Demo travel for the Timișoara training (a mobility): a few participants of the partner
delegations with their city of origin, dates and means of transport, so that the
organisers' mobility overview and spreadsheets have something to show. Made through the
registration and mobility services; loading twice changes nothing."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from events.demo import texts
from events.models import Event, Organisation
from registrations import services as registration_services
from registrations.models import Registration, Role

from . import cities, services
from .models import Project, ProjectActivity, Series, SeriesEdition

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
                    role=Role.ACCOMPANYING
                    if extra.get("accompanying_person")
                    else Role.PARTICIPANT,
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
                fewer_opportunities=extra.get("fewer_opportunities", False),
            ),
        )


@transaction.atomic
def load_nagyvazsony() -> None:
    """The travel of the Nagyvázsony training's participants (registrations.demo): from
    their organisation's town, by bus, arriving the evening before. The mobility's own
    fields ask it (the event has no travel questions of its own); loading twice changes
    nothing."""
    event = Event.objects.filter(slug="coopterr-training-nagyvazsony").first()
    if event is None:
        return
    services.mobility_settings_get_or_create(event=event)
    nights = (event.local_ends_at.date() - event.local_starts_at.date()).days + 1
    registrations = Registration.objects.filter(
        event=event, mobility__isnull=True, details_confirmed=True, organisation__isnull=False
    ).select_related("organisation")
    for registration in registrations:
        if not registration.holds_place:
            continue
        organisation = registration.organisation
        town = cities.city_find(name=organisation.city_en, country=organisation.country.code)
        services.mobility_details_save(
            registration=registration,
            data=services.DetailsInput(
                origin=town,
                arrival_at=event.starts_at - timedelta(hours=16),
                departure_at=event.ends_at + timedelta(hours=17),
                means="bus",
                needs_visa_letter=False,
                accommodation_nights=nights,
                room_sharing="",
            ),
        )


#: The past Lisbon training: who came, from where, how; the demo participant among them,
#: so that they download their certificate of attendance from their private page.
PAST_TRAVELLERS = [
    # email, first, last, organisation, language, city, country, means, days present
    (
        "participant@rencontres.example",
        "",
        "",
        "largo-residencias",
        "pt",
        "Porto",
        "PT",
        "train",
        4,
    ),
    ("ioana.marin@example.org", "Ioana", "Marin", "cries", "ro", "Timișoara", "RO", "plane", 4),
    ("bence.toth@example.org", "Bence", "Tóth", "fekete-sereg", "hu", "Budapest", "HU", "plane", 3),
    (
        "giulia.rossi@example.org",
        "Giulia",
        "Rossi",
        "solidarius-italia",
        "it",
        "Roma",
        "IT",
        "train",
        4,
    ),
    ("claire.dubois@example.org", "Claire", "Dubois", "ufisc", "fr", "Paris", "FR", "train", 2),
]


@transaction.atomic
def load_past() -> None:
    """Registrations, travel details and check-ins of the past Lisbon training, made
    through the services as they were then (registration open, each day checked in at its
    end); loading twice changes nothing."""
    event = Event.objects.filter(slug="coopterr-training-lisbon").first()
    if event is None or not event.is_past:
        return
    services.mobility_settings_get_or_create(event=event)
    users = get_user_model().objects
    registered_on = event.registration_opens_at + timedelta(days=1)
    first_day = event.local_starts_at.date()
    for email, first, last, org, language, city, country, means, present in PAST_TRAVELLERS:
        registration = Registration.objects.filter(event=event, email=email).first()
        if registration is None:
            user = users.filter(username=email).first()
            registration, _created = registration_services.registration_create(
                event=event,
                user=user,
                now=registered_on,
                person=registration_services.Person(
                    email=email,
                    first_name=first or (user.first_name if user else ""),
                    last_name=last or (user.last_name if user else ""),
                    organisation=Organisation.objects.get(slug=org),
                    country=country,
                    language=language,
                    privacy_consent=True,
                ),
            )
        if registration.status != Registration.Status.CONFIRMED:
            continue
        if not hasattr(registration, "mobility"):
            services.mobility_details_save(
                registration=registration,
                data=services.DetailsInput(
                    origin=cities.city_find(name=city, country=country),
                    arrival_at=event.starts_at - timedelta(hours=15),
                    departure_at=event.ends_at + timedelta(hours=16),
                    means=means,
                    needs_visa_letter=False,
                    accommodation_nights=(event.local_ends_at.date() - first_day).days + 1,
                    room_sharing="",
                ),
            )
        for offset in range(present):
            day = first_day + timedelta(days=offset)
            registration_services.attendance_mark(
                registration=registration, day=day, now=event.ends_at
            )
    services.mobility_lock(event=event, locked=True, now=event.starts_at - timedelta(days=7))


ACTIVITIES = [
    ("coopterr-coordination-online", ProjectActivity.Type.PROJECT_MEETING),
    ("coopterr-transnational-meeting-rome", ProjectActivity.Type.PROJECT_MEETING),
    ("coopterr-training-timisoara", ProjectActivity.Type.TRAINING),
    ("coopterr-training-nagyvazsony", ProjectActivity.Type.TRAINING),
    ("coopterr-training-lisbon", ProjectActivity.Type.TRAINING),
    ("coopterr-luxembourg-draft", ProjectActivity.Type.TRAINING),
    ("coopterr-closing-event-paris", ProjectActivity.Type.MULTIPLIER),
]


#: Texts a visitor reads on the project's and the series' pages, in the six languages.
PROJECT_ACTION = {
    "action": {
        "en": "KA2 cooperation partnership",
        "fr": "Partenariat de coopération (KA2)",
        "ro": "Parteneriat de cooperare (KA2)",
        "hu": "Együttműködési partnerség (KA2)",
        "pt": "Parceria de cooperação (KA2)",
        "it": "Partenariato di cooperazione (KA2)",
    }
}
SERIES_DESCRIPTION = {
    "description": {
        "en": "The national meetings of the network, each year in another city: Redon, "
        "Saint-Étienne, Avignon…",
        "fr": "Les rencontres nationales du réseau, chaque année dans une autre ville\u00a0: "
        "Redon, Saint-Étienne, Avignon…",
        "ro": "Întâlnirile naționale ale rețelei, în fiecare an în alt oraș: Redon, "
        "Saint-Étienne, Avignon…",
        "hu": "A hálózat országos találkozói, minden évben más városban: Redon, "
        "Saint-Étienne, Avignon…",
        "pt": "Os encontros nacionais da rede, todos os anos numa cidade diferente: Redon, "
        "Saint-Étienne, Avignon…",
        "it": "Gli incontri nazionali della rete, ogni anno in una città diversa: Redon, "
        "Saint-Étienne, Avignon…",
    }
}


@transaction.atomic
def load_projects() -> None:
    """COOPTERR, the Erasmus+ partnership of six organisations, with the demo's COOPTERR
    events as its activities (the demo organiser coordinates it); and the national
    meetings' cycle as a series."""
    partners = Organisation.objects.filter(
        slug__in=[
            "cries",
            "fekete-sereg",
            "largo-residencias",
            "ripess-europe",
            "solidarius-italia",
            "ufisc",
        ]
    )
    if partners.count() < 6:
        return
    project, _created = Project.objects.update_or_create(
        slug="coopterr",
        defaults={
            "name": "COOPTERR",
            "programme": "Erasmus+",
            **texts(PROJECT_ACTION),
            "starts_on": date(2020, 9, 1),
            "ends_on": date(2023, 4, 30),
            "coordinating_organisation": partners.get(slug="ufisc"),
        },
    )
    project.partners.set(partners)
    organiser = get_user_model().objects.filter(username="organiser@rencontres.example").first()
    if organiser:
        project.coordinators.add(organiser)
    for slug, activity_type in ACTIVITIES:
        event = Event.objects.filter(slug=slug).first()
        if event:
            ProjectActivity.objects.update_or_create(
                event=event, defaults={"project": project, "type": activity_type}
            )
    series, _created = Series.objects.update_or_create(
        slug="rencontres-nationales",
        defaults={"name": "Rencontres nationales", **texts(SERIES_DESCRIPTION)},
    )
    meeting = Event.objects.filter(slug="rencontres-nationales-saint-etienne").first()
    if meeting:
        SeriesEdition.objects.update_or_create(event=meeting, defaults={"series": series})
