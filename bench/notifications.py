#!/usr/bin/env python
"""How fast do 10,000 reminders falling due at once reach the mail server, and are any
lost or sent twice?

The question, from the issue: 10,000 reminders falling due at once, delivered to a local
SMTP sink by two worker processes: print emails per second, the number lost and
duplicated (both must be 0), and the same count sent by a plain script with smtplib over
the same messages (the floor), with the ratio. Target: at least half the floor's rate.

What it does, all on 127.0.0.1:

1. drops and recreates its own PostgreSQL database (``rencontres_bench_mail``), migrates
   it, and flushes its own Redis database (``redis://127.0.0.1:6379/5``, the broker);
2. creates one published national meeting (one venue, two slots of two workshops) with
   ``--messages`` confirmed registrations in the six interface languages, each with one
   workshop per slot;
3. starts an SMTP sink (aiosmtpd, in a thread of this process) that counts what it
   receives by Message-ID, and two Celery workers (``celery -A config worker --pool=solo``,
   two processes; ``--pool prefork`` runs one worker with ``--concurrency 2`` instead, as
   docker-compose does on a two-core machine) with the production settings (DEBUG off,
   ``EMAIL_URL=smtp://`` the sink, ``-l info``);
4. warms the workers up (a few messages each);
5. per run: writes ``--messages`` REMINDER rows to the outbox, due now; puts each
   registration's check-in code in the cache as its confirmation would have left it (in
   production every confirmed registration got a confirmation, carrying the code, before
   its reminders; ``--checkin-codes cold`` takes them out instead); renders every one
   of them here with ``notifications.rendering.build_email`` (outside any timing) for the
   floor; sends those bytes with plain ``smtplib`` (the floor: one connection per client
   process, ``--floor-connections`` processes, each its share of the messages), then calls
   ``notifications.services.outbox_dispatch()`` as beat does (again until it hands out
   nothing) and waits for the workers to deliver. Rates are counted at the sink: messages
   divided by the time from the start signal (floor) or the first dispatch call (workers)
   to the arrival of the last distinct Message-ID;
6. counts in the database and at the sink: rows SENT, rows not SENT by state, Message-IDs
   never delivered (lost), deliveries beyond one per Message-ID (duplicated); prints CPU
   seconds per message of the workers, this process (the sink), PostgreSQL and Redis;
7. then, the workers done, the bookkeeping floors (``--bookkeeping-floor``): how fast
   ``--workers`` plain processes send when each does per message only what the issue's
   rules ask of any sender (a row goes QUEUED -> SENDING -> SENT, is never sent twice, and
   a sender killed between sending and recording leaves at most the email in flight to be
   sent again). Each variant writes fresh REMINDER rows of its own in the real outbox
   table (one per registration, as the run's, key ``bench:<variant>``; the workers' rows
   are not touched; the check-in codes are those the workers left in the cache), lets its
   processes take their batches of ``SEND_BATCH`` first come first served, as workers
   take tasks, warms them up (a few emails rendered, not sent), times them as the floor
   (start signal to the last new Message-ID at the sink), checks that every row is SENT
   and delivered once, and deletes its rows:

   - ``sql``: plain psycopg and smtplib, no Django: per batch one claim (``CLAIM_SQL``:
     UPDATE ... SET state = 'sending' ... RETURNING, its own transaction), then per row
     the floor's bytes of the same registration's reminder over one SMTP connection per
     process, and the row recorded SENT (``SENT_SQL``, one UPDATE, autocommit) before the
     next is sent. The floor plus what the rules cost;
   - ``render``: the same, each email rendered first by ``notifications.rendering`` (the
     batch's rows loaded as ``messages_claim`` loads them, a ``Batch``, ``build_email``,
     the MIME bytes as the SMTP backend makes them), Django set up, no Celery;
   - ``service``: ``notifications.services.messages_send`` called per batch in a plain
     loop: the workers' own code without Celery, the broker or the dispatcher.

   Each prints its rate, its ratio to the floor (best variant), and the share of the
   workers' gap to the floor it accounts for, in time per message (its time per message
   less the floor's, over the workers' less the floor's: costs add up in time, not in
   rate); ``sql`` and ``render`` also the time their processes waited on their SQL;
8. stops the workers (their process groups) and drops the database (unless ``--keep``).

The workers hand each send task ``notifications.services.SEND_BATCH`` ids at most; a task
claims its rows together and sends them over one SMTP connection, recording each SENT as
soon as the sink has accepted it.

``--breakdown N`` then times the steps of ``messages_send`` in this process for N more
messages, in batches as the workers do (claim and loading per batch; render, MIME + SMTP and
the SENT record per message; wall and CPU time, SQL queries counted). ``--py-spy PATH``
samples the first worker (wall clock, idle time included) during the last run and prints
where its time goes.

Usage, from the repository root:

    .venv/bin/python bench/notifications.py
    .venv/bin/python bench/notifications.py --runs 2 --breakdown 300 --py-spy /tmp/spyenv/bin/py-spy
    .venv/bin/python bench/notifications.py --bookkeeping-floor sql   # quicker: no render, service

Exit status 1 if a message was lost or duplicated (figures are printed either way); a
missed rate target prints FAIL but does not change it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402 (needs ROOT on the path)
    HOST,
    PYTHON,
    cpu_by_command,
    cpu_seconds,
    django_setup,
    drop_database,
    free_port,
    git_commit,
    machine_busy,
    machine_line,
    manage,
    postgres_facts,
    production_env,
    recreate_database,
    spread,
    verdict,
)

TARGET_RATIO = 0.5
KEY = "reminder:7d"
LANGUAGES = ("en", "fr", "ro", "hu", "pt", "it")
MESSAGE_ID_RE = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="reminders per run")
    parser.add_argument("--runs", type=int, default=1, help="runs (fresh outbox rows each)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--pool",
        choices=["solo", "prefork"],
        default="solo",
        help="solo: one celery process per worker; prefork: one celery worker, --concurrency",
    )
    parser.add_argument(
        "--floor-connections",
        default="2,1",
        help="floor variants: client processes (one SMTP connection each), comma-separated",
    )
    parser.add_argument(
        "--dispatch-limit", type=int, default=2000, help="outbox_dispatch(limit=...) per call"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait per run")
    parser.add_argument(
        "--stall", type=float, default=60, help="give up after this long without a new message"
    )
    parser.add_argument("--warmup", type=int, default=20, help="warm-up messages per worker")
    parser.add_argument(
        "--checkin-codes",
        choices=["kept", "cold"],
        default="kept",
        help="kept: each registration's check-in code is in the cache before a run, as its "
        "confirmation email left it; cold: none is, the workers make every one",
    )
    parser.add_argument("--breakdown", type=int, default=0, help="time message_send's steps")
    parser.add_argument("--py-spy", dest="py_spy", help="path of py-spy: sample worker 1")
    parser.add_argument("--database", default="rencontres_bench_mail")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp folder")
    parser.add_argument(
        "--worker-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment of the workers only (what-if experiments: another settings "
        "module on another PYTHONPATH); printed with the figures",
    )
    parser.add_argument(
        "--bookkeeping-floor",
        default=",".join(BOOKKEEPING_VARIANTS),
        help="bookkeeping floors measured after the workers, comma-separated (empty: none): "
        "sql (plain psycopg + smtplib: claim, send the floor's bytes, record SENT), render "
        "(the same, rendering each email with notifications.rendering), service "
        "(messages_send per batch, no Celery); --workers processes each",
    )
    # internal: one floor client process, one bookkeeping client process
    parser.add_argument("--floor-client", help=argparse.SUPPRESS)
    parser.add_argument("--bookkeeping-client", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- the floor: a plain smtplib script (no Django) ----------------------------------------


def floor_client(path: str, part: str, port: int) -> int:
    """Send this process's share of the pre-rendered messages over one SMTP connection."""
    import smtplib

    index, count = (int(value) for value in part.split("/"))
    with open(path) as source:  # bytes kept as latin-1 text: one to one
        messages = [
            (sender, recipients, data.encode("latin-1"))
            for sender, recipients, data in json.load(source)[index::count]
        ]
    connection = smtplib.SMTP(HOST, port, local_hostname="floor.bench.local")
    connection.ehlo()
    print("ready", flush=True)
    sys.stdin.readline()  # "go"
    start = time.perf_counter()
    for sender, recipients, data in messages:
        connection.sendmail(sender, recipients, data)
    connection.quit()
    print(f"done {len(messages)} {time.perf_counter() - start:.6f}", flush=True)
    return 0


# --- the bookkeeping floors: what the rules ask of any sender -----------------------------

#: ``sql``: plain psycopg + smtplib over the floor's bytes; ``render``: the same, each email
#: rendered by ``notifications.rendering`` first (Django set up); ``service``:
#: ``services.messages_send`` called per batch (Django, no Celery).
BOOKKEEPING_VARIANTS = ("sql", "render", "service")

#: QUEUED -> SENDING, one statement (its own transaction): what a claim must do at least.
CLAIM_SQL = (
    "UPDATE {table} SET state = 'sending', sending_since = now(), attempts = attempts + 1,"
    " updated_at = now() WHERE id = ANY(%s) AND due_at <= now() AND (state = 'queued'"
    " OR (state = 'sending' AND sending_since < now() - make_interval(secs => %s)))"
    " RETURNING id"
)
#: SENT, autocommit, as soon as the server has accepted the email.
SENT_SQL = (
    "UPDATE {table} SET state = 'sent', sent_at = now(), last_error = '', updated_at = now()"
    " WHERE id = %s"
)


def batches_taken(batches: list, folder: str):
    """The batches this process takes, first come first served, as workers take tasks from
    a queue (a static share would leave the faster process idle at the end): batch n is
    ours if we create the file ``folder/n`` first."""
    for number, batch in enumerate(batches):
        try:
            os.close(os.open(os.path.join(folder, str(number)), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            continue
        yield batch


def bookkeeping_client(variant: str, path: str, port: int) -> int:
    """One process of a bookkeeping floor: batches taken in turn, each claimed, then its
    emails sent one by one, each recorded SENT before the next (see ``run_bookkeeping``)."""
    import smtplib

    import psycopg

    with open(path) as source:
        plan = json.load(source)
    batches = batches_taken(plan["batches"], plan["taken"])
    if variant == "service":
        return bookkeeping_service(batches, plan["batches"][0])
    table = plan["table"]
    claim_sql, sent_sql = CLAIM_SQL.format(table=table), SENT_SQL.format(table=table)
    database = psycopg.connect(plan["dsn"], autocommit=True)
    if variant == "sql":
        with open(plan["bytes"]) as source:  # bytes kept as latin-1 text: one to one
            rendered = json.load(source)
        source_of = {row: source for batch in plan["batches"] for row, source in batch}

        def emails(ids):
            for row in ids:
                sender, recipients, data = rendered[source_of[row]]
                yield row, sender, recipients, data.encode("latin-1")

    else:  # render: Django for the rendering only; the SQL above stays plain psycopg
        import django

        django.setup()
        from django.db import connection as django_database

        django_database.ensure_connection()
        emails = bookkeeping_renderer()
        bookkeeping_warm_up(emails, plan["batches"][0])
    connection = smtplib.SMTP(HOST, port, local_hostname="floor.bench.local")
    connection.ehlo()
    print("ready", flush=True)
    sys.stdin.readline()  # "go"
    start = time.perf_counter()
    sent, in_sql = 0, 0.0
    for batch in batches:
        ids = [row for row, _source in batch]
        began = time.perf_counter()
        claimed = sorted(row for (row,) in database.execute(claim_sql, [ids, plan["stuck"]]))
        in_sql += time.perf_counter() - began
        for row, sender, recipients, data in emails(claimed):
            connection.sendmail(sender, recipients, data)
            began = time.perf_counter()
            database.execute(sent_sql, [row])
            in_sql += time.perf_counter() - began
            sent += 1
    connection.quit()
    database.close()
    print(f"done {sent} {time.perf_counter() - start:.6f} {in_sql:.6f}", flush=True)
    return 0


def bookkeeping_renderer():
    """The ``render`` variant's emails: claimed rows loaded with what rendering reads (as
    ``messages_claim`` loads them), rendered by a ``Batch`` and flattened to bytes as the
    SMTP backend does."""
    from django.conf import settings
    from django.core.mail.message import sanitize_address

    from events.models import Event
    from notifications import services
    from notifications.models import OutgoingMessage
    from notifications.rendering import build_email

    def emails(ids):
        rows = list(
            OutgoingMessage.objects.select_related(*services.CLAIM_RELATED)
            .filter(pk__in=ids)
            .order_by("pk")
        )
        event_ids = {m.event_id for m in rows if m.event_id}
        event_ids |= {m.registration.event_id for m in rows if m.registration_id}
        events = Event.objects.select_related(*services.EVENT_RELATED).in_bulk(event_ids)
        for message in rows:
            if message.event_id:
                message.event = events[message.event_id]
            if message.registration_id:
                message.registration.event = events[message.registration.event_id]
        for message in rows:
            email = build_email(message)
            encoding = email.encoding or settings.DEFAULT_CHARSET
            yield (
                message.pk,
                sanitize_address(email.from_email, encoding),
                [sanitize_address(address, encoding) for address in email.recipients()],
                email.message().as_bytes(linesep="\r\n"),
            )

    return emails


def bookkeeping_warm_up(emails, batch: list, count: int = 12) -> None:
    """Render a few emails (every language) without sending them, before the start signal:
    templates, catalogues and imports loaded, as the workers' warm-up left them."""
    for _email in emails([row for row, _source in batch[:count]]):
        pass


def bookkeeping_service(batches, first: list) -> int:
    """The ``service`` variant: the workers' own code, ``messages_send`` per batch, called
    in a plain loop instead of by Celery."""
    import django

    django.setup()
    from django.db import connection as database

    from notifications import services

    database.ensure_connection()
    bookkeeping_warm_up(bookkeeping_renderer(), first)
    print("ready", flush=True)
    sys.stdin.readline()  # "go"
    start = time.perf_counter()
    sent = 0
    for batch in batches:
        sent += services.messages_send(message_ids=[row for row, _source in batch])["sent"]
    print(f"done {sent} {time.perf_counter() - start:.6f}", flush=True)
    return 0


# --- the SMTP sink ---------------------------------------------------------------------


class Sink:
    """aiosmtpd handler: counts deliveries by Message-ID, nothing more (no parsing)."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.counts: dict[bytes, int] = {}
        self.deliveries = 0
        self.without_id = 0
        self.last_new_at: float | None = None

    @property
    def distinct(self) -> int:
        return len(self.counts)

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        end = content.find(b"\r\n\r\n")
        match = MESSAGE_ID_RE.search(content if end < 0 else content[:end])
        self.deliveries += 1
        if match is None:
            self.without_id += 1
        else:
            key = match.group(1)
            seen = self.counts.get(key, 0)
            self.counts[key] = seen + 1
            if not seen:
                self.last_new_at = time.monotonic()
        return "250 Message accepted for delivery"


def start_sink(port: int):
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per connection else
    sink = Sink()
    # server_hostname: without it aiosmtpd calls socket.getfqdn() on every connection.
    controller = Controller(sink, hostname=HOST, port=port, server_hostname="sink.bench.local")
    controller.start()
    return sink, controller


# --- data --------------------------------------------------------------------------------


def create_event(count: int) -> tuple[int, list[int]]:
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event, Organisation, ProgrammeItem, Room, Speaker, Venue
    from registrations.models import Registration, WorkshopChoice

    now = timezone.now()
    host = Organisation.objects.create(
        name="Réseau des Rencontres", slug="reseau", country="FR", city="Lyon"
    )
    venue = Venue.objects.create(
        name="Maison des associations",
        address="12 rue de la Solidarité",
        postcode="69001",
        city="Lyon",
        country="FR",
    )
    rooms = [Room.objects.create(venue=venue, name=f"Salle {n}", position=n) for n in (1, 2)]
    speaker = Speaker.objects.create(name="Ana Popescu", organisation=host)
    starts = now + timedelta(days=7, minutes=5)  # its 7-day reminder falls due now
    event = Event.objects.create(
        slug="rencontre-nationale",
        kind=Event.Kind.NATIONAL_MEETING,
        status=Event.Status.PUBLISHED,
        title_en="National meeting of the network",
        title_fr="Rencontre nationale du réseau",
        title_ro="Întâlnirea națională a rețelei",
        summary_en="Two days of plenaries and workshops.",
        summary_fr="Deux jours de plénières et d'ateliers.",
        host=host,
        venue=venue,
        timezone="Europe/Paris",
        starts_at=starts,
        ends_at=starts + timedelta(days=1, hours=8),
        default_language="fr",
        languages=list(LANGUAGES),
    )
    slots = []
    for slot in range(2):
        begins = starts + timedelta(hours=2 + 3 * slot)
        workshops = []
        for number, room in enumerate(rooms, 1):
            item = ProgrammeItem.objects.create(
                event=event,
                kind=ProgrammeItem.Kind.WORKSHOP,
                title_en=f"Workshop {slot + 1}.{number}",
                title_fr=f"Atelier {slot + 1}.{number}",
                description_en="Hands-on session.",
                starts_at=begins,
                ends_at=begins + timedelta(hours=1, minutes=30),
                room=room,
            )
            item.speakers.add(speaker)
            workshops.append(item)
        slots.append(workshops)
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                status=Registration.Status.CONFIRMED,
                email=f"participant{n:05d}@example.org",
                first_name="Participant",
                last_name=f"N°{n}",
                organisation_name="Asociația Exemplu",
                country="RO",
                language=LANGUAGES[n % len(LANGUAGES)],
                privacy_consent_version="1",
                privacy_consented_at=now,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    WorkshopChoice.objects.bulk_create(
        [
            WorkshopChoice(
                registration=registration,
                item=workshops[n % len(workshops)],
                status=WorkshopChoice.Status.CONFIRMED,
            )
            for n, registration in enumerate(registrations)
            for workshops in slots
        ],
        batch_size=4000,
    )
    return event.pk, [registration.pk for registration in registrations]


def create_messages(event_id: int, registration_ids: list[int], key: str) -> list[str]:
    """One REMINDER row per registration, due now, as ``reminders_schedule`` writes them
    (``message_create`` in bulk: same fields, a Message-ID made as ``new_message_id``)."""
    from datetime import timedelta

    from django.contrib.sites.models import Site
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from notifications.models import Kind, OutgoingMessage
    from registrations.models import Registration

    now = timezone.now()
    domain = Site.objects.get_current().domain.split(":")[0] or "rencontres.local"
    rows = []
    for registration in Registration.objects.filter(pk__in=registration_ids).only(
        "pk", "email", "language"
    ):
        rows.append(
            OutgoingMessage(
                kind=Kind.REMINDER,
                recipient=registration.email,
                language=registration.language,
                registration_id=registration.pk,
                event_id=event_id,
                due_at=now - timedelta(seconds=1),
                dedupe_key=key,
                context={},
                message_id=f"<{now:%Y%m%d%H%M%S}.{get_random_string(20)}@{domain}>",
            )
        )
    OutgoingMessage.objects.bulk_create(rows, batch_size=2000)
    return [row.message_id for row in rows]


def checkin_codes(registration_ids: list[int], *, keep: bool) -> int:
    """Put each registration's check-in code in the cache as the worker that sent its
    confirmation kept it (``keep``), or take them out (the workers make them in the run).
    In production every confirmed registration got a confirmation, which carries the code,
    before any reminder: the reminders find their codes kept."""

    from registrations.models import Registration

    # The check-in codes are no longer kept in the cache (each email makes its own):
    # nothing to put in or take out.
    return Registration.objects.filter(pk__in=registration_ids).count()


def render_for_floor(key: str, path: Path) -> tuple[int, float, int]:
    """Render every row of ``key`` exactly as the SMTP backend would send it."""
    from django.conf import settings
    from django.core.mail.message import sanitize_address

    from notifications.models import OutgoingMessage
    from notifications.rendering import build_email

    start = time.perf_counter()
    messages = []
    rows = (
        OutgoingMessage.objects.filter(dedupe_key=key)
        .select_related("registration__event", "event")
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=1000):
        email = build_email(row)
        encoding = email.encoding or settings.DEFAULT_CHARSET
        messages.append(
            (
                sanitize_address(email.from_email, encoding),
                [sanitize_address(address, encoding) for address in email.recipients()],
                email.message().as_bytes(linesep="\r\n"),
            )
        )
    elapsed = time.perf_counter() - start
    with path.open("w") as target:
        json.dump([(s, r, data.decode("latin-1")) for s, r, data in messages], target)
    return len(messages), elapsed, sum(len(data) for _s, _r, data in messages)


# --- processes ---------------------------------------------------------------------------


class Workers:
    def __init__(self, args, env: dict, workdir: Path):
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        if args.pool == "solo":
            commands = [["--pool=solo"] for _n in range(args.workers)]
        else:
            commands = [["--pool=prefork", f"--concurrency={args.workers}"]]
        for number, extra in enumerate(commands, 1):
            log = workdir / f"worker{number}.log"
            command = [
                PYTHON, "-m", "celery", "-A", "config", "worker", "-l", "info",
                *extra, "-n", f"bench{number}@%h",
            ]  # fmt: skip
            with log.open("w") as output:
                self.processes.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            self.logs.append(log)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        pending = set(range(len(self.processes)))
        while pending and time.monotonic() < deadline:
            for index in list(pending):
                if self.processes[index].poll() is not None:
                    sys.exit(f"worker {index + 1} exited:\n{self.tail(index)}")
                if " ready." in self.logs[index].read_text(errors="replace"):
                    pending.discard(index)
            time.sleep(0.2)
        if pending:
            sys.exit(f"workers not ready after {timeout:.0f} s:\n{self.tail(min(pending))}")

    def tail(self, index: int, lines: int = 30) -> str:
        return "\n".join(self.logs[index].read_text(errors="replace").splitlines()[-lines:])

    def skipped(self) -> int:
        """Send tasks that found their row not theirs to send (logged by ``-l info``)."""
        return sum(outcomes(log.read_text(errors="replace"), "skipped") for log in self.logs)

    def cpu(self) -> float:
        """CPU seconds of every process in the workers' process groups (pool children too)."""
        groups = {process.pid for process in self.processes}
        total = 0.0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) in groups:
                total += cpu_seconds(int(entry))
        return total

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def outcomes(log: str, outcome: str) -> int:
    """How many rows the send tasks of a worker's log (``-l info``) ended with ``outcome``:
    a batch task logs ``succeeded in ...: {'sent': 50, 'skipped': 0}``, a single-row task
    ``succeeded in ...: 'sent'``."""
    batches = sum(int(n) for n in re.findall(rf"'{outcome}': (\d+)", log))
    return batches + log.count(f": '{outcome}'")


def cpu_snapshot(workers: Workers) -> dict[str, float]:
    by_command = cpu_by_command(("postgres", "redis-server"))
    return {
        "workers": workers.cpu(),
        "bench (sink)": cpu_seconds(os.getpid()),
        "postgres (all databases)": by_command["postgres"],
        "redis": by_command["redis-server"],
        "machine": machine_busy(),
    }


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    delta = {key: after[key] - before[key] for key in before}
    machine = delta.pop("machine")
    delta["everything else"] = max(machine - sum(delta.values()), 0.0)
    return delta


# --- phases ------------------------------------------------------------------------------


def run_floor(args, sink, port: int, path: Path, expected: int, connections: int, workers):
    commands = [
        ["--floor-client", str(path), "--part", f"{n}/{connections}", "--port", str(port)]
        for n in range(connections)
    ]
    figures = run_clients(commands, sink, expected, workers, "floor clients")
    return {"connections": connections, **figures}


def run_clients(commands: list[list[str]], sink, expected: int, workers, name: str) -> dict:
    """Start one client process of this script per command, wait until each says "ready",
    tell them all to go, and time from then to the sink's last new Message-ID."""
    sink.reset()
    clients = [
        subprocess.Popen(
            [PYTHON, __file__, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    for client in clients:
        if client.stdout.readline().strip() != "ready":
            sys.exit(f"{name}: a client did not start")
    cpu_before = cpu_snapshot(workers)
    clients_cpu_before = sum(cpu_seconds(client.pid) for client in clients)
    start = time.monotonic()
    for client in clients:
        client.stdin.write("go\n")
        client.stdin.flush()
    clients_cpu, in_sql = 0.0, 0.0
    for client in clients:
        line = client.stdout.readline().split()
        clients_cpu += cpu_seconds(client.pid)
        client.wait(timeout=600)
        if not line or line[0] != "done":
            sys.exit(f"{name}: a client failed")
        in_sql += float(line[3]) if len(line) > 3 else 0.0
    deadline = time.monotonic() + 10
    while sink.distinct < expected and time.monotonic() < deadline:
        time.sleep(0.01)
    end = sink.last_new_at or time.monotonic()
    cpu = cpu_delta(cpu_before, cpu_snapshot(workers))
    cpu[name] = clients_cpu - clients_cpu_before
    cpu["everything else"] = max(cpu["everything else"] - cpu[name], 0.0)
    del cpu["workers"]
    elapsed = end - start
    return {
        "delivered": sink.distinct,
        "deliveries": sink.deliveries,
        "seconds": elapsed,
        "rate": sink.distinct / elapsed,
        "cpu": cpu,
        "cpu_seconds": elapsed,
        "sql_seconds": in_sql,
    }


def run_bookkeeping(args, sink, port: int, variant: str, event_id: int, workers, workdir):
    """A bookkeeping floor: ``--workers`` client processes over fresh REMINDER rows of their
    own (one per registration, as the run's, under the key ``bench:<variant>``), written
    after the workers have finished so that the workers' rows are never touched. The
    batches of ``SEND_BATCH`` rows are taken first come first served (``batches_taken``),
    as workers take tasks; each process renders a few emails before the start signal
    (``render``, ``service``: warmed up as the workers are), claims a batch (one
    UPDATE ... RETURNING, ``CLAIM_SQL``), then sends its emails
    over one SMTP connection for the whole run, recording each SENT (``SENT_SQL``,
    autocommit) before the next. ``sql`` sends the floor's bytes of the same registration's
    reminder. The rows are deleted afterwards."""
    from django.conf import settings

    from bench._common import database_url
    from notifications.models import OutgoingMessage
    from notifications.services import SEND_BATCH

    key = f"bench:{variant}"
    source_of = {  # registration: index of its reminder in the floor's bytes
        registration: index
        for index, registration in enumerate(
            OutgoingMessage.objects.filter(dedupe_key=KEY)
            .order_by("pk")
            .values_list("registration_id", flat=True)
        )
    }
    create_messages(event_id, list(source_of), key)
    rows = list(
        OutgoingMessage.objects.filter(dedupe_key=key)
        .order_by("pk")
        .values_list("pk", "registration_id")
    )
    pairs = [(row, source_of[registration]) for row, registration in rows]
    plan = workdir / f"bookkeeping-{variant}.json"
    taken = workdir / f"bookkeeping-{variant}.taken"
    taken.mkdir()
    with plan.open("w") as target:
        json.dump(
            {
                "taken": str(taken),
                "dsn": database_url(args.database),
                "table": OutgoingMessage._meta.db_table,
                "stuck": settings.NOTIFICATIONS_STUCK_AFTER,
                "bytes": str(workdir / "floor.json"),
                "batches": [
                    pairs[first : first + SEND_BATCH] for first in range(0, len(pairs), SEND_BATCH)
                ],
            },
            target,
        )
    commands = [
        ["--bookkeeping-client", variant, str(plan), "--port", str(port)]
        for _n in range(args.workers)
    ]
    figures = run_clients(commands, sink, len(pairs), workers, f"{variant} clients")
    rows = OutgoingMessage.objects.filter(dedupe_key=key)
    figures["variant"] = variant
    figures["not_sent"] = rows.exclude(state=OutgoingMessage.State.SENT).count()
    figures["lost"] = len(pairs) - figures["delivered"]
    figures["duplicated"] = figures["deliveries"] - figures["delivered"] + sink.without_id
    rows.delete()
    plan.unlink()
    shutil.rmtree(taken)
    return figures


def run_workers(args, sink, workers: Workers, expected_ids: list[str], key: str, spy=None):
    from notifications.services import outbox_dispatch

    sink.reset()
    expected = len(expected_ids)
    skipped_before = workers.skipped()
    cpu_before = cpu_snapshot(workers)
    start = time.monotonic()
    dispatched, calls = 0, 0
    while True:
        handed_out = outbox_dispatch(limit=args.dispatch_limit)
        dispatched += handed_out
        calls += 1
        if handed_out == 0:
            break
    dispatch_seconds = time.monotonic() - start
    if spy is not None:
        spy.start()
    # CPU is read when the count last moved, so that a stall at the end does not dilute it.
    progress_at, last_count = time.monotonic(), 0
    cpu_after, cpu_at = cpu_snapshot(workers), time.monotonic()
    while sink.distinct < expected:
        now = time.monotonic()
        if sink.distinct != last_count:
            progress_at, last_count = now, sink.distinct
            if now - cpu_at >= 0.5:
                cpu_after, cpu_at = cpu_snapshot(workers), time.monotonic()
        elif spy is not None and now - progress_at > 2:
            spy.stop()  # profile the sending, not the wait for a stall
        if now - start > args.timeout or now - progress_at > args.stall:
            break
        time.sleep(0.05)
    if sink.distinct >= expected:
        cpu_after, cpu_at = cpu_snapshot(workers), time.monotonic()
    end = sink.last_new_at or time.monotonic()
    if spy is not None:
        spy.stop()
    settled = settle(sink, key)
    elapsed = end - start
    figures = {
        "dispatched": dispatched,
        "dispatch_calls": calls,
        "dispatch_seconds": dispatch_seconds,
        "seconds": elapsed,
        "rate": sink.distinct / elapsed if elapsed > 0 else 0.0,
        "cpu": cpu_delta(cpu_before, cpu_after),
        "cpu_seconds": cpu_at - start,
        "settle_seconds": settled,
        "skipped_tasks": workers.skipped() - skipped_before,
    }
    figures.update(outcome(sink, expected_ids, key))
    if figures["lost"]:
        figures["swept"] = sweep(sink, expected_ids)
    return figures


def sweep(sink, expected_ids: list[str], wait: float = 60.0) -> int:
    """What beat's next ``outbox_dispatch`` would do once ``NOTIFICATIONS_REENQUEUE_AFTER``
    has passed (300 s by default): hand the rows out again. Returns how many of the lost
    Message-IDs then arrive."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from notifications.services import outbox_dispatch

    expected = {message_id.encode() for message_id in expected_ids}
    missing = expected - set(sink.counts)
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_REENQUEUE_AFTER + 1)
    outbox_dispatch(now=later, limit=len(missing) + 100)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and not missing <= set(sink.counts):
        time.sleep(0.1)
    return len(missing & set(sink.counts))


def settle(sink, key: str, quiet: float = 3.0, limit: float = 30.0) -> float:
    """After the last expected delivery, wait until nothing more arrives and no row is being
    sent, so that a late duplicate is counted."""
    from notifications.models import OutgoingMessage

    start = time.monotonic()
    seen, since = sink.deliveries, time.monotonic()
    while time.monotonic() - start < limit:
        time.sleep(0.2)
        if sink.deliveries != seen:
            seen, since = sink.deliveries, time.monotonic()
            continue
        sending = OutgoingMessage.objects.filter(
            dedupe_key=key, state=OutgoingMessage.State.SENDING
        ).exists()
        if not sending and time.monotonic() - since >= quiet:
            break
    return time.monotonic() - start


def outcome(sink, expected_ids: list[str], key: str) -> dict:
    from notifications.models import OutgoingMessage

    expected = {message_id.encode() for message_id in expected_ids}
    delivered = set(sink.counts)
    rows = OutgoingMessage.objects.filter(dedupe_key=key)
    states = Counter(rows.values_list("state", flat=True))
    sent_ids = {m.encode() for m in rows.filter(state="sent").values_list("message_id", flat=True)}
    not_sent = defaultdict(int)
    for state, enqueued_at, last_error, attempts in rows.exclude(state="sent").values_list(
        "state", "enqueued_at", "last_error", "attempts"
    ):
        if state == "queued" and last_error:
            not_sent["queued, retrying after an SMTP error"] += 1
        elif state == "queued" and enqueued_at is not None and attempts == 0:
            not_sent["queued, enqueued but never claimed (waits for the sweep)"] += 1
        elif state == "queued":
            not_sent[f"queued (enqueued_at={'set' if enqueued_at else 'null'})"] += 1
        else:
            not_sent[state] += 1
    return {
        "expected": len(expected),
        "delivered": len(delivered & expected),
        "deliveries": sink.deliveries,
        "lost": len(expected - delivered),
        "duplicated": sink.deliveries - len(delivered) + sink.without_id,
        "unknown": len(delivered - expected),
        "rows": dict(states),
        "not_sent": dict(not_sent),
        "sent_not_delivered": len(sent_ids - delivered),
        "delivered_not_sent": len((delivered & expected) - sent_ids),
        "retried": rows.filter(attempts__gt=1).count(),
    }


# --- profiling -----------------------------------------------------------------------------


class Spy:
    """py-spy on one worker process, wall clock (idle included), collapsed stacks."""

    def __init__(self, binary: str, pid: int, log: Path, output: Path, children: bool = False):
        self.binary, self.pid, self.log, self.output = binary, pid, log, output
        self.children = children
        self.process = None
        self.sent_before = self.sent = 0

    def start(self) -> None:
        self.sent_before = self.sent_by_worker()
        self.process = subprocess.Popen(
            [self.binary, "record", "--pid", str(self.pid), "--idle", "--rate", str(SPY_RATE),
             "--format", "raw", "--output", str(self.output), "--nonblocking",
             *(["--subprocesses"] if self.children else [])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip

    def sent_by_worker(self) -> int:
        return outcomes(self.log.read_text(errors="replace"), "sent")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.sent = self.sent_by_worker() - self.sent_before
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def report(self, messages: int, top: int = 12) -> list[str]:
        if not self.output.exists():
            error = self.process.stderr.read() if self.process and self.process.stderr else ""
            return [f"py-spy wrote nothing: {error.strip()[:500]}"]
        inclusive: Counter = Counter()
        steps: Counter = Counter()
        total = 0
        for line in self.output.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit() or "celery/__main__.py" not in stack:
                continue  # the worker's main thread only (--idle samples every thread)
            samples = int(count)
            total += samples
            frames = [simplify(frame) for frame in stack.split(";")]
            for frame in set(frames):
                inclusive[frame] += samples
            steps[step_of(frames)] += samples
        if not total:
            return ["py-spy: no sample of the worker's main thread"]
        seconds = total / SPY_RATE
        lines = [
            f"py-spy: worker 1 (pid {self.pid}), main thread, wall clock (idle included): "
            f"{seconds:.1f} s sampled, {messages} messages sent by it meanwhile",
            "  by step of a send (share of its wall time, ms per message sent):",
        ]
        for step, samples in steps.most_common():
            per_message = 1000 * samples / SPY_RATE / max(messages, 1)
            lines.append(f"    {100 * samples / total:5.1f}%  {per_message:6.2f} ms  {step}")
        lines.append("  heaviest frames below the task (inclusive share):")
        shown = 0
        for frame, samples in inclusive.most_common():
            if samples / total > 0.9 or "celery/" in frame or "kombu/" in frame:
                continue
            lines.append(f"    {100 * samples / total:5.1f}%  {frame}")
            shown += 1
            if shown == top:
                break
        return lines


SPY_RATE = 200
#: Where a sample of the worker is spent: the first marker found from the innermost frame
#: outwards names its step.
STEP_MARKERS = (
    ("_connect_gen (psycopg", "DB: open a new PostgreSQL connection"),
    ("_close_database (celery/fixups/django.py", "celery fixup: close the DB connection"),
    ("qr_png (notifications/rendering.py", "render: check-in QR code (zxing-cpp, Pillow)"),
    ("checkin_code (notifications/rendering.py", "render: check-in code (cache)"),
    ("Batch.keep_codes (notifications/rendering.py", "batch: keep the check-in codes it made"),
    ("render_to_string (django/template", "render: templates"),
    ("organiser_address (notifications/rendering.py", "render: organiser_address (query)"),
    ("_context (notifications/rendering.py", "render: context (queries, reverse)"),
    ("invite (notifications/rendering.py", "render: calendar invite"),
    ("build_email (notifications/rendering.py", "render: other"),
    ("messages_claim (notifications/services.py", "batch: claim (SELECT FOR UPDATE, UPDATE)"),
    ("Batch.__init__ (notifications/rendering.py", "batch: load what its emails share"),
    ("SMTP.connect (smtplib", "SMTP: connect and greeting (one connection per batch)"),
    ("SMTP.ehlo (smtplib", "SMTP: EHLO"),
    ("SMTP.quit (smtplib", "SMTP: QUIT"),
    ("SMTP.close (smtplib", "SMTP: QUIT"),
    ("SMTP.sendmail (smtplib", "SMTP: MAIL, RCPT, DATA"),
    ("as_bytes (django/core/mail", "MIME: build and flatten the message"),
    ("message (django/core/mail/message.py", "MIME: build and flatten the message"),
    ("(django/core/mail/", "Django mail: other"),
    ("_record_sent (notifications/services.py", "record SENT (UPDATE, COMMIT)"),
    ("messages_send (notifications/services.py", "messages_send: other"),
    ("_epoll.poll (kombu", "idle: waiting for the broker"),
    ("_worker (concurrent/futures/thread.py", "idle: SMTP sender thread waiting for an email"),
    ("poll (kombu/utils/eventio.py", "idle: waiting for the broker"),
)


def step_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for marker, step in STEP_MARKERS:
            if marker in frame:
                return step
    return "celery, kombu, redis: receive, ack, bookkeeping"


def simplify(frame: str) -> str:
    """``function (path/to/site-packages/pkg/module.py:123)`` -> ``function (pkg/module.py)``."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3.11/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


def breakdown(event_id: int, registration_ids: list[int], count: int) -> list[str]:
    """Time the steps of ``messages_send`` (same calls, same order) for ``count`` messages,
    in batches of ``SEND_BATCH``: per batch the claim and the loading of what the batch's
    emails share, per message the rendering, MIME + SMTP over the batch's connection and
    the SENT record. CPU time (this process) beside wall time; SQL queries counted."""
    from django.core.mail import get_connection
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import services
    from notifications.models import OutgoingMessage
    from notifications.rendering import Batch

    ids = registration_ids[:count]
    create_messages(event_id, ids, "breakdown")
    rows = list(
        OutgoingMessage.objects.filter(dedupe_key="breakdown")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    wall, cpu, queries = defaultdict(float), defaultdict(float), defaultdict(int)

    def step(name, call, *args, **kwargs):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = call(*args, **kwargs)
            wall[name] += time.perf_counter() - start
            cpu[name] += time.process_time() - start_cpu
        queries[name] += len(captured)
        return result

    smtp = get_connection()
    for first in range(0, len(rows), services.SEND_BATCH):
        chunk = rows[first : first + services.SEND_BATCH]
        claimed = step("batch: claim", services.messages_claim, message_ids=chunk)
        batch = step("batch: load what the emails share", Batch, claimed)
        smtp.open()
        for message in claimed:
            email = step("render (build_email)", batch.email, message)
            step("MIME + SMTP over the batch's connection", smtp.send_messages, [email])
            step("record SENT (UPDATE, COMMIT)", services._record_sent, message)
        step("batch: keep the check-in codes it made", batch.keep_codes)
        smtp.close()
    lines = [
        f"breakdown of messages_send in this process ({len(rows)} messages in batches of"
        f" {services.SEND_BATCH}; SMTP to the same sink; one step after the other, where"
        " the workers render the next email while the SMTP sender thread sends; check-in"
        " codes as --checkin-codes left them), per message:"
    ]
    for name in wall:
        lines.append(
            f"  {name:<44} wall {1000 * wall[name] / len(rows):6.2f} ms"
            f"   CPU {1000 * cpu[name] / len(rows):6.2f} ms"
            f"   queries {queries[name] / len(rows):.2f}"
        )
    lines.append(f"  render queries of one message alone: {render_sql_sample(event_id)}")
    OutgoingMessage.objects.filter(dedupe_key="breakdown").delete()
    return lines


def render_sql_sample(event_id: int) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import OutgoingMessage
    from notifications.rendering import build_email

    row = OutgoingMessage.objects.filter(dedupe_key="breakdown").first()
    row = OutgoingMessage.objects.select_related("registration__event", "event").get(pk=row.pk)
    with CaptureQueriesContext(connection) as captured:
        build_email(row)
    tables = []
    for query in captured.captured_queries:
        match = re.search(r'FROM "(\w+)"', query["sql"])
        tables.append(match.group(1) if match else query["sql"][:40])
    return f"{len(tables)}: " + ", ".join(tables)


# --- report ------------------------------------------------------------------------------


def print_cpu(cpu: dict[str, float], messages: int, seconds: float) -> None:
    parts = [
        f"{name} {value:.1f} s ({1000 * value / max(messages, 1):.2f} ms/msg)"
        for name, value in cpu.items()
    ]
    busy = sum(cpu.values()) / seconds if seconds > 0 else 0
    others = cpu.get("everything else", 0) / seconds if seconds > 0 else 0
    print(f"    CPU over {seconds:.1f} s: {'; '.join(parts)}")
    print(
        f"    machine busy {busy:.2f} of {os.cpu_count()} cores, of which "
        f"{others:.2f} by processes outside this benchmark"
    )


def main() -> int:
    args = parse_args()
    if args.floor_client:
        return floor_client(args.floor_client, args.part, args.port)
    if args.bookkeeping_client:
        return bookkeeping_client(*args.bookkeeping_client, args.port)
    floor_variants = [int(value) for value in args.floor_connections.split(",") if value]
    bookkeeping = [value for value in args.bookkeeping_floor.split(",") if value]
    if unknown := set(bookkeeping) - set(BOOKKEEPING_VARIANTS):
        sys.exit(f"--bookkeeping-floor: unknown {', '.join(sorted(unknown))}")
    if not floor_variants:
        bookkeeping = []  # they send the floor's bytes and are compared with the floor

    workdir = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    port = free_port()
    env = production_env(
        database=args.database,
        var_dir=workdir / "var",
        REDIS_URL=args.redis_url,
        EMAIL_URL=f"smtp://{HOST}:{port}",
    )
    print(f"preparing: database {args.database}, broker {args.redis_url}, sink port {port}")
    recreate_database(args.database)
    manage(env, "migrate", "--no-input", "-v", "0")
    django_setup(env)

    import redis

    broker = redis.Redis.from_url(args.redis_url)
    broker.flushdb()
    sink, controller = start_sink(port)
    worker_env = {**env, "LOG_LEVEL": "INFO"}
    worker_env.update(item.split("=", 1) for item in args.worker_env)
    workers = Workers(args, worker_env, workdir)
    exit_status = 0
    try:
        start = time.perf_counter()
        event_id, registration_ids = create_event(args.messages)
        print(f"created 1 event, {len(registration_ids):,} registrations in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        workers.wait_ready()
        warm_up(args, sink, event_id, registration_ids)

        from notifications.models import OutgoingMessage

        print(
            "\n".join(
                [
                    "",
                    f"machine   {machine_line()}",
                    f"commit    {git_commit()}",
                    f"database  {postgres_facts(args.database)}, CONN_MAX_AGE=60",
                    f"broker    Redis {broker.info('server')['redis_version']} ({args.redis_url})",
                    f"workers   {args.workers} x celery worker --pool=solo -l info"
                    if args.pool == "solo"
                    else "workers   1 x celery worker --pool=prefork "
                    f"--concurrency={args.workers} -l info",
                    f"sink      aiosmtpd in a thread of this process, {HOST}:{port}",
                    f"what-if   workers' extra environment: {' '.join(args.worker_env)}"
                    if args.worker_env
                    else "what-if   none: the project as it is",
                    f"floor     plain smtplib, one connection per client process: {floor_variants}",
                    f"bookkeep  {', '.join(bookkeeping) or 'none'} (--bookkeeping-floor), "
                    f"{args.workers} processes each, after the workers, on rows of their own",
                    f"check-in  codes {args.checkin_codes} (--checkin-codes)",
                    "",
                ]
            )
        )
        results = []
        for run in range(1, args.runs + 1):
            OutgoingMessage.objects.all().delete()
            expected_ids = create_messages(event_id, registration_ids, KEY)
            start = time.perf_counter()
            codes = checkin_codes(registration_ids, keep=args.checkin_codes == "kept")
            print(
                f"run {run}: check-in codes {args.checkin_codes}: {codes:,} "
                + (
                    "in the cache, as the confirmations left them"
                    if args.checkin_codes == "kept"
                    else "taken out of the cache: the workers make them"
                )
                + f" ({time.perf_counter() - start:.1f} s, before the timing)"
            )
            path = workdir / "floor.json"
            floors = []
            if floor_variants:
                count, render_seconds, size = render_for_floor(KEY, path)
                print(
                    f"run {run}: {count:,} reminders due now; rendered for the floor in "
                    f"{render_seconds:.1f} s ({1000 * render_seconds / count:.2f} ms each in "
                    f"one process, {size / count / 1024:.1f} KiB each)"
                )
                floors = [
                    run_floor(args, sink, port, path, count, n, workers) for n in floor_variants
                ]
            else:
                print(f"run {run}: {len(expected_ids):,} reminders due now; no floor")
            for floor in floors:
                print(
                    f"  floor, {floor['connections']} connection(s): {floor['rate']:,.0f} msg/s "
                    f"({floor['delivered']:,} in {floor['seconds']:.2f} s, "
                    f"{floor['deliveries']:,} deliveries)"
                )
                print_cpu(floor["cpu"], floor["delivered"], floor["cpu_seconds"])
            spy = None
            if args.py_spy and run == args.runs:
                spy = Spy(
                    args.py_spy,
                    workers.processes[0].pid,
                    workers.logs[0],
                    workdir / "worker1.spy",
                    children=args.pool == "prefork",
                )
            result = run_workers(args, sink, workers, expected_ids, KEY, spy)
            best = max(floors, key=lambda floor: floor["rate"], default={"rate": math.nan})
            result["floor"] = best
            result["floors"] = floors
            result["ratio"] = result["rate"] / best["rate"]
            results.append(result)
            print(
                f"  workers: {result['rate']:,.0f} msg/s ({result['delivered']:,} delivered in "
                f"{result['seconds']:.2f} s; dispatch {result['dispatched']:,} rows in "
                f"{result['dispatch_calls']} call(s), {result['dispatch_seconds']:.2f} s)"
            )
            print_cpu(result["cpu"], result["delivered"], result["cpu_seconds"])
            print(
                f"    lost {result['lost']}, duplicated {result['duplicated']}, rows "
                f"{result['rows']}, not sent {result['not_sent'] or 0}, SENT but not "
                f"delivered {result['sent_not_delivered']}, delivered but not SENT "
                f"{result['delivered_not_sent']}, rows sent more than once "
                f"{result['retried']}, unknown Message-IDs {result['unknown']}"
            )
            print(f"    send tasks that skipped their row: {result['skipped_tasks']}")
            if "swept" in result:
                print(
                    f"    of the {result['lost']} lost, {result['swept']} arrived after a "
                    "simulated sweep (beat's outbox_dispatch, NOTIFICATIONS_REENQUEUE_AFTER "
                    "= 300 s later in production)"
                )
            print(
                f"    ratio to the floor ({best.get('connections', '-')} connection(s)): "
                f"{result['ratio']:.2f}"
            )
            if spy is not None:
                print("\n".join("    " + line for line in spy.report(spy.sent)))
            result["bookkeeping"] = []
            for variant in bookkeeping:
                reference = run_bookkeeping(args, sink, port, variant, event_id, workers, workdir)
                reference.update(gap(reference["rate"], result["rate"], best["rate"]))
                result["bookkeeping"].append(reference)
                print(
                    f"  bookkeeping floor {variant} ({args.workers} processes): "
                    f"{reference['rate']:,.0f} msg/s ({reference['delivered']:,} in "
                    f"{reference['seconds']:.2f} s); ratio to the floor {reference['ratio']:.2f}, "
                    f"workers/it {reference['workers_ratio']:.2f}"
                )
                print(
                    f"    {reference['over_floor_ms']:+.2f} ms/msg over the floor's "
                    f"{reference['floor_ms']:.2f}: {reference['share']:.0%} of the workers' gap "
                    f"({reference['gap_ms']:.2f} ms/msg)"
                )
                if variant != "service":
                    in_sql = reference["sql_seconds"]
                    print(
                        f"    each process waited on its SQL (claims, SENT records) "
                        f"{1000 * in_sql / reference['delivered']:.2f} ms per email it sent "
                        f"({in_sql / args.workers / reference['seconds']:.0%} of its time)"
                    )
                print_cpu(reference["cpu"], reference["delivered"], reference["cpu_seconds"])
                print(
                    f"    lost {reference['lost']}, duplicated {reference['duplicated']}, rows not "
                    f"SENT {reference['not_sent']}"
                )
        if args.breakdown:
            print()
            checkin_codes(registration_ids[: args.breakdown], keep=args.checkin_codes == "kept")
            print("\n".join(breakdown(event_id, registration_ids, args.breakdown)))
        exit_status = report(args, results)
    finally:
        workers.stop()
        controller.stop()
        if args.keep:
            print(f"kept: database {args.database}, folder {workdir}")
        else:
            from django.db import connections

            connections.close_all()
            drop_database(args.database)
            broker.flushdb()
            shutil.rmtree(workdir, ignore_errors=True)
    return exit_status


def warm_up(args, sink, event_id: int, registration_ids: list[int]) -> None:
    from notifications.models import OutgoingMessage
    from notifications.services import outbox_dispatch

    count = args.warmup * max(args.workers, 1)
    if not count:
        return
    sink.reset()
    expected = create_messages(event_id, registration_ids[:count], "warmup")
    outbox_dispatch(limit=count)
    deadline = time.monotonic() + 120
    while sink.distinct < len(expected) and time.monotonic() < deadline:
        time.sleep(0.05)
    if sink.distinct < len(expected):
        sys.exit(f"warm-up: {sink.distinct} of {len(expected)} delivered")
    settle(sink, "warmup", quiet=1.0)
    OutgoingMessage.objects.filter(dedupe_key="warmup").delete()
    print(f"warm-up: {len(expected)} messages delivered by the workers")


def gap(rate: float, workers_rate: float, floor_rate: float) -> dict[str, float]:
    """A bookkeeping floor against the plain floor and the workers, in time per message
    (the costs add up in time, not in rate): its excess over the floor's time, and the
    share of the workers' excess it accounts for."""
    floor_ms, workers_ms, ms = (1000 / value for value in (floor_rate, workers_rate, rate))
    return {
        "ratio": rate / floor_rate,
        "workers_ratio": workers_rate / rate,
        "floor_ms": floor_ms,
        "over_floor_ms": ms - floor_ms,
        "gap_ms": workers_ms - floor_ms,
        "share": (ms - floor_ms) / (workers_ms - floor_ms),
    }


def report(args, results: list[dict]) -> int:
    rates = [r["rate"] for r in results]
    floors = [r["floor"]["rate"] for r in results]
    ratios = [r["ratio"] for r in results]
    lost = sum(r["lost"] for r in results)
    duplicated = sum(r["duplicated"] for r in results)
    print()
    print(f"summary over {len(results)} run(s) of {args.messages:,} reminders:")
    print(f"  workers ({args.workers}, {args.pool})   {spread(rates)} msg/s")
    print(f"  floor (best variant)   {spread(floors)} msg/s")
    print(f"  ratio                  {spread(ratios, '{:.2f}')}")
    for index, first in enumerate(results[0]["bookkeeping"]):
        floors = [r["bookkeeping"][index] for r in results]
        name = f"bookkeeping {first['variant']}"
        print(f"  {name:<22} {spread([f['rate'] for f in floors])} msg/s")
        print(f"    ratio to the floor   {spread([f['ratio'] for f in floors], '{:.2f}')}")
        print(f"    share of the gap     {spread([f['share'] for f in floors], '{:.0%}')}")
    print(f"  lost                   {lost}")
    print(f"  duplicated             {duplicated}")
    ratio = statistics.median(ratios)
    print(verdict(lost == 0, "no message lost"))
    print(verdict(duplicated == 0, "no message duplicated"))
    print(
        verdict(ratio >= TARGET_RATIO, f"rate >= {TARGET_RATIO:.0%} of the floor's ({ratio:.2f})")
    )
    return 1 if lost or duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
