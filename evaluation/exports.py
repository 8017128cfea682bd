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

from registrations.exports import XLSX_TYPE, csv_cell, workbook_bytes

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
    writer.writerow([csv_cell(value) for value in headers()])
    for row in rows(results):
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_bytes(results: Results, *, title: str) -> bytes:
    return workbook_bytes(title=title, headers=headers(), rows=rows(results))


__all__ = ["CSV_TYPE", "XLSX_TYPE", "csv_bytes", "headers", "rows", "xlsx_bytes"]
