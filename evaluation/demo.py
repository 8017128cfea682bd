"""Demo feedback: the network's last national meeting in Saint-Étienne (a past edition,
two weeks ago, at Le Fil), with its three workshops, a dozen participants from the
partner organisations, a feedback survey in six languages and a dozen answers.

The past edition is made here when the demo has no past national meeting yet (the events
demo's Saint-Étienne meeting is the coming one). Loading twice changes nothing.
"""

import unicodedata
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from events import demo as events_demo
from events.models import Event, Organisation, ProgrammeItem, Venue
from registrations.demo import PEOPLE
from registrations.models import Attendance, Registration, WorkshopChoice

from . import services
from .models import Survey, SurveyQuestion

PAST_MEETING = "rencontres-nationales-saint-etienne-precedentes"
TZ = "Europe/Paris"

QUESTIONS = [
    # kind, required, per session, texts
    (
        "rating",
        True,
        False,
        {
            "fr": "La rencontre a-t-elle été utile à votre travail ?",
            "en": "How useful was the meeting for your work?",
            "ro": "Cât de utilă a fost întâlnirea pentru activitatea dumneavoastră?",
            "hu": "Mennyire volt hasznos a találkozó az Ön munkájához?",
            "pt": "Que utilidade teve o encontro para o seu trabalho?",
            "it": "Quanto è stato utile l’incontro per il Suo lavoro?",
        },
    ),
    (
        "rating",
        False,
        True,
        {
            "fr": "Quelle note donnez-vous à cet atelier ?",
            "en": "How would you rate this workshop?",
            "ro": "Ce notă dați acestui atelier?",
            "hu": "Hogyan értékeli ezt a műhelyt?",
            "pt": "Que classificação dá a esta oficina?",
            "it": "Come valuta questo laboratorio?",
        },
    ),
    (
        "text",
        False,
        False,
        {
            "fr": "Qu’allez-vous rapporter à votre organisation ?",
            "en": "What will you take back to your organisation?",
            "ro": "Ce veți duce înapoi în organizația dumneavoastră?",
            "hu": "Mit visz haza a szervezetének?",
            "pt": "O que vai levar para a sua organização?",
            "it": "Che cosa riporterà alla Sua organizzazione?",
        },
    ),
    (
        "text",
        False,
        False,
        {
            "fr": "Que devrions-nous changer la prochaine fois ?",
            "en": "What should we change next time?",
            "ro": "Ce ar trebui să schimbăm data viitoare?",
            "hu": "Mit változtassunk legközelebb?",
            "pt": "O que devemos mudar da próxima vez?",
            "it": "Che cosa dovremmo cambiare la prossima volta?",
        },
    ),
]

# (overall rating, workshop rating, take back, change, signed), one per person of PEOPLE
ANSWERS = [
    (5, 5, "Un modèle de convention pour mutualiser un poste.", "", False),
    (4, 4, "", "Plus de temps pour les ateliers.", False),
    (4, 5, "Contacts with two cooperatives in Lyon.", "", True),
    (5, 4, "", "", False),
    (3, 3, "", "More translation into English, please.", False),
    (4, 4, "Ideas for our third place in Veszprém.", "", False),
    (5, 5, "", "", False),
    (4, 3, "", "The room was too small for the workshop.", False),
    (5, 4, "A network of shared places in Portugal.", "", True),
    (3, 4, "", "Shorter plenaries.", False),
    (4, 5, "", "", False),
    (5, 5, "Le partage d’emplois entre associations.", "", False),
]


def _email(first: str, last: str) -> str:
    plain = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
    return "".join(c for c in plain if c.isascii()) + "@example.org"


def _past_meeting() -> Event | None:
    """The most recent past national meeting, made (a past edition in Saint-Étienne) if
    the demo has none."""
    past = (
        Event.objects.filter(
            kind=Event.Kind.NATIONAL_MEETING,
            status=Event.Status.PUBLISHED,
            ends_at__lt=timezone.now(),
        )
        .order_by("-ends_at")
        .first()
    )
    if past is not None:
        return past
    host = Organisation.objects.filter(slug="le-fil").first()
    venue = Venue.objects.filter(organisation=host).first()
    if host is None or venue is None:
        return None
    organiser = get_user_model().objects.filter(username="organiser@rencontres.example").first()
    d1 = timezone.localdate() - timedelta(days=14)
    d2 = d1 + timedelta(days=1)
    event = events_demo._event(
        PAST_MEETING,
        kind=Event.Kind.NATIONAL_MEETING,
        status=Event.Status.PUBLISHED,
        host=host,
        venue=venue,
        timezone=TZ,
        starts_at=events_demo._local(d1, "09:00", TZ),
        ends_at=events_demo._local(d2, "13:00", TZ),
        registration_opens_at=events_demo._local(d1 - timedelta(days=60), "09:00", TZ),
        registration_closes_at=events_demo._local(d1 - timedelta(days=3), "23:59", TZ),
        capacity=200,
        default_language="fr",
        languages=["fr", "en"],
        organisers=[organiser] if organiser else [],
        texts={
            "title": {
                "fr": "Rencontres nationales à Saint-Étienne (édition précédente)",
                "en": "National meeting in Saint-Étienne (previous edition)",
                "ro": "Întâlnirea națională de la Saint-Étienne (ediția precedentă)",
                "hu": "Országos találkozó Saint-Étienne-ben (előző kiadás)",
                "pt": "Encontro nacional em Saint-Étienne (edição anterior)",
                "it": "Incontro nazionale a Saint-Étienne (edizione precedente)",
            },
            "summary": {
                "fr": "Deux jours d’échanges entre acteurs culturels et de l’économie "
                "solidaire, accueillis par Le Fil.",
                "en": "Two days of exchanges between cultural and social economy "
                "organisations, hosted by Le Fil.",
                "ro": "Două zile de schimburi între organizații culturale și de economie "
                "socială, găzduite de Le Fil.",
                "hu": "Kétnapos eszmecsere kulturális és szociális gazdasági szervezetek "
                "között, a Le Fil vendégeként.",
                "pt": "Dois dias de intercâmbio entre organizações culturais e da economia "
                "social, acolhidos pelo Le Fil.",
                "it": "Due giorni di scambi tra organizzazioni culturali e dell’economia "
                "sociale, ospitati da Le Fil.",
            },
        },
    )
    rooms = {("le-fil", room.name): room for room in venue.rooms.all()}
    names = [room.name for room in venue.rooms.order_by("position")]
    main = names[0] if names else None
    workshop_rooms = [*names[1:], None, None, None][:3]
    # English titles the events demo translates into every language (its TRANSLATIONS).
    workshops = [
        (
            "atelier-emploi",
            "Workshop 1: sharing jobs between organisations",
            "Atelier 1 : mutualiser l'emploi",
        ),
        (
            "atelier-lieux",
            "Workshop 2: shared places and third places",
            "Atelier 2 : lieux partagés et tiers-lieux",
        ),
        (
            "atelier-collectivites",
            "Workshop 3: cooperating with local authorities",
            "Atelier 3 : coopérer avec les collectivités",
        ),
    ]
    items = [
        {
            "key": "ouverture",
            "kind": ProgrammeItem.Kind.PLENARY,
            "room": main,
            **events_demo._slot(d1, "09:30", "11:00", TZ),
            "language": "fr",
            "texts": {
                "title": {
                    "en": "Opening plenary: why cooperate?",
                    "fr": "Plénière d'ouverture : pourquoi coopérer ?",
                }
            },
        },
        *[
            {
                "key": key,
                "kind": ProgrammeItem.Kind.WORKSHOP,
                "room": room,
                "capacity": 60,
                **events_demo._slot(d1, "11:15", "12:45", TZ),
                "language": "fr",
                "texts": {"title": {"en": title, "fr": french}},
            }
            for (key, title, french), room in zip(workshops, workshop_rooms, strict=True)
        ],
        {
            "key": "cloture",
            "kind": ProgrammeItem.Kind.PLENARY,
            "room": main,
            **events_demo._slot(d2, "11:00", "13:00", TZ),
            "language": "fr",
            "texts": {"title": {"en": "Closing plenary", "fr": "Plénière de clôture"}},
        },
    ]
    events_demo._programme(event, items, rooms, "le-fil", {})
    return event


def _participants(event: Event) -> list[Registration]:
    """The dozen people of the registrations demo, each in one workshop (checked in)."""
    workshops = list(
        event.programme_items.filter(kind=ProgrammeItem.Kind.WORKSHOP).order_by("starts_at", "pk")
    )
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = []
    for number, (first, last, slug, language) in enumerate(PEOPLE[: len(ANSWERS)]):
        registration, created = Registration.objects.get_or_create(
            event=event,
            email=_email(first, last),
            defaults={
                "status": Registration.Status.CONFIRMED,
                "first_name": first,
                "last_name": last,
                "organisation": organisations.get(slug),
                "organisation_name": organisations[slug].name if slug in organisations else "",
                "country": organisations[slug].country.code if slug in organisations else "",
                "language": language,
                "privacy_consent_version": event.privacy_notice_version,
                "privacy_consented_at": event.starts_at - timedelta(days=20),
            },
        )
        if created:
            Event.objects.filter(pk=event.pk).update(places_taken=F("places_taken") + 1)
            if workshops:
                # The first three people in workshop 1, so that every group shows.
                item = workshops[0] if number < 5 else workshops[number % len(workshops)]
                WorkshopChoice.objects.create(
                    registration=registration, item=item, status=WorkshopChoice.Status.CONFIRMED
                )
                ProgrammeItem.objects.filter(pk=item.pk).update(places_taken=F("places_taken") + 1)
                Attendance.objects.create(
                    registration=registration, day=event.local(item.starts_at).date(), item=item
                )
        people.append(registration)
    return people


@transaction.atomic
def load() -> None:
    event = _past_meeting()
    if event is None:
        return
    survey, created = Survey.objects.get_or_create(
        event=event, defaults={"closes_at": event.ends_at + timedelta(days=30)}
    )
    if created:
        for position, (kind, required, per_session, texts) in enumerate(QUESTIONS):
            SurveyQuestion.objects.create(
                survey=survey,
                kind=kind,
                required=required,
                per_session=per_session,
                position=position,
                label=texts[event.default_language]
                if event.default_language in texts
                else texts["en"],
                **{f"label_{code}": text for code, text in texts.items()},
            )
    if survey.receipts.exists() or not survey.is_open():
        return
    overall, per_workshop, take_back, change = survey.questions.order_by("position")
    for registration, (rating, workshop, back, better, signed) in zip(
        _participants(event), ANSWERS, strict=False
    ):
        sessions = list(
            ProgrammeItem.objects.filter(choices__registration=registration).select_related("event")
        )
        services.response_submit(
            survey=survey,
            registration=registration,
            signed=signed,
            answers=[
                services.Given(question=overall, item=None, rating=rating, text=""),
                *[
                    services.Given(question=per_workshop, item=item, rating=workshop, text="")
                    for item in sessions
                ],
                services.Given(question=take_back, item=None, rating=None, text=back),
                services.Given(question=change, item=None, rating=None, text=better),
            ],
        )
