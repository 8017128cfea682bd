"""Every workspace and export URL refuses anyone who is not entitled to it."""

import pytest

from notifications.models import OutgoingMessage
from registrations.models import ExportJob

from ..factories import EventFactory, OrganisationFactory, UserFactory
from .test_workspace import training  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(training):  # noqa: F811
    slug = training.slug
    person = training.people["bence"]
    job = ExportJob.objects.create(
        event=training, requested_by=training.organiser, format="csv", total=1
    )
    message = OutgoingMessage.objects.filter(event=training).first()
    from notifications.models import Broadcast

    broadcast = Broadcast.objects.create(event=training, subject="s", body="b")
    base = f"/en/workspace/{slug}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/participants/"),
        ("post", f"{base}/participants/"),
        ("post", f"{base}/participants/bulk/"),
        ("get", f"{base}/workshops/{training.mapping.pk}/"),
        ("post", f"{base}/export/"),
        ("get", f"{base}/exports/{job.uuid}/"),
        ("post", f"{base}/exports/{job.uuid}/"),
        ("get", f"{base}/exports/{job.uuid}/download/"),
        ("get", f"{base}/checkin/"),
        ("post", f"{base}/checkin/"),
        ("get", f"{base}/checkin/{person.uuid}/"),
        ("post", f"{base}/checkin/{person.uuid}/"),
        ("get", f"{base}/write/"),
        ("post", f"{base}/write/"),
        ("get", f"{base}/messages/{broadcast.pk}/"),
        ("get", f"{base}/emails/"),
        ("post", f"{base}/emails/{message.pk}/resend/"),
    ]


def outsiders(training):  # noqa: F811
    participant = UserFactory(email="bence@example.org")  # registered, but not an organiser
    uninvolved = UserFactory()
    OrganisationFactory(name="Largo").coordinators.add(uninvolved)
    other_organiser = UserFactory()
    EventFactory().organisers.add(other_organiser)
    return {
        "participant": participant,
        "coordinator of another organisation": uninvolved,
        "organiser of another event": other_organiser,
    }


def test_anonymous_visitors_are_sent_to_log_in(client, urls):
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_everyone_else_is_refused_every_workspace_and_export_url(client, training, urls):  # noqa: F811
    for who, user in outsiders(training).items():
        client.force_login(user)
        for method, url in urls:
            response = getattr(client, method)(
                url,
                {
                    "format": "csv",
                    "action": "filter",
                    "bulk_action": "cancel",
                    "selected": [training.people["bence"].pk],
                },
            )
            assert response.status_code == 404, f"{who}: {method} {url}"
    training.people["bence"].refresh_from_db()
    assert training.people["bence"].status == "confirmed", "nothing was changed"


def test_a_coordinator_cannot_write_to_people_or_read_their_emails(client, training, urls):  # noqa: F811
    client.force_login(training.hu_coordinator)
    for method, url in urls:
        if "/write/" in url or "/emails/" in url or "/messages/" in url:
            assert getattr(client, method)(url).status_code == 404, url
    assert client.get(f"/en/workspace/{training.slug}/participants/").status_code == 200


def test_a_job_belongs_to_the_organiser_who_asked_for_it(client, training, urls):  # noqa: F811
    colleague = UserFactory()
    training.organisers.add(colleague)
    client.force_login(colleague)
    job = ExportJob.objects.get()
    assert client.get(f"/en/workspace/{training.slug}/exports/{job.uuid}/").status_code == 404
