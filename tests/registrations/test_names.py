"""Names are one line of visible text: they reach the plain-text greeting of emails,
calendar invites and other people's lists, so line breaks, tabs and invisible control
characters are refused wherever a name is typed."""

import pytest
from django.core import mail

from notifications.models import OutgoingMessage
from registrations.models import Profile, Registration
from registrations.services import registration_create

from ..events.test_pages import text
from ..factories import EventFactory, OrganisationFactory, UserFactory, at, form_fields, person
from .test_delegations import delegation_post

pytestmark = pytest.mark.django_db

MESSAGE_EN = "Line breaks, tabs and invisible control characters are not allowed here."
MESSAGE_FR = (
    "Les sauts de ligne, les tabulations et les caractères de contrôle invisibles ne sont "
    "pas autorisés ici."
)
HOSTILE_NAMES = [
    pytest.param("Ana\nBcc: victim@example.org", id="line-break"),
    pytest.param("Ana\r\nBEGIN:VEVENT", id="crlf"),
    pytest.param("Ana\tPopescu", id="tab"),
    pytest.param("Ana\u2028Popescu", id="line-separator"),
    pytest.param("Ana\u202egpj.exe", id="right-to-left-override"),
    pytest.param("Ana\u200bPopescu", id="zero-width-space"),
]


@pytest.fixture
def event(db):
    return EventFactory(registration_opens_at=at(-5), registration_closes_at=at(15))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("field", ["first_name", "last_name", "organisation_name"])
def test_the_registration_form_refuses_control_characters_in_names(client, event, field, name):
    response = client.post(
        f"/fr/events/{event.slug}/register/", form_fields(**{field: name, "language": "fr"})
    )
    assert MESSAGE_FR in text(response)
    assert not Registration.objects.exists()
    assert not OutgoingMessage.objects.exists()
    assert mail.outbox == []


def test_the_registration_form_keeps_names_written_with_joiners_and_spaces(client, event):
    # Persian is written with the zero-width non-joiner; a no-break space is a space.
    name = "\u0645\u0647\u0631\u200c\u0646\u0627\u0632"  # Mehrnaz
    client.post(
        f"/en/events/{event.slug}/register/",
        form_fields(first_name=name, last_name="Le\u00a0Gall"),
    )
    registration = Registration.objects.get()
    assert (registration.first_name, registration.last_name) == (name, "Le\u00a0Gall")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_delegation_form_refuses_control_characters_in_names(client, event, name):
    organisation = OrganisationFactory()
    coordinator = UserFactory()
    organisation.coordinators.add(coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/en/coordinator/{organisation.slug}/{event.slug}/",
        delegation_post([("Rita", "Kandikó", "rita@example.org"), (name, "Tóth", "b@example.org")]),
    )
    assert MESSAGE_EN in text(response)
    assert not Registration.objects.exists()
    assert not OutgoingMessage.objects.exists()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("field", ["first_name", "last_name", "organisation_name"])
def test_the_profile_form_refuses_control_characters_in_names(client, field, name):
    user = UserFactory(first_name="Rita", last_name="Kandikó")
    client.force_login(user)
    data = {
        "first_name": "Rita",
        "last_name": "Kandikó",
        "organisation_name": "Fekete Sereg",
        "country": "HU",
        "preferred_language": "en",
    }
    response = client.post("/en/my/profile/", {**data, field: name})
    assert MESSAGE_EN in text(response)
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Rita", "Kandikó")
    assert not Profile.objects.exists()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_confirming_ones_details_refuses_control_characters_in_names(client, event, name):
    registration, _created = registration_create(event=event, person=person(first_name="Ana"))
    response = client.post(
        f"/en/r/{registration.secret}/details/",
        form_fields(first_name=name, email=registration.email),
    )
    assert MESSAGE_EN in text(response)
    registration.refresh_from_db()
    assert registration.first_name == "Ana"
