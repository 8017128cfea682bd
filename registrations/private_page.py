"""What apps above registrations add to a participant's private page (``/r/<secret>/``).

Registrations never imports the apps above it; an app that has something to offer the
participant from their private page (the mobility app: travel details for a training, the
attendance certificate) receives ``signals.private_page_links`` and returns a
``PrivatePageLink``, or None when it has nothing for that registration. ``manage`` shows
the links near the top of the page.
"""

from dataclasses import dataclass

from . import signals
from .models import Registration


@dataclass(frozen=True)
class PrivatePageLink:
    url: str
    label: str
    #: A sentence above the link: why to follow it now (empty: none).
    note: str = ""
    #: Shown as a button: the participant still has something to do there.
    to_do: bool = False


def links_for(registration: Registration) -> list[PrivatePageLink]:
    replies = signals.private_page_links.send(sender=Registration, registration=registration)
    return [link for _receiver, link in replies if link]
