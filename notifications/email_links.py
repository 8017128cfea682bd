"""Links that apps above notifications add to an email about a registration.

Notifications never imports the apps above it; an app with something to offer in an
email (the evaluation app: the feedback survey, in the "thanks" email) receives
``signals.email_links`` and returns an ``EmailLink``, or None when it has nothing for
that email. The email lists them below its introduction, in both of its parts.
"""

from dataclasses import dataclass

from django.conf import settings

from . import signals
from .models import OutgoingMessage


@dataclass(frozen=True)
class EmailLink:
    path: str  # on this site, with the recipient's language prefix (reverse() under it)
    label: str
    #: A sentence above the link: why to follow it (empty: none).
    note: str = ""

    @property
    def url(self) -> str:
        return settings.SITE_URL + self.path


def links_of(message: OutgoingMessage) -> list[EmailLink]:
    if message.registration_id is None:
        return []
    replies = signals.email_links.send(
        sender=OutgoingMessage, message=message, registration=message.registration
    )
    return [link for _receiver, link in replies if link]
