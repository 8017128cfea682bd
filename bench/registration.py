#!/usr/bin/env python
"""How many registrations per minute can one event take through the real HTTP path?

The question, from the issue: 50 concurrent clients make 10,000 registration attempts on
one event of 2,000 places, through gunicorn, PostgreSQL and the registration form's own
POST (CSRF included). How many registrations are confirmed per minute, how long does a
submission take (p50/p95/p99), is any place oversold, and how does that compare with a
bare Django view on the same stack that inserts one row (the floor)?

Targets: >= 3,000 confirmed registrations per minute on one event, >= half the floor's
throughput, p99 < 500 ms, 0 oversold.

What it does, all on 127.0.0.1:

1. drops and recreates its own PostgreSQL database (``rencontres_bench``), migrates it,
   collects static files into a temporary folder, and creates one published event per
   run (capacity ``--places``, registration open now, no workshops unless ``--workshop``,
   then one slot of two workshops) plus a warm-up event and the floor's table;
2. starts gunicorn on a free port with ``bench.settings`` (the production settings,
   DEBUG=0, plus the floor view's URL);
3. warms up every worker (registrations on the warm-up event, floor rows);
4. per run: ``--clients`` threads each GET the form once (csrftoken cookie and
   csrfmiddlewaretoken), then POST the full form with distinct addresses until
   ``--attempts`` POSTs are made; then the same against the floor view. Each client
   binds its own loopback address (127.1.0.x), as distinct people would come from
   distinct addresses, so that allauth's per-IP rate limit sees 50 people, not one
   (``--one-ip`` to see what a single shared address does to it);
5. counts in the database (confirmed, waiting list, counter), prints the figures,
   the median and spread over ``--runs``, and PASS/FAIL against each target;
6. stops gunicorn and drops the database (unless ``--keep``).

``--minimum`` adds a second reference, measured the same way on an event of its own:
``bench/floor.py``'s ``minimum`` view, which does by hand, without the application's code,
the least any implementation of the rules must do for the same POST: one Redis round trip
for the rate limits, then one SQL statement in autocommit that checks the window, takes a
place with a conditional counter update, and writes the registration and its emails' rows
(the same rows as the application's). What it reaches bounds what any registration code
can reach on the same machine and stack.

Latency is that of the POST alone, as the client sees it (connect included when the
server closed the previous connection). "Confirmed per minute" is the number of confirmed
registrations divided by the time from the start of the run to the response of the last
one confirmed; "attempts per minute" counts every answered POST over the whole run.

Usage, from the repository root:

    .venv/bin/python bench/registration.py
    .venv/bin/python bench/registration.py --clients 50 --attempts 10000 --places 2000
    .venv/bin/python bench/registration.py --minimum   # and the least a registration must do

Exit status 1 if a place was oversold or a counter disagrees with its rows (the figures
are printed either way); targets missed are printed as FAIL but do not change it.
"""

from __future__ import annotations

import argparse
import fcntl
import http.client
import itertools
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import profiling  # noqa: E402 (needs ROOT on the path)

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
HOST = "127.0.0.1"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"

TARGET_CONFIRMED_PER_MINUTE = 3000
TARGET_FLOOR_RATIO = 0.5
TARGET_P99_MS = 500

TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
MANAGE_RE = re.compile(r"^/en/r/([A-Za-z0-9_-]{20,})/$")
FLOOR_RE = re.compile(r"^/floor/\d+/$")

FORM_FIELDS = {
    # What a browser sends for the form as rendered: every field, empty ones included.
    "first_name": "Ana",
    "last_name": "Popescu",
    "organisation": "",
    "organisation_name": "Asociația Exemplu",
    "country": "RO",
    "role": "participant",
    "language": "en",
    "dietary_needs": "",
    "accessibility_needs": "",
    "privacy_consent": "on",
    "website": "",
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--attempts", type=int, default=10_000, help="POSTs per run")
    parser.add_argument("--places", type=int, default=2_000, help="capacity of the event")
    parser.add_argument("--runs", type=int, default=1, help="runs (fresh event each)")
    parser.add_argument("--workshop", action="store_true", help="one slot of two workshops")
    parser.add_argument(
        "--workers",
        type=int,
        default=3,
        help="gunicorn worker processes (default 3: the image's WEB_CONCURRENCY, see Dockerfile)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--worker-class", default="", help="gunicorn worker class (default: sync or gthread)"
    )
    parser.add_argument(
        "--no-redis",
        dest="redis",
        action="store_false",
        help="no REDIS_URL: file cache for rate limits, filesystem broker",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--rate-limit",
        default="1000000/m/ip,5/10m/key",
        help="REGISTRATION_RATE_LIMIT (per client address, per email address)",
    )
    parser.add_argument("--one-ip", action="store_true", help="all clients from 127.0.0.1")
    parser.add_argument("--access-log", action="store_true", help="gunicorn access log to a file")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument(
        "--minimum",
        action="store_true",
        help="also measure the least a registration must do (bench/floor.py ``minimum``)",
    )
    parser.add_argument("--warmup", type=int, default=0, help="warm-up POSTs (default: auto)")
    parser.add_argument("--database", default="rencontres_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp folder")
    parser.add_argument(
        "--profile",
        choices=["sql", "cprofile"],
        help="measure inside the server (bench/profiling.py): SQL and lock times, or cProfile",
    )
    parser.add_argument("--setup", help=argparse.SUPPRESS)  # internal: create the data
    args = parser.parse_args(argv)
    if args.minimum and not args.redis:
        parser.error("--minimum counts its rate limits in Redis: it needs Redis")
    if not args.worker_class:
        args.worker_class = "gthread" if args.threads > 1 else "sync"
    return args


# --- data (run in a subprocess, with Django set up on the bench database) --------------


def create_data(options: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from events.models import Event, Organisation, ProgrammeItem, Venue

    now = timezone.now()
    host = Organisation.objects.create(
        name="Bench host", slug="bench-host", country="FR", city="Paris"
    )
    venue = Venue.objects.create(
        name="Bench venue", address="1 rue du Banc", city="Paris", country="FR"
    )

    def event(slug: str, capacity: int) -> dict:
        starts = now + timedelta(days=30)
        row = Event.objects.create(
            slug=slug,
            kind=Event.Kind.NATIONAL_MEETING,
            status=Event.Status.PUBLISHED,
            title_en=f"Benchmark {slug}",
            host=host,
            venue=venue,
            timezone="Europe/Paris",
            starts_at=starts,
            ends_at=starts + timedelta(days=1, hours=8),
            registration_opens_at=now - timedelta(hours=1),
            registration_closes_at=now + timedelta(days=20),
            capacity=capacity,
            default_language="en",
            languages=["en"],
        )
        workshops = []
        if options["workshop"]:
            for title in ("Workshop A", "Workshop B"):
                workshops.append(
                    ProgrammeItem.objects.create(
                        event=row,
                        kind=ProgrammeItem.Kind.WORKSHOP,
                        title_en=title,
                        starts_at=starts + timedelta(hours=2),
                        ends_at=starts + timedelta(hours=3, minutes=30),
                        capacity=capacity,
                    ).pk
                )
        return {"id": row.pk, "slug": row.slug, "workshops": workshops}

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, email text NOT NULL,"
            " created timestamptz NOT NULL DEFAULT now())"
        )
    return {
        "warmup": event("bench-warmup", 1_000_000),
        "runs": [
            {
                **event(f"bench-meeting-{n}", options["places"]),
                "minimum": event(f"bench-minimum-{n}", options["places"])
                if options["minimum"]
                else None,
            }
            for n in range(options["runs"])
        ],
    }


# --- processes -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(args, workdir: Path, port: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "CONN_MAX_AGE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{port}",
        REGISTRATION_RATE_LIMIT=args.rate_limit,
        VAR_DIR=str(workdir / "var"),
        STATIC_ROOT=str(workdir / "static"),
        PYTHONPATH=str(ROOT),
    )
    if args.redis:
        env["REDIS_URL"] = args.redis_url
    if args.profile:
        env["BENCH_PROFILE"] = args.profile
        env["BENCH_PROFILE_DIR"] = str(workdir / "profile")
        (workdir / "profile").mkdir()
    return env


def manage(env: dict, *arguments: str) -> str:
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def recreate_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


# Django's cache keys (prefix "", version 1: the rate-limit counters) and Celery's queue.
REDIS_PATTERNS = (":1:*", "celery", "_kombu.*", "unacked*")


def clean_redis(args) -> int:
    """Delete what the server left in the bench's own Redis database (``--redis-url``):
    cache entries (rate-limit counters) and the send-mail tasks queued for a Celery worker
    (none runs during the bench)."""
    if not args.redis:
        return 0
    import redis

    client = redis.Redis.from_url(args.redis_url)
    deleted = 0
    for pattern in REDIS_PATTERNS:
        keys = list(client.scan_iter(match=pattern, count=1000))
        for start in range(0, len(keys), 1000):
            deleted += client.delete(*keys[start : start + 1000])
    return deleted


def bench_db(args):
    import psycopg

    return psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{args.database}", autocommit=True)


class Server:
    def __init__(self, args, env: dict, port: int, workdir: Path):
        self.port = port
        self.log_path = workdir / "gunicorn.log"
        self.command = [
            GUNICORN,
            "config.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--timeout",
            "60",
        ]
        if args.access_log:
            self.command += ["--access-logfile", str(workdir / "access.log")]
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz", headers={"Host": HOST})
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn did not answer /healthz in {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self.log.close()


# --- CPU accounting --------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _processes(server_pgid: int, database: str) -> dict[int, tuple[str, float]]:
    """{pid: (who, CPU seconds so far)} for the processes the bench accounts for."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        if int(name) == os.getpid():
            who = "clients (this process)"
        elif int(fields[2]) == server_pgid:
            who = "gunicorn"
        elif comm.startswith("postgres"):
            title = cmdline.decode(errors="replace")
            if f" {database} " in title:
                who = "postgres (bench backends)"
            elif re.search(r"postgres: \S+ \S+ \d", title) or "[local]" in title:
                continue  # another database's backend: counted in "other processes"
            else:
                who = "postgres (server processes)"
        elif comm.startswith("redis"):
            who = "redis"
        else:
            continue
        found[int(name)] = (who, seconds)
    return found


def _machine_busy() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(value) for value in fields[:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS


class CpuMeter(threading.Thread):
    """CPU used during a run by the clients, gunicorn, PostgreSQL, Redis, and by everything
    else on the machine (other people's processes included), in cores.

    Sampled every half second, so that processes that come and go during the run (database
    connections are reopened every CONN_MAX_AGE seconds) are counted too.
    """

    def __init__(self, server_pgid: int, database: str):
        super().__init__(daemon=True)
        self.args = (server_pgid, database)
        self.used: Counter = Counter()
        self.stopped = threading.Event()

    def run(self) -> None:
        last = _processes(*self.args)
        while not self.stopped.wait(0.5):
            last = self._sample(last)
        self._sample(last)

    def _sample(self, last: dict) -> dict:
        now = _processes(*self.args)
        for pid, (who, seconds) in now.items():
            self.used[who] += seconds - last[pid][1] if pid in last else seconds
        return now

    def __enter__(self) -> CpuMeter:
        self.busy = _machine_busy()
        self.t0 = time.perf_counter()
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.join()
        duration = time.perf_counter() - self.t0
        busy = _machine_busy() - self.busy
        self.cores = {who: seconds / duration for who, seconds in self.used.items()}
        self.cores["~ other processes"] = (busy - sum(self.used.values())) / duration
        self.cores["machine busy"] = busy / duration


# --- clients ---------------------------------------------------------------------------


class Client:
    """One person's browser: its own connection (keep-alive) and cookie jar."""

    def __init__(self, port: int, source_ip: str | None):
        self.port = port
        self.source = (source_ip, 0) if source_ip else None
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = {"Accept-Language": "en", "User-Agent": "rencontres-bench", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    HOST, self.port, timeout=60, source_address=self.source
                )
            reused = self.conn.sock is not None
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if reused and attempt == 1:
                    # The server closed an idle keep-alive connection as we reused it: a
                    # browser retries on a new connection too.
                    self.reconnects += 1
                    continue
                raise
            except Exception:
                self.conn.close()
                self.conn = None
                raise
            break
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content


def source_ip(index: int) -> str:
    return f"127.1.{index // 250}.{index % 250 + 1}"


@dataclass
class Run:
    label: str
    attempts: int
    clients: int
    t0: float = 0.0
    results: list = field(default_factory=list)  # (start, end, status, location, body)
    setup_failures: list = field(default_factory=list)
    reconnects: int = 0
    cpu: dict = field(default_factory=dict)

    @property
    def answered(self) -> list:
        return [r for r in self.results if r is not None]

    @property
    def elapsed(self) -> float:
        return max(r[1] for r in self.answered) - self.t0

    def ok(self, pattern: re.Pattern) -> list:
        return [r for r in self.answered if r[2] == 302 and pattern.match(r[3])]

    def errors(self, pattern: re.Pattern) -> Counter:
        found: Counter = Counter()
        for r in self.answered:
            if not (r[2] == 302 and pattern.match(r[3])):
                snippet = r[4][:120].decode(errors="replace").replace("\n", " ")
                found[f"{r[2]} {r[3]} {snippet}".strip()] += 1
        missing = self.attempts - len(self.answered)
        if missing:
            found["not attempted"] += missing
        return found

    def latencies_ms(self) -> list[float]:
        return sorted((r[1] - r[0]) * 1000 for r in self.answered)


def percentile(values: list[float], q: float) -> float:
    """Nearest rank on sorted values."""
    if not values:
        return float("nan")
    return values[max(math.ceil(q * len(values)) - 1, 0)]


def drive(
    *,
    label: str,
    port: int,
    clients: int,
    attempts: int,
    path: str,
    form_path: str,
    fields: dict,
    email_prefix: str,
    one_ip: bool,
    workshops: list[int],
    cpu: tuple[int, str] | None = None,
) -> Run:
    run = Run(label=label, attempts=attempts, clients=clients, results=[None] * attempts)
    counter = itertools.count()
    counter_lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    origin = f"http://{HOST}:{port}"
    post_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + form_path,
    }
    browsers: list[Client] = []

    def client(index: int) -> None:
        browser = Client(port, None if one_ip else source_ip(index))
        browsers.append(browser)
        token = None
        try:
            status, _headers, html = browser.request("GET", form_path)
            match = TOKEN_RE.search(html)
            if status != 200 or not match:
                run.setup_failures.append(f"GET {form_path}: {status}")
            else:
                token = match.group(1).decode()
        except Exception as error:
            run.setup_failures.append(f"GET {form_path}: {type(error).__name__}: {error}")
        barrier.wait(timeout=300)
        if token is None:
            return
        while True:
            with counter_lock:
                n = next(counter)
            if n >= attempts:
                return
            data = {**fields, "email": f"{email_prefix}{n:05d}@example.org"}
            if workshops:
                data["workshop_0"] = str(workshops[n % len(workshops)])
            data["csrfmiddlewaretoken"] = token
            body = urllib.parse.urlencode(data).encode()
            start = time.perf_counter()
            try:
                status, headers, content = browser.request("POST", path, body, post_headers)
                location = headers.get("Location", "")
            except Exception as error:
                status, location, content = 0, f"{type(error).__name__}: {error}", b""
            end = time.perf_counter()
            run.results[n] = (start, end, status, location, b"" if status == 302 else content)

    threads = [
        threading.Thread(target=client, args=(index,), daemon=True) for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    meter = CpuMeter(*cpu) if cpu else None
    barrier.wait(timeout=300)
    run.t0 = time.perf_counter()
    if meter:
        meter.__enter__()
    for thread in threads:
        thread.join()
    if meter:
        meter.__exit__()
        run.cpu = meter.cores
    run.reconnects = sum(browser.reconnects for browser in browsers)
    return run


# --- figures ---------------------------------------------------------------------------


@dataclass
class Figures:
    attempts: int
    errors: Counter
    elapsed: float
    attempts_per_minute: float
    p50: float
    p95: float
    p99: float
    p_max: float
    rows: int  # confirmed registrations, or floor rows
    rows_per_minute: float  # confirmed per minute (to the last confirmed), or floor rows/min
    window: float  # seconds over which rows_per_minute is counted
    reconnects: int
    cpu: dict
    extra: dict = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def figures_of(run: Run, pattern: re.Pattern, rows: int, window: float, extra=None) -> Figures:
    latencies = run.latencies_ms()
    elapsed = run.elapsed
    return Figures(
        attempts=run.attempts,
        errors=run.errors(pattern),
        elapsed=elapsed,
        attempts_per_minute=len(run.answered) / elapsed * 60,
        p50=percentile(latencies, 0.50),
        p95=percentile(latencies, 0.95),
        p99=percentile(latencies, 0.99),
        p_max=latencies[-1] if latencies else float("nan"),
        rows=rows,
        rows_per_minute=rows / window * 60 if window > 0 else 0.0,
        window=window,
        reconnects=run.reconnects,
        cpu=run.cpu,
        extra=extra or {},
    )


def registration_figures(args, run: Run, event: dict) -> Figures:
    with bench_db(args) as conn:
        by_status = dict(
            conn.execute(
                "SELECT status, count(*) FROM registrations_registration"
                " WHERE event_id = %s GROUP BY status",
                [event["id"]],
            ).fetchall()
        )
        capacity, places_taken = conn.execute(
            "SELECT capacity, places_taken FROM events_event WHERE id = %s", [event["id"]]
        ).fetchone()
        status_of = dict(
            conn.execute(
                "SELECT secret, status FROM registrations_registration WHERE event_id = %s",
                [event["id"]],
            ).fetchall()
        )
        (emails,) = conn.execute(
            "SELECT count(*) FROM notifications_outgoingmessage WHERE event_id = %s",
            [event["id"]],
        ).fetchone()
        workshops = []
        for item in event["workshops"]:
            taken, choices = conn.execute(
                "SELECT places_taken, (SELECT count(*) FROM registrations_workshopchoice"
                " WHERE item_id = %s AND status = 'confirmed')"
                " FROM events_programmeitem WHERE id = %s",
                [item, item],
            ).fetchone()
            workshops.append((item, taken, choices))
    confirmed = by_status.get("confirmed", 0)
    held = confirmed + by_status.get("pending", 0)
    ok = run.ok(MANAGE_RE)
    outcome = [(r, status_of.get(MANAGE_RE.match(r[3]).group(1))) for r in ok]
    confirmed_ends = [r[1] for r, status in outcome if status == "confirmed"]
    window = max(confirmed_ends) - run.t0 if confirmed_ends else 0.0
    # Latency by outcome: a POST that takes a place writes more (the counter, the
    # reminders) than one that joins the waiting list.
    p99_by_outcome = {
        name: percentile(
            sorted((r[1] - r[0]) * 1000 for r, status in outcome if status == name), 0.99
        )
        for name in ("confirmed", "waitlisted")
        if any(status == name for _r, status in outcome)
    }
    extra = {
        "by_status": by_status,
        "capacity": capacity,
        "places_taken": places_taken,
        "oversold": max(0, held - capacity),
        "counter_ok": places_taken == held,
        "rows": sum(by_status.values()),
        "emails": emails,
        "answered_302": len(ok),
        "workshops": workshops,
        "workshops_ok": all(taken == choices for _item, taken, choices in workshops),
        "p99_by_outcome": p99_by_outcome,
    }
    return figures_of(run, MANAGE_RE, confirmed, window, extra)


def floor_figures(args, run: Run, prefix: str) -> Figures:
    with bench_db(args) as conn:
        (rows,) = conn.execute(
            "SELECT count(*) FROM bench_floor WHERE email LIKE %s", [prefix + "%"]
        ).fetchone()
    return figures_of(run, FLOOR_RE, rows, run.elapsed)


# --- report ----------------------------------------------------------------------------


def spread(values: list[float], fmt: str = "{:,.0f}") -> str:
    if len(values) == 1:
        return fmt.format(values[0])
    return (
        f"{fmt.format(statistics.median(values))}"
        f" ({fmt.format(min(values))}–{fmt.format(max(values))})"
    )


def print_run(number: int, label: str, f: Figures) -> None:
    line = (
        f"run {number} {label:<12} answered {f.attempts - f.errors.get('not attempted', 0):>6,}"
        f"  errors {f.error_count:>4}  elapsed {f.elapsed:6.1f} s"
        f"  attempts/min {f.attempts_per_minute:>8,.0f}"
    )
    if label in ("registration", "minimum"):
        line += f"  confirmed {f.rows:,} in {f.window:.1f} s = {f.rows_per_minute:,.0f}/min"
    else:
        line += f"  rows {f.rows:,} = {f.rows_per_minute:,.0f}/min"
    line += f"  p50 {f.p50:.0f}  p95 {f.p95:.0f}  p99 {f.p99:.0f}  max {f.p_max:.0f} ms"
    if label in ("registration", "minimum"):
        e = f.extra
        line += (
            f"  oversold {e['oversold']}  counter {e['places_taken']}"
            f" {'==' if e['counter_ok'] else '!='} held"
        )
        if e["p99_by_outcome"]:
            line += "  p99 by outcome: " + ", ".join(
                f"{name} {value:.0f} ms" for name, value in e["p99_by_outcome"].items()
            )
    print(line, flush=True)
    for error, count in f.errors.most_common(5):
        print(f"      {count} x {error[:200]}")
    if f.reconnects:
        print(f"      {f.reconnects} keep-alive connections closed by the server were reopened")


def machine_facts(args) -> list[str]:
    import django

    with bench_db(args) as conn:
        (pg_version,) = conn.execute("SHOW server_version").fetchone()
        (sync_commit,) = conn.execute("SHOW synchronous_commit").fetchone()
    gunicorn_version = subprocess.run(
        [GUNICORN, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if args.redis:
        import redis

        info = redis.Redis.from_url(args.redis_url).info("server")
        broker = f"Redis {info['redis_version']} ({args.redis_url}) for cache and broker"
    else:
        broker = "no Redis: file cache under the temp folder, filesystem broker"
    return [
        f"machine   {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, {gunicorn_version}",
        f"commit    {commit}{' + uncommitted changes' if dirty else ''}",
        f"database  PostgreSQL {pg_version} on 127.0.0.1 (database {args.database},"
        f" synchronous_commit={sync_commit}, CONN_MAX_AGE=60)",
        f"cache     {broker}",
    ]


def report(args, server: Server, runs: list[tuple[Figures, Figures | None]]) -> int:
    registration = [r for r, _f in runs]
    floors = [f for _r, f in runs if f is not None]
    print()
    print(f"=== summary over {len(runs)} run(s): median (min–max) ===")
    head = f"{'':34}{'registration':>26}{'floor':>26}{'ratio':>8}"
    print(head)

    def row(name, reg_values, floor_values=None, fmt="{:,.0f}", ratio=False):
        left = spread(reg_values, fmt)
        right = spread(floor_values, fmt) if floor_values else ""
        r = ""
        if ratio and floor_values:
            r = f"{statistics.median(reg_values) / statistics.median(floor_values):.2f}"
        print(f"{name:34}{left:>26}{right:>26}{r:>8}")

    row("attempts per run", [r.attempts for r in registration], [f.attempts for f in floors])
    row(
        "errors (not a 302 to the result)",
        [r.error_count for r in registration],
        [f.error_count for f in floors],
    )
    row("elapsed (s)", [r.elapsed for r in registration], [f.elapsed for f in floors], "{:.1f}")
    row(
        "attempts answered per minute",
        [r.attempts_per_minute for r in registration],
        [f.attempts_per_minute for f in floors],
        ratio=True,
    )
    row(
        "confirmed/min (reg) | rows/min (floor)",
        [r.rows_per_minute for r in registration],
        [f.rows_per_minute for f in floors],
        ratio=True,
    )
    row("  confirmed | rows", [r.rows for r in registration], [f.rows for f in floors])
    row(
        "  counted over (s)",
        [r.window for r in registration],
        [f.window for f in floors],
        "{:.1f}",
    )
    row("p50 latency (ms)", [r.p50 for r in registration], [f.p50 for f in floors], "{:.0f}")
    row("p95 latency (ms)", [r.p95 for r in registration], [f.p95 for f in floors], "{:.0f}")
    row("p99 latency (ms)", [r.p99 for r in registration], [f.p99 for f in floors], "{:.0f}")
    row("max latency (ms)", [r.p_max for r in registration], [f.p_max for f in floors], "{:.0f}")
    row("oversold places", [r.extra["oversold"] for r in registration])
    row(
        "waiting list",
        [r.extra["by_status"].get("waitlisted", 0) for r in registration],
    )
    keys = sorted({key for r in registration for key in r.cpu})
    if keys:
        print(f"CPU used during the run, in cores (the machine has {os.cpu_count()}):")
        for key in keys:
            row(
                f"  {key}",
                [r.cpu.get(key, 0) for r in registration],
                [f.cpu.get(key, 0) for f in floors],
                "{:.2f}",
            )

        def per_post(f: Figures, who: tuple[str, ...]) -> float:
            return sum(f.cpu.get(key, 0) for key in who) * 60 / f.attempts_per_minute * 1000

        server_side = ("gunicorn", "postgres (bench backends)", "redis")
        row(
            "CPU ms per POST: gunicorn",
            [per_post(r, server_side[:1]) for r in registration],
            [per_post(f, server_side[:1]) for f in floors],
            "{:.1f}",
            ratio=True,
        )
        row(
            "  + postgres backends + redis",
            [per_post(r, server_side) for r in registration],
            [per_post(f, server_side) for f in floors],
            "{:.1f}",
            ratio=True,
        )
        others = max(f.cpu.get("~ other processes", 0) for f in [*registration, *floors])
        if others > 0.2:
            print(
                f"NOTE: other processes used up to {others:.2f} cores during a run: the machine"
                " was shared, throughput and latency are lower than on a quiet machine"
                " (CPU ms per POST is not affected much)."
            )

    confirmed_per_minute = statistics.median(r.rows_per_minute for r in registration)
    p99 = statistics.median(r.p99 for r in registration)
    oversold = max(r.extra["oversold"] for r in registration)
    consistent = all(r.extra["counter_ok"] and r.extra["workshops_ok"] for r in registration)
    print()
    print("=== targets ===")

    def verdict(passed: bool, text: str) -> None:
        print(f"{'PASS' if passed else 'FAIL'}  {text}")

    verdict(
        confirmed_per_minute >= TARGET_CONFIRMED_PER_MINUTE,
        f"confirmed per minute on one event >= {TARGET_CONFIRMED_PER_MINUTE:,}:"
        f" {confirmed_per_minute:,.0f}",
    )
    if floors:
        floor_rows = statistics.median(f.rows_per_minute for f in floors)
        ratio = confirmed_per_minute / floor_rows
        verdict(
            ratio >= TARGET_FLOOR_RATIO,
            f"at least {TARGET_FLOOR_RATIO:.0%} of the floor's throughput:"
            f" {confirmed_per_minute:,.0f} / {floor_rows:,.0f} = {ratio:.2f}"
            f" (attempts/min ratio"
            f" {statistics.median(r.attempts_per_minute for r in registration) / statistics.median(f.attempts_per_minute for f in floors):.2f})",  # noqa: E501
        )
    else:
        print("----  floor not measured (--skip-floor)")
    verdict(p99 < TARGET_P99_MS, f"p99 latency < {TARGET_P99_MS} ms: {p99:.0f} ms")
    verdict(oversold == 0, f"0 oversold: {oversold}")
    verdict(consistent, "counters equal their rows (event places_taken, workshop places_taken)")
    errors = sum(r.error_count for r in registration) + sum(f.error_count for f in floors)
    verdict(errors == 0, f"every POST answered by a 302 to its result page: {errors} errors")
    return 0 if oversold == 0 and consistent else 1


def report_minimum(runs: list[tuple[Figures, Figures | None]], minimums: list[Figures]) -> None:
    """The second reference beside the floor: how far the rules' own work takes a
    registration from the floor, whatever the code that does it."""
    registration = [r for r, _f in runs]
    floors = [f for _r, f in runs if f is not None]
    server_side = ("gunicorn", "postgres (bench backends)", "redis")

    def cpu_ms(f: Figures) -> float:
        return sum(f.cpu.get(key, 0) for key in server_side) * 60 / f.attempts_per_minute * 1000

    print()
    print("=== the least a registration must do (bench/floor.py minimum), same POST ===")
    print(f"{'':34}{'minimum':>26}{'registration':>26}{'floor':>26}")
    for name, of, fmt in (
        ("confirmed/min | rows/min", lambda f: f.rows_per_minute, "{:,.0f}"),
        ("attempts answered per minute", lambda f: f.attempts_per_minute, "{:,.0f}"),
        ("p99 latency (ms)", lambda f: f.p99, "{:.0f}"),
        ("CPU ms per POST (server, PG, Redis)", cpu_ms, "{:.1f}"),
    ):
        print(
            f"{name:34}{spread([of(f) for f in minimums], fmt):>26}"
            f"{spread([of(f) for f in registration], fmt):>26}"
            + (f"{spread([of(f) for f in floors], fmt):>26}" if floors else "")
        )
    oversold = max(f.extra["oversold"] for f in minimums)
    errors = sum(f.error_count for f in minimums)
    print(f"minimum: oversold {oversold}, errors {errors}")
    for name, figures in (("minimum", minimums), ("registration", registration)):
        print(
            f"{name}: outbox rows written "
            + ", ".join(
                f"{f.extra['emails']:,} for {f.extra['rows']:,} registrations" for f in figures
            )
        )
    minimum = statistics.median(f.rows_per_minute for f in minimums)
    reached = statistics.median(r.rows_per_minute for r in registration)
    print(f"registration / minimum: {reached / minimum:.2f}")
    if floors:
        floor_rows = statistics.median(f.rows_per_minute for f in floors)
        print(
            f"minimum / floor: {minimum / floor_rows:.2f} (the issue's target for the"
            f" registration is {TARGET_FLOOR_RATIO:.2f})"
        )


# --- main ------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    if args.setup:
        print(json.dumps(create_data(json.loads(args.setup))))
        return 0

    # One run at a time per database: a second one would drop the first one's database.
    guard = open(Path(tempfile.gettempdir()) / f"{args.database}.lock", "w")  # noqa: SIM115
    try:
        fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"another benchmark is using database {args.database}: wait for it to finish")
    workdir = Path(tempfile.mkdtemp(prefix="rencontres-bench-"))
    port = free_port()
    env = server_env(args, workdir, port)
    run_id = secrets.token_hex(3)
    server = None
    try:
        print(f"preparing database {args.database} ...", flush=True)
        recreate_database(args.database)
        clean_redis(args)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        data_json = subprocess.run(
            [
                PYTHON,
                str(Path(__file__).resolve()),
                "--setup",
                json.dumps(
                    {
                        "places": args.places,
                        "runs": args.runs,
                        "workshop": args.workshop,
                        "minimum": args.minimum,
                    }
                ),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        data = json.loads(data_json.strip().splitlines()[-1])

        server = Server(args, env, port, workdir)
        server.wait_ready()
        print()
        for line in machine_facts(args):
            print(line)
        print(
            "server    "
            + " ".join(server.command[1:]).replace(f"{HOST}:{port}", "127.0.0.1:<port>")
            + " (DJANGO_SETTINGS_MODULE=bench.settings, DEBUG=0, no access log)"
            * (not args.access_log)
        )
        workshop_text = (
            "one slot of two workshops (capacity = places each), alternating"
            if args.workshop
            else "no workshops"
        )
        print(
            f"event     capacity {args.places:,}, registration open, {workshop_text};"
            f" REGISTRATION_RATE_LIMIT={args.rate_limit}"
        )
        print(
            f"load      {args.clients} clients (threads, keep-alive,"
            f" {'one address' if args.one_ip else 'one loopback address each'}),"
            f" {args.attempts:,} POSTs per run, {args.runs} run(s)"
        )

        register_path = "/en/events/{slug}/register/"
        warmup = args.warmup or max(20 * args.workers * args.threads, 2 * args.clients)
        print(f"warm-up   {warmup} registrations and {warmup} floor rows ...", flush=True)
        common = {"port": port, "clients": args.clients, "one_ip": args.one_ip}
        warmups = [
            ("warm-up", register_path.format(slug=data["warmup"]["slug"]), None),
            ("warm-up floor", "/floor/", []),
        ]
        if args.minimum:
            warmups.append(("warm-up minimum", f"/floor/minimum/{data['warmup']['id']}/", []))
        for label, path, workshops in warmups:
            drive(
                label=label,
                attempts=warmup,
                path=path,
                form_path=path,
                fields=FORM_FIELDS,
                email_prefix=f"warmup-{run_id}-{label[-5:]}-",
                workshops=data["warmup"]["workshops"] if workshops is None else workshops,
                **common,
            )
        print()

        cpu = (server.process.pid, args.database)

        def measured(label: str, path: str, email_prefix: str, workshops: list) -> Run:
            return drive(
                label=label,
                attempts=args.attempts,
                path=path,
                form_path=path,
                fields=FORM_FIELDS,
                email_prefix=email_prefix,
                workshops=workshops,
                cpu=cpu,
                **common,
            )

        results = []
        minimums = []
        for number, event in enumerate(data["runs"], start=1):
            path = register_path.format(slug=event["slug"])
            run = measured("registration", path, f"bench-{run_id}-{number}-", event["workshops"])
            if run.setup_failures:
                print(f"      {len(run.setup_failures)} clients could not load the form:")
                for failure in Counter(run.setup_failures).most_common(3):
                    print(f"      {failure}")
            registration = registration_figures(args, run, event)
            print_run(number, "registration", registration)
            floor = None
            if not args.skip_floor:
                prefix = f"floor-{run_id}-{number}-"
                run = measured("floor", "/floor/", prefix, [])
                floor = floor_figures(args, run, prefix)
                print_run(number, "floor", floor)
            if event["minimum"]:
                path = f"/floor/minimum/{event['minimum']['id']}/"
                run = measured("minimum", path, f"minimum-{run_id}-{number}-", [])
                minimums.append(registration_figures(args, run, event["minimum"]))
                print_run(number, "minimum", minimums[-1])
            results.append((registration, floor))
        status = report(args, server, results)
        if minimums:
            report_minimum(results, minimums)
        if args.profile:
            server.stop()  # the workers write what they measured as they exit
            profiling.report(workdir / "profile")
        return status
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept database {args.database} and {workdir}")
        else:
            drop_database(args.database)
            clean_redis(args)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
