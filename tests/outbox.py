"""Deliver the outbox in the test process, through the real sending service.

Tests that need a real worker and a real SMTP server use tests.workers and tests.smtp;
the others deliver what is due with this, to Django's test mailbox.
"""

from django.utils import timezone

from notifications.models import OutgoingMessage
from notifications.services import message_send


def deliver_outbox(now=None) -> list[OutgoingMessage]:
    now = now or timezone.now()
    due = OutgoingMessage.objects.filter(
        state=OutgoingMessage.State.QUEUED, due_at__lte=now
    ).order_by("pk")
    sent = []
    for message in due:
        message_send(message_id=message.pk, now=now)
        sent.append(message)
    return sent
