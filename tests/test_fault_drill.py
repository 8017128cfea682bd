"""The fault drill: registrations and due reminders keep flowing while the services fail.

A stack of its own, on other ports, so that the shared PostgreSQL and Redis are never
touched: a PostgreSQL cluster made with initdb in a temporary folder, a Redis, gunicorn,
two Celery workers, beat and an SMTP server in a process of its own. Clients register
through the public form over HTTP and reminders fall due, while the drill stops Redis
for a minute, restarts PostgreSQL, kills a worker with SIGKILL again and again, restarts
beat and takes the SMTP server away and back. Then it prints and checks: every
registration confirmed to its person is in the database, every due email reached the SMTP
server exactly once (counted there, per registration and kind), nothing is oversold, and
``/healthz`` answered 503 while a dependency was down and 200 after.

Runs in the PostgreSQL pass of bin/test (``DATABASE_URL`` set); about three and a half
minutes. ``python -m tests.test_fault_drill sink PORT FILE`` is its SMTP server.
"""

import contextlib
import glob
import itertools
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres]

ROOT = Path(__file__).resolve().parent.parent
REDIS_DOWN_SECONDS = 60
HOT_CAPACITY = 40
SEEDED = 120  # registrations made before the drill, whose reminders fall due during it
CLIENTS = 3


def _postgres_binaries() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    for initdb in reversed(found):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists():
            return folder
    return None


def _skip_reason() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "the fault drill runs in the PostgreSQL pass of bin/test (DATABASE_URL)"
    if _postgres_binaries() is None:
        return "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl)"
    if not shutil.which("redis-server"):
        return "no redis-server"
    return ""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if predicate():
                return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


class Stack:
    """The drill's own services, each of which can be stopped and started again."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.bin = _postgres_binaries()
        self.pg_data = folder / "pg"
        self.pg_port, self.redis_port, self.smtp_port, self.web_port = (
            free_port() for _ in range(4)
        )
        self.sink_file = folder / "sink.tsv"
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = folder / "logs"
        self.logs.mkdir()
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/drill"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "VAR_DIR": str(folder / "var"),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "REGISTRATION_RATE_LIMIT": "100000/m/ip",
            "NOTIFICATIONS_RETRY_BACKOFF": "1",
            "NOTIFICATIONS_MAX_ATTEMPTS": "20",
            "NOTIFICATIONS_STUCK_AFTER": "5",
            "NOTIFICATIONS_REENQUEUE_AFTER": "3",
            "OUTBOX_DISPATCH_SECONDS": "2",
            "CONN_MAX_AGE": "60",
        }

    # --- PostgreSQL -------------------------------------------------------------------
    def _as_postgres(self, *command: str) -> list[str]:
        """Commands of the server's own user: PostgreSQL refuses to run as root."""
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def postgres_init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        subprocess.run(
            self._as_postgres(
                str(self.bin / "initdb"), "-D", str(self.pg_data), "-U", "postgres",
                "-A", "trust", "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        self.postgres_start()
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "drill"],
            check=True,
        )

    def postgres_start(self) -> None:
        options = (
            f"-p {self.pg_port} -k {self.pg_data} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            self._as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.pg_data), "-o", options,
                "-l", str(self.pg_data / "server.log"), "-w", "start",
            ),
            check=True, capture_output=True,
        )  # fmt: skip

    def postgres_stop(self) -> None:
        subprocess.run(
            self._as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.pg_data), "-m", "fast", "-w", "stop"
            ),
            check=False, capture_output=True,
        )  # fmt: skip

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
            return db.execute(query, params).fetchall()

    # --- the other processes ------------------------------------------------------------
    def start(self, name: str, command: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()

    def stop(self, name: str, sig=signal.SIGTERM, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def redis_start(self) -> None:
        self.start(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
        )  # fmt: skip
        wait_until(
            lambda: subprocess.run(
                ["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True, text=True
            ).stdout.strip() == "PONG",
            20, "Redis",
        )  # fmt: skip

    def sink_start(self) -> None:
        self.start(
            "sink",
            [
                sys.executable,
                "-m",
                "tests.test_fault_drill",
                "sink",
                str(self.smtp_port),
                str(self.sink_file),
            ],
        )
        import socket

        def listening():
            with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1):
                return True

        wait_until(listening, 20, "the SMTP server", interval=0.1)

    def worker_start(self, n: int) -> None:
        self.start(
            f"worker{n}",
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--hostname", f"drill{n}-{time.monotonic_ns()}@%h"],
        )  # fmt: skip

    def beat_start(self) -> None:
        self.start(
            "beat",
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
             "--schedule", str(self.folder / "beat-schedule")],
        )  # fmt: skip

    def web_start(self) -> None:
        self.start(
            "web",
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
             f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "60"],
        )  # fmt: skip
        wait_until(lambda: self.get("/healthz")[0] == 200, 60, "gunicorn")

    def get(self, path: str) -> tuple[int, str]:
        try:
            url = f"http://127.0.0.1:{self.web_port}{path}"
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def manage(self, *args: str, code: str = "") -> str:
        command = [sys.executable, "manage.py", *args]
        if code:
            command += ["-c", code]
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name, signal.SIGKILL, timeout=10)
        self.postgres_stop()


SEED = f"""
from datetime import timedelta
from django.utils import timezone
from tests.factories import EventFactory, at, person
from notifications.models import OutgoingMessage
from registrations import services

hot = EventFactory(slug="hot", capacity={HOT_CAPACITY}, registration_opens_at=at(-3),
                   registration_closes_at=at(10), starts_at=at(30, "09:00"),
                   ends_at=at(31, "17:00"))
soon = EventFactory(slug="soon", capacity=1000, registration_opens_at=at(-3),
                    registration_closes_at=at(10), starts_at=at(20, "09:00"),
                    ends_at=at(21, "17:00"))
for n in range({SEEDED}):
    services.registration_create(event=soon, person=person(email=f"early{{n}}@example.org"))
# The confirmations went out before the drill; the 7-day reminders fall due during it.
OutgoingMessage.objects.filter(registration__event=soon).exclude(
    dedupe_key__startswith="reminder:7d").update(state="cancelled")
start = timezone.now() + timedelta(seconds=DELAY)
for n, row in enumerate(OutgoingMessage.objects.filter(
        registration__event=soon, dedupe_key="reminder:7d").order_by("pk")):
    OutgoingMessage.objects.filter(pk=row.pk).update(
        due_at=start + timedelta(seconds=n * SPREAD / {SEEDED}))
print(hot.pk, soon.pk)
"""


class Drive:
    """Clients registering through the public form, and a poller of /healthz."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.phase = "start"
        self.results: list[tuple[str, str, int]] = []  # (email, phase, HTTP status)
        self.health: list[tuple[str, int]] = []  # (phase, status)
        self.stopped = threading.Event()
        self.numbers = itertools.count()
        self.lock = threading.Lock()

    def client(self) -> None:
        from .http import Browser

        while not self.stopped.is_set():
            email = f"drill{next(self.numbers)}@example.org"
            phase = self.phase
            try:
                browser = Browser(f"http://127.0.0.1:{self.stack.web_port}")
                status, _html = browser.post_form(
                    "/en/events/hot/register/",
                    {"first_name": "Ana", "last_name": "Drill", "email": email,
                     "organisation_name": "Org", "country": "RO", "role": "participant",
                     "language": "en", "privacy_consent": "on"},
                )  # fmt: skip
            except Exception:  # the form page itself failed (a 5xx has no token)
                status = 0
            with self.lock:
                self.results.append((email, phase, status))
            time.sleep(0.3)

    def healthz(self) -> None:
        while not self.stopped.is_set():
            try:
                status = self.stack.get("/healthz")[0]
            except Exception:
                status = 0
            with self.lock:
                self.health.append((self.phase, status))
            time.sleep(0.5)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.client) for _ in range(CLIENTS)]
        self.threads.append(threading.Thread(target=self.healthz))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=90)


class Killer(threading.Thread):
    """SIGKILL one of the workers (its whole process group) every few seconds, then
    start it again."""

    def __init__(self, stack: Stack):
        super().__init__()
        self.stack, self.kills, self.stopped = stack, 0, threading.Event()

    def run(self) -> None:
        rng = random.Random(os.getpid())
        while not self.stopped.wait(rng.uniform(4, 9)):
            n = rng.choice((1, 2))
            self.stack.stop(f"worker{n}", signal.SIGKILL)
            self.kills += 1
            self.stack.worker_start(n)


def test_registrations_and_reminders_survive_the_services_failing(capsys):
    if reason := _skip_reason():
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="rencontres-drill-"))
    stack = Stack(folder)
    timeline = []
    began = time.monotonic()

    def mark(what: str) -> None:
        timeline.append(f"{time.monotonic() - began:6.1f}s  {what}")

    try:
        stack.postgres_init()
        stack.redis_start()
        stack.sink_start()
        stack.manage("migrate", "--no-input", "-v", "0")
        mark("cluster, Redis, SMTP server and schema ready")
        delay, spread = 30, 80
        hot_pk, _soon = map(
            int,
            stack.manage(
                "shell", code=SEED.replace("DELAY", str(delay)).replace("SPREAD", str(spread))
            ).split()[-2:],
        )
        seeded_at = time.monotonic()
        stack.web_start()
        stack.worker_start(1)
        stack.worker_start(2)
        stack.beat_start()
        mark("gunicorn, two workers and beat started")
        killer = Killer(stack)
        with Drive(stack) as drive:
            killer.start()
            time.sleep(8)
            drive.phase = "redis down"
            mark(f"Redis stopped for {REDIS_DOWN_SECONDS} s")
            stack.stop("redis")
            time.sleep(REDIS_DOWN_SECONDS)
            stack.redis_start()
            drive.phase = "redis back"
            mark("Redis started again")
            wait_until(lambda: drive.health[-1][1] == 200, 60, "/healthz 200 after Redis")
            time.sleep(5)
            drive.phase = "postgres restart"
            mark("PostgreSQL stopped")
            stack.postgres_stop()
            wait_until(lambda: drive.health[-1] == ("postgres restart", 503), 20, "/healthz 503")
            time.sleep(2)
            stack.postgres_start()
            drive.phase = "postgres back"
            mark("PostgreSQL started again")
            wait_until(lambda: drive.health[-1][1] == 200, 60, "/healthz 200 after PostgreSQL")
            time.sleep(5)
            drive.phase = "smtp away"
            mark("SMTP server stopped")
            stack.stop("sink")
            time.sleep(15)
            stack.sink_start()
            drive.phase = "smtp back"
            mark("SMTP server started again; beat restarted")
            stack.stop("beat")
            stack.beat_start()
            # Until every seeded reminder is due, and a little longer.
            time.sleep(max(5, delay + spread + 5 - (time.monotonic() - seeded_at)))
            drive.phase = "end"
        killer.stopped.set()
        killer.join()
        mark(f"clients stopped; {killer.kills} workers killed with SIGKILL")

        def drained():
            left = stack.sql(
                "SELECT count(*) FROM notifications_outgoingmessage "
                "WHERE due_at <= now() AND state IN ('queued', 'sending')"
            )[0][0]
            return left == 0

        wait_until(drained, 90, "the outbox to drain")
        time.sleep(3)  # anything sent twice would arrive now
        mark("outbox drained")
        health_end = stack.get("/healthz")[0]
        report, failures = _check(stack, drive, hot_pk, health_end)
    finally:
        stack.close()
    with capsys.disabled():
        print("\n--- fault drill ---")
        print("\n".join(timeline))
        print(report)
    assert not failures, "\n".join(failures)
    shutil.rmtree(folder, ignore_errors=True)


def _check(stack: Stack, drive: Drive, hot_pk: int, health_end: int):
    failures = []
    lines = []
    by_phase = Counter((phase, status) for _email, phase, status in drive.results)
    lines.append("registration attempts by phase (HTTP status: count):")
    for phase in dict.fromkeys(phase for _e, phase, _s in drive.results):
        answers = ", ".join(
            f"{status}: {count}" for (p, status), count in sorted(by_phase.items()) if p == phase
        )
        lines.append(f"  {phase:17} {answers}")
    confirmed = {email for email, _phase, status in drive.results if status == 302}
    stored = {
        email
        for (email,) in stack.sql(
            "SELECT email FROM registrations_registration WHERE event_id = %s", hot_pk
        )
    }
    missing = confirmed - stored
    lines.append(f"confirmed to their person: {len(confirmed)}; in the database: "
                 f"{len(confirmed & stored)}; missing: {len(missing)}")  # fmt: skip
    if missing:
        failures.append(f"confirmed but not in the database: {sorted(missing)[:10]}")

    [(capacity, places_taken, held)] = stack.sql(
        "SELECT e.capacity, e.places_taken, (SELECT count(*) FROM registrations_registration r "
        "WHERE r.event_id = e.id AND r.status IN ('confirmed', 'pending')) "
        "FROM events_event e WHERE e.id = %s",
        hot_pk,
    )
    lines.append(f"places: capacity {capacity}, held {held}, counter {places_taken}")
    if held > capacity or held != places_taken:
        failures.append(f"oversold or miscounted: {held} held, {places_taken} counted")

    rows = stack.sql(
        "SELECT message_id, registration_id, kind, state FROM notifications_outgoingmessage "
        "WHERE due_at <= now() AND state NOT IN ('cancelled')"
    )
    received = Counter(
        line.split("\t")[0] for line in stack.sink_file.read_text().splitlines() if line
    )
    known = {message_id for message_id, *_rest in rows}
    per_key = Counter()
    for message_id, registration_id, kind, _state in rows:
        per_key[(registration_id, kind)] += received[message_id]
    kinds = Counter(kind for _m, _r, kind, _s in rows)
    states = Counter(state for *_rest, state in rows)
    lines.append(f"due emails: {len(rows)} ({dict(kinds)}); states: {dict(states)}")
    delivered = Counter(received[message_id] for message_id in known)
    lines.append(f"deliveries per due email at the SMTP server: {dict(sorted(delivered.items()))}")
    twice = {key: count for key, count in per_key.items() if count != 1}
    if twice or set(delivered) != {1}:
        failures.append(f"not delivered exactly once (registration, kind: count): {twice}")
    strangers = set(received) - known
    if strangers:
        failures.append(f"{len(strangers)} emails at the server that are not due rows")
    without_email = {
        email
        for (email,) in stack.sql(
            "SELECT r.email FROM registrations_registration r WHERE r.event_id = %s AND NOT "
            "EXISTS (SELECT 1 FROM notifications_outgoingmessage m WHERE m.registration_id = r.id "
            "AND m.kind IN ('confirmed', 'waitlisted', 'received') AND m.state = 'sent')",
            hot_pk,
        )
    }
    if without_email:
        failures.append(f"registrations without their email: {sorted(without_email)[:10]}")

    health = Counter(drive.health)
    lines.append("/healthz by phase: " + ", ".join(
        f"{phase} {status} x{count}" for (phase, status), count in health.items()
    ))  # fmt: skip
    for phase in ("redis down", "postgres restart"):
        if not health[(phase, 503)]:
            failures.append(f"/healthz never answered 503 while {phase}")
    lines.append(f"/healthz at the end: {health_end}")
    errors = Counter(
        line.split(":")[0]
        for line in (stack.logs / "web.log").read_text(errors="replace").splitlines()
        if re.match(r"^[\w.]+(Error|Exception): ", line)
    )
    lines.append(f"exceptions in the web processes' log: {dict(errors.most_common())}")
    if health_end != 200:
        failures.append(f"/healthz answers {health_end} at the end")
    return "\n".join(lines), failures


def _sink(port: int, path: str) -> None:
    """An SMTP server that appends the Message-ID and recipients of each email it
    accepts to ``path`` before it answers 250; stops on SIGTERM."""
    import email
    import email.policy

    from aiosmtpd.controller import Controller

    out = open(path, "a", buffering=1)  # noqa: SIM115 (open for the server's life)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            out.write(f"{message['Message-ID']}\t{','.join(envelope.rcpt_tos)}\n")
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    out.close()


if __name__ == "__main__" and sys.argv[1:2] == ["sink"]:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    _sink(int(sys.argv[2]), sys.argv[3])
