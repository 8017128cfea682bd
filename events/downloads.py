"""The names of the files the system hands out (downloads, email attachments, calendars).

One rule for every file: what the file is, translated, then the event's title in the
reader's language (the recipient's, for an email): "feuilles-d-emargement-assemblee-2027.pdf"
(what it is first: a long title cut at a word would otherwise run into it,
"…-construire-les-participants.csv"),
folded to lowercase ASCII so that every browser, mail client and file system keeps it as
it is. The event's slug, in the language it was first written in, is only a fallback for a
title that folds to nothing.
"""

import re

from django.utils.http import content_disposition_header
from django.utils.text import slugify

from .i18n import active_language

# Letters that Unicode does not decompose into a base letter and an accent: NFKD (which
# slugify uses) would drop them instead of folding them.
_FOLD = str.maketrans(
    {
        "œ": "oe",
        "Œ": "Oe",
        "æ": "ae",
        "Æ": "Ae",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "\u0131": "i",  # dotless i
        # An apostrophe separates words ("d’émargement" reads "d-emargement").
        "’": "-",
        "'": "-",
        "\u02bc": "-",  # modifier letter apostrophe
    }
)
#: A title is cut at a word boundary past this many characters.
TITLE_MAX = 60


def ascii_slug(text: str, *, limit: int | None = None) -> str:
    """``text`` as lowercase ASCII words joined by hyphens ("Réunion d’été" ->
    "reunion-d-ete"), cut after the last whole word within ``limit`` characters."""
    slug = slugify(str(text).translate(_FOLD))
    slug = re.sub(r"-{2,}", "-", slug.replace("_", "-")).strip("-")
    if limit and len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]
    return slug


def file_name(*parts: str, extension: str) -> str:
    """The file name made of ``parts`` (each folded to ASCII, empty ones left out):
    ``file_name("Mon calendrier", extension="ics")`` -> "mon-calendrier.ics"."""
    words = [slug for slug in (ascii_slug(part) for part in parts if part) if slug]
    return f"{'-'.join(words) or 'rencontres'}.{extension}"


def event_title_slug(event, language: str | None = None) -> str:
    """The event's title in ``language`` (default: the active one), as a file name's
    first words; its slug when the title folds to nothing."""
    title = event.i18n.in_language("title", language or active_language())
    return ascii_slug(title, limit=TITLE_MAX) or event.slug


def event_file_name(event, label: str, *more: str, extension: str, language=None) -> str:
    """A file about ``event``: ``label`` (already translated: ``pgettext("file name",
    "badges")``), its title in the reader's language, then ``more`` (a date stamp, a
    language code): "badges-assemblee-2027-20270315-0900.pdf"."""
    return file_name(label, event_title_slug(event, language), *more, extension=extension)


def disposition(filename: str, *, attachment: bool = True) -> str:
    """The Content-Disposition header of a download named ``filename`` (ASCII by the
    rule above; Django adds ``filename*`` should a name ever carry anything else)."""
    return content_disposition_header(attachment, filename)
