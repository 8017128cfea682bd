"""Checks on what people type, shared by every form that takes an address or a name.

- An email address is refused when it cannot be stored as typed: longer than the 254
  characters of the address columns (allauth would otherwise cut it, keeping an address
  that may have lost its ``@``, and send mail to it).
- A name is one line of visible text: line breaks, tabs and invisible control or format
  characters (such as the right-to-left override U+202E) are refused, because names reach
  the plain-text greeting of emails, calendar invites and other people's screens. The two
  joiners U+200C and U+200D are kept: Persian and Indic names are written with them.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

#: The length of every address column (``EmailField``'s default, allauth's
#: ``ACCOUNT_EMAIL_MAX_LENGTH``).
EMAIL_MAX_LENGTH = 254

#: Unicode categories refused in one-line text: controls (line breaks, tabs, NUL...),
#: invisible format characters (bidirectional overrides...), and the line and paragraph
#: separators U+2028 and U+2029.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner


def validate_storable_email(value: str) -> None:
    """Refuse an address that the address columns cannot hold as typed."""
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("An email address can have at most %(limit)d characters (this one has %(length)d)."),
            code="email_too_long",
            params={"limit": EMAIL_MAX_LENGTH, "length": len(value)},
        )
    validate_email(value)


def has_control_characters(value: str) -> bool:
    return any(
        unicodedata.category(character) in _REFUSED_CATEGORIES
        and character not in _ALLOWED_FORMAT_CHARACTERS
        for character in value
    )


def validate_one_line_text(value: str) -> None:
    """Refuse line breaks, tabs and invisible control characters in a name."""
    if has_control_characters(value):
        raise ValidationError(
            _("Line breaks, tabs and invisible control characters are not allowed here."),
            code="control_characters",
        )
