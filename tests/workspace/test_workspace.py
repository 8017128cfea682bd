"""The organisers' workspace, as an organiser, a coordinator and everybody else uses it."""

import csv
import io
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import Event, ProgrammeItem
from registrations import services
from registrations.models import Attendance, ExportJob, Question, QuestionOption, Registration

from ..events.test_pages import text
from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    UserFactory,
    VenueFactory,
    at,
    person,
)
from ..outbox import deliver_outbox
from ..workers import purge_broker, tasks_in_broker

pytestmark = pytest.mark.django_db

BUDAPEST = "Europe/Budapest"


@pytest.fixture
def training(db):
    venue = VenueFactory(name="Kinizsi Vár", city="Nagyvázsony", country="HU")
    event = EventFactory(
        slug="nagyvazsony",
        title_en="Training in Nagyvázsony",
        venue=venue,
        capacity=70,
        timezone=BUDAPEST,
        starts_at=at(30, "09:00", BUDAPEST),
        ends_at=at(32, "17:00", BUDAPEST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    slot = {
        "event": event,
        "kind": ProgrammeItem.Kind.WORKSHOP,
        "starts_at": at(30, "11:00", BUDAPEST),
        "ends_at": at(30, "12:30", BUDAPEST),
    }
    event.mapping = ProgrammeItemFactory(title_en="Mapping", capacity=20, **slot)
    event.governance = ProgrammeItemFactory(title_en="Governance", capacity=20, **slot)
    event.hungary = OrganisationFactory(name="Fekete Sereg", country="HU")
    event.romania = OrganisationFactory(name="CRIES", country="RO")
    event.diet = QuestionFactory(event=event, kind=Question.Kind.SINGLE, label_en="Meal")
    event.veggie = QuestionOption.objects.create(question=event.diet, label_en="Vegetarian")
    event.organiser = UserFactory(email="odile@example.org")
    event.organisers.add(event.organiser)
    event.hu_coordinator = UserFactory(email="rita@example.org")
    event.hungary.coordinators.add(event.hu_coordinator)
    event.ro_coordinator = UserFactory(email="mihaela@example.org")
    event.romania.coordinators.add(event.ro_coordinator)

    def add(first, last, organisation, workshop, **extra):
        return services.registration_create(
            event=event,
            person=person(
                first_name=first,
                last_name=last,
                email=f"{first.lower()}@example.org",
                organisation=organisation,
                country=organisation.country,
                workshops=[workshop],
                answers={event.diet.pk: str(event.veggie.pk)} if extra.pop("veggie", False) else {},
                **extra,
            ),
        )[0]

    event.people = {
        "bence": add("Bence", "Tóth", event.hungary, event.mapping, veggie=True),
        "zsofi": add("Zsófi", "Nagy", event.hungary, event.mapping),
        "anna": add("Anna", "Kiss", event.hungary, event.governance),
        "mihai": add("Mihai", "Ionescu", event.romania, event.mapping),
        "evil": add(
            "Eve",
            '=HYPERLINK("http://x")',
            event.romania,
            event.governance,
            dietary_needs="+cmd|' /C calc'!A0",
        ),
    }
    services.registration_cancel(registration=event.people["anna"])
    return event


def filter_list(client, event, **data):
    base = {"action": "filter", "sort": "name"}
    response = client.post(f"/en/workspace/{event.slug}/participants/", {**base, **data})
    assert response.status_code == 302
    return client.get(f"/en/workspace/{event.slug}/participants/")


def export(client, event, kind, columns=None, **extra):
    data = {"format": kind, **extra}
    if columns:
        data["columns"] = columns
    response = client.post(f"/en/workspace/{event.slug}/export/", data)
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"]
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_done_when_an_organiser_filters_exports_and_checks_people_in(client, training):
    client.force_login(training.organiser)
    page = filter_list(
        client,
        training,
        organisation=training.hungary.pk,
        statuses=["confirmed"],
        workshop=training.mapping.pk,
    )
    visible = text(page)
    assert "2 participants" in visible
    assert "Tóth Bence" in visible and "Nagy Zsófi" in visible
    assert "Kiss" not in visible and "Ionescu" not in visible
    # The search words live in the session, never in a URL.
    assert "Bence" not in page.wsgi_request.get_full_path()

    csv_response = export(
        client,
        training,
        "csv",
        columns=[
            "last_name",
            "first_name",
            "organisation",
            "status",
            f"question_{training.diet.pk}",
            "workshop_1",
        ],
    )
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    content = body(csv_response).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Last name", "First name", "Organisation", "Status"]
    assert rows[1:] == [
        ["Nagy", "Zsófi", "Fekete Sereg", "Confirmed", "", "Mapping"],
        ["Tóth", "Bence", "Fekete Sereg", "Confirmed", "Vegetarian", "Mapping"],
    ]

    semicolons = body(export(client, training, "csv-semicolon")).decode("utf-8")
    assert semicolons.splitlines()[1].startswith("Nagy;Zsófi;")

    workbook = load_workbook(
        io.BytesIO(export(client, training, "xlsx", columns=["last_name", "registered_at"]).content)
    )
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert [cell.value for cell in sheet[1]] == ["Last name", "Registered at"]
    assert sheet["A2"].value == "Nagy"
    assert sheet["B2"].is_date

    pdf = PdfReader(io.BytesIO(export(client, training, "signin").content))
    assert len(pdf.pages) == 3, "one sheet per day of a three-day training"
    first_day = pdf.pages[0].extract_text()
    # An English sheet: given name first (registrations/names.py), no capitals.
    assert "Bence Tóth" in first_day and "Zsófi Nagy" in first_day
    assert "Ionescu" not in first_day
    assert "Signature" in first_day and "Training in Nagyvázsony" in first_day

    badges = PdfReader(io.BytesIO(export(client, training, "badges").content))
    assert "Zsófi" in badges.pages[0].extract_text()

    # The training is under way: check two people in, as on a phone at the door.
    Event.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(days=2)
    )
    training.refresh_from_db()
    for key in ("bence", "zsofi"):
        registration = training.people[key]
        response = client.post(
            f"/en/workspace/{training.slug}/checkin/{registration.uuid}/",
            {"day": training.local_starts_at.date().isoformat(), "present": "1"},
        )
        assert response.status_code == 302
    assert Attendance.objects.filter(registration__event=training).count() == 2
    day = training.local_starts_at.strftime("%d/%m")
    html = client.get(f"/en/workspace/{training.slug}/participants/").content.decode()
    rows_html = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    checked = [row for row in rows_html if day in row.rsplit("<td>", 1)[-1]]
    assert len(checked) == 2
    assert all("Tóth" in row or "Nagy" in row for row in checked)
    present_column = f"present_{training.local_starts_at:%Y%m%d}"
    rows = list(
        csv.reader(
            io.StringIO(
                body(export(client, training, "csv", columns=["last_name", present_column]))
                .decode()
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[1:] == [["Nagy", "Yes"], ["Tóth", "Yes"]]

    # The coordinator of another partner sees none of it.
    client.force_login(training.ro_coordinator)
    page = text(client.get(f"/en/workspace/{training.slug}/participants/"))
    assert "Ionescu Mihai" in page
    assert "Tóth Bence" not in page and "Nagy Zsófi" not in page
    all_rows = body(export(client, training, "csv")).decode()
    assert "Tóth" not in all_rows and "Ionescu" in all_rows
    response = client.post(
        f"/en/workspace/{training.slug}/checkin/{training.people['bence'].uuid}/", {"present": "0"}
    )
    assert response.status_code == 404
    assert Attendance.objects.filter(registration=training.people["bence"]).exists()


def test_a_workshops_sign_in_sheet_lists_the_people_who_chose_it(client, training):
    client.force_login(training.organiser)
    pdf = PdfReader(io.BytesIO(export(client, training, "signin", per_session="on").content))
    assert len(pdf.pages) == 3 + 2, "a sheet per day, then one per workshop"
    mapping, governance = (page.extract_text() for page in pdf.pages[3:])
    assert "Mapping" in mapping and "Governance" in governance
    assert "Bence Tóth" in mapping and "Mihai Ionescu" in mapping
    assert "Eve" not in mapping
    assert "Eve" in governance and "Bence" not in governance
    assert "Anna" not in governance  # cancelled


def test_check_in_by_search_on_a_phone_sized_page(client, training):
    client.force_login(training.organiser)
    page = client.get(f"/en/workspace/{training.slug}/checkin/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    response = client.post(
        f"/en/workspace/{training.slug}/checkin/",
        {"search": "bence", "day": training.local_starts_at.date().isoformat()},
    )
    assert "Tóth Bence" in text(response)
    assert "Mark present" in text(response)


def test_the_confirmation_email_carries_the_check_in_code(client, training):
    deliver_outbox()
    email = next(m for m in mail.outbox if m.to == ["bence@example.org"])
    html = email.alternatives[0][0]
    assert 'src="cid:checkin-code"' in html
    message = email.message()
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert images and images[0]["Content-ID"] == "<checkin-code>"


def test_exports_cannot_smuggle_formulas_into_a_spreadsheet(client, training):
    client.force_login(training.organiser)
    content = body(export(client, training, "csv", columns=["last_name", "dietary_needs"])).decode()
    assert "'=HYPERLINK" in content and ",=HYPERLINK" not in content
    assert "'+cmd" in content
    workbook = load_workbook(
        io.BytesIO(export(client, training, "xlsx", columns=["last_name"]).content)
    )
    values = [row[0].value for row in workbook.active.iter_rows(min_row=2)]
    assert '=HYPERLINK("http://x")' in values  # a text cell, as typed
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_bulk_actions_approve_reject_and_promote(client, training):
    client.force_login(training.organiser)
    training.requires_approval = True
    training.capacity = 5
    training.save()
    pending = services.registration_create(
        event=training, person=person(email="pending@example.org")
    )[0]
    waiting = services.registration_create(
        event=training, person=person(email="waiting@example.org")
    )[0]
    assert (pending.status, waiting.status) == ("pending", "waitlisted")
    client.post(
        f"/en/workspace/{training.slug}/participants/bulk/",
        {"bulk_action": "approve", "selected": [pending.pk], "confirmed": "1"},
    )
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    response = client.post(
        f"/en/workspace/{training.slug}/participants/bulk/",
        {"bulk_action": "promote", "selected": [waiting.pk], "confirmed": "1"},
        follow=True,
    )
    assert "There is no free place" in text(response)
    services.registration_cancel(registration=training.people["mihai"])
    # The cancellation already promoted the waiting person (automatic, in order).
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_write_to_selected_participants_in_their_language(client, training):
    client.force_login(training.organiser)
    deliver_outbox()
    mail.outbox.clear()
    chosen = [training.people["bence"].pk, training.people["mihai"].pk]
    response = client.post(
        f"/en/workspace/{training.slug}/participants/bulk/",
        {"bulk_action": "write", "selected": chosen},
    )
    assert response["Location"] == f"/en/workspace/{training.slug}/write/"
    response = client.post(
        response["Location"],
        {
            "subject_en": "Bus at 8:00",
            "body_en": "Meet at the station.",
            "subject_fr": "Bus à 8 h",
            "body_fr": "Rendez-vous à la gare.",
        },
    )
    assert response.status_code == 302
    progress = text(client.get(response["Location"]))
    assert "0 of 2 sent" in progress
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == ["bence@example.org", "mihai@example.org"]
    assert "2 of 2 sent" in text(client.get(response["Location"]))


def test_an_organiser_working_in_hungarian_writes_to_each_in_their_language(client, training):
    client.force_login(training.organiser)
    Registration.objects.filter(pk=training.people["bence"].pk).update(language="hu")
    Event.objects.filter(pk=training.pk).update(default_language="en", languages=["en", "hu"])
    deliver_outbox()
    mail.outbox.clear()
    chosen = [training.people["bence"].pk, training.people["mihai"].pk]
    client.post(
        f"/hu/workspace/{training.slug}/participants/bulk/",
        {"bulk_action": "write", "selected": chosen},
    )
    response = client.post(
        f"/hu/workspace/{training.slug}/write/",
        {
            "subject_en": "Bus at 8:00",
            "body_en": "Meet at the station.",
            "subject_hu": "Busz 8:00-kor",
            "body_hu": "Találkozó az állomáson.",
        },
    )
    assert response.status_code == 302
    deliver_outbox()
    received = {message.to[0]: message for message in mail.outbox}
    assert received["bence@example.org"].subject.endswith("Busz 8:00-kor")
    assert "Találkozó az állomáson." in received["bence@example.org"].body
    assert received["mihai@example.org"].subject.endswith("Bus at 8:00")


def test_the_email_log_shows_failures_and_resends(client, training):
    client.force_login(training.organiser)
    from notifications.models import OutgoingMessage

    row = OutgoingMessage.objects.filter(registration=training.people["bence"]).first()
    OutgoingMessage.objects.filter(pk=row.pk).update(
        state="failed", last_error="550 No such mailbox"
    )
    page = text(client.get(f"/en/workspace/{training.slug}/emails/?state=failed"))
    assert "bence@example.org" in page and "550 No such mailbox" in page
    assert "Show: All · Queued" in page
    assert "Mostra: Tutte ·" in text(client.get(f"/it/workspace/{training.slug}/emails/"))
    client.post(f"/en/workspace/{training.slug}/emails/{row.pk}/resend/")
    row.refresh_from_db()
    assert row.state == "queued"


def test_overview_counts_and_needs(client, training):
    client.force_login(training.organiser)
    page = text(client.get(f"/en/workspace/{training.slug}/"))
    assert re.search(r"Confirmed\s+4", page)
    assert re.search(r"Cancelled\s+1", page)
    assert "Fekete Sereg 2" in page
    assert "Mapping" in page


def test_the_overview_names_accessibility_needs_in_the_readers_punctuation_and_order(
    client, training
):
    Registration.objects.filter(pk=training.people["bence"].pk).update(
        accessibility_needs="Wheelchair", language="hu"
    )
    client.force_login(training.organiser)

    def page(language):
        return client.get(f"/{language}/workspace/{training.slug}/").content.decode()

    assert "<bdi>Bence Tóth</bdi>: <bdi>Wheelchair</bdi>" in page("en")
    # French puts a no-break space before the colon; Hungarian writes his name family first
    assert "<bdi>Bence Tóth</bdi>\u00a0: <bdi>Wheelchair</bdi>" in page("fr")
    assert "<bdi>Tóth Bence</bdi>: <bdi>Wheelchair</bdi>" in page("hu")


def test_the_public_attendee_list_shows_only_those_who_agreed(client, training):
    bence = training.people["bence"]
    Registration.objects.filter(pk=bence.pk).update(listed_publicly=True)
    page = text(client.get(f"/en/r/{training.people['mihai'].secret}/attendees/"))
    assert "Bence Tóth" in page and "Fekete Sereg" in page
    assert "Mihai" not in page and "bence@example.org" not in page


def test_large_exports_are_built_in_the_background_with_progress(client, training, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 2
    client.force_login(training.organiser)
    response = client.post(f"/en/workspace/{training.slug}/export/", {"format": "xlsx"})
    assert response.status_code == 302
    job_url = response["Location"]
    assert "Preparing the file" in text(client.get(job_url))
    from registrations.exports_jobs import export_job_build
    from registrations.models import ExportJob

    job = ExportJob.objects.get()
    assert export_job_build(job_id=job.pk) == "done"
    assert export_job_build(job_id=job.pk) == "skipped", "safe to run twice"
    assert "Download the file" in text(client.get(job_url))
    download = client.get(job_url + "download/")
    assert "no-store" in download["Cache-Control"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.active.max_row == 6  # the header and all five registrations
    # Named like an export made at once, in the reader's language.
    download = client.get(job_url.replace("/en/", "/hu/", 1) + "download/")
    name = unquote(download["Content-Disposition"])
    download.close()
    assert "resztvevok-training-in-nagyvazsony-" in name and ".xlsx" in name
    assert str(job.uuid) not in name


def waiting_job(training, waited):
    job = ExportJob.objects.create(
        event=training, requested_by=training.organiser, format="csv", total=1
    )
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - waited)
    purge_broker()
    return f"/en/workspace/{training.slug}/exports/{job.uuid}/", job


def test_showing_an_export_jobs_progress_starts_nothing(client, training):
    url, _job = waiting_job(training, timedelta(minutes=5))
    client.force_login(training.organiser)

    page = text(client.get(url))

    assert "Preparing the file" in page
    assert tasks_in_broker() == [], "a GET changes nothing"


def test_an_export_job_waiting_for_a_day_is_started_again_by_a_post(client, training):
    url, job = waiting_job(training, timedelta(days=1, seconds=10))
    client.force_login(training.organiser)
    assert "This export has not started yet." in text(client.get(url))

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == url
    assert tasks_in_broker() == [("registrations.export_build", job.pk)]


def test_the_email_log_shows_times_in_the_events_time_zone(client, training):
    from datetime import UTC, datetime

    from notifications.models import OutgoingMessage

    client.force_login(training.organiser)
    row = OutgoingMessage.objects.filter(registration=training.people["bence"]).first()
    OutgoingMessage.objects.filter(pk=row.pk).update(
        due_at=datetime(2027, 1, 15, 7, 30, tzinfo=UTC), state="failed"
    )
    page = text(client.get(f"/en/workspace/{training.slug}/emails/?state=failed"))
    assert "08:30" in page  # Budapest, UTC+1 in January
    assert "07:30" not in page
    assert "UTC+01:00" in page
