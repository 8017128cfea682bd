"""Fields that apps above registrations add to the registration form.

Registrations never imports the apps above it. When the registration form is built (the
public form, and the form a delegate confirms their details with), it sends
``signals.registration_form_extensions`` with ``event=`` and ``registration=`` (None for a
new registration, else the one whose details are being confirmed); a receiver returns a
``FormExtension`` or None. The extension's fields become fields of the form (their names
start with the extension's ``prefix``), shown in their own section under ``legend``,
validated with the rest (``clean``: errors beside the fields), and the extension's
``save`` writes its rows inside the transaction that writes the registration: both are
saved, or neither.
"""

from collections.abc import Callable
from typing import Any

from django import forms


class FormExtension:
    """What an app adds to the registration form. Subclasses set ``prefix`` and
    ``legend`` and fill ``fields`` (names without the prefix)."""

    prefix: str = ""
    legend: str = ""

    def __init__(self) -> None:
        self.fields: dict[str, forms.Field] = {}

    def name(self, field: str) -> str:
        """The field's name in the registration form."""
        return f"{self.prefix}_{field}"

    def initial(self) -> dict[str, Any]:
        """Initial values, by field name without the prefix."""
        return {}

    def clean(self, cleaned: dict[str, Any], add_error: Callable[[str, str], None]) -> None:
        """Check the values together (``cleaned``: by field name without the prefix, only
        those that passed their own field's checks); ``add_error(field, message)`` shows a
        message beside a field. May change ``cleaned``: ``save`` receives it."""

    def save(self, *, registration, cleaned: dict[str, Any], new: bool, actor=None) -> None:
        """Write the extension's rows for ``registration`` (``new``: just created), inside
        the registration's transaction; raise ``services.RegistrationError`` to refuse
        (everything is rolled back)."""
        raise NotImplementedError


def extensions_asked(*, event, registration=None) -> list[FormExtension]:
    from . import signals

    replies = signals.registration_form_extensions.send(
        sender=FormExtension, event=event, registration=registration
    )
    return [extension for _receiver, extension in replies if extension]
