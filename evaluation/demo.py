"""Demo feedback: last year's national meeting in Saint-Étienne, a dozen participants
from the partner organisations in its workshops, a feedback survey in six languages
(still open, so that the demo can be answered too) and a dozen answers.

The events demo's Saint-Étienne meeting is the coming one: its previous edition is
``events.demo.past_national_meeting`` (a copy a year earlier, shared with the resources
demo). Loading twice changes nothing.
"""

import unicodedata
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from events.demo import past_national_meeting
from events.models import Event, Organisation, ProgrammeItem
from registrations.demo import PEOPLE
from registrations.models import Attendance, Registration, WorkshopChoice

from . import services
from .models import Survey, SurveyQuestion

QUESTIONS = [
    # kind, required, per session, texts
    (
        "rating",
        True,
        False,
        {
            "fr": "La rencontre a-t-elle été utile à votre travail\u00a0?",
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
            "fr": "Quelle note donnez-vous à cet atelier\u00a0?",
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
            "fr": "Qu’allez-vous rapporter à votre organisation\u00a0?",
            "en": "What will you take back to your organisation?",
            "ro": "Ce veți transmite organizației dumneavoastră la întoarcere?",
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
            "fr": "Que devrions-nous changer la prochaine fois\u00a0?",
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


#: The workshop (by its place in the programme) of each person of ANSWERS.
GROUPS = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3]


def _email(first: str, last: str) -> str:
    plain = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
    return "".join(c for c in plain if c.isascii()) + "@example.org"


def _participants(event: Event) -> list[Registration]:
    """The dozen people of the registrations demo, each in one workshop (checked in):
    four, four and three in the first morning's three, one in a later one (too few to be
    shown)."""
    workshops = list(
        event.programme_items.filter(kind=ProgrammeItem.Kind.WORKSHOP).order_by(
            "starts_at", "room__position", "pk"
        )
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
                item = workshops[min(GROUPS[number], len(workshops) - 1)]
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
    event = past_national_meeting()
    if event is None:
        return
    # Open three more weeks from the day the demo is loaded, whenever the meeting was.
    survey, created = Survey.objects.get_or_create(
        event=event, defaults={"closes_at": timezone.now() + timedelta(days=21)}
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
