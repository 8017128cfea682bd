"""Model fields that several apps declare alike, each for one concept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def actor_field(verbose_name, **options) -> models.ForeignKey:
    """The account that did something to the row (created it, checked someone in…); the
    row stays, without it, when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


def optional_organisation_field(verbose_name=None, **options) -> models.ForeignKey:
    """The organisation the row belongs to, if any; the row stays, without it, when the
    organisation is deleted."""
    return models.ForeignKey(
        "events.Organisation",
        verbose_name=verbose_name or _("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        **options,
    )


def optional_programme_item_field(verbose_name, **options) -> models.ForeignKey:
    """The programme item (session, workshop…) the row is about, or none for the whole
    event; deleted with the item."""
    return models.ForeignKey(
        "events.ProgrammeItem",
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        **options,
    )
