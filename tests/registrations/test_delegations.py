"""Partner coordinators: register their delegation, approve their people, see only them."""

import pytest
from django.core import mail

from registrations.models import Registration
from registrations.services import registration_create

from ..events.test_pages import text
from ..factories import EventFactory, OrganisationFactory, QuotaFactory, UserFactory, at, person
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(db):
    event = EventFactory(
        title_en="Nagyvázsony training",
        capacity=70,
        requires_approval=True,
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    hungary = OrganisationFactory(name="Fekete Sereg", slug="fekete-sereg", country="HU")
    romania = OrganisationFactory(name="CRIES", slug="cries", country="RO")
    QuotaFactory(event=event, organisation=hungary, places=2)
    coordinator, other = UserFactory(), UserFactory()
    hungary.coordinators.add(coordinator)
    romania.coordinators.add(other)
    return event, hungary, romania, coordinator, other


def delegation_post(people):
    data = {
        "delegate-TOTAL_FORMS": str(len(people)),
        "delegate-INITIAL_FORMS": "0",
        "delegate-MIN_NUM_FORMS": "0",
        "delegate-MAX_NUM_FORMS": "100",
    }
    for index, (first, last, email) in enumerate(people):
        data |= {
            f"delegate-{index}-first_name": first,
            f"delegate-{index}-last_name": last,
            f"delegate-{index}-email": email,
        }
    return data


def test_a_coordinator_registers_and_approves_their_delegation(client, setting):
    event, hungary, _romania, coordinator, _other = setting
    client.force_login(coordinator)
    url = f"/en/coordinator/{hungary.slug}/{event.slug}/"
    response = client.post(
        url,
        delegation_post(
            [
                ("Rita", "Kandikó", "rita@example.org"),
                ("Bence", "Tóth", "Bence@Example.org"),
            ]
        ),
    )
    assert response.status_code == 302
    people = Registration.objects.filter(event=event, organisation=hungary).order_by("email")
    assert [r.email for r in people] == ["bence@example.org", "rita@example.org"]
    assert {r.status for r in people} == {"pending"}
    assert not any(r.details_confirmed for r in people)

    page = text(client.get(url))
    assert "Places reserved for your organisation: 2" in page
    assert "Rita Kandikó" in page

    rita = people.get(email="rita@example.org")
    client.post(f"/en/registrations/{rita.pk}/approve/", {"next": url})
    rita.refresh_from_db()
    assert rita.status == "confirmed"
    assert rita.decided_by == coordinator


def test_a_delegate_confirms_and_completes_their_own_details(client, setting):
    event, hungary, _romania, coordinator, _other = setting
    client.force_login(coordinator)
    client.post(
        f"/en/coordinator/{hungary.slug}/{event.slug}/",
        delegation_post([("Rita", "K", "rita@example.org")]),
    )
    client.logout()
    rita = Registration.objects.get(email="rita@example.org")
    page = text(client.get(f"/hu/r/{rita.secret}/"))
    assert rita.full_name in page
    response = client.post(
        f"/en/r/{rita.secret}/details/",
        {
            "first_name": "Rita",
            "last_name": "Kandikó",
            "country": "HU",
            "role": "speaker",
            "language": "hu",
            "dietary_needs": "vegetarian",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    rita.refresh_from_db()
    assert rita.details_confirmed and rita.last_name == "Kandikó"
    assert rita.dietary_needs == "vegetarian"
    assert rita.privacy_consented_at is not None
    assert rita.email == "rita@example.org"


def test_a_coordinator_sees_only_their_own_organisation(client, setting):
    event, hungary, romania, coordinator, _other = setting
    registration_create(
        event=event,
        person=person(email="ro@example.org", organisation=romania, first_name="Mihaela"),
    )
    registration_create(
        event=event, person=person(email="hu@example.org", organisation=hungary, first_name="Bence")
    )
    client.force_login(coordinator)
    page = text(client.get(f"/en/coordinator/{hungary.slug}/{event.slug}/"))
    assert "Bence" in page and "Mihaela" not in page
    # Another partner's delegation page does not exist for them.
    assert client.get(f"/en/coordinator/{romania.slug}/{event.slug}/").status_code == 404
    # Nor can they decide on another partner's registration.
    mihaela = Registration.objects.get(email="ro@example.org")
    assert client.post(f"/en/registrations/{mihaela.pk}/approve/").status_code == 403
    mihaela.refresh_from_db()
    assert mihaela.status == "pending"


def test_anonymous_people_are_sent_to_log_in(client, setting):
    event, hungary, *_ = setting
    response = client.get(f"/en/coordinator/{hungary.slug}/{event.slug}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.fixture
def training_with_required_questions(db):
    """A mobility whose organisers ask two questions of everyone, both required."""
    from events.models import Event
    from registrations.models import Question

    from ..factories import QuestionFactory

    event = EventFactory(
        slug="nagyvazsony",
        kind=Event.Kind.TRAINING,
        title_en="Nagyvázsony training",
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    romania = OrganisationFactory(name="CRIES", slug="cries", country="RO", city="Timișoara")
    coordinator = UserFactory(email="coordinator.ro@example.org")
    romania.coordinators.add(coordinator)
    market = QuestionFactory(
        event=event,
        kind=Question.Kind.YES_NO,
        label_en="Will you present your organisation at the partners' market?",
        label_ro="Vă prezentați organizația la târgul partenerilor?",
        required=True,
        position=0,
    )
    stand = QuestionFactory(
        event=event,
        kind=Question.Kind.LINE,
        label_en="What will you bring?",
        label_ro="Ce aduceți?",
        required=True,
        position=1,
    )
    return event, romania, coordinator, market, stand


def test_a_coordinator_registers_names_and_each_delegate_answers_the_questions_themselves(
    client, training_with_required_questions
):
    """The organisers' required questions (and the travel details of a mobility) are the
    delegate's to answer: the coordinator's form has no such fields and is not refused for
    them; the delegate is asked them when confirming their details."""
    from django.core import mail

    from registrations.models import Answer

    from ..outbox import deliver_outbox

    event, romania, coordinator, market, stand = training_with_required_questions
    client.force_login(coordinator)
    url = f"/ro/coordinator/{romania.slug}/{event.slug}/"
    form = text(client.get(url))
    assert "târgul partenerilor" not in form and "Localitatea de plecare" not in form
    assert "fiecare persoană răspunde singură la întrebările organizatorilor" in form
    response = client.post(
        url,
        delegation_post(
            [("Mihaela", "Vețan", "mihaela@example.org"), ("Andrei", "Popa", "andrei@example.org")]
        ),
    )
    assert response.status_code == 302, text(response)
    page = text(client.get(url))
    assert "Vă rugăm să răspundeți" not in page
    assert "Mihaela Vețan" in page and "Andrei Popa" in page
    people = Registration.objects.filter(event=event, organisation=romania)
    assert people.count() == 2 and not any(r.details_confirmed for r in people)
    assert not Answer.objects.exists()
    client.logout()

    # Each delegate's email sends them to complete their details.
    deliver_outbox()
    mihaela = people.get(email="mihaela@example.org")
    invitation = next(m for m in mail.outbox if m.to == ["mihaela@example.org"])
    assert f"/r/{mihaela.secret}/details/" in invitation.body
    assert "Confirm and complete your details" in text(client.get(f"/en/r/{mihaela.secret}/"))

    details_url = f"/en/r/{mihaela.secret}/details/"
    details = text(client.get(details_url))
    assert (
        "partners" in details and "market" in details and "City or town you travel from" in details
    )
    fields = {
        "first_name": "Mihaela",
        "last_name": "Vețan",
        "country": "RO",
        "role": "participant",
        "language": "ro",
        "privacy_consent": "on",
        "mobility_origin_country": "RO",
        "mobility_origin_city": "Cluj-Napoca",
        "mobility_means": "train",
    }
    # The questions are required of the delegate.
    refused = client.post(details_url, fields)
    assert refused.status_code == 200
    mihaela.refresh_from_db()
    assert not mihaela.details_confirmed
    response = client.post(
        details_url, fields | {f"question_{market.pk}": "yes", f"question_{stand.pk}": "Jams"}
    )
    assert response.status_code == 302, text(response)
    mihaela.refresh_from_db()
    assert mihaela.details_confirmed
    answers = {a.question_id: a.value for a in mihaela.answers.all()}
    assert answers == {market.pk: True, stand.pk: "Jams"}
    assert mihaela.mobility.origin_city == "Cluj-Napoca"


def test_a_romanian_coordinators_form_proposes_romanian_and_the_delegate_reads_it(client, setting):
    event, _hungary, romania, _coordinator, other = setting
    client.force_login(other)
    url = f"/ro/coordinator/{romania.slug}/{event.slug}/"
    page = client.get(url).content.decode()
    assert page.count('<option value="ro" selected>') == 5
    assert '<option value="en" selected>' not in page
    # The browser sends the language the form proposes.
    data = delegation_post([("Mihaela", "Vețan", "mihaela@example.org")])
    data["delegate-0-language"] = "ro"
    assert client.post(url, data).status_code == 302
    mihaela = Registration.objects.get(email="mihaela@example.org")
    assert mihaela.language == "ro"
    deliver_outbox()
    (message,) = [m for m in mail.outbox if m.to == ["mihaela@example.org"]]
    assert message.body.startswith("Bună ziua, Mihaela,")
