"""``network`` in every template: the network's identity, read (in one query) only by a
page that shows it, or taken from ``request.network_identity`` when the view has it
already (the event page reads it with the page's version)."""

from django.utils.functional import SimpleLazyObject

from . import selectors


def network(request):
    known = getattr(request, "network_identity", None)
    return {"network": known if known is not None else SimpleLazyObject(selectors.network_identity)}
