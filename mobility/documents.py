"""Grant evidence as PDF: attendance certificates (only for people with recorded
attendance, the days they were checked in) and visa invitation letters (for those who
asked). Each is written in one language: the participant's own for a certificate, the
one chosen for a letter; dates in that language's format. Text a person typed is escaped
before ReportLab reads its paragraphs (which understand a little markup)."""

import io
import re
from datetime import date
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.formats import date_format
from events.models import Event
from events.pdf import document_info, page_decorator
from events.selectors import network_identity
from registrations.models import Attendance, Registration

from .models import MobilityDetails

_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def _font() -> str:
    """A TrueType font with the accents of the six languages (ș, ő, ã…): the system's
    DejaVu, Noto or Liberation when present, else the Vera font shipped with ReportLab."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "RencontresMobility" not in pdfmetrics.getRegisteredFontNames():
        candidates = [*_FONT_CANDIDATES, str(Path(reportlab.__file__).parent / "fonts/Vera.ttf")]
        path = next(path for path in candidates if Path(path).exists())
        pdfmetrics.registerFont(TTFont("RencontresMobility", path))
    return "RencontresMobility"


def _escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _sentence(text: str) -> str:
    """A sentence ending on a date whose format already ends with a full stop
    (Hungarian "1995. március 4.") keeps one stop, not two."""
    return re.sub(r"(?<!\.)\.\.$", ".", text)


def days_attended(registration: Registration) -> list[date]:
    """The days someone was checked in (for the day or for a session of it)."""
    return sorted(
        set(Attendance.objects.filter(registration=registration).values_list("day", flat=True))
    )


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=20, leading=26, spaceAfter=18),
        "text": ParagraphStyle("text", fontName=font, fontSize=11, leading=16, spaceAfter=10),
        "small": ParagraphStyle("small", fontName=font, fontSize=9, leading=12),
    }


def _who_and_what(event, registration) -> dict[str, str]:
    """The values a certificate's and a visa letter's sentences name."""
    return {
        "organisation": event.host.name,
        "name": registration.full_name,
        "event": event.i18n.title,
        "venue": _venue_line(event),
        "start": _day(event.local_starts_at.date()),
        "end": _day(event.local_ends_at.date()),
    }


def _venue_line(event: Event) -> str:
    venue = event.venue
    return f"{venue.name}, {venue.full_address}" if venue else _("Online")


def _signature_block(event: Event, styles) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    host = event.host
    return [
        Spacer(1, 12 * mm),
        Paragraph(
            _escape(
                _("For the host organisation, %(organisation)s (%(city)s, %(country)s):")
                % {"organisation": host.name, "city": host.city, "country": host.country.name}
            ),
            styles["text"],
        ),
        Paragraph(_escape(_("Name and role of the signatory:")), styles["text"]),
        Spacer(1, 18 * mm),
        Paragraph(_escape(_("Signature and stamp")), styles["small"]),
    ]


def _certificate_story(registration: Registration, days: list[date], styles) -> list:
    from reportlab.platypus import Paragraph

    event = registration.event
    listed = ", ".join(_day(day) for day in days)
    return [
        Paragraph(_escape(_("Certificate of attendance")), styles["title"]),
        Paragraph(
            _escape(
                _(
                    "%(organisation)s certifies that %(name)s took part in “%(event)s”, held "
                    "at %(venue)s from %(start)s to %(end)s."
                )
                % _who_and_what(event, registration)
            ),
            styles["text"],
        ),
        *(
            [
                Paragraph(
                    _escape(
                        _sentence(
                            _("Sending organisation: %(organisation)s.")
                            % {"organisation": registration.organisation_label}
                        )
                    ),
                    styles["text"],
                )
            ]
            if registration.organisation_label
            else []
        ),
        Paragraph(
            _escape(
                _sentence(
                    _("Days attended (%(count)d): %(days)s.") % {"count": len(days), "days": listed}
                )
            ),
            styles["text"],
        ),
        Paragraph(
            _escape(
                _sentence(
                    _("Issued on %(date)s.") % {"date": _day(timezone.localdate(timezone=event.tz))}
                )
            ),
            styles["text"],
        ),
        *_signature_block(event, styles),
    ]


def _document(title: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=30 * mm,
        bottomMargin=25 * mm,
        **document_info(network_identity(), title),
    )
    return buffer, document


def certificates_pdf(registrations: list[Registration]) -> bytes:
    """One page per person with recorded attendance, each in that person's language;
    those without are left out (the caller says so)."""
    from reportlab.platypus import PageBreak

    styles = _styles()
    story = []
    # The file's title in the reader's language; each certificate in its person's.
    title = (
        _("Certificate of attendance")
        if len(registrations) == 1
        else _("Certificates of attendance")
    )
    for registration in registrations:
        days = days_attended(registration)
        if not days:
            continue
        with translation.override(registration.language):
            if story:
                story.append(PageBreak())
            story += _certificate_story(registration, days, styles)
    buffer, document = _document(title)
    decorate = page_decorator(network_identity(), _font())
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _letter_story(
    registration: Registration,
    details: MobilityDetails | None,
    styles,
    *,
    today: date,
    with_birth: bool,
) -> list:
    from reportlab.platypus import Paragraph

    event = registration.event
    arrival = (
        event.local(details.arrival_at).date()
        if details and details.arrival_at
        else event.local_starts_at.date()
    )
    departure = (
        event.local(details.departure_at).date()
        if details and details.departure_at
        else event.local_ends_at.date()
    )
    return [
        Paragraph(_escape(event.host.name), styles["text"]),
        Paragraph(_escape(_day(today)), styles["small"]),
        Paragraph(_escape(_("Invitation letter")), styles["title"]),
        Paragraph(_escape(_("To the consular services concerned,")), styles["text"]),
        Paragraph(
            _escape(
                _(
                    "%(organisation)s invites %(name)s (%(sending)s) to take part in "
                    "“%(event)s”, held at %(venue)s from %(start)s to %(end)s."
                )
                % {
                    **_who_and_what(event, registration),
                    "sending": registration.organisation_label
                    or (registration.country.name if registration.country else "—"),
                }
            ),
            styles["text"],
        ),
        *(
            [
                Paragraph(
                    _escape(
                        _sentence(
                            _("Date of birth: %(date)s.") % {"date": _day(details.date_of_birth)}
                        )
                    ),
                    styles["text"],
                )
            ]
            if with_birth and details and details.date_of_birth
            else []
        ),
        Paragraph(
            _escape(
                _sentence(
                    _("The participant’s stay is planned from %(arrival)s to %(departure)s.")
                    % {"arrival": _day(arrival), "departure": _day(departure)}
                )
            ),
            styles["text"],
        ),
        Paragraph(_escape(_("Passport number: ____________________")), styles["text"]),
        *_signature_block(event, styles),
    ]


def visa_letters_pdf(
    registrations: list[Registration], *, language: str, with_birth: bool
) -> bytes:
    """One letter per person, in ``language``; the date of birth only when ``with_birth``
    (the participant's own letter, or a reader who may see sensitive data)."""
    from reportlab.platypus import PageBreak

    styles = _styles()
    story = []
    with translation.override(language):
        for registration in registrations:
            details = MobilityDetails.objects.filter(registration=registration).first()
            if story:
                story.append(PageBreak())
            story += _letter_story(
                registration,
                details,
                styles,
                today=timezone.localdate(timezone=registration.event.tz),
                with_birth=with_birth,
            )
        buffer, document = _document(
            _("Invitation letter") if len(registrations) == 1 else _("Invitation letters")
        )
    decorate = page_decorator(network_identity(), _font())
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
