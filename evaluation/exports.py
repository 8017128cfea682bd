"""The survey's results as a spreadsheet (CSV or XLSX): one row per question for everyone,
per session and per partner organisation shown (groups under the minimum size, and a
group's question answered by too few, are left out, as on the page), then one row per
open answer. Cells are made safe with the registrations exports' helpers: in CSV a text
that a spreadsheet would read as a formula is prefixed with an apostrophe; in XLSX every
text is a text cell."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from registrations.exports import XLSX_TYPE, _csv_cell, _sheet_name, _xlsx_write_text

from .models import RATINGS, SurveyQuestion
from .selectors import Results

CSV_TYPE = "text/csv; charset=utf-8"


def headers() -> list[str]:
    return [
        _("Question"),
        _("Session"),
        _("Partner organisation"),
        _("Answers"),
        _("Average"),
        *[str(rating) for rating in RATINGS],
        _("Open answer"),
        _("Signed by"),
    ]


def rows(results: Results) -> list[list]:
    everyone = pgettext("survey results", "Everyone")
    out = []

    def tally_rows(tallies, session: str, organisation: str):
        for question, tally in tallies:
            if tally.hidden:
                continue
            if question.kind == SurveyQuestion.Kind.RATING:
                out.append(
                    [
                        question.i18n.label,
                        session,
                        organisation,
                        tally.count,
                        tally.average,
                        *[tally.distribution[rating] for rating in RATINGS],
                        "",
                        "",
                    ]
                )
            for text, signer in tally.texts:
                out.append(
                    [question.i18n.label, session, organisation, None, None]
                    + [None] * len(RATINGS)
                    + [text, signer]
                )

    tally_rows(results.questions, "", everyone)
    for group in results.sessions:
        tally_rows(group.tallies, group.label, everyone)
    for group in results.organisations:
        # Open answers are listed once, with everyone's: not again per organisation.
        ratings = [
            (question, tally)
            for question, tally in group.tallies
            if question.kind == SurveyQuestion.Kind.RATING and not tally.hidden
        ]
        for question, tally in ratings:
            out.append(
                [
                    question.i18n.label,
                    "",
                    group.label,
                    tally.count,
                    tally.average,
                    *[tally.distribution[rating] for rating in RATINGS],
                    "",
                    "",
                ]
            )
    return out


def csv_bytes(results: Results) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(value) for value in headers()])
    for row in rows(results):
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_bytes(results: Results, *, title: str) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(_sheet_name(title))
    bold = workbook.add_format({"bold": True})
    columns = headers()
    for index, header in enumerate(columns):
        sheet.set_column(index, index, max(10, len(header) + 2))
        _xlsx_write_text(sheet, 0, index, header, bold)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, values in enumerate(rows(results), start=1):
        for index, value in enumerate(values):
            if isinstance(value, int | float):
                sheet.write_number(count, index, value)
            elif value:
                _xlsx_write_text(sheet, count, index, str(value))
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()


__all__ = ["CSV_TYPE", "XLSX_TYPE", "csv_bytes", "headers", "rows", "xlsx_bytes"]
