"""Partner coordinators: register their delegation, approve their people, see only them."""

import pytest

from registrations.models import Registration
from registrations.services import registration_create

from ..events.test_pages import text
from ..factories import EventFactory, OrganisationFactory, QuotaFactory, UserFactory, at, person

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
