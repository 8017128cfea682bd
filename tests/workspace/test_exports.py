"""What an organiser gets in CSV and XLSX exports: every kind of answer, typed cells, text
that stays text, and a number of SQL queries that does not depend on the number of rows."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from events.models import ProgrammeItem
from registrations import exports, exports_jobs, selectors, services
from registrations.models import ExportJob, Question, QuestionOption

from ..factories import (
    EventFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    UserFactory,
    at,
    person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    event = EventFactory(
        title_en="Meeting: evaluation [2027] / spring?",
        capacity=100,
        registration_opens_at=at(-5),
        registration_closes_at=at(10),
    )
    event.workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        starts_at=at(20, "11:00"),
        ends_at=at(20, "12:30"),
    )
    event.about = QuestionFactory(event=event, kind=Question.Kind.TEXT, label_en="About you")
    event.meal = QuestionFactory(event=event, kind=Question.Kind.SINGLE, label_en="Meal")
    event.fish = QuestionOption.objects.create(question=event.meal, label_en="Fish")
    event.topics = QuestionFactory(event=event, kind=Question.Kind.MULTIPLE, label_en="Topics")
    event.funding = QuestionOption.objects.create(question=event.topics, label_en="Funding")
    event.evaluation = QuestionOption.objects.create(question=event.topics, label_en="Evaluation")
    event.hotel = QuestionFactory(event=event, kind=Question.Kind.YES_NO, label_en="Hotel")
    event.arrival = QuestionFactory(event=event, kind=Question.Kind.DATE, label_en="Arrival")
    event.staff = QuestionFactory(event=event, kind=Question.Kind.NUMBER, label_en="Staff")
    event.organiser = UserFactory(email="odile@example.org")
    event.organisers.add(event.organiser)
    return event


def register(event, last_name, **extra):
    return services.registration_create(
        event=event,
        person=person(
            first_name="Ana",
            last_name=last_name,
            email=f"person.{extra.pop('n', 0)}@example.org",
            workshops=[event.workshop],
            **extra,
        ),
    )[0]


def answered(event):
    """Answers as the registration form hands them to the service."""
    return {
        event.about.pk: "=1+1 we run a café",
        event.meal.pk: str(event.fish.pk),
        event.topics.pk: [str(event.funding.pk), str(event.evaluation.pk)],
        event.hotel.pk: True,
        event.arrival.pk: date(2027, 3, 1),
        event.staff.pk: Decimal("2.50"),
    }


def post_export(client, event, kind, columns, language="en"):
    response = client.post(
        f"/{language}/workspace/{event.slug}/export/", {"format": kind, "columns": columns}
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def question_keys(event):
    questions = (event.about, event.meal, event.topics, event.hotel, event.arrival, event.staff)
    return [f"question_{question.pk}" for question in questions]


def test_every_kind_of_answer_in_both_csv_dialects_and_in_xlsx(client, meeting):
    register(meeting, "Popescu", n=1, answers=answered(meeting))
    register(meeting, "Tóth", n=2)  # answered nothing
    client.force_login(meeting.organiser)
    columns = ["last_name", *question_keys(meeting), "workshop_1", "registered_at"]

    content = post_export(client, meeting, "csv", columns).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:])))
    assert rows[0][:7] == ["Last name", "About you", "Meal", "Topics", "Hotel", "Arrival", "Staff"]
    assert rows[1][:8] == [
        "Popescu",
        "'=1+1 we run a café",
        "Fish",
        "Funding, Evaluation",
        "Yes",
        "01/03/2027",
        "2.5",
        "Mapping",
    ]
    assert rows[2][:8] == ["Tóth", "", "", "", "", "", "", "Mapping"]

    semicolons = post_export(client, meeting, "csv-semicolon", columns).decode("utf-8")
    assert semicolons.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(semicolons[1:]), delimiter=";"))
    assert rows[1][:8] == [
        "Popescu",
        "'=1+1 we run a café",
        "Fish",
        "Funding, Evaluation",
        "Yes",
        "01/03/2027",
        "2,5",  # a decimal comma: the semicolon dialect is for European Excel
        "Mapping",
    ]

    sheet = load_workbook(io.BytesIO(post_export(client, meeting, "xlsx", columns))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I3"
    assert [cell.value for cell in sheet[1]][:3] == ["Last name", "About you", "Meal"]
    assert sheet["A1"].font.b
    popescu = [cell.value for cell in sheet[2]]
    assert popescu[:8] == [
        "Popescu",
        "=1+1 we run a café",  # a text cell, as typed: XLSX does not evaluate it
        "Fish",
        "Funding, Evaluation",
        "Yes",
        datetime(2027, 3, 1),
        2.5,
        "Mapping",
    ]
    assert sheet["F2"].is_date and sheet["G2"].data_type == "n"
    assert sheet["I2"].is_date and isinstance(sheet["I2"].value, datetime)
    assert [cell.value for cell in sheet[3]][:8] == ["Tóth", *[None] * 6, "Mapping"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("language", "moment", "day", "moment_format", "day_format"),
    [
        ("en", "05/12/2026 17:46", "01/03/2027", "dd/mm/yyyy hh:mm", "dd/mm/yyyy"),
        ("fr", "05/12/2026 17\u00a0h\u00a046", "01/03/2027", "dd/mm/yyyy hh:mm", "dd/mm/yyyy"),
        ("ro", "05.12.2026, 17:46", "01.03.2027", "dd.mm.yyyy hh:mm", "dd.mm.yyyy"),
        ("hu", "2026. 12. 05. 17:46", "2027. 03. 01.", "yyyy. mm. dd. hh:mm", "yyyy. mm. dd."),
        ("pt", "05/12/2026, 17h46", "01/03/2027", "dd/mm/yyyy hh:mm", "dd/mm/yyyy"),
        ("it", "05/12/2026 17:46", "01/03/2027", "dd/mm/yyyy hh:mm", "dd/mm/yyyy"),
    ],
)
def test_exported_dates_are_in_the_readers_shape_and_stay_dates_in_xlsx(
    client, meeting, language, moment, day, moment_format, day_format
):
    registration = register(meeting, "Popescu", answers=answered(meeting))
    type(registration).objects.filter(pk=registration.pk).update(
        created_at=datetime(2026, 12, 5, 16, 46, tzinfo=UTC)  # 17:46 in Paris
    )
    client.force_login(meeting.organiser)
    columns = ["last_name", f"question_{meeting.arrival.pk}", "registered_at"]
    for kind in ("csv", "csv-semicolon"):
        content = post_export(client, meeting, kind, columns, language).decode("utf-8")
        delimiter = ";" if kind == "csv-semicolon" else ","
        rows = list(csv.reader(io.StringIO(content[1:]), delimiter=delimiter))
        assert rows[1] == ["Popescu", day, moment]

    xlsx = post_export(client, meeting, "xlsx", columns, language)
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet["B2"].value == datetime(2027, 3, 1) and sheet["B2"].is_date
    assert sheet["C2"].value == datetime(2026, 12, 5, 17, 46) and sheet["C2"].is_date
    assert sheet["B2"].number_format == day_format
    assert sheet["C2"].number_format == moment_format


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Participants"),
        ("fr", "Participant·es"),
        ("ro", "Participanți"),
        ("hu", "Résztvevők"),
        ("pt", "Participantes"),
        ("it", "Partecipanti"),
    ],
)
def test_the_xlsx_sheet_is_named_participants_in_the_readers_language(
    client, meeting, language, name
):
    meeting.title_en = "Transnational meeting of the partners in Timișoara"
    meeting.save()
    register(meeting, "Popescu")
    client.force_login(meeting.organiser)
    xlsx = post_export(client, meeting, "xlsx", ["last_name"], language)
    assert load_workbook(io.BytesIO(xlsx)).sheetnames == [name]


def test_xlsx_keeps_text_that_looks_like_markup_or_holds_control_characters_as_text(
    client, meeting
):
    # XlsxWriter writes a string shaped "<r>...</r>" into the sheet's XML as it is: this
    # one would add a formula cell if it were written as a plain string.
    markup = (
        '<r><t>a</t></r></is></c><c r="C2"><f>HYPERLINK("http://x","y")</f></c>'
        '<c r="D2" t="inlineStr"><is><r><t>b</t></r>'
    )
    register(meeting, "Alpha", n=1, dietary_needs=markup, accessibility_needs="line\x0bbreak\x01")
    register(meeting, "Zeta", n=2, dietary_needs="<b>bold</b> & co")
    client.force_login(meeting.organiser)

    columns = ["last_name", "dietary_needs", "accessibility_needs"]
    sheet = load_workbook(io.BytesIO(post_export(client, meeting, "xlsx", columns))).active
    assert sheet.title == "Participants"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Last name", "Dietary needs", "Accessibility needs"],
        # Control characters are written as Excel's own escapes, which Excel reads back
        # (openpyxl, which reads the file here, does not decode them).
        ["Alpha", markup, "line_x000B_break_x0001_"],
        ["Zeta", "<b>bold</b> & co", None],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_queries_do_not_grow_with_the_number_of_rows(meeting):
    access = selectors.WorkspaceAccess("organiser", None, sees_sensitive_data=True)
    keys = [column.key for column in exports.available_columns(meeting, sensitive=True)]

    def count_queries(work) -> int:
        registrations = selectors.participant_list(
            access=access, event=meeting, filters=selectors.ParticipantFilter()
        )
        with CaptureQueriesContext(connection) as queries:
            work(registrations, exports.choose_columns(meeting, keys, sensitive=True))
        return len(queries.captured_queries)

    def job(registrations, columns) -> None:
        made = ExportJob.objects.create(
            event=meeting,
            requested_by=meeting.organiser,
            format="xlsx",
            columns=keys,
            total=registrations.count(),
            query={},
        )
        assert exports_jobs.export_job_build(job_id=made.pk) == "done"

    def csv_export(registrations, columns):
        return "".join(exports.csv_stream(registrations, columns))

    def xlsx_export(registrations, columns):
        return exports.in_memory(exports.xlsx_write, registrations, columns)

    counts = []
    for size in (10, 30):  # an export job records its progress at each tenth
        while meeting.registrations.count() < size:
            n = meeting.registrations.count()
            register(meeting, f"Person {n}", n=n + 10, answers=answered(meeting))
        counts.append([count_queries(work) for work in (csv_export, xlsx_export, job)])
    assert counts[0] == counts[1], counts
