"""What apps above registrations add to a participant's private page (``/r/<secret>/``).

Registrations never imports the apps above it; an app that has something to offer the
participant from their private page (the mobility app: travel details for a training, the
attendance certificate) receives ``signals.private_page_links`` and returns a
``PrivatePageLink``, or None when it has nothing for that registration. ``manage`` shows
the links near the top of the page.
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from . import selectors, signals
from .models import Registration


def registration_or_404(secret: str) -> Registration:
    """The registration behind a private link; 404 for a link that leads nowhere (never
    said apart from a link that never existed)."""
    registration = selectors.registration_by_secret(secret)
    if registration is None:
        raise Http404(_("This link is not valid any more. Ask the organisers for a new one."))
    return registration


@dataclass(frozen=True)
class PrivatePageLink:
    url: str
    label: str
    #: A sentence above the link: why to follow it now (empty: none).
    note: str = ""
    #: Shown as a button: the participant still has something to do there.
    to_do: bool = False


def links_of(registration: Registration) -> list[PrivatePageLink]:
    replies = signals.private_page_links.send(sender=Registration, registration=registration)
    return [link for _receiver, link in replies if link]
