#!/usr/bin/env python
"""How fast do 10,000 reminders falling due at once reach the mail server, and are any
lost or sent twice?

One published event with ``--messages`` confirmed registrations in the six languages,
and one reminder row each in the outbox, due now. ``--workers`` Celery workers (solo
pool, as the compose file runs them) send through an SMTP sink (aiosmtpd, in this
process) that counts deliveries per recipient. The periodic dispatch task
(``notifications.outbox_dispatch``, which beat runs every minute) is sent by name every
second, as a fast beat would, until every reminder has arrived or ``--timeout`` passes.
The time runs from the first dispatch to the last new recipient at the sink; then the
sink is watched until it is quiet, so that a late second copy is counted.

Targets (issue 14): 10,000 reminders by two workers in under 90 seconds, 0 lost, 0 sent
twice.

    .venv/bin/python bench/notifications.py
    .venv/bin/python bench/notifications.py --messages 3000 --workers 2
"""

import time
import uuid
from collections import Counter
from datetime import timedelta

from harness import Stack, arguments, create_event, free_port, record, verdict
from harness import create_registrations as create_registrations_of

TARGET_SECONDS = 90
LANGUAGES = ("en", "fr", "ro", "hu", "pt", "it")


class Sink:
    """aiosmtpd handler: deliveries counted per recipient address."""

    def __init__(self):
        self.received: Counter = Counter()
        self.last_new_at = 0.0

    async def handle_DATA(self, server, session, envelope):
        for recipient in envelope.rcpt_tos:
            if not self.received[recipient]:
                self.last_new_at = time.monotonic()
            self.received[recipient] += 1
        return "250 Message accepted for delivery"


def create_registrations(count: int, slug: str):
    """An event starting in a week (its seven-day reminders due now), ``count`` people."""
    event = create_event(
        slug, days_ahead=7, capacity=count, places_taken=count, languages=list(LANGUAGES)
    )
    return event, create_registrations_of(event, count, languages=LANGUAGES)


def due_reminders(event, registrations, key: str) -> set[str]:
    """One reminder row per registration, due now, in the outbox; their recipients."""
    from django.utils import timezone

    from notifications.models import Kind, OutgoingMessage

    due = timezone.now() - timedelta(seconds=1)
    OutgoingMessage.objects.bulk_create(
        [
            OutgoingMessage(
                kind=Kind.REMINDER,
                recipient=r.email,
                language=r.language,
                registration=r,
                event=event,
                due_at=due,
                dedupe_key=key,
                context={},
                message_id=f"<{uuid.uuid4()}@bench.local>",
            )
            for r in registrations
        ],
        batch_size=2000,
    )
    return {r.email for r in registrations}


def deliver(sink, expected: set[str], *, timeout: float, quiet: float = 3.0) -> dict:
    """Dispatch every second until ``expected`` all arrived; then wait for quiet."""
    from config.celery import app

    start = time.monotonic()
    while not expected <= set(sink.received) and time.monotonic() - start < timeout:
        app.send_task("notifications.outbox_dispatch")
        time.sleep(1)
    seconds = (sink.last_new_at or time.monotonic()) - start
    deliveries = -1
    while deliveries != sum(sink.received.values()):  # a late second copy still counts
        deliveries = sum(sink.received.values())
        time.sleep(quiet)
    arrived = expected & set(sink.received)
    return {
        "messages": len(expected),
        "seconds": seconds,
        "per_second": len(arrived) / seconds if seconds > 0 else 0.0,
        "lost": len(expected - arrived),
        "twice": sum(sink.received[recipient] - 1 for recipient in arrived),
    }


def main() -> int:
    args = arguments("notifications", __doc__, messages=(10_000, "reminders due at once"),
                     workers=(2, "Celery worker processes"),
                     timeout=(600.0, "seconds to wait for them"))  # fmt: skip
    from aiosmtpd.controller import Controller

    port = free_port()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="sink.bench")
    controller.start()
    try:
        with Stack(args, EMAIL_URL=f"smtp://127.0.0.1:{port}") as stack:
            warmup = due_reminders(*create_registrations(40, "warmup"), key="reminder:warmup")
            event, registrations = create_registrations(args.messages, "rencontre-nationale")
            workers = stack.celery_workers(args.workers)
            print(*stack.facts(), sep="\n")
            print(f"load      {args.messages:,} reminders due at once, {args.workers} workers\n")
            warm = deliver(sink, warmup, timeout=120)
            print(f"warm-up   {warm['messages']} reminders in {warm['seconds']:.1f} s", flush=True)
            expected = due_reminders(event, registrations, key="reminder:7d")
            cpu_before = sum(worker.cpu_seconds() for worker in workers)
            run = deliver(sink, expected, timeout=args.timeout)
            run["worker_cpu_ms"] = (
                (sum(worker.cpu_seconds() for worker in workers) - cpu_before)
                / args.messages * 1000
            )  # fmt: skip
            from notifications.models import OutgoingMessage

            states = Counter(
                OutgoingMessage.objects.filter(dedupe_key="reminder:7d").values_list(
                    "state", flat=True
                )
            )
            print(
                f"delivered {args.messages - run['lost']:,} of {args.messages:,} in"
                f" {run['seconds']:.1f} s = {run['per_second']:,.0f}/s;"
                f" worker CPU {run['worker_cpu_ms']:.1f} ms per email; rows {dict(states)}\n"
            )
            verdict(
                run["seconds"] < TARGET_SECONDS and not run["lost"],
                f"{args.messages:,} reminders by {args.workers} workers in under"
                f" {TARGET_SECONDS} s: {run['seconds']:.1f} s",
            )
            verdict(run["lost"] == 0, f"0 lost: {run['lost']}")
            verdict(run["twice"] == 0, f"0 sent twice: {run['twice']}")
            record(args, "notifications", run | {"workers": args.workers, "rows": dict(states)})
    finally:
        controller.stop()
    return 0 if run["lost"] == 0 and run["twice"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
