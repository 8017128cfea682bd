"""Italian buttons, links and menu items speak with one voice (locale/GLOSSARY.md).

The convention: the bare command verb, as Italian public services label an action («Salva»,
«Conferma», «Accedi», «Iscriviti», «Aggiungi al calendario»); never the Lei imperative
(«Mostri», «Salvi», «Si iscriva»), never the infinitive («Iscriversi») and no possessive after a
verb («Salva le mie scelte», «Torna alla Sua iscrizione»). A reflexive action keeps its command
form, «Iscriviti», as INPS labels it; a noun on a button («Iscrizione») read odd to a native
reviewer. Sentences keep Lei.

The first test reads every template for the messages shown on a button, a link styled as a
button, a <summary> or a link whose whole text is one message, plus the labels the code gives
to links and buttons, and checks their Italian; so a new button is checked without being
listed here. The second reads the buttons a volunteer meets on the way to a registration.
"""

import html
import re
from pathlib import Path

import pytest
from django.utils import translation

from registrations import services as registrations

from .factories import EventFactory, ProgrammeItemFactory, at, person

ROOT = Path(__file__).resolve().parent.parent
TRANSLATE = re.compile(
    r"\{%\s*translate\s+\"(?P<msgid>[^\"]+)\"(?:\s+context\s+\"(?P<context>[^\"]+)\")?\s*%\}"
)
#: Elements whose text is an action or a place to go.
ACTIONS = [
    re.compile(r"<button\b[^>]*>(.*?)</button>", re.S),
    re.compile(r"<a\b[^>]*class=\"[^\"]*\bbutton\b[^\"]*\"[^>]*>(.*?)</a>", re.S),
    re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.S),
    # A link whose whole text is one message (links inside a sentence are sentences).
    re.compile(r"<a\b[^>]*>\s*(\{%\s*translate\s+\"[^\"]+\"[^%]*%\})\s*</a>", re.S),
]
#: Labels the code gives to links and buttons (email links, the private page's links,
#: django-allauth's buttons that the catalogue overrides).
CODE_LABELS = [
    "Give your feedback",
    "Enter your travel details",
    "Download your certificate of attendance (PDF)",
    "Use your password",
    "Use a different email address",
    "Send me a sign-in code",
    "Request Code",
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Reset My Password",
    "Change Password",
    "Add Email",
    "Make Primary",
    "Re-send Verification",
    "Remove",
]
#: The Lei imperative of the verbs buttons use: right in a sentence, wrong on a button.
LEI_IMPERATIVES = {
    "accetti",
    "acceda",
    "aggiunga",
    "annulli",
    "applichi",
    "approvi",
    "assegni",
    "blocchi",
    "cambi",
    "cancelli",
    "cerchi",
    "compili",
    "condivida",
    "confermi",
    "consenta",
    "continui",
    "copi",
    "crei",
    "dia",
    "elimini",
    "esca",
    "esporti",
    "filtri",
    "generi",
    "imposti",
    "indichi",
    "inserisca",
    "invii",
    "iscriva",
    "modifichi",
    "mostri",
    "prepari",
    "pubblichi",
    "reimposti",
    "revochi",
    "richieda",
    "riavvii",
    "rifiuti",
    "rimuova",
    "riservi",
    "salvi",
    "scarichi",
    "scelga",
    "scriva",
    "segni",
    "si",
    "sposti",
    "torni",
    "usi",
    "vada",
    "veda",
}
#: "mio" speaks as the user; a capital "Suo" addresses the reader (a lowercase "suo" is a third
#: person: «i suoi coordinatori», the project's).
POSSESSIVES = {
    "mio",
    "mia",
    "miei",
    "mie",
    "tuo",
    "tua",
    "tuoi",
    "tue",
    "Suo",
    "Sua",
    "Suoi",
    "Sue",
}
ARTICLES = {"il", "lo", "la", "i", "gli", "le", "l’"}
INFINITIVE = re.compile(r"^\w+(are|ere|ire|arsi|ersi|irsi)$")


def action_messages() -> set[tuple[str | None, str]]:
    found = set()
    for template in sorted(ROOT.glob("templates/**/*.html")):
        source = template.read_text(encoding="utf-8")
        for pattern in ACTIONS:
            for match in pattern.finditer(source):
                for message in TRANSLATE.finditer(match.group(1)):
                    found.add((message["context"], message["msgid"]))
    return found


def slips(label: str) -> list[str]:
    """What breaks the convention in an Italian button label."""
    cased = re.findall(r"\w+’?|’", label)
    if not cased:
        return []
    words = [word.lower() for word in cased]
    first = words[0]
    problems = []
    if first in LEI_IMPERATIVES:
        problems.append(f"Lei imperative «{first}»")
    if INFINITIVE.match(first):
        problems.append(f"infinitive «{first}»")
    if first not in ARTICLES and not first.startswith("l’"):
        owned = POSSESSIVES.intersection(cased[1:])
        if owned:
            problems.append(f"possessive after a verb «{', '.join(sorted(owned))}»")
    return problems


def test_the_slips_this_test_catches_are_the_ones_a_reviewer_found():
    assert slips("Mostri gli eventi sul Suo sito")
    assert slips("Iscriversi")
    assert slips("Si iscriva")
    assert slips("Salva le mie scelte")
    assert slips("Torna alla Sua iscrizione")
    assert slips("Confermi e completi i Suoi dati")
    for right in (
        "Iscriviti",
        "Iscriviti alla lista d’attesa",
        "Invia l’iscrizione",
        "Salva le scelte",
        "Aggiungi a Google Calendar",
        "Le mie iscrizioni",
    ):
        assert slips(right) == [], right


def test_every_italian_button_link_and_menu_item_uses_the_command_form():
    messages = action_messages() | {(None, label) for label in CODE_LABELS}
    assert (None, "Register") in messages and (None, "Save my choices") in messages
    wrong = {}
    with translation.override("it"):
        for context, msgid in sorted(messages, key=lambda m: (m[1], m[0] or "")):
            label = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert label != msgid or msgid in {"Menu", "Password", "Privacy"}, msgid
            problems = slips(label)
            if problems:
                wrong[msgid] = (label, problems)
    assert wrong == {}


def buttons(response) -> list[str]:
    """The text of the page's buttons and button-styled links, as a reader sees it."""
    page = response.content.decode()
    found = []
    for pattern in ACTIONS[:2]:
        for match in pattern.finditer(page):
            found.append(html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match[1]))))
    return [label.strip() for label in found]


@pytest.mark.django_db
def test_an_italian_volunteer_meets_command_labels_from_the_event_to_the_private_page(client):
    event = EventFactory(
        slug="roma",
        registration_opens_at=at(-5),
        registration_closes_at=at(20),
        starts_at=at(30, "09:00"),
        ends_at=at(31, "17:00"),
        languages=["it", "en"],
    )
    # Two workshops at once: a choice the volunteer can change later.
    first, _second = (
        ProgrammeItemFactory(event=event, kind="workshop", starts_at=at(30, "11:00"))
        for _ in range(2)
    )
    event_page = buttons(client.get(f"/it/events/{event.slug}/"))
    assert "Iscriviti" in event_page and "Iscrizione" not in event_page
    form = buttons(client.get(f"/it/events/{event.slug}/register/"))
    assert form[-1] == "Invia l’iscrizione"
    registration, _created = registrations.registration_create(
        event=event, person=person(email="giulia@example.org", language="it", workshops=[first])
    )
    private = buttons(client.get(f"/it/r/{registration.secret}/"))
    assert "Salva le scelte" in private
    assert "Annulla l’iscrizione" in private
    assert "Genera un nuovo link privato" in private
    for label in event_page + form + private:
        assert slips(label) == [], label
