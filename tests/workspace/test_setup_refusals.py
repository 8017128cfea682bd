"""Every setup page is the event's organisers' own: another event's organiser, a partner
coordinator of the event, a participant and an anonymous visitor are refused, and the
refusal shows nothing of the event."""

import pytest

from registrations import services
from registrations.models import Question, QuestionOption, Quota

from ..factories import EventFactory, OrganisationFactory, QuotaFactory, UserFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(event):
    partner = OrganisationFactory(name="Asociația Secretă")
    event.quota = QuotaFactory(event=event, organisation=partner, places=2)
    event.question = Question.objects.create(event=event, kind="single", label_en="Hidden Q")
    QuestionOption.objects.create(question=event.question, label_en="Hidden option")
    event.registration = services.registration_create(
        event=event,
        person=person(email="maria@example.org", first_name="Maria", organisation=partner),
    )[0]
    event.coordinator = UserFactory(email="coordinator@example.org")
    partner.coordinators.add(event.coordinator)
    return event


def setup_urls(event) -> list[tuple[str, str]]:
    base = f"/en/workspace/{event.slug}/setup"
    quota, question = event.quota.pk, event.question.pk
    return [
        ("get", f"{base}/registration/"),
        ("post", f"{base}/registration/"),
        ("post", f"{base}/registration/waiting-list/"),
        ("get", f"{base}/quotas/"),
        ("post", f"{base}/quotas/"),
        ("get", f"{base}/quotas/{quota}/"),
        ("post", f"{base}/quotas/{quota}/"),
        ("get", f"{base}/quotas/{quota}/delete/"),
        ("post", f"{base}/quotas/{quota}/delete/"),
        ("get", f"{base}/questions/"),
        ("post", f"{base}/questions/"),
        ("get", f"{base}/questions/new/"),
        ("post", f"{base}/questions/new/"),
        ("get", f"{base}/questions/{question}/"),
        ("post", f"{base}/questions/{question}/"),
        ("get", f"{base}/questions/{question}/delete/"),
        ("post", f"{base}/questions/{question}/delete/"),
        ("get", f"/en/workspace/{event.slug}/setup/emails/"),
        ("post", f"/en/workspace/{event.slug}/setup/emails/"),
        ("get", f"/en/workspace/{event.slug}/setup/emails/preview/?kind=confirmed&language=en"),
    ]


POSTED = {
    "capacity": "1",
    "places": "1",
    "kind": "text",
    "position": "0",
    "label_en": "Changed",
    "move": "up:1",
    "digest_time": "07:30",
    "reminder_0_days": "2",
}
SECRETS = ("Timișoara", "Asociația Secretă", "Hidden Q", "Hidden option", "Maria", "maria@")


def assert_nothing_changed(event):
    event.refresh_from_db()
    assert event.capacity == 40
    assert Quota.objects.get(pk=event.quota.pk).places == 2
    assert Question.objects.get(pk=event.question.pk).label_en == "Hidden Q"
    assert not event.reminder_schedule.exists()
    assert event.registrations.get().first_name == "Maria"


def test_anonymous_visitors_are_sent_to_log_in(client, configured):
    for method, url in setup_urls(configured):
        response = getattr(client, method)(url, POSTED if method == "post" else None)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/en/accounts/login/"), url
    assert_nothing_changed(configured)


def test_everyone_but_the_events_organisers_is_refused_every_setup_url(client, configured):
    other_organiser = UserFactory(email="other@example.org")
    EventFactory(slug="another").organisers.add(other_organiser)
    participant = UserFactory(email="maria@example.org")  # her own registration's address
    outsiders = {
        "organiser of another event": other_organiser,
        "coordinator of a partner of this event": configured.coordinator,
        "participant": participant,
    }
    for who, user in outsiders.items():
        client.force_login(user)
        for method, url in setup_urls(configured):
            response = getattr(client, method)(url, POSTED if method == "post" else None)
            assert response.status_code == 404, f"{who}: {method} {url}"
            body = response.content.decode()
            assert not any(secret in body for secret in SECRETS), f"{who}: {url}"
    assert_nothing_changed(configured)


def test_the_events_organiser_reaches_every_setup_url_without_staff_or_permissions(
    client, configured
):
    organiser = configured.organiser
    assert not organiser.is_staff and not organiser.user_permissions.exists()
    client.force_login(organiser)
    for method, url in setup_urls(configured):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 200, url
            assert "no-store" in response["Cache-Control"], url
