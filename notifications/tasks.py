"""Thin Celery tasks: they take primary keys and call a service. Safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="notifications.send_messages", acks_late=True, ignore_result=True)
def send_messages(message_ids: list[int]) -> dict[str, int]:
    """Send a batch of rows over one SMTP connection (``services.SEND_BATCH`` at most)."""
    return dict(services.messages_send(message_ids=message_ids))


@shared_task(name="notifications.send_message", acks_late=True, ignore_result=True)
def send_message(message_id: int) -> str:
    """One row: the task enqueued before batches, kept for those still in a queue."""
    return services.message_send(message_id=message_id)


@shared_task(name="notifications.outbox_dispatch", ignore_result=True)
def outbox_dispatch() -> int:
    """Hand out everything due, in batches, so a burst is not held to one batch a minute."""
    total = 0
    while (handed := services.outbox_dispatch()) > 0:
        total += handed
        if handed < services.DISPATCH_BATCH:
            break
    return total
