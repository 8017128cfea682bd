"""Demo registrations: partner quotas, the organisers' own questions and delegations, made
through the registration services so that places, waiting lists and emails are what they
would be."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from events.models import Event, Organisation, ProgrammeItem

from . import services
from .models import Question, Quota, Registration

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


#: Questions the Nagyvázsony demo asked before the product asked a mobility's travel
#: (city of departure, arrival, means of transport, accommodation) in its own fields: an
#: older demo database loses them, the travel section of the form asks them.
TRAVEL_QUESTIONS = (
    "Arrival date",
    "Travelling from (city)",
    "How do you travel?",
    "Do you need accommodation?",
)

#: What a delegate brings to the partners' market, as each one writes it.
MARKET_STAND = {
    "en": "Posters and booklets",
    "fr": "Des affiches et des brochures",
    "ro": "Afișe și broșuri",
    "hu": "Plakátok és kiadványok",
    "pt": "Cartazes e folhetos",
    "it": "Manifesti e opuscoli",
}


def _questions(event: Event) -> dict[str, Question]:
    """The organisers' own questions: none about travel, which the mobility's form asks."""
    Question.objects.filter(event=event, label_en__in=TRAVEL_QUESTIONS).delete()
    specs = [
        (
            "market",
            Question.Kind.YES_NO,
            {
                "en": "Will you present your organisation at the partners' market?",
                "fr": "Présenterez-vous votre organisation au marché des partenaires\u00a0?",
                "ro": "Vă veți prezenta organizația la târgul partenerilor?",
                "hu": "Bemutatja szervezetét a partnerek vásárán?",
                "pt": "Vai apresentar a sua organização na feira dos parceiros?",
                "it": "Presenterà la Sua organizzazione al mercato dei partner?",
            },
            True,
        ),
        (
            "stand",
            Question.Kind.LINE,
            {
                "en": "What will you bring to show?",
                "fr": "Qu’apporterez-vous pour la présenter\u00a0?",
                "ro": "Ce veți aduce pentru prezentare?",
                "hu": "Mit hoz magával a bemutatáshoz?",
                "pt": "O que vai trazer para a apresentar?",
                "it": "Che cosa porterà per presentarla?",
            },
            False,
        ),
        (
            "hopes",
            Question.Kind.TEXT,
            {
                "en": "What do you hope to take home from this training?",
                "fr": "Qu’espérez-vous rapporter de cette formation\u00a0?",
                "ro": "Ce sperați să câștigați din această formare?",
                "hu": "Mit szeretne hazavinni erről a képzésről?",
                "pt": "O que espera levar desta formação?",
                "it": "Che cosa spera di portare a casa da questa formazione?",
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
    # Asked only of those who present their organisation.
    stand = questions["stand"]
    stand.shown_if_question, stand.shown_if_value = questions["market"], "yes"
    stand.save(update_fields=["shown_if_question", "shown_if_value"])
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
                    questions["market"].pk: number % 3 == 0,
                    questions["stand"].pk: MARKET_STAND[language] if number % 3 == 0 else None,
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
