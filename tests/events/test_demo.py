import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.models import Event, Organisation, ProgrammeItem, Room, Speaker, Venue
from notifications.models import NotificationSettings, OutgoingMessage
from registrations.models import Question, Quota, Registration

from .test_pages import text

pytestmark = pytest.mark.django_db

MODELS = (
    Event,
    Organisation,
    ProgrammeItem,
    Room,
    Speaker,
    Venue,
    get_user_model(),
    Registration,
    Quota,
    Question,
    OutgoingMessage,
)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_loader_twice_creates_nothing_twice(capsys):
    call_command("loaddemo")
    first = counts()
    uids = set(ProgrammeItem.objects.values_list("uuid", flat=True))
    call_command("loaddemo")
    assert counts() == first
    assert set(ProgrammeItem.objects.values_list("uuid", flat=True)) == uids

    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert "organiser@rencontres.example / rencontres-demo" in out
    # Every demo login is printed, the Hungarian coordinator's too.
    assert "coordinator.hu@rencontres.example / rencontres-demo" in out
    for user in get_user_model().objects.filter(username__endswith="@rencontres.example"):
        if user.has_usable_password():
            assert f"{user.email} / rencontres-demo" in out, user.email


def test_demo_network_has_the_partners_and_the_events_the_network_runs(client):
    call_command("loaddemo")
    assert set(Organisation.objects.values_list("country", flat=True)) >= {
        "RO",
        "HU",
        "PT",
        "IT",
        "LU",
        "FR",
    }
    # the coming meeting (resources/demo.py adds last year's edition, with its slides)
    national = Event.objects.get(slug="rencontres-nationales-saint-etienne")
    assert national.venue.city == "Saint-Étienne"
    assert national.is_multi_day
    assert national.programme_items.filter(kind=ProgrammeItem.Kind.WORKSHOP).count() >= 3
    assert national.programme_items.filter(kind=ProgrammeItem.Kind.SITE_VISIT).exists()
    assert national.programme_items.filter(kind=ProgrammeItem.Kind.MEAL).exists()

    nagyvazsony = Event.objects.get(slug="coopterr-training-nagyvazsony")
    assert nagyvazsony.capacity == 70
    closing = Event.objects.get(slug="coopterr-closing-event-paris")
    assert closing.venue.address == "221 rue de Belleville"
    assert (closing.local_starts_at.strftime("%H:%M"), closing.local_ends_at.strftime("%H:%M")) == (
        "16:30",
        "18:30",
    )
    assert Event.objects.filter(kind=Event.Kind.ONLINE, venue__isnull=True).exists()
    assert sum(event.is_past for event in Event.objects.published()) == 3

    for language in ("en", "fr", "ro", "hu", "pt", "it"):
        response = client.get(f"/{language}/")
        assert response.status_code == 200
        # the city as each language names it
        city = "Temesvár" if language == "hu" else "Timișoara"
        assert city in response.content.decode(), language
        detail = client.get(f"/{language}/events/rencontres-nationales-saint-etienne/")
        assert detail.status_code == 200


def test_demo_has_a_delegation_with_quotas_questions_and_registrations():
    call_command("loaddemo")
    training = Event.objects.get(slug="coopterr-training-nagyvazsony")
    assert training.quotas.count() == 6
    assert training.questions.count() == 3
    registrations = Registration.objects.filter(event=training)
    assert registrations.count() >= 15
    assert training.places_taken == registrations.filter(status="confirmed").count()
    assert Registration.objects.filter(user__username="participant@rencontres.example").exists()


def test_the_demo_training_asks_travel_in_its_mobility_fields_and_its_coordinator_registers(
    client,
):
    """The Nagyvázsony training asks no travel question of its own (its mobility fields ask
    them: city of departure, arrival, means, nights), even in a database loaded by an older
    demo; its participants' travel is in those fields; the Romanian coordinator registers
    delegates by name."""
    from mobility.models import MobilityDetails

    call_command("loaddemo")
    training = Event.objects.get(slug="coopterr-training-nagyvazsony")
    Question.objects.create(event=training, position=7, label_en="Arrival date", required=True)
    call_command("loaddemo")
    labels = set(training.questions.values_list("label_en", flat=True))
    assert not labels & {"Arrival date", "Travelling from (city)", "How do you travel?"}
    form = text(client.get(f"/en/events/{training.slug}/register/"))
    assert "City or town you travel from" in form and "Arrival" in form
    travelled = MobilityDetails.objects.filter(registration__event=training)
    assert travelled.filter(means="bus").count() >= 10
    assert set(travelled.values_list("origin_city", flat=True)) >= {"Lisbon", "Paris"}

    client.login(username="coordinator.ro@rencontres.example", password="rencontres-demo")
    url = f"/ro/coordinator/cries/{training.slug}/"
    data = {
        "delegate-TOTAL_FORMS": "1",
        "delegate-INITIAL_FORMS": "0",
        "delegate-MIN_NUM_FORMS": "0",
        "delegate-MAX_NUM_FORMS": "100",
        "delegate-0-first_name": "Elena",
        "delegate-0-last_name": "Dumitrescu",
        "delegate-0-email": "elena.dumitrescu@example.org",
    }
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    assert "Elena Dumitrescu" in text(client.get(url))


LANGUAGES = ("en", "fr", "ro", "hu", "pt", "it")


def test_demo_events_programmes_and_questions_read_in_all_six_languages():
    call_command("loaddemo")
    for event in Event.objects.all():
        for code in LANGUAGES:
            assert getattr(event, f"title_{code}"), (event.slug, code)
            if event.summary_en:
                assert getattr(event, f"summary_{code}"), (event.slug, code)
    for item in ProgrammeItem.objects.all():
        for code in LANGUAGES:
            assert getattr(item, f"title_{code}"), (item.event.slug, item.title_en, code)
    for question in Question.objects.all():
        for code in LANGUAGES:
            assert getattr(question, f"label_{code}"), (question.label_en, code)
            for option in question.options.all():
                assert getattr(option, f"label_{code}"), (option.label_en, code)
    item = ProgrammeItem.objects.get(
        title_en="Day 2: peer-to-peer session", event__venue__city="Nagyvázsony"
    )
    assert item.title_hu == "2. nap: tapasztalatcsere"


@pytest.mark.parametrize("language", ["ro", "hu", "pt", "it"])
def test_a_demo_visitor_meets_no_english_on_the_event_page_and_form(client, language):
    call_command("loaddemo")
    event = Event.objects.get(slug="coopterr-training-nagyvazsony")
    page = client.get(f"/{language}/events/{event.slug}/").content.decode()
    form = text(client.get(f"/{language}/events/{event.slug}/register/"))  # what one reads
    for english in ("Workshop", "Lunch", "peer-to-peer", "Field visit", "Culture and"):
        assert english not in page, english
    for english in ("Will you present", "market", "take home", "Travel"):
        assert english not in form, english


def demo_texts():
    """Every visitor-facing text of the demo's data files: (file, where, language, text)."""
    from events import demo

    network = demo.read(demo.DATA / "network.toml")
    yield "network.toml", "identity", network["identity"]["footer"]
    for organisation in network["organisations"]:
        yield "network.toml", organisation["slug"], organisation["city"]
    for speaker in network["speakers"]:
        yield "network.toml", speaker["name"], speaker["bio"]
    for venue in network["venues"]:
        yield "network.toml", venue["key"], venue["city"]
        for room in venue["rooms"]:
            yield "network.toml", f"{venue['key']}: {room['key']}", room["name"]
    for path in demo.event_files():
        data = demo.read(path)
        for field in Event.TRANSLATED_FIELDS:
            if field in data:
                yield path.name, field, data[field]
        for item in data.get("programme", []) + data.get("every_day", []):
            for field in ProgrammeItem.TRANSLATED_FIELDS:
                if field in item:
                    yield path.name, item["key"], item[field]


def test_demo_data_files_give_every_text_in_six_languages_written_as_natives_do():
    from events import demo

    files = demo.event_files()
    assert len(files) >= 8
    for path in files:
        assert demo.read(path)["slug"] == path.stem, "an event's file is named by its slug"
    for file, where, per_language in demo_texts():
        assert set(per_language) == set(LANGUAGES), (file, where, sorted(per_language))
        for code, words in per_language.items():
            assert words.strip() == words and words, (file, where, code)
            if code in ("fr", "it", "pt"):
                assert "'" not in words, (file, where, code, "typographic apostrophe: ’")
            if code == "fr":
                for mark in ":;?!":
                    assert f" {mark}" not in words, (file, where, "no-break space before", mark)
                    assert f"\u00a0{mark}" in words or mark not in words.replace("://", ""), (
                        file,
                        where,
                        "no-break space before",
                        mark,
                    )
            if code == "ro":
                assert not set("şţŞŢ") & set(words), (file, where, "comma-below ș ț")


def test_demo_has_a_network_identity_and_no_room_taken_twice(client):
    call_command("loaddemo")
    clashes = [
        (item.event.slug, item.title_en)
        for item in ProgrammeItem.objects.filter(room__isnull=False, cancelled=False)
        if item.room_clash()
    ]
    assert clashes == []  # an organiser can edit every demo item as it is
    page = client.get("/ro/").content.decode()
    assert "contact@rencontres.example" in page
    assert "Întâlnirile și formările unei rețele europene" in page
    event_page = client.get("/fr/events/rencontres-nationales-saint-etienne/").content.decode()
    assert "rencontres@lefil.example" in event_page


def test_done_when_the_demo_participant_downloads_a_certificate_after_the_lisbon_training(client):
    from mobility.models import MobilityDetails
    from registrations.models import Attendance

    call_command("loaddemo")
    lisbon = Event.objects.get(slug="coopterr-training-lisbon")
    assert lisbon.is_past
    people = Registration.objects.filter(event=lisbon, status=Registration.Status.CONFIRMED)
    assert people.count() >= 4
    assert MobilityDetails.objects.filter(registration__event=lisbon).count() == people.count()
    assert Attendance.objects.filter(registration__event=lisbon).count() >= 10
    mine = people.get(email="participant@rencontres.example")
    page = text(client.get(f"/pt/r/{mine.secret}/"))
    assert "Transferir o seu certificado de presença (PDF)" in page
    response = client.get(f"/en/r/{mine.secret}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # The organiser downloads them all.
    client.force_login(get_user_model().objects.get(username="organiser@rencontres.example"))
    response = client.get(f"/en/workspace/{lisbon.slug}/mobility/certificates.pdf")
    assert response["Content-Type"] == "application/pdf"


def typography_faults(code: str, words: str) -> list[str]:
    """What locale/GLOSSARY.md forbids in a text of language ``code``."""
    words = re.sub(r"https?://\S+", "", words)
    faults = []
    if code in ("fr", "it", "pt") and "'" in words:
        faults.append("straight apostrophe: ’")
    if code == "fr" and re.search(r"(^|[^\u00a0\u202f])[:;!?»]", words):
        faults.append("no-break space before : ; ! ? »")
    if code == "ro" and set("şţŞŢ") & set(words):
        faults.append("cedilla: ș ț")
    return faults


def test_every_translated_text_of_the_demo_is_written_in_all_six_languages(client):
    """Whatever a visitor reads that has a column per language (event and programme texts,
    rooms, cities, places, questions and their options, organisers' email paragraphs,
    surveys, resources, projects and series) is written in all six, in every demo row."""
    from modeltranslation.translator import translator

    from mobility.models import Project, Series

    call_command("loaddemo")
    missing, typography, checked = [], [], set()
    for model in translator.get_registered_models():
        for field in translator.get_options_for_model(model).fields:
            for row in model.objects.all():
                texts = {code: getattr(row, f"{field}_{code}") for code in LANGUAGES}
                if any(texts.values()):
                    checked.add((model.__name__, field))
                    typography += [
                        (model.__name__, row.pk, field, code, fault)
                        for code, words in texts.items()
                        for fault in typography_faults(code, words or "")
                    ]
                    missing += [
                        (model.__name__, row.pk, field, code)
                        for code in LANGUAGES
                        if not texts[code]
                    ]
    assert missing == []
    assert typography == []
    for model, field in [
        (Room, "name"),
        (Venue, "city"),
        (Organisation, "city"),
        (ProgrammeItem, "location"),
        (Question, "label"),
        (NotificationSettings, "confirmation_text"),
        (NotificationSettings, "reminder_text"),
        (Project, "action"),
        (Series, "description"),
    ]:
        assert (model.__name__, field) in checked, (model.__name__, field)


def test_demo_rooms_and_cities_read_in_the_visitors_language(client):
    call_command("loaddemo")
    # A Portuguese visitor of the Hungarian training reads the rooms' Portuguese names.
    page = text(client.get("/pt/events/coopterr-training-nagyvazsony/"))
    assert "Sala grande" in page and "Sala de oficinas A" in page
    assert "Nagyterem" not in page and "A terem" not in page
    hungarian = text(client.get("/hu/events/coopterr-training-nagyvazsony/"))
    assert "Nagyterem" in hungarian and "A terem" in hungarian and "B terem" in hungarian
    assert "Műhely A" not in hungarian  # a calque of "Workshop room A"
    # A Hungarian visitor of the Lisbon training reads Lisszabon, the Portuguese Lisboa.
    lisbon_hu = text(client.get("/hu/events/coopterr-training-lisbon/"))
    assert "Lisszabon" in lisbon_hu and "Largo-terem" in lisbon_hu and "Udvar" in lisbon_hu
    assert "Sala do Largo" not in lisbon_hu and "Pátio" not in lisbon_hu
    lisbon_pt = text(client.get("/pt/events/coopterr-training-lisbon/"))
    assert "Lisboa" in lisbon_pt and "Sala do Largo" in lisbon_pt and "Lisszabon" not in lisbon_pt
    assert "Párizs" in text(client.get("/hu/events/coopterr-closing-event-paris/"))
    assert "Parigi" in text(client.get("/it/events/coopterr-closing-event-paris/"))
    # The API and the event's calendar name them in the language asked.
    detail = client.get("/api/v1/events/coopterr-training-nagyvazsony/?lang=pt").json()
    assert detail["rooms"][:2] == ["Sala grande", "Sala de oficinas A"]
    assert detail["venue"]["city"] == "Nagyvázsony"
    lisbon = client.get("/api/v1/events/coopterr-training-lisbon/?lang=hu").json()
    assert lisbon["venue"]["city"] == "Lisszabon"
    items = [item for day in lisbon["programme"] for item in day["items"]]
    assert {item["room"] for item in items if item["room"]} >= {"Largo-terem", "Műhelyterem"}
    assert "Lisszabon" in {item["location"] for item in items}
    feed = client.get("/hu/calendar/events/coopterr-training-lisbon.ics")
    body = feed.content.decode().replace("\r\n ", "")
    assert "LOCATION:Largo-terem\\, Largo Residências" in body and "Lisszabon" in body


def test_demo_project_and_series_read_in_the_visitors_language(client):
    call_command("loaddemo")
    series = text(client.get("/hu/series/rencontres-nationales/"))
    assert "A hálózat országos találkozói" in series
    assert "The national meetings" not in series
    project = text(client.get("/fr/projects/coopterr/"))
    assert "Partenariat de coopération (KA2)" in project
    assert "Párizs" in text(client.get("/hu/projects/coopterr/"))


def test_a_hungarian_delegate_reads_the_organisers_paragraph_in_hungarian():
    from notifications.models import Kind
    from notifications.rendering import build_email

    call_command("loaddemo")
    message = OutgoingMessage.objects.get(
        registration__email="bence.toth@example.org",
        registration__event__slug="coopterr-training-nagyvazsony",
        kind=Kind.CONFIRMED,
    )
    body = build_email(message).body
    assert "Veszprémben állnak meg, ahol önkénteseink várják Önt." in body
    assert "Nagyterem" in body or " terem" in body  # the workshops' rooms, in Hungarian
    assert "Trains and buses" not in body and "Workshop room" not in body
