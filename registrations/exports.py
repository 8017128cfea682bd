"""Exports of a participant list: CSV, XLSX, PDF sign-in sheets and badges.

- Exactly the list on screen: the caller passes the queryset from
  ``selectors.participant_list``.
- One SQL query whatever the number of rows: answers, workshops and attendance are
  correlated subqueries annotated on that query, read with a server-side cursor
  (``iterator``), so memory stays flat and the query count does not grow with rows.
- Safe in a spreadsheet: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return is prefixed with an apostrophe, so it is text, never a formula.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from events.models import Event, ProgrammeItem

from .models import Answer, Attendance, Question, Registration, Role, WorkshopChoice

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Column:
    key: str
    label: str
    value: Callable[[Registration], object]
    annotation: tuple[str, object] | None = None  # (name, expression) the value reads


def event_days(event: Event) -> list[date]:
    first, last = event.local_starts_at.date(), event.local_ends_at.date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _answer_text(question: Question, options: dict[str, str]):
    def read(registration):
        value = getattr(registration, f"answer_{question.pk}", None)
        if value is None:
            return ""
        if question.kind == Question.Kind.SINGLE:
            return options.get(str(value), str(value))
        if question.kind == Question.Kind.MULTIPLE:
            return ", ".join(options.get(str(part), str(part)) for part in value or [])
        if question.kind == Question.Kind.YES_NO:
            return _("Yes") if value else _("No")
        if question.kind == Question.Kind.NUMBER:
            try:
                return Decimal(str(value))
            except ArithmeticError:
                return str(value)
        if question.kind == Question.Kind.DATE:
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                return str(value)
        return str(value)

    return read


def available_columns(event: Event) -> list[Column]:
    """Every column an organiser may choose, for this event.

    Labels are translated once here, not once per row (20,000 rows times a few labels
    would otherwise dominate the export's time).
    """
    roles = {value: str(label) for value, label in Role.choices}
    statuses = {value: str(label) for value, label in Registration.Status.choices}
    yes, no = _("Yes"), _("No")
    country_names = dict(countries)
    columns = [
        Column("last_name", str(gettext_lazy("Last name")), lambda r: r.last_name),
        Column("first_name", str(gettext_lazy("First name")), lambda r: r.first_name),
        Column("email", str(gettext_lazy("Email")), lambda r: r.email),
        Column("organisation", str(gettext_lazy("Organisation")), lambda r: r.organisation_label),
        Column(
            "country",
            str(gettext_lazy("Country")),
            # The stored code, read past the field's descriptor (which builds a Country
            # object on every access), named from a table translated once.
            lambda r: country_names.get(r.__dict__["country"], ""),
        ),
        Column("role", str(gettext_lazy("Role")), lambda r: roles.get(r.role, r.role)),
        Column("status", str(gettext_lazy("Status")), lambda r: statuses.get(r.status, r.status)),
        Column("language", str(gettext_lazy("Language")), lambda r: r.language),
        Column("dietary_needs", str(gettext_lazy("Dietary needs")), lambda r: r.dietary_needs),
        Column(
            "accessibility_needs",
            str(gettext_lazy("Accessibility needs")),
            lambda r: r.accessibility_needs,
        ),
        Column(
            "registered_at",
            str(gettext_lazy("Registered at")),
            lambda r: timezone.localtime(r.created_at, event.tz).replace(tzinfo=None),
        ),
        Column(
            "listed_publicly",
            str(gettext_lazy("In the attendee list")),
            lambda r: yes if r.listed_publicly else no,
        ),
    ]
    slots: dict = {}
    for item in (
        ProgrammeItem.objects.filter(event=event, kind=ProgrammeItem.Kind.WORKSHOP)
        .select_related("event")
        .order_by("starts_at", "pk")
    ):
        slots.setdefault(item.starts_at, []).append(item)
    for number, (start, items) in enumerate(slots.items(), start=1):
        titles = {item.pk: item.i18n.title for item in items}
        name = f"workshop_{number}"
        expression = Subquery(
            WorkshopChoice.objects.filter(registration=OuterRef("pk"), item__in=items)
            .order_by()  # no Meta.ordering: no join and no sort per row
            .values("item_id")[:1]
        )
        label = _("Workshop %(when)s") % {"when": event.local(start).strftime("%Y-%m-%d %H:%M")}
        columns.append(
            Column(
                name,
                label,
                lambda r, name=name, titles=titles: titles.get(getattr(r, name), ""),
                (name, expression),
            )
        )
    for question in (
        Question.objects.filter(event=event).select_related("event").prefetch_related("options")
    ):
        options = {str(option.pk): option.i18n.label for option in question.options.all()}
        name = f"answer_{question.pk}"
        expression = Subquery(
            Answer.objects.filter(registration=OuterRef("pk"), question=question).values("value")[
                :1
            ]
        )
        columns.append(
            Column(
                f"question_{question.pk}",
                question.i18n.label,
                _answer_text(question, options),
                (name, expression),
            )
        )
    for day in event_days(event):
        name = f"present_{day:%Y%m%d}"
        expression = Exists(
            Attendance.objects.filter(registration=OuterRef("pk"), day=day, item__isnull=True)
        )
        columns.append(
            Column(
                name,
                _("Present %(day)s") % {"day": day.isoformat()},
                lambda r, name=name: yes if getattr(r, name) else "",
                (name, expression),
            )
        )
    return columns


DEFAULT_COLUMNS = ["last_name", "first_name", "email", "organisation", "country", "role", "status"]


def choose_columns(event: Event, keys: Iterable[str] | None) -> list[Column]:
    columns = {column.key: column for column in available_columns(event)}
    chosen = [columns[key] for key in (keys or DEFAULT_COLUMNS) if key in columns]
    return chosen or [columns[key] for key in DEFAULT_COLUMNS]


def export_rows(registrations: QuerySet[Registration], columns: list[Column]) -> Iterator[list]:
    """One query, read in chunks with a server-side cursor."""
    annotations = dict(column.annotation for column in columns if column.annotation)
    query = registrations.select_related("organisation").annotate(**annotations)
    for registration in query.iterator(chunk_size=CHUNK):
        yield [column.value(registration) for column in columns]


# --- CSV ----------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def csv_stream(registrations, columns, *, semicolon: bool = False) -> Iterator[str]:
    """UTF-8 with a byte order mark, so that Excel reads accents right; the semicolon
    dialect is what Excel expects where the decimal separator is a comma."""
    writer = csv.writer(_Echo(), delimiter=";" if semicolon else ",")
    yield "\ufeff"
    yield writer.writerow([neutralise(column.label) for column in columns])
    for row in export_rows(registrations, columns):
        yield writer.writerow([neutralise(_csv_text(value)) for value in row])


# --- XLSX ---------------------------------------------------------------------------------


def xlsx_write(
    registrations,
    columns,
    target,
    *,
    title: str = "",
    progress: Callable[[int], None] | None = None,
) -> None:
    """A typed workbook (dates are dates, numbers are numbers), written row by row in
    openpyxl's write-only mode: memory stays flat."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(
        title=(neutralise(title) or "Participants")[:31].replace("/", "-").replace("'", "")
    )
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.label) + 2)
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in export_rows(registrations, columns):
        # Plain values are much faster for openpyxl; only date-times need a cell with
        # their format (dates get openpyxl's own date format).
        values = []
        for value in row:
            if isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
                values.append(cell)
            else:
                values.append(neutralise(value))
        sheet.append(values)
        count += 1
        if progress and count % CHUNK == 0:
            progress(count)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(target)


# --- PDF ----------------------------------------------------------------------------------

_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
]


def _font() -> str:
    """A TrueType font with the accents of all six languages (ș, ő, ã…): the system's
    DejaVu or Noto when present, else the Vera font that ships with ReportLab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Rencontres" in pdfmetrics.getRegisteredFontNames():
        return "Rencontres"
    import reportlab

    candidates = [*_FONT_CANDIDATES, str(Path(reportlab.__file__).parent / "fonts/Vera.ttf")]
    path = next(path for path in candidates if Path(path).exists())
    pdfmetrics.registerFont(TTFont("Rencontres", path))
    return "Rencontres"


def signin_pdf(
    event: Event, registrations, target, *, day: date, item: ProgrammeItem | None = None
) -> None:
    """One sign-in sheet: the attendance evidence funders ask for."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=15, leading=19)
    text_style = ParagraphStyle("text", fontName=font, fontSize=9.5, leading=12)
    document = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{event.i18n.title} {day.isoformat()}",
    )
    venue = f"{event.venue.name}, {event.venue.full_address}" if event.venue_id else _("Online")
    story = [
        Table(
            [[_("Funders' logos"), ""]],
            colWidths=[90 * mm, 90 * mm],
            rowHeights=[20 * mm],
            style=TableStyle(
                [
                    ("BOX", (0, 0), (0, 0), 0.5, colors.grey),
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("TEXTCOLOR", (0, 0), (-1, -1), colors.grey),
                    ("FONTSIZE", (0, 0), (-1, -1), 7),
                ]
            ),
        ),
        Spacer(1, 4 * mm),
        Paragraph(_escape(event.i18n.title), title_style),
        Paragraph(
            _escape(
                _("Sign-in sheet · %(day)s") % {"day": day.strftime("%d/%m/%Y")}
                + (f" · {item.i18n.title}" if item else "")
            ),
            text_style,
        ),
        Paragraph(_escape(venue), text_style),
        Spacer(1, 5 * mm),
    ]
    rows = [["#", _("Name"), _("Organisation"), _("Country"), _("Signature")]]
    columns = choose_columns(event, ["last_name", "first_name", "organisation", "country"])
    for number, (last, first, organisation, country) in enumerate(
        export_rows(registrations, columns), start=1
    ):
        rows.append(
            [
                str(number),
                Paragraph(_escape(f"{last.upper()} {first}"), text_style),
                Paragraph(_escape(organisation), text_style),
                Paragraph(_escape(country), text_style),
                "",
            ]
        )
    table = Table(
        rows,
        colWidths=[9 * mm, 55 * mm, 55 * mm, 25 * mm, 36 * mm],
        repeatRows=1,
        rowHeights=[8 * mm] + [12 * mm] * (len(rows) - 1),
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8ee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(table)
    document.build(story)


def badges_pdf(event: Event, registrations, target) -> None:
    """Name badges, eight to an A4 page: name, organisation, country."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = _font()
    pdf = canvas.Canvas(target, pagesize=A4)
    pdf.setTitle(f"{event.i18n.title} badges")
    width, height = A4
    badge_w, badge_h = 90 * mm, 60 * mm
    margin_x, margin_y = (width - 2 * badge_w) / 2, (height - 4 * badge_h) / 2
    columns = choose_columns(event, ["first_name", "last_name", "organisation", "country"])
    for index, (first, last, organisation, country) in enumerate(
        export_rows(registrations, columns)
    ):
        slot = index % 8
        if index and slot == 0:
            pdf.showPage()
        x = margin_x + (slot % 2) * badge_w
        y = height - margin_y - (slot // 2 + 1) * badge_h
        pdf.rect(x, y, badge_w, badge_h)
        pdf.setFont(font, 8)
        pdf.drawCentredString(x + badge_w / 2, y + badge_h - 8 * mm, event.i18n.title[:70])
        pdf.setFont(font, 18)
        pdf.drawCentredString(x + badge_w / 2, y + badge_h / 2 + 4 * mm, first[:30])
        pdf.setFont(font, 14)
        pdf.drawCentredString(x + badge_w / 2, y + badge_h / 2 - 4 * mm, last.upper()[:30])
        pdf.setFont(font, 10)
        pdf.drawCentredString(x + badge_w / 2, y + 14 * mm, organisation[:50])
        pdf.drawCentredString(x + badge_w / 2, y + 8 * mm, country[:40])
    pdf.save()


def _escape(text: str) -> str:
    """ReportLab paragraphs read a little markup: user text must not be read as markup."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def in_memory(writer, *args, **kwargs) -> bytes:
    buffer = io.BytesIO()
    writer(*args, target=buffer, **kwargs)
    return buffer.getvalue()
