"""What apps above registrations add to a participant's private page (``/r/<secret>/``).

Registrations never imports the apps above it; an app that has something to offer the
participant from their private page (the mobility app: travel details for a training)
appends a function to ``PRIVATE_PAGE_LINKS`` in its ``AppConfig.ready``. Each function
takes the registration and returns a ``PrivatePageLink``, or None when it has nothing for
that registration. ``manage`` shows the links near the top of the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Registration


@dataclass(frozen=True)
class PrivatePageLink:
    url: str
    label: str
    #: A sentence above the link: why to follow it now (empty: none).
    note: str = ""
    #: Shown as a button: the participant still has something to do there.
    to_do: bool = False


PRIVATE_PAGE_LINKS: list[Callable[[Registration], PrivatePageLink | None]] = []


def links_for(registration: Registration) -> list[PrivatePageLink]:
    return [link for link in (provider(registration) for provider in PRIVATE_PAGE_LINKS) if link]
