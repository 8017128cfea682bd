"""Exports of a participant list: CSV, XLSX, PDF sign-in sheets and badges.

- Exactly the list on screen: the caller passes the queryset from
  ``selectors.participant_list``.
- One SQL query whatever the number of rows, read with a server-side cursor
  (``iterator``), so memory stays flat and the query count does not grow with rows. The
  query reads plain values (``values_list``), not model instances: only the fields the
  chosen columns need, the answers as ONE JSON object per registration
  (``{"<question id>": value}``, an aggregate subquery), each workshop slot and each day's
  presence as a correlated subquery.
- Labels (statuses, roles, countries, options, "Yes"/"No") are translated once per
  export, never once per row.
- Safe in a spreadsheet, with values kept as typed where the format allows it: in XLSX
  every text is a text cell (never a formula, whatever it starts with), so an address
  such as ``-x@example.org`` or a phone number ``+33 6...`` is exported unchanged. CSV has
  no cell types and spreadsheets evaluate it: there, a text starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return is prefixed with an apostrophe (OWASP's CSV
  injection advice); numbers and dates, which cannot be formulas, are left as they are.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from django.conf import settings
from django.db.models import (
    Aggregate,
    Exists,
    F,
    Func,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django_countries import countries

from events.downloads import event_file_name
from events.formats import date_format, weekday_date
from events.models import Event, NetworkIdentity, ProgrammeItem
from events.pdf import (
    document_info,
    draw_logo,
    logo_reader,
    page_decorator,
    set_document_info,
)
from events.selectors import network_identity

from .models import Answer, Attendance, Question, Registration, Role, WorkshopChoice
from .names import person_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value):
    """A text for a CSV cell: prefixed with an apostrophe when a spreadsheet would read it
    as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class JSONObjectAgg(Aggregate):
    """``{key: value, ...}`` over a group, as one JSON object: ``jsonb_object_agg`` on
    PostgreSQL, ``json_group_object`` on SQLite (keys as text, values read as JSON)."""

    function = "JSONB_OBJECT_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        key, value, *rest = self.get_source_expressions()  # rest: the (unused) filter
        clone = self.copy()
        clone.set_source_expressions(
            [Cast(key, TextField()), Func(value, function="JSON", output_field=TextField()), *rest]
        )
        return clone.as_sql(compiler, connection, function="JSON_GROUP_OBJECT", **extra_context)


@dataclass
class Column:
    """One column of an export: its label, the one value it reads from the export's query
    (``read``: a field such as ``"last_name"``, or the name of one of ``annotations``),
    and ``convert``, which turns that value into the cell (None: the value as it is)."""

    key: str
    label: str
    read: str
    convert: Callable[[object], object] | None = None
    annotations: dict[str, object] = field(default_factory=dict)


ANSWERS = "x_answers"  # the JSON object of a registration's answers


def event_days(event: Event) -> list[date]:
    first, last = event.local_starts_at.date(), event.local_ends_at.date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _answer_text(question: Question, options: dict[str, str], yes: str, no: str):
    """The cell of one question, from the registration's JSON object of answers."""
    key = str(question.pk)
    kind = question.kind

    def read(answers):
        value = answers.get(key) if answers else None
        if value is None:
            return ""
        if kind == Question.Kind.SINGLE:
            return options.get(str(value), str(value))
        if kind == Question.Kind.MULTIPLE:
            return ", ".join(options.get(str(part), str(part)) for part in value or [])
        if kind == Question.Kind.YES_NO:
            return yes if value else no
        if kind == Question.Kind.NUMBER:
            try:
                return Decimal(str(value))
            except ArithmeticError:
                return str(value)
        if kind == Question.Kind.DATE:
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                return str(value)
        return str(value)

    return read


#: Columns of sensitive answers: offered only to whom ``WorkspaceAccess.sees_sensitive_data``.
SENSITIVE_COLUMNS = frozenset({"dietary_needs", "accessibility_needs"})


def available_columns(event: Event, *, sensitive: bool = False) -> list[Column]:
    """Every column the user may choose, for this event; the sensitive answers
    (``SENSITIVE_COLUMNS``) only with ``sensitive`` (pass the user's
    ``WorkspaceAccess.sees_sensitive_data``).

    Labels are translated once here, not once per row (20,000 rows times a few labels
    would otherwise dominate the export's time).
    """
    columns = _all_columns(event)
    if sensitive:
        return columns
    return [column for column in columns if column.key not in SENSITIVE_COLUMNS]


def _all_columns(event: Event) -> list[Column]:
    roles = {value: str(label) for value, label in Role.choices}
    statuses = {value: str(label) for value, label in Registration.Status.choices}
    yes, no = _("Yes"), _("No")
    country_names = {code: str(name) for code, name in countries}
    language_names = {code: str(name) for code, name in settings.LANGUAGES}
    tz = event.tz

    def local(moment):
        return moment.astimezone(tz).replace(tzinfo=None) if moment else None

    columns = [
        Column("last_name", str(gettext_lazy("Last name")), "last_name"),
        Column("first_name", str(gettext_lazy("First name")), "first_name"),
        Column("email", str(gettext_lazy("Email")), "email"),
        Column(
            "organisation",
            str(gettext_lazy("Organisation")),
            "x_organisation",
            # Registration.organisation_label, in SQL: the partner's name, else the text.
            annotations={"x_organisation": Coalesce(F("organisation__name"), "organisation_name")},
        ),
        Column(
            "country",
            str(gettext_lazy("Country")),
            "country",
            lambda code: country_names.get(code, ""),
        ),
        Column("role", str(gettext_lazy("Role")), "role", lambda role: roles.get(role, role)),
        Column(
            "status",
            str(gettext_lazy("Status")),
            "status",
            lambda status: statuses.get(status, status),
        ),
        Column(
            "language",
            str(gettext_lazy("Language")),
            "language",
            lambda code: language_names.get(code, code),
        ),
        Column("dietary_needs", str(gettext_lazy("Dietary needs")), "dietary_needs"),
        Column(
            "accessibility_needs", str(gettext_lazy("Accessibility needs")), "accessibility_needs"
        ),
        Column("registered_at", str(gettext_lazy("Registered at")), "created_at", local),
        Column(
            "listed_publicly",
            str(gettext_lazy("In the participant list")),
            "listed_publicly",
            lambda listed: yes if listed else no,
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
        label = _("Workshop %(when)s") % {
            "when": date_format(event.local(start), "SHORT_DATETIME_FORMAT")
        }
        columns.append(
            Column(
                name,
                label,
                f"x_{name}",
                lambda item, titles=titles: titles.get(item, ""),
                {f"x_{name}": expression},
            )
        )
    for question in (
        Question.objects.filter(event=event).select_related("event").prefetch_related("options")
    ):
        options = {str(option.pk): option.i18n.label for option in question.options.all()}
        columns.append(
            Column(
                f"question_{question.pk}",
                question.i18n.label,
                ANSWERS,
                _answer_text(question, options, yes, no),
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
                _("Present %(day)s") % {"day": date_format(day, "SHORT_DATE_FORMAT")},
                f"x_{name}",
                lambda present: yes if present else "",
                {f"x_{name}": expression},
            )
        )
    return columns


DEFAULT_COLUMNS = ["last_name", "first_name", "email", "organisation", "country", "role", "status"]


def choose_columns(
    event: Event, keys: Iterable[str] | None, *, sensitive: bool = False
) -> list[Column]:
    """The columns named by ``keys`` among those the user may choose (see
    ``available_columns``); the default columns when none of them is left."""
    columns = {column.key: column for column in available_columns(event, sensitive=sensitive)}
    chosen = [columns[key] for key in (keys or DEFAULT_COLUMNS) if key in columns]
    return chosen or [columns[key] for key in DEFAULT_COLUMNS]


def _answers(question_ids: list[int]) -> Subquery:
    """A registration's answers to these questions as one JSON object."""
    return Subquery(
        Answer.objects.filter(registration=OuterRef("pk"), question_id__in=question_ids)
        .order_by()
        .values("registration_id")
        .annotate(answers=JSONObjectAgg("question_id", "value"))
        .values("answers"),
        output_field=JSONField(),
    )


def export_query(
    registrations: QuerySet[Registration], columns: list[Column]
) -> tuple[QuerySet, list[Callable[[tuple], object]]]:
    """The export's one query (plain values: only what the columns read) and, for each
    column, the function that makes its cell from a row of that query."""
    annotations = {}
    for column in columns:
        annotations.update(column.annotations)
    questions = [int(c.key.removeprefix("question_")) for c in columns if c.read == ANSWERS]
    if questions:
        annotations[ANSWERS] = _answers(questions)
    names = list(dict.fromkeys(column.read for column in columns))
    position = {name: index for index, name in enumerate(names)}
    cells = []
    for column in columns:
        get = itemgetter(position[column.read])
        if column.convert is None:
            cells.append(get)
        else:
            cells.append(lambda row, get=get, convert=column.convert: convert(get(row)))
    return registrations.annotate(**annotations).values_list(*names), cells


def export_rows(registrations: QuerySet[Registration], columns: list[Column]) -> Iterator[list]:
    """The cells of each row. One query of plain values, read in chunks with a
    server-side cursor."""
    query, cells = export_query(registrations, columns)
    for row in query.iterator(chunk_size=CHUNK):
        yield [cell(row) for cell in cells]


# --- CSV ----------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def csv_cell(value) -> str:
    """A cell as text, neutralised. Most cells are text: that case is tried first."""
    if type(value) is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")  # the reader's shape
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | int | float):
        return str(value)  # a number, negative ones included, is not a formula
    return neutralise(str(value))


def csv_cell_decimal_comma(value) -> str:
    if type(value) is Decimal:
        return str(value).replace(".", ",")
    return csv_cell(value)


def csv_stream(registrations, columns, *, semicolon: bool = False) -> Iterator[str]:
    """UTF-8 with a byte order mark, so that Excel reads accents right; the semicolon
    dialect is what Excel expects where the decimal separator is a comma (so its numbers
    are written with a decimal comma: 2,5). Dates and times are in the shape of the
    language active when it is called (the lines are made later, as they are read)."""
    return _csv_lines(registrations, columns, semicolon=semicolon, language=get_language())


def _csv_lines(registrations, columns, *, semicolon: bool, language: str) -> Iterator[str]:
    with translation.override(language):
        yield from _csv_rows(registrations, columns, semicolon=semicolon)


def _csv_rows(registrations, columns, *, semicolon: bool) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";" if semicolon else ",")
    cell = csv_cell_decimal_comma if semicolon else csv_cell
    yield "\ufeff"
    yield writer.writerow([neutralise(column.label) for column in columns])
    for row in export_rows(registrations, columns):
        yield writer.writerow([cell(value) for value in row])


# --- XLSX ---------------------------------------------------------------------------------

_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def sheet_name(title: str) -> str:
    """Excel's rules for a sheet's name: at most 31 characters, none of ``[]:*?/\\``, no
    apostrophe at either end, not "History"."""
    name = (title or "").translate(_SHEET_NAME_FORBIDDEN)[:31].strip().strip("'").strip()
    return name if name and name.lower() != "history" else "Participants"


def xlsx_write_text(sheet, row: int, column: int, value: str, *cell_format) -> None:
    """A text cell holding exactly ``value``: ``write_string`` never makes a formula,
    whatever the text starts with.

    XlsxWriter writes a string shaped ``<r>...</r>`` into the sheet's XML as it is (it
    takes it for one of its own rich strings): typed by a user, such a text could add
    cells and formulas. It is written as a rich string of three plain fragments instead,
    which XlsxWriter escapes, and which a spreadsheet reads back as the same text (but
    for Excel's ``_xHHHH_`` escapes of control characters inside it, escaped twice).
    """
    if value.startswith("<r>") and value.endswith("</r>"):
        sheet.write_rich_string(row, column, value[:1], value[1:3], value[3:], *cell_format)
    else:
        sheet.write_string(row, column, value, *cell_format)


def _workbook(target, **options):
    """An XlsxWriter workbook writing to ``target`` (a path or a binary file object).
    Every cell is written with its own typed method: these options are off so that
    nothing typed is ever read as a formula, a link or a number."""
    import xlsxwriter

    return xlsxwriter.Workbook(
        target,
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            **options,
        },
    )


_XLSX_DATE_CODES = {"d": "dd", "j": "d", "m": "mm", "n": "m", "Y": "yyyy", "y": "yy"}


def xlsx_date_format(shape: str) -> str:
    """A spreadsheet's number format for Django's date ``shape`` (the active language's
    ``SHORT_DATE_FORMAT``): "d.m.Y" becomes "dd.mm.yyyy", "Y. m. d." "yyyy. mm. dd."."""
    codes, escaped = [], False
    for char in shape:
        if escaped or char == "\\":
            codes.append(char)
            escaped = not escaped and char == "\\"
        elif char in _XLSX_DATE_CODES:
            codes.append(_XLSX_DATE_CODES[char])
        elif char.isalpha():
            raise ValueError(f"no spreadsheet code for {char!r} in {shape!r}")
        else:
            codes.append(char)
    return "".join(codes)


def _sheet(workbook, title: str, headers: list[str]):
    """The workbook's sheet, named after ``title``, with a bold and frozen header row of
    ``headers``; with the cell formats of its times and its dates."""
    sheet = workbook.add_worksheet(sheet_name(title))
    bold = workbook.add_format({"bold": True})
    for index, header in enumerate(headers):
        sheet.set_column(index, index, max(12, len(header) + 2))
        xlsx_write_text(sheet, 0, index, header, bold)
    sheet.freeze_panes(1, 0)
    day_shape = xlsx_date_format(get_format("SHORT_DATE_FORMAT"))
    moment = workbook.add_format({"num_format": f"{day_shape} hh:mm"})
    day = workbook.add_format({"num_format": day_shape})
    return sheet, moment, day


def workbook_bytes(*, title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    """A small workbook in memory, one sheet named after ``title``: a bold, frozen header
    with an autofilter, then ``rows``. Dates and numbers are typed cells, yes or no is
    written out, and every other value a text cell."""
    buffer = io.BytesIO()
    workbook = _workbook(buffer, in_memory=True)
    sheet, moment, day = _sheet(workbook, title, headers)
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, value in enumerate(values):
            if isinstance(value, bool):
                xlsx_write_text(sheet, count, index, _("yes") if value else _("no"))
            elif isinstance(value, datetime):
                sheet.write_datetime(count, index, value.replace(tzinfo=None), moment)
            elif isinstance(value, date):
                sheet.write_datetime(count, index, value, day)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(count, index, float(value))
            elif value not in (None, ""):
                xlsx_write_text(sheet, count, index, str(value))
    sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
    workbook.close()
    return buffer.getvalue()


def xlsx_write(
    registrations,
    columns,
    target,
    *,
    title: str = "",
    progress: Callable[[int], None] | None = None,
) -> None:
    """A typed workbook (dates are dates, numbers are numbers) with a frozen header and an
    autofilter, written row by row by XlsxWriter in its constant-memory mode (each row
    goes to a temporary file as soon as the next one starts): memory stays flat.
    ``target`` is a path or a binary file object; ``progress`` is told the number of rows
    written after each row."""
    workbook = _workbook(target, constant_memory=True)
    sheet, moment, day = _sheet(workbook, title, [column.label for column in columns])
    write_number = sheet.write_number
    write_datetime = sheet.write_datetime
    count = 0
    for count, row in enumerate(export_rows(registrations, columns), start=1):
        for index, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    xlsx_write_text(sheet, count, index, value)
            elif kind is datetime:
                write_datetime(count, index, value, moment)
            elif kind is date:
                write_datetime(count, index, value, day)
            elif kind is Decimal:
                if value.is_finite():
                    write_number(count, index, float(value))
                else:
                    sheet.write_string(count, index, str(value))
            elif kind is int or kind is float:
                write_number(count, index, value)
            elif value is not None:
                xlsx_write_text(sheet, count, index, str(value))
        if progress:
            progress(count)
    sheet.autofilter(0, 0, count, len(columns) - 1)
    workbook.close()


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


def _fitting(style, text: str, room: float):
    """``style``, or a smaller copy of it in which each word of ``text`` fits ``room``
    points, so that wrapping happens only between words."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest = max((stringWidth(word, style.fontName, 1) for word in text.split()), default=0)
    if not widest or widest * style.fontSize <= room:
        return style
    size = max(room / widest, 5)
    return ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=size * 1.25)


def _name_columns(event: Event) -> list[Column]:
    """Given name, family name, organisation, country (its name), then the language and
    country codes that decide the name's order (``registrations.names.person_name``)."""
    columns = choose_columns(event, ["first_name", "last_name", "organisation", "country"])
    return [*columns, Column("x_language", "", "language"), Column("x_country", "", "country")]


def signin_pdf(
    event: Event,
    registrations,
    target,
    *,
    day: date,
    item: ProgrammeItem | None = None,
    network: NetworkIdentity | None = None,
) -> None:
    """One sign-in sheet: the attendance evidence funders ask for, with the network's
    logo and contact (``network``: read once by the caller of several sheets)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=15, leading=19)
    text_style = ParagraphStyle("text", fontName=font, fontSize=9.5, leading=12)
    network = network or network_identity()
    title = f"{event.i18n.title} · " + _("Sign-in sheet · %(day)s") % {"day": weekday_date(day)}
    document = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        **document_info(network, title),
    )
    venue = f"{event.venue.name}, {event.venue.full_address}" if event.venue_id else _("Online")
    story = [
        Paragraph(_escape(event.i18n.title), title_style),
        Paragraph(
            _escape(
                _("Sign-in sheet · %(day)s") % {"day": weekday_date(day)}
                + (f" · {item.i18n.title}" if item else "")
            ),
            text_style,
        ),
        Paragraph(_escape(venue), text_style),
        Spacer(1, 5 * mm),
    ]
    rows = [[pgettext("column", "#"), _("Name"), _("Organisation"), _("Country"), _("Signature")]]
    columns = _name_columns(event)
    widths = [9 * mm, 50 * mm, 50 * mm, 37 * mm, 34 * mm]
    # Country names are never broken mid-word ("Franciaorsz / ág"): a name whose longest
    # word does not fit the column (less the cells' 6pt paddings) is set smaller.
    country_room = widths[3] - 12
    for number, (first, last, organisation, country, language, code) in enumerate(
        export_rows(registrations, columns), start=1
    ):
        name = person_name(first, last, own_language=language, country=code)
        rows.append(
            [
                str(number),
                Paragraph(_escape(name), text_style),
                Paragraph(_escape(organisation), text_style),
                Paragraph(_escape(country), _fitting(text_style, country, country_room)),
                "",
            ]
        )
    table = Table(
        rows,
        colWidths=widths,
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
    decorate = page_decorator(network, font)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)


def badges_pdf(event: Event, registrations, target) -> None:
    """Name badges, eight to an A4 page: name, organisation, country."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = _font()
    network = network_identity()
    logo = logo_reader(network)
    pdf = canvas.Canvas(target, pagesize=A4)
    set_document_info(pdf, network, " · ".join([event.i18n.title, _("Name badges")]))
    width, height = A4
    badge_w, badge_h = 90 * mm, 60 * mm
    margin_x, margin_y = (width - 2 * badge_w) / 2, (height - 4 * badge_h) / 2
    columns = _name_columns(event)
    for index, (first, last, organisation, country, language, code) in enumerate(
        export_rows(registrations, columns)
    ):
        name = person_name(first, last, own_language=language, country=code)[:60]
        slot = index % 8
        if index and slot == 0:
            pdf.showPage()
        x = margin_x + (slot % 2) * badge_w
        y = height - margin_y - (slot // 2 + 1) * badge_h
        pdf.rect(x, y, badge_w, badge_h)
        pdf.setFont(font, 8)
        pdf.drawCentredString(x + badge_w / 2, y + badge_h - 8 * mm, event.i18n.title[:70])
        # The name on one line, in the order of the document's language ("Rita Kandikó",
        # "Kandikó Rita" on a Hungarian badge), set smaller when it is long.
        size = 18
        while size > 9 and pdf.stringWidth(name, font, size) > badge_w - 8 * mm:
            size -= 1
        pdf.setFont(font, size)
        pdf.drawCentredString(x + badge_w / 2, y + badge_h / 2, name)
        pdf.setFont(font, 10)
        pdf.drawCentredString(x + badge_w / 2, y + 14 * mm, organisation[:50])
        pdf.drawCentredString(x + badge_w / 2, y + 8 * mm, country[:40])
        pdf.setFont(font, 6.5)
        pdf.drawCentredString(x + badge_w / 2, y + 3 * mm, network.display_name[:70])
        if logo is not None:
            draw_logo(
                pdf, logo, x=x + 3 * mm, y=y + badge_h - 12 * mm, width=14 * mm, height=9 * mm
            )
    pdf.save()


def _escape(text: str) -> str:
    """ReportLab paragraphs read a little markup: user text must not be read as markup."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def in_memory(writer, *args, **kwargs) -> bytes:
    buffer = io.BytesIO()
    writer(*args, target=buffer, **kwargs)
    return buffer.getvalue()


def signin_sheets(event: Event, registrations, *, per_session: bool) -> bytes:
    """One sheet per day of the event (and per session if asked: each item that is not
    cancelled, a workshop's with the people who have a place in it), in one PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    network = network_identity()
    parts = [(day, None) for day in event_days(event)]
    if per_session:
        items = event.programme_items.filter(cancelled=False).order_by("starts_at", "pk")
        parts += [(event.local(item.starts_at).date(), item) for item in items]
    for day, item in parts:
        people = registrations
        if item is not None and item.kind == ProgrammeItem.Kind.WORKSHOP:
            people = registrations.filter(
                workshop_choices__item=item,
                workshop_choices__status=WorkshopChoice.Status.CONFIRMED,
            )
        page = in_memory(signin_pdf, event, people, day=day, item=item, network=network)
        writer.append(io.BytesIO(page))
    info = document_info(network, " · ".join([event.i18n.title, _("Sign-in sheets")]))
    writer.add_metadata({f"/{key.capitalize()}": value for key, value in info.items()})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


#: Formats a worker builds when the list is longer than ``EXPORT_ASYNC_THRESHOLD``.
LIST_FORMATS = ("csv", "csv-semicolon", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ExportFile:
    """A finished export: CSV is streamed (``content`` yields text), the others are bytes."""

    filename: str
    content_type: str
    content: bytes | Iterator[str]


def export_file(
    *,
    event: Event,
    registrations,
    columns: list[Column],
    format: str,
    per_session: bool,
    stamp: str,
) -> ExportFile:
    """The export of ``registrations`` (the list on screen) in ``format``: CSV (comma or
    semicolon), XLSX, PDF badges or PDF sign-in sheets, named in the reader's language
    ("orszagos-talalkozo-resztvevok-20270315-0900.csv"; ``stamp`` is the moment it was
    made)."""

    def named(label: str, extension: str) -> str:
        return event_file_name(event, label, stamp, extension=extension)

    if format in ("csv", "csv-semicolon"):
        content = csv_stream(registrations, columns, semicolon=format == "csv-semicolon")
        return ExportFile(
            named(pgettext("file name", "participants"), "csv"), "text/csv; charset=utf-8", content
        )
    if format == "xlsx":
        # The sheet's tab is a word, not the event's title cut at Excel's 31 characters.
        sheet = pgettext("sheet name", "Participants")
        content = in_memory(xlsx_write, registrations, columns, title=sheet)
        return ExportFile(named(pgettext("file name", "participants"), "xlsx"), XLSX_TYPE, content)
    confirmed = registrations.filter(status=Registration.Status.CONFIRMED)
    if format == "badges":
        return ExportFile(
            named(pgettext("file name", "badges"), "pdf"),
            "application/pdf",
            in_memory(badges_pdf, event, confirmed),
        )
    content = signin_sheets(event, confirmed, per_session=per_session)
    return ExportFile(
        named(pgettext("file name", "sign-in-sheets"), "pdf"), "application/pdf", content
    )
