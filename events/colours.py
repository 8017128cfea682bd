"""Colours the network's look is made of, and whether text in them can be read (WCAG 2).

A colour is a "#rrggbb" hex code. The contrast ratio of two colours is (L1 + 0.05) /
(L2 + 0.05), L being each colour's relative luminance; WCAG AA asks 4.5:1 for text.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
#: WCAG 2, level AA, for text of normal size.
AA_TEXT = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_hex_colour(value: str) -> None:
    if not HEX.match(value or ""):
        raise ValidationError(
            _("Give a colour as # and six hexadecimal digits, such as #0b5cad."),
            code="colour",
        )


def validate_readable_on_white(value: str) -> None:
    """Text in this colour on the pages' white (and white text on it, in buttons) must
    reach WCAG AA: 4.5:1."""
    validate_hex_colour(value)
    ratio = contrast(value, WHITE)
    if ratio < AA_TEXT:
        raise ValidationError(
            _(
                "This colour is too light to read on white: its contrast is %(ratio)s:1, "
                "and WCAG AA asks for at least 4.5:1. Choose a darker shade."
            ),
            code="contrast",
            params={"ratio": number_format(int(ratio * 10) / 10, 1)},
        )
