"""The one harness of every benchmark in ``bench/``: a script says what it seeds, what it
drives and what it prints; this module does the rest, the same way for all of them.

- ``Stack``: a PostgreSQL database of the benchmark's own (dropped and created again,
  migrated, dropped at the end unless ``--keep``), its own Redis database (flushed before
  and after), the environment of a production process (DEBUG off), gunicorn and Celery
  workers started in their own process groups and stopped at the end, Django set up in
  this process for seeding with the models;
- ``Browser`` and ``load``: loopback clients (127.0.0.1, or 127.1.x.y to look like
  distinct people to the per-address rate limits) with keep-alive connections and
  cookies, in several processes of several threads, bounded by a number of requests and
  a time limit;
- ``Figures``, ``verdict`` and ``record``: the figures of each drive
  (requests per second, latency percentiles, errors), PASS/FAIL lines against targets,
  and a JSON line per run appended to ``--record`` when asked.

Scripts use only the application's public behaviour: HTTP, management commands, Celery
tasks by name, and the models to seed data and count rows.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import http.client
import json
import math
import multiprocessing
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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
HOST = "127.0.0.1"
PORTS = range(8200, 8251)  # the ports this project's benchmarks may listen on
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def arguments(name: str, description: str, **options: tuple) -> argparse.Namespace:
    """The command line: the options every benchmark has, and the script's own, each
    given as ``name=(default, help)`` (its type is the default's; False: a flag)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=f"bench_bench_{name}", help="created and dropped")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3", help="flushed")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp folder")
    parser.add_argument("--record", type=Path, help="append the figures as a JSON line here")
    for option, (default, text) in options.items():
        flag = "--" + option.replace("_", "-")
        if default is False:
            parser.add_argument(flag, action="store_true", help=text)
        else:
            parser.add_argument(flag, type=type(default), default=default, help=text)
    return parser.parse_args()


# --- processes and data ---------------------------------------------------------------------


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind((HOST, port))
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Process:
    """A child in its own process group, its output in a log file; stopped as a group."""

    def __init__(self, name: str, command: list[str], *, env: dict, workdir: Path):
        self.name, self.command = name, command
        self.log_path = workdir / f"{name}.log"
        with self.log_path.open("wb") as log:
            self.popen = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def log(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_for(self, ready: Callable[[], bool], timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if self.popen.poll() is not None:
                sys.exit(f"{self.name} exited:\n{self.log()}")
            if time.monotonic() > deadline:
                sys.exit(f"{self.name} not ready after {timeout:.0f} s:\n{self.log()}")
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the processes of its group (gunicorn's workers...)."""
        total = 0
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError):
                    fields = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()
                    if int(fields[2]) == self.popen.pid:
                        total += int(fields[11]) + int(fields[12])
        return total / CLOCK_TICKS

    def stop(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent not idle since boot (all cores)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS


class Stack:
    """The benchmark's own database, Redis database, processes and temp folder.

    ``with Stack(args, **env) as stack:`` prepares a migrated database and sets Django up in
    this process on it; everything is stopped and removed on the way out.
    """

    def __init__(self, args, *, redis: bool = True, **env: str):
        self.args, self.redis = args, redis
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{args.database}-"))
        self.port = free_port()
        self.processes: list[Process] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
            SECRET_KEY=secrets.token_urlsafe(40),
            DEBUG="0",
            SECURE_SSL_REDIRECT="0",
            ALLOWED_HOSTS=f"{HOST},testserver",
            SITE_URL=f"http://{HOST}:{self.port}",
            VAR_DIR=str(self.workdir / "var"),
            STATIC_ROOT=str(self.workdir / "static"),
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        if redis:
            self.env["REDIS_URL"] = args.redis_url
        self.env.update(env)

    def __enter__(self) -> Stack:
        # One run per database at a time: a second one would drop the first one's data.
        self.guard = (Path(tempfile.gettempdir()) / f"{self.args.database}.lock").open("w")
        try:
            fcntl.flock(self.guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.exit(f"another benchmark is using database {self.args.database}")
        print(f"preparing database {self.args.database} ...", flush=True)
        self.admin(f'DROP DATABASE IF EXISTS "{self.args.database}" WITH (FORCE)')
        self.admin(f'CREATE DATABASE "{self.args.database}"')
        self.flush_redis()
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        os.environ.update(self.env)
        import django

        django.setup()
        return self

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            process.stop()
        from django.db import connections

        connections.close_all()
        if self.args.keep:
            print(f"kept database {self.args.database} and {self.workdir}")
            return
        self.admin(f'DROP DATABASE IF EXISTS "{self.args.database}" WITH (FORCE)')
        self.flush_redis()
        shutil.rmtree(self.workdir, ignore_errors=True)

    @staticmethod
    def admin(statement: str) -> None:
        import psycopg

        with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
            connection.execute(statement)

    def flush_redis(self) -> None:
        if self.redis:
            import redis

            redis.Redis.from_url(self.args.redis_url).flushdb()

    @staticmethod
    def vacuum() -> None:
        """VACUUM ANALYZE after seeding: fresh statistics for the planner, and no
        autovacuum of the new rows during the measures."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def manage(self, *arguments: str) -> str:
        done = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            sys.exit(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def gunicorn(self, *, workers: int = 3, threads: int = 1) -> Process:
        command = [
            str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{self.port}",
            "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
        ]  # fmt: skip
        server = Process("gunicorn", command, env=self.env, workdir=self.workdir)
        self.processes.append(server)

        def healthy() -> bool:
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz")
                return connection.getresponse().status == 200
            return False

        server.wait_for(healthy)
        return server

    def celery_workers(self, count: int) -> list[Process]:
        """``count`` solo-pool workers, as the compose file's worker service runs them."""
        started = []
        for number in range(1, count + 1):
            command = [PYTHON, "-m", "celery", "-A", "config", "worker", "-l", "info",
                       "--pool=solo", "-n", f"bench{number}@%h"]  # fmt: skip
            worker = Process(f"worker{number}", command, env=self.env, workdir=self.workdir)
            self.processes.append(worker)
            started.append(worker)
        for worker in started:
            worker.wait_for(lambda worker=worker: " ready." in worker.log(200))
        return started

    def facts(self) -> list[str]:
        """What a figure needs beside it: the machine, the commit, the services."""
        import django
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        with open("/proc/loadavg") as load:
            load_average = load.read().split()[0]
        lines = [
            f"machine   {os.cpu_count()} CPUs (load average {load_average} before the run), "
            f"{platform.platform()}, Python {platform.python_version()}, "
            f"Django {django.get_version()}",
            f"commit    {commit}",
            f"database  PostgreSQL {version} on 127.0.0.1 ({self.args.database})",
        ]
        if self.redis:
            import redis

            info = redis.Redis.from_url(self.args.redis_url).info("server")
            lines.append(f"redis     {info['redis_version']} ({self.args.redis_url})")
        return lines


def queries(path: str, *, user=None, headers=None, data=None, warm=True) -> tuple[int, int]:
    """``(status, SQL queries)`` of one request made in this process through Django's
    test client (the same views and middleware as the server, on the same database), after
    a first one that warms the caches unless ``warm`` is false: gunicorn's processes cannot
    count their queries with DEBUG off."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    method = client.get if data is None else client.post
    if warm:
        method(path, data=data, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = method(path, data=data, headers=headers)
    return response.status_code, len(captured)


def session_cookie(user) -> str:
    """A logged-in session for ``user``, as the login page would make it (stored where
    the server reads sessions): its cookie header."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def create_event(slug: str, *, days_ahead: int = 30, **fields):
    """A published national meeting in Paris, ``days_ahead`` days from now, one day long,
    open for registration now; ``fields`` for the rest (capacity...)."""
    from django.utils import timezone

    from events.models import Event, Organisation, Venue

    host, _new = Organisation.objects.get_or_create(
        slug="reseau", defaults={"name": "Réseau", "country": "FR", "city": "Paris"}
    )
    venue, _new = Venue.objects.get_or_create(
        name="Maison des associations",
        defaults={"address": "12 rue de la Solidarité", "city": "Paris", "country": "FR"},
    )
    now = timezone.now()
    starts = now + timedelta(days=days_ahead)
    values = {
        "slug": slug,
        "kind": Event.Kind.NATIONAL_MEETING,
        "status": Event.Status.PUBLISHED,
        "title_en": f"Meeting {slug}",
        "host": host,
        "venue": venue,
        "timezone": "Europe/Paris",
        "starts_at": starts,
        "ends_at": starts + timedelta(days=1, hours=8),
        "registration_opens_at": now - timedelta(hours=1),
        "registration_closes_at": starts - timedelta(days=1),
        "default_language": "en",
        "languages": ["en"],
    }
    return Event.objects.create(**(values | fields))


def create_registrations(event, count: int, *, languages=("en",)) -> list:
    """``count`` confirmed registrations of ``event``, in turn in each of ``languages``."""
    from django.utils import timezone

    from registrations.models import Registration

    now = timezone.now()
    return Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                status=Registration.Status.CONFIRMED,
                email=f"{event.slug}-{n:05d}@example.org",
                first_name="Participant",
                last_name=f"N°{n}",
                organisation_name="Asociația Exemplu",
                country="RO",
                language=languages[n % len(languages)],
                privacy_consent_version="1",
                privacy_consented_at=now,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )


# --- loopback clients -------------------------------------------------------------------------


class Browser:
    """One person's browser: a keep-alive connection and a cookie jar."""

    def __init__(self, port: int, *, source: str | None = None, cookie: str = ""):
        self.port, self.source = port, (source, 0) if source else None
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; ") if part)
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """``(status, headers, content)``; an idle connection the server closed is reopened
        once, as a browser does."""
        headers = {"Accept-Language": "en", "User-Agent": "rencontres-bench", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=60, source_address=self.source
                )
            reused = self.connection.sock is not None
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if not (reused and attempt == 1):
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content

    def form_token(self, path: str) -> str:
        status, _headers, html = self.request("GET", path)
        match = CSRF_TOKEN.search(html)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path}: {status}, no CSRF token")
        return match.group(1).decode()


def source_address(index: int) -> str:
    """A loopback address of its own per client: distinct people to the rate limits."""
    return f"127.1.{index // 250}.{index % 250 + 1}"


# A client is made by ``make_client(browser, index)`` (a GET of a form, say) and returns
# ``step(n)``: the n-th request of the drive, made with its browser, returning
# ``(kind, ok, note)``: what kind of request it was (for the figures), whether its answer
# was the expected one, and what it was when not (or a value the script wants back).
Step = Callable[[int], tuple[str, bool, str]]
MakeClient = Callable[[Browser, int], Step]


@dataclass
class Sample:
    kind: str
    start: float
    end: float
    ok: bool
    note: str


def _client_process(port, make_client, clients, first, counter, limit, deadline, barrier, pause,
                    source, cookie, results):  # fmt: skip
    samples: list[Sample] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        browser = Browser(port, source=source_address(index) if source else None, cookie=cookie)
        try:
            step = make_client(browser, index)
        except Exception as error:
            samples.append(Sample("setup", 0, 0, False, f"{type(error).__name__}: {error}"))
            step = None
        barrier.wait(timeout=600)
        if pause and step is not None:
            time.sleep(pause(-1))  # people arrive one by one, not all in the same instant
        while step is not None and time.monotonic() < deadline.value:
            with counter.get_lock():
                n = counter.value
                counter.value += 1
            if n >= limit:
                return
            start = time.monotonic()
            try:
                kind, ok, note = step(n)
            except Exception as error:
                kind, ok, note = "error", False, f"{type(error).__name__}: {error}"
            with lock:
                samples.append(Sample(kind, start, time.monotonic(), ok, note))
            if pause:
                time.sleep(pause(n))

    threads = [threading.Thread(target=run, args=(first + i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put([(s.kind, s.start, s.end, s.ok, s.note) for s in samples])


@dataclass
class Drive:
    """What one bounded load left: every sample, the start, and the CPU it used."""

    samples: list[Sample]
    start: float
    seconds: float
    cpu: dict[str, float] = field(default_factory=dict)

    def figures(self, kind: str | None = None) -> Figures:
        chosen = [s for s in self.samples if kind is None or s.kind == kind]
        return Figures.of(chosen, self.seconds)


def load(
    port: int,
    make_client: MakeClient,
    *,
    clients: int,
    requests: int,
    seconds: float,
    processes: int = 2,
    source_addresses: bool = False,
    cookie: str = "",
    pause: Callable[[int], float] | None = None,
    watch: Process | None = None,
) -> Drive:
    """Drive the server with ``clients`` clients (threads spread over ``processes``
    processes) until ``requests`` requests are made or ``seconds`` have passed, whichever
    comes first. ``pause(n)``: think time after the n-th request, and ``pause(-1)`` before a
    client's first one (its arrival, so that clients with a think time do not all start in
    the same instant). ``watch``: a process
    whose CPU (and the machine's) is measured during the drive."""
    from django.db import connections

    connections.close_all()  # the client processes are forks of this one
    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)
    deadline = context.Value("d", math.inf)
    barrier = context.Barrier(clients + 1)
    results = context.Queue()
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    children = []
    first = 0
    for share in shares:
        if share:
            child = context.Process(
                target=_client_process,
                args=(port, make_client, share, first, counter, requests, deadline, barrier,
                      pause, source_addresses, cookie, results),
            )  # fmt: skip
            child.start()
            children.append(child)
            first += share
    barrier.wait(timeout=600)
    start = time.monotonic()
    deadline.value = start + seconds
    cpu_before = (watch.cpu_seconds() if watch else 0.0, machine_busy_seconds())
    collected = [results.get() for _child in children]
    end = time.monotonic()
    for child in children:
        child.join()
    samples = [Sample(*values) for batch in collected for values in batch]
    measured = [s for s in samples if s.kind != "setup"]
    last = max((s.end for s in measured), default=end)
    cpu = {"machine busy (cores)": (machine_busy_seconds() - cpu_before[1]) / (end - start)}
    if watch:
        cpu[f"{watch.name} (cores)"] = (watch.cpu_seconds() - cpu_before[0]) / (end - start)
    return Drive(samples=samples, start=start, seconds=last - start, cpu=cpu)


def percentile(values: list[float], q: float) -> float:
    """Nearest rank on sorted values, q in 0..100."""
    if not values:
        return math.nan
    return values[max(math.ceil(q / 100 * len(values)) - 1, 0)]


@dataclass
class Figures:
    requests: int
    errors: Counter
    seconds: float
    per_second: float
    p50: float
    p95: float
    p99: float
    slowest: float

    @classmethod
    def of(cls, samples: list[Sample], seconds: float) -> Figures:
        measured = [s for s in samples if s.kind != "setup"]
        latencies = sorted((s.end - s.start) * 1000 for s in measured)
        errors = Counter(f"{s.kind}: {s.note[:160]}" for s in samples if not s.ok)
        return cls(
            requests=len(measured),
            errors=errors,
            seconds=seconds,
            per_second=len(measured) / seconds if seconds > 0 else 0.0,
            p50=percentile(latencies, 50),
            p95=percentile(latencies, 95),
            p99=percentile(latencies, 99),
            slowest=latencies[-1] if latencies else math.nan,
        )

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def line(self) -> str:
        return (
            f"{self.requests:>7,} requests in {self.seconds:5.1f} s = {self.per_second:8,.1f}/s"
            f"  p50 {self.p50:5.0f}  p95 {self.p95:5.0f}  p99 {self.p99:5.0f}"
            f"  max {self.slowest:5.0f} ms  errors {self.error_count}"
        )


def print_errors(figures: Figures, most: int = 5) -> None:
    for error, count in figures.errors.most_common(most):
        print(f"          {count} x {error}")


def spread(values: list[float], fmt: str = "{:,.0f}") -> str:
    """``median (min–max)`` of per-run figures."""
    text = fmt.format(statistics.median(values))
    if len(values) > 1:
        text += f" ({fmt.format(min(values))}–{fmt.format(max(values))})"
    return text


def verdict(passed: bool, text: str) -> bool:
    print(f"{'PASS' if passed else 'FAIL'}  {text}", flush=True)
    return passed


def record(args, benchmark: str, figures: dict) -> None:
    """Append the run's figures as one JSON line to ``--record`` (for bench/README.md)."""
    if not args.record:
        return
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    line = {"benchmark": benchmark, "commit": commit, "at": time.strftime("%Y-%m-%d %H:%M")}
    with args.record.open("a") as target:
        target.write(json.dumps({**line, **figures}, default=str) + "\n")
