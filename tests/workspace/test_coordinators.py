"""What a partner coordinator may do in the workspace, and what only the organisers
decide: sensitive answers shown to coordinators only where the event says so, and no
cancelling after the deadline unless the organisers allow it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from events.models import Event
from registrations import exports_jobs
from registrations.models import ExportJob, Registration

from ..events.test_pages import text
from ..factories import EventFactory, QuotaFactory, at
from .test_workspace import body, training  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

COLUMNS = ["last_name", "dietary_needs", "accessibility_needs"]


@pytest.fixture
def needs(training):  # noqa: F811
    Registration.objects.filter(pk=training.people["bence"].pk).update(
        dietary_needs="no nuts", accessibility_needs="step-free access"
    )
    return training


def exported(client, event, kind: str) -> str:
    response = client.post(
        f"/en/workspace/{event.slug}/export/", {"format": kind, "columns": COLUMNS}
    )
    if response.status_code == 302:  # the form refused a column it does not offer
        return text(client.get(response["Location"]))
    assert response.status_code == 200
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        return repr([[cell.value for cell in row] for row in sheet.iter_rows()])
    return repr(list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")))))


def built_in_background(event, user) -> str:
    job = ExportJob.objects.create(
        event=event, requested_by=user, format="csv", total=3, columns=COLUMNS
    )
    exports_jobs.export_job_build(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as file:
        return file.read().decode("utf-8-sig")


def test_a_coordinator_sees_no_sensitive_answers_unless_the_event_says_so(client, needs):
    client.force_login(needs.hu_coordinator)
    overview = text(client.get(f"/en/workspace/{needs.slug}/"))
    assert "Fekete Sereg" in overview  # their own delegation is there
    assert "no nuts" not in overview and "step-free" not in overview
    assert "Dietary and accessibility needs" not in overview
    participants = text(client.get(f"/en/workspace/{needs.slug}/participants/"))
    assert "Tóth" in participants
    assert "Dietary needs" not in participants and "Accessibility needs" not in participants
    for kind in ("csv", "csv-semicolon", "xlsx"):
        export = exported(client, needs, kind)
        assert "no nuts" not in export and "step-free" not in export, kind
        assert "Dietary needs" not in export and "Accessibility needs" not in export, kind
    background = built_in_background(needs, needs.hu_coordinator)
    assert "Tóth" in background and "no nuts" not in background

    Event.objects.filter(pk=needs.pk).update(coordinators_see_sensitive_data=True)
    overview = text(client.get(f"/en/workspace/{needs.slug}/"))
    assert "no nuts : 1" in overview and "Bence Tóth : step-free access" in overview
    assert "step-free access" in exported(client, needs, "csv")
    assert "no nuts" in built_in_background(needs, needs.hu_coordinator)

    # The organisers see them whatever the event says.
    Event.objects.filter(pk=needs.pk).update(coordinators_see_sensitive_data=False)
    client.force_login(needs.organiser)
    assert "step-free access" in text(client.get(f"/en/workspace/{needs.slug}/"))
    assert "no nuts" in exported(client, needs, "xlsx")


def bulk_cancel(client, event, registration):
    return client.post(
        f"/en/workspace/{event.slug}/participants/bulk/",
        {"bulk_action": "cancel", "selected": [registration.pk], "confirmed": "1"},
        follow=True,
    )


def test_a_coordinator_cannot_cancel_a_delegate_after_the_deadline(client, training):  # noqa: F811
    Event.objects.filter(pk=training.pk).update(registration_closes_at=at(-1))
    zsofi, bence = training.people["zsofi"], training.people["bence"]
    client.force_login(training.hu_coordinator)
    page = text(bulk_cancel(client, training, zsofi))
    assert "Coordinators could cancel until" in page
    zsofi.refresh_from_db()
    assert zsofi.status == Registration.Status.CONFIRMED

    # The organisers may, at any time, and may let coordinators do it too.
    client.force_login(training.organiser)
    bulk_cancel(client, training, zsofi)
    zsofi.refresh_from_db()
    assert zsofi.status == Registration.Status.CANCELLED
    Event.objects.filter(pk=training.pk).update(coordinators_cancel_after_deadline=True)
    client.force_login(training.hu_coordinator)
    bulk_cancel(client, training, bence)
    bence.refresh_from_db()
    assert bence.status == Registration.Status.CANCELLED


def test_a_coordinator_does_not_see_a_draft_that_reserves_places_for_them(client, training):  # noqa: F811
    organisation = training.hu_coordinator.coordinated_organisations.get()
    draft = EventFactory(
        slug="next-year-draft", title_en="Next year, still a draft", status=Event.Status.DRAFT
    )
    QuotaFactory(event=draft, organisation=organisation, places=3)
    client.force_login(training.hu_coordinator)

    home = text(client.get("/en/workspace/"))

    assert "Training in Nagyvázsony" in home
    assert "Next year, still a draft" not in home
    assert client.get("/en/workspace/next-year-draft/").status_code == 404
