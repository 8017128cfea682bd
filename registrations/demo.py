"""Demo registrations: partner quotas, travel questions and delegations, made through the
registration services so that places, waiting lists and emails are what they would be."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from events.i18n import localized_value
from events.models import Event, Organisation, ProgrammeItem

from . import services
from .models import Question, QuestionOption, Quota, Registration

PEOPLE = [
    # first, last, organisation slug, language
    ("Mihaela", "Vețan", "cries", "ro"),
    ("Andrei", "Popa", "cries", "ro"),
    ("Ioana", "Stan", "cries", "ro"),
    ("Rita", "Kandikó", "fekete-sereg", "hu"),
    ("Bence", "Tóth", "fekete-sereg", "hu"),
    ("Zsófia", "Nagy", "fekete-sereg", "hu"),
    ("Gábor", "Kiss", "fekete-sereg", "hu"),
    ("Marta", "Silva", "largo-residencias", "pt"),
    ("João", "Ferreira", "largo-residencias", "pt"),
    ("Lucia", "Ferri", "solidarius-italia", "it"),
    ("Marco", "Bianchi", "solidarius-italia", "it"),
    ("Jason", "Nardi", "ripess-europe", "en"),
    ("Claire", "Dubois", "ufisc", "fr"),
    ("Patricia", "Coelho", "ufisc", "fr"),
    ("Julien", "Martin", "ufisc", "fr"),
]

#: A free-text answer, as each demo participant writes it in their own language.
VEGETARIAN = {
    "en": "vegetarian",
    "fr": "végétarien",
    "ro": "vegetarian",
    "hu": "vegetáriánus",
    "pt": "vegetariano",
    "it": "vegetariano",
}


def _questions(event: Event) -> dict[str, Question]:
    specs = [
        (
            "arrival",
            Question.Kind.DATE,
            {
                "en": "Arrival date",
                "fr": "Date d’arrivée",
                "ro": "Data sosirii",
                "hu": "Érkezés napja",
                "pt": "Data de chegada",
                "it": "Data di arrivo",
            },
            True,
        ),
        (
            "from",
            Question.Kind.LINE,
            {
                "en": "Travelling from (city)",
                "fr": "Ville de départ",
                "ro": "Orașul de plecare",
                "hu": "Honnan utazik? (település)",
                "pt": "Cidade de partida",
                "it": "Città di partenza",
            },
            True,
        ),
        (
            "travel",
            Question.Kind.SINGLE,
            {
                "en": "How do you travel?",
                "fr": "Comment voyagez-vous\u00a0?",
                "ro": "Cu ce mijloc de transport veniți?",
                "hu": "Hogyan utazik?",
                "pt": "Como vai viajar?",
                "it": "Come viaggerà?",
            },
            False,
        ),
        (
            "room",
            Question.Kind.YES_NO,
            {
                "en": "Do you need accommodation?",
                "fr": "Avez-vous besoin d’un hébergement\u00a0?",
                "ro": "Aveți nevoie de cazare?",
                "hu": "Szüksége van szállásra?",
                "pt": "Precisa de alojamento?",
                "it": "Ha bisogno di un alloggio?",
            },
            False,
        ),
    ]
    questions = {}
    for position, (key, kind, labels, required) in enumerate(specs):
        question = Question.objects.filter(event=event, position=position).first()
        question = question or Question(event=event, position=position)
        question.kind, question.required = kind, required
        for code, label in labels.items():
            setattr(question, f"label_{code}", label)
        question.save()
        questions[key] = question
    travel_options = [
        # en, fr, ro, hu, pt, it
        ("Train", "Train", "Tren", "Vonat", "Comboio", "Treno"),
        ("Bus", "Bus", "Autocar", "Busz", "Autocarro", "Pullman"),
        (
            "Car sharing",
            "Covoiturage",
            "Mașină în comun",
            "Telekocsi",
            "Boleia partilhada",
            "Auto condivisa",
        ),
        ("Plane", "Avion", "Avion", "Repülő", "Avião", "Aereo"),
    ]
    for position, labels in enumerate(travel_options):
        QuestionOption.objects.update_or_create(
            question=questions["travel"],
            position=position,
            defaults={
                f"label_{code}": label
                for code, label in zip(("en", "fr", "ro", "hu", "pt", "it"), labels, strict=True)
            },
        )
    return questions


@transaction.atomic
def load() -> None:
    # The demo organiser also sets questions and quotas and decides on registrations, in
    # the admin pages scoped to their events (the group is made by events.demo).
    Group.objects.get_or_create(name="Organisers")[0].permissions.add(
        *Permission.objects.filter(
            content_type__app_label="registrations",
            codename__in=[
                *(
                    f"{action}_{model}"
                    for action in ("add", "change", "delete", "view")
                    for model in ("question", "questionoption", "quota")
                ),
                "change_registration",
                "view_registration",
            ],
        )
    )
    organisations = {o.slug: o for o in Organisation.objects.all()}
    training = Event.objects.get(slug="coopterr-training-nagyvazsony")
    for slug in (
        "cries",
        "fekete-sereg",
        "largo-residencias",
        "solidarius-italia",
        "ripess-europe",
        "ufisc",
    ):
        Quota.objects.update_or_create(
            event=training,
            organisation=organisations[slug],
            defaults={"places": 8, "release_at": training.starts_at - timedelta(days=21)},
        )
    questions = _questions(training)
    bus = questions["travel"].options.order_by("position")[1]
    workshops = list(
        training.programme_items.filter(kind=ProgrammeItem.Kind.WORKSHOP).order_by(
            "starts_at", "room__position"
        )
    )
    slots: dict = {}
    for item in workshops:
        slots.setdefault(item.starts_at, []).append(item)
    for number, (first, last, slug, language) in enumerate(PEOPLE):
        choice = [items[number % len(items)] for items in slots.values()]
        email = (
            f"{first.lower()}.{last.lower()}@example.org".replace("ț", "t")
            .replace("ó", "o")
            .replace("ö", "o")
            .replace("á", "a")
            .replace("ã", "a")
            .replace("ç", "c")
            .replace("é", "e")
        )
        if Registration.objects.filter(event=training, email=email).exists():
            continue  # loaded before (a second submission would email the private link)
        services.registration_create(
            event=training,
            person=services.Person(
                email=email,
                first_name=first,
                last_name=last,
                organisation=organisations[slug],
                country=organisations[slug].country.code,
                language=language,
                privacy_consent=True,
                listed_publicly=number % 3 != 0,
                dietary_needs=VEGETARIAN[language] if number % 4 == 0 else "",
                workshops=choice,
                answers={
                    questions["arrival"].pk: (
                        training.local_starts_at.date() - timedelta(days=1)
                    ).isoformat(),
                    # as each person writes their city
                    questions["from"].pk: localized_value(
                        organisations[slug], "city", language=language
                    ),
                    questions["travel"].pk: str(bus.pk),
                    questions["room"].pk: True,
                },
            ),
        )

    # The demo participant has a place in Timișoara, with a workshop.
    participant = get_user_model().objects.get(username="participant@rencontres.example")
    timisoara = Event.objects.get(slug="coopterr-training-timisoara")
    first_slot = (
        timisoara.programme_items.filter(kind=ProgrammeItem.Kind.WORKSHOP)
        .order_by("starts_at", "room__position")
        .first()
    )
    services.registration_create(
        event=timisoara,
        user=participant,
        person=services.Person(
            email=participant.email,
            first_name=participant.first_name,
            last_name=participant.last_name,
            organisation=organisations["largo-residencias"],
            country="PT",
            language="pt",
            privacy_consent=True,
            workshops=[first_slot] if first_slot else [],
        ),
    )
    # The Romanian coordinator's delegation to the closing event, one of them to confirm.
    closing = Event.objects.get(slug="coopterr-closing-event-paris")
    coordinator = get_user_model().objects.get(username="coordinator.ro@rencontres.example")
    if closing.registration_state(timezone.now()) == "open":
        services.delegation_register(
            coordinator=coordinator,
            event=closing,
            organisation=organisations["cries"],
            people=[
                services.Person(
                    email="andrei.popa@example.org",
                    first_name="Andrei",
                    last_name="Popa",
                    language="ro",
                )
            ],
        )
