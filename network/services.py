"""Writes of the network directory: an organisation's entry, saved by who may edit it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from events.models import Organisation

from . import selectors


@transaction.atomic
def directory_entry_save(*, organisation: Organisation, actor) -> Organisation:
    """Save an organisation's directory entry as edited by ``actor`` (refused unless the
    selector lets them edit it). Coordinates left empty are those of its city, when the
    offline list of places knows it. A replaced or cleared logo's file is deleted."""
    if not selectors.entries_editable_by(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if organisation.latitude is None or organisation.longitude is None:
        city = selectors.organisation_city(organisation)
        if city is not None:
            organisation.latitude, organisation.longitude = city.latitude, city.longitude
    stored = Organisation.objects.filter(pk=organisation.pk).values_list("logo", flat=True)
    previous = stored.first()
    organisation.save()
    if previous and previous != organisation.logo.name:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return organisation
