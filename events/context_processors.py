"""``network`` in every template: the network's identity, read (in one query) only by a
page that shows it."""

from django.utils.functional import SimpleLazyObject

from . import selectors


def network(request):
    return {"network": SimpleLazyObject(selectors.network_identity)}
