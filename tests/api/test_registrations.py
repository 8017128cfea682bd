"""The organisers' endpoint: an event's registrations through an API token, with the
workspace's own permissions; and the workspace page where tokens are made and revoked."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken
from events.models import Event
from registrations.models import Registration

from ..factories import EventFactory, OrganisationFactory, UserFactory

SCOPE = "registrations:read"


def _register(event, organisation, last_name, **fields) -> Registration:
    fields = {"status": Registration.Status.CONFIRMED, **fields}
    if fields["status"] == Registration.Status.WAITLISTED:
        fields["waitlisted_at"] = timezone.now()
    return Registration.objects.create(
        event=event,
        email=f"{last_name.lower()}@example.org",
        first_name="Ana",
        last_name=last_name,
        organisation=organisation,
        organisation_name=organisation.name,
        country="RO",
        language="ro",
        privacy_consent_version="1",
        privacy_consented_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def team(db):
    """Event A organised by ``organiser``; partner PA coordinated by ``coordinator``;
    Popescu (from PA, with dietary needs) and Kovacs (from PX) registered."""
    organiser = UserFactory(email="organiser@example.org")
    coordinator = UserFactory(email="coordinator@example.org")
    event = EventFactory(slug="event-a", coordinators_see_sensitive_data=False)
    event.organisers.add(organiser)
    partner = OrganisationFactory(slug="pa", name="Partner A")
    partner.coordinators.add(coordinator)
    other = OrganisationFactory(slug="px", name="Partner X")
    _register(event, partner, "Popescu", dietary_needs="No sesame")
    _register(event, other, "Kovacs", status=Registration.Status.WAITLISTED)
    other_event = EventFactory(slug="event-b")
    _register(other_event, partner, "Elsewhere")
    return type("Team", (), locals())


def _key(user, scopes=(SCOPE,), **fields) -> str:
    _token, key = services.api_token_create(
        user=user, name="Organiser's sync", scopes=list(scopes), **fields
    )
    return key


def _get(client, slug, key, **query):
    return client.get(
        reverse("api:event_registrations", kwargs={"slug": slug}),
        query,
        headers={"authorization": f"Bearer {key}"},
    )


def test_an_organisers_token_reads_every_registration_with_sensitive_answers(
    client, validated, team
):
    response = _get(client, "event-a", _key(team.organiser))
    body = validated(response)
    assert [r["last_name"] for r in body["results"]] == ["Kovacs", "Popescu"]
    popescu = body["results"][1]
    assert popescu["email"] == "popescu@example.org"
    assert popescu["organisation"] == "Partner A" and popescu["organisation_slug"] == "pa"
    assert popescu["dietary_needs"] == "No sesame"
    assert "no-store" in response["Cache-Control"]
    waiting = validated(_get(client, "event-a", _key(team.organiser), status="waitlisted"))
    assert [r["last_name"] for r in waiting["results"]] == ["Kovacs"]


def test_a_coordinators_token_reads_their_organisations_people_only(client, validated, team):
    body = validated(_get(client, "event-a", _key(team.coordinator)))
    assert [r["last_name"] for r in body["results"]] == ["Popescu"]
    # the event does not show coordinators the sensitive answers: neither does the API
    assert body["results"][0]["dietary_needs"] is None
    assert "No sesame" not in str(body)
    Event.objects.filter(pk=team.event.pk).update(coordinators_see_sensitive_data=True)
    body = validated(_get(client, "event-a", _key(team.coordinator)))
    assert body["results"][0]["dietary_needs"] == "No sesame"


def test_another_events_registrations_are_not_found(client, validated, team):
    key = _key(team.organiser)
    for slug in ("event-b", "no-such-event"):
        response = _get(client, slug, key)
        assert response.status_code == 404
        validated(response)
        assert "Elsewhere" not in response.content.decode()


def test_a_token_gives_no_more_than_its_user_has_now(client, validated, team):
    key = _key(team.organiser)
    assert _get(client, "event-a", key).status_code == 200
    team.event.organisers.remove(team.organiser)
    assert _get(client, "event-a", key).status_code == 404
    team.event.organisers.add(team.organiser)
    team.organiser.is_active = False
    team.organiser.save()
    response = _get(client, "event-a", key)
    assert response.status_code == 401
    validated(response)


def test_a_token_without_the_scope_is_refused(client, validated, team):
    response = _get(client, "event-a", _key(team.organiser, scopes=()))
    assert response.status_code == 403
    validated(response)
    assert "Popescu" not in response.content.decode()


@pytest.mark.parametrize("how", ["revoked", "expired", "wrong", "anonymous"])
def test_revoked_expired_wrong_or_no_key_is_refused(client, validated, team, how):
    key = _key(team.organiser)
    token = ApiToken.objects.get()
    if how == "revoked":
        assert services.api_token_revoke(user=team.organiser, token_id=token.pk)
    elif how == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "wrong":
        key = key[:-4] + "AAAA"
    if how == "anonymous":
        response = client.get(reverse("api:event_registrations", kwargs={"slug": "event-a"}))
    else:
        response = _get(client, "event-a", key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    validated(response, request=how != "anonymous")
    assert "Popescu" not in response.content.decode()


def test_the_key_is_stored_hashed_and_last_use_recorded(client, team):
    key = _key(team.organiser)
    token = ApiToken.objects.get()
    assert key not in str(ApiToken.objects.values().get())
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.last_used_at is None
    _get(client, "event-a", key)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_organisers_session_reads_it_too(client, validated, team):
    client.force_login(team.coordinator)
    body = validated(client.get(reverse("api:event_registrations", kwargs={"slug": "event-a"})))
    assert [r["last_name"] for r in body["results"]] == ["Popescu"]


# --- the workspace page ------------------------------------------------------------------


def test_a_user_creates_a_token_sees_its_key_once_and_revokes_it(client, team):
    client.force_login(team.organiser)
    url = reverse("api_tokens:list")
    page = client.get(url)
    assert page.status_code == 200
    assert "You have no tokens yet." in page.content.decode()
    created = client.post(
        url,
        {
            "name": "Programme <b>sync</b>",
            "scopes": [SCOPE],
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    body = created.content.decode()
    key = re.search(r'id="token-key">(rct_[^<]+)<', body).group(1)
    assert "Programme &lt;b&gt;sync&lt;/b&gt;" in body and "<b>sync" not in body
    assert "no-store" in created["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.user == team.organiser and token.scopes == [SCOPE]
    assert token.expires_at.date() == timezone.localdate() + timedelta(days=30)
    assert key not in client.get(url).content.decode()  # shown once only
    assert _get(client, "event-a", key).status_code == 200

    revoked = client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk}))
    assert revoked.status_code == 302
    assert _get(client, "event-a", key).status_code == 401
    assert "Revoked" in client.get(url).content.decode()


def test_nobody_revokes_or_sees_someone_elses_token(client, team):
    _key(team.organiser)
    token = ApiToken.objects.get()
    client.force_login(team.coordinator)
    assert "sync" not in client.get(reverse("api_tokens:list")).content.decode()
    response = client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_form_with_a_past_expiry_or_no_scope_is_refused(client, team):
    client.force_login(team.organiser)
    response = client.post(
        reverse("api_tokens:list"),
        {"name": "x", "expires_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "Choose a day after today." in response.content.decode()
