#!/usr/bin/env python
"""How long do an organiser's CSV and XLSX exports of 20,000 registrations take, how much
memory do they need, and how many SQL queries do they run?

The question, from the issue: 20,000 registrations with 10 custom answers each: print CSV
and XLSX export times, peak memory, and the number of SQL queries; and, in the same run,
a plain ``csv.writer`` over the same rows fetched with one query (the floor), with the
ratio. Targets: CSV at most twice the floor, XLSX of 20,000 rows under 10 s, peak memory
under 300 MB, a query count that does not grow with the number of rows.

What it does, all on 127.0.0.1:

1. drops and recreates its own PostgreSQL database (``rencontres_bench_export``) and
   runs ``manage.py migrate`` in a subprocess, with the production settings (DEBUG off);
2. creates two published national meetings, each with ten questions (two of each kind
   text, single choice, multiple choice, yes/no, and one date, one number; choices have
   options), two workshop slots of three workshops: the big one with ``--rows``
   registrations (20,000), the small one with ``--small-rows`` (5,000). Every
   registration is confirmed, answers all ten questions and picks one workshop per slot;
   about 60 % were present on day one, 40 % on day two. ``places_taken`` of the events
   and workshops is set to the counts. Then ``VACUUM ANALYZE``;
3. runs every measurement in a FRESH child process (``bench/exports.py --child KIND``), so
   that peak memories do not mix: Django is set up and connected first, then the work is
   timed with ``CaptureQueriesContext`` counting the SQL queries, and the child reports
   the wall time, the CPU time of the process, its RSS before the work and its peak RSS
   (``VmHWM`` from /proc: ``ru_maxrss`` is printed too, but Linux carries it over from the
   parent at fork and exec, so it shows this script's own size, not the child's):

   - ``csv``: ``exports.csv_stream(selectors.participant_list(...), exports.choose_columns(
     event, <every column key>))`` encoded to UTF-8 into a file, as the export job does
     (``choose_columns`` is inside the timing: it is part of an export);
   - ``xlsx``: ``exports.xlsx_write(<same>, <same>, target=<file>)``;
   - ``floor``: ONE SQL query (LEFT JOINs on the answer, workshop choice and attendance
     tables, labels looked up in SQL) read with a server-side cursor (``fetchmany(2000)``)
     and written with a plain ``csv.writer``. It writes the same bytes as ``csv`` (checked:
     the two files are compared), so the ratio compares equal work;

   plus, once each: ``csv`` and ``xlsx`` on the small event (the query counts must be
   the same), the export job (``exports_jobs.export_job_build``, CSV, made as the view
   makes it: its total counted, so its progress UPDATEs are counted too) on both events,
   and the same three measurements under ``tracemalloc`` (the Python heap peak; these
   runs are not timed);
4. a breakdown of the CSV time: the database alone (``EXPLAIN (ANALYZE, TIMING OFF)`` of the
   export's query and of the floor's), the ORM reading the export's query
   (``exports.export_query``) as rows of values only, ``export_rows`` (the column values)
   without the CSV writer;
5. prints a table and PASS/FAIL per target; when a time target fails, profiles that export
   with cProfile in a child and prints where the time goes;
6. drops the database (unless ``--keep``) and removes its temporary files.

Usage, from the repository root:

    .venv/bin/python bench/exports.py                 # 20,000 rows, 3 timed runs of each
    .venv/bin/python bench/exports.py --rows 20000 --runs 5
    .venv/bin/python bench/exports.py --keep          # keep the database...
    .venv/bin/python bench/exports.py --reuse --profile xlsx   # ...and profile on it later

What-ifs, measured without touching the checkout: ``--jit off`` sets PostgreSQL's JIT off
for the bench database (``ALTER DATABASE``); ``--pythonpath DIR[:DIR]`` puts DIR first on
the children's path (a patched copy of ``registrations/``, or a library installed with
``pip install --target DIR``). The children start in a scratch directory, not in the
checkout: Celery's Django fix-up puts the working directory first on sys.path.

Exit status 0 whatever the verdicts (they are printed); 1 if the export and the floor do
not write the same CSV or a file has the wrong number of rows.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = "rencontres_bench_export"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
BIG, SMALL = "bench-export-big", "bench-export-small"
FETCH = 2000  # the floor's fetchmany size, the same as exports.CHUNK

TARGET_RATIO = 2.0
TARGET_XLSX_SECONDS = 10.0
TARGET_RSS_MB = 300.0


def environment(var_dir: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "CONN_MAX_AGE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="bench",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DATABASE_URL,
        VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def django_setup() -> None:
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))  # after PYTHONPATH: --pythonpath can shadow an app
    import django

    django.setup()


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))


def drop_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )


def database_exists() -> bool:
    import psycopg

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        )


def set_jit(value: str) -> str:
    """``ALTER DATABASE`` the bench's own database: ``on``/``off``, or ``default`` (the
    server's). Returns the setting a new session gets."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        name = sql.Identifier(DB_NAME)
        if value == "default":
            conn.execute(sql.SQL("ALTER DATABASE {} RESET jit").format(name))
        else:
            conn.execute(sql.SQL("ALTER DATABASE {} SET jit = {}").format(name, sql.SQL(value)))
    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://")) as conn:
        return conn.execute("SHOW jit").fetchone()[0]


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py migrate failed:\n{done.stdout}\n{done.stderr}")


# --- the data -----------------------------------------------------------------------------

FIRST = ["Ana", "Bence", "Zsófi", "Mihai", "Chloé", "João", "Giulia", "Ștefan", "Éva", "Luca"]
LAST = ["Popescu", "Tóth", "Nagy", "Ionescu", "Lefèvre", "Gonçalves", "Rossi", "Kovács",
        "Dumitrescu", "Martin", "Bernard", "Ferreira", "Esposito", "Szabó", "Moreau"]  # fmt: skip
COUNTRIES = ["FR", "RO", "HU", "PT", "IT", "BE", "ES", "DE"]
LANGUAGES = ["en", "fr", "ro", "hu", "pt", "it"]
DIETS = ["", "", "", "vegetarian", "vegan", "no pork", "gluten free", '=HYPERLINK("x")']
TEXTS = [
    "We run a cooperative café and a repair workshop in a small town.",
    "Youth work with newcomers; we want to learn how others fund mobilities.",
    "Cultural centre in a former factory, 12 staff, many volunteers.",
    "-- first time in the network, interested in the training on evaluation",
    "Asociația noastră lucrează cu comunitățile rurale din Transilvania.",
]
QUESTIONS = [  # (kind, label, options)
    ("text", "What does your organisation do?", []),
    ("single", "Which meal do you prefer?", ["Meat", "Fish", "Vegetarian", "Vegan"]),
    ("multiple", "Which topics interest you?",
     ["Funding", "Evaluation", "Volunteers", "Communication", "Governance"]),
    ("yes_no", "Do you need accommodation?", []),
    ("date", "Arrival date", []),
    ("number", "How many people does your organisation employ?", []),
    ("text", "Anything else we should know?", []),
    ("single", "T-shirt size", ["S", "M", "L", "XL"]),
    ("multiple", "Languages you can work in", ["English", "French", "Romanian", "Hungarian"]),
    ("yes_no", "May we take your photograph?", []),
]  # fmt: skip


def build_event(slug: str, rows: int, rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from events.models import Event, Organisation, ProgrammeItem, Venue
    from registrations.models import (
        Answer,
        Attendance,
        Question,
        QuestionOption,
        Registration,
        WorkshopChoice,
    )

    day = timezone.localdate() + timedelta(days=40)
    import zoneinfo

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=paris)
    with transaction.atomic():
        host, _ = Organisation.objects.get_or_create(
            slug="bench-host", defaults={"name": "Réseau des Rencontres", "country": "FR"}
        )
        partners = [
            Organisation.objects.get_or_create(
                slug=f"bench-partner-{n}",
                defaults={"name": f"Partner organisation {n}", "country": COUNTRIES[n]},
            )[0]
            for n in range(6)
        ]
        venue = Venue.objects.create(
            name=f"Venue {slug}", address="221 rue de Belleville", city="Paris", country="FR"
        )
        event = Event.objects.create(
            slug=slug,
            kind=Event.Kind.NATIONAL_MEETING,
            status=Event.Status.PUBLISHED,
            title_en=f"National meeting ({slug})",
            title_fr=f"Rencontre nationale ({slug})",
            host=host,
            venue=venue,
            timezone="Europe/Paris",
            starts_at=starts,
            ends_at=starts + timedelta(days=1, hours=8),
            capacity=rows + 100,
            default_language="en",
            languages=["en", "fr"],
        )
        slots = []
        for hour in (11, 14):
            slot_start = starts.replace(hour=hour)
            slots.append(
                [
                    ProgrammeItem.objects.create(
                        event=event,
                        kind=ProgrammeItem.Kind.WORKSHOP,
                        title_en=f"Workshop {hour}h {letter}",
                        starts_at=slot_start,
                        ends_at=slot_start + timedelta(hours=1, minutes=30),
                    )
                    for letter in "ABC"
                ]
            )
        questions = []
        for position, (kind, label, options) in enumerate(QUESTIONS):
            question = Question.objects.create(
                event=event, kind=kind, label_en=label, position=position
            )
            question.option_ids = [
                str(QuestionOption.objects.create(question=question, label_en=text, position=n).pk)
                for n, text in enumerate(options)
            ]
            questions.append(question)

    registrations = [
        Registration(
            event=event,
            status=Registration.Status.CONFIRMED,
            email=f"person{n}@{slug}.example.org",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            organisation=partners[n % 6] if n % 3 == 0 else None,
            organisation_name="" if n % 3 == 0 else f"Association n°{n % 400}",
            country=rng.choice(COUNTRIES),
            language=rng.choice(LANGUAGES),
            dietary_needs=rng.choice(DIETS),
            accessibility_needs="wheelchair access" if n % 97 == 0 else "",
            listed_publicly=n % 2 == 0,
            privacy_consent_version="1",
            privacy_consented_at=timezone.now(),
        )
        for n in range(rows)
    ]
    batch = 2000
    for start in range(0, rows, batch):
        Registration.objects.bulk_create(registrations[start : start + batch])

    def answer(question, n):
        match question.kind:
            case "text":
                return TEXTS[(n + question.pk) % len(TEXTS)]
            case "single":
                return rng.choice(question.option_ids)
            case "multiple":
                return sorted(rng.sample(question.option_ids, rng.randint(1, 3)))
            case "yes_no":
                return rng.random() < 0.5
            case "date":
                return (day - timedelta(days=rng.randint(0, 2))).isoformat()
            case "number":
                return rng.choice([rng.randint(0, 250), rng.randint(0, 50) + 0.5, -1])
        raise ValueError(question.kind)

    pending = []
    for n, registration in enumerate(registrations):
        pending.extend(
            Answer(registration=registration, question=question, value=answer(question, n))
            for question in questions
        )
        if len(pending) >= 10000:
            Answer.objects.bulk_create(pending)
            pending = []
    Answer.objects.bulk_create(pending)

    choices = [
        WorkshopChoice(
            registration=registration,
            item=slot[rng.randrange(len(slot))],
            status=WorkshopChoice.Status.CONFIRMED,
        )
        for registration in registrations
        for slot in slots
    ]
    WorkshopChoice.objects.bulk_create(choices, batch_size=5000)
    second = event.local_ends_at.date()
    attendance = [
        Attendance(registration=registration, day=when)
        for registration in registrations
        for when, share in ((day, 0.6), (second, 0.4))
        if rng.random() < share
    ]
    Attendance.objects.bulk_create(attendance, batch_size=5000)

    Event.objects.filter(pk=event.pk).update(places_taken=rows)
    for slot in slots:
        for item in slot:
            ProgrammeItem.objects.filter(pk=item.pk).update(
                places_taken=WorkshopChoice.objects.filter(
                    item=item, status=WorkshopChoice.Status.CONFIRMED
                ).count()
            )


def build(rows: int, small_rows: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    rng = random.Random(2024)
    build_event(BIG, rows, rng)
    build_event(SMALL, small_rows, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    return time.perf_counter() - started


# --- what is measured -----------------------------------------------------------------------


def load_event(slug: str):
    from events.models import Event

    return Event.objects.select_related("venue", "host").get(slug=slug)


def all_keys(event) -> list[str]:
    from registrations import exports

    return [column.key for column in exports.available_columns(event, sensitive=True)]


def export_inputs(event, keys):
    from registrations import exports, selectors

    access = selectors.WorkspaceAccess("organiser", None, sees_sensitive_data=True)
    registrations = selectors.participant_list(
        access=access, event=event, filters=selectors.ParticipantFilter()
    )
    return registrations, exports.choose_columns(event, keys, sensitive=True)


def work_csv(event, keys, out: str) -> int:
    from registrations import exports

    registrations, columns = export_inputs(event, keys)
    lines = 0
    with open(out, "wb") as target:
        for chunk in exports.csv_stream(registrations, columns):
            target.write(chunk.encode("utf-8"))
            lines += 1
    return lines - 2  # the byte order mark and the header


def work_xlsx(event, keys, out: str) -> int:
    from registrations import exports

    registrations, columns = export_inputs(event, keys)
    with open(out, "wb") as target:
        exports.xlsx_write(registrations, columns, target, title=event.i18n.title)
    return -1  # counted afterwards, in the parent


def work_orm(event, keys, out: str) -> int:
    """The ORM alone: the export's query (``exports.export_query``) read as rows of plain
    values, no column values."""
    from registrations import exports

    registrations, columns = export_inputs(event, keys)
    query, _cells = exports.export_query(registrations, columns)
    count = 0
    for _registration in query.iterator(chunk_size=FETCH):
        count += 1
    return count


def work_rows(event, keys, out: str) -> int:
    """``export_rows``: instances and column values, no CSV writer."""
    from registrations import exports

    registrations, columns = export_inputs(event, keys)
    count = 0
    for _row in exports.export_rows(registrations, columns):
        count += 1
    return count


def floor_query(event):
    """The floor's SQL: every cell of the export computed by PostgreSQL (labels from JSON
    maps passed as parameters, formula neutralising included), so that Python only writes
    rows. Returns (sql, params, header). Built before the timing: it reads the questions
    and workshops, as ``choose_columns`` does inside the export's timing."""
    from django.utils.translation import gettext as _
    from django_countries import countries

    from events.models import Organisation, ProgrammeItem
    from registrations import exports
    from registrations.models import (
        Answer,
        Attendance,
        Question,
        Registration,
        Role,
        WorkshopChoice,
    )

    columns = exports.available_columns(event, sensitive=True)
    params: dict[str, str] = {
        "tz": event.timezone,
        "yes": _("Yes"),
        "no": _("No"),
        "countries": json.dumps({code: str(name) for code, name in countries}),
        "roles": json.dumps({value: str(label) for value, label in Role.choices}),
        "statuses": json.dumps({value: str(label) for value, label in Registration.Status.choices}),
    }
    joins = []
    cells = {
        "last_name": "r.last_name",
        "first_name": "r.first_name",
        "email": "r.email",
        "organisation": "CASE WHEN r.organisation_id IS NOT NULL THEN o.name "
        "ELSE r.organisation_name END",
        "country": "COALESCE(%(countries)s::jsonb ->> r.country, '')",
        "role": "COALESCE(%(roles)s::jsonb ->> r.role, r.role)",
        "status": "COALESCE(%(statuses)s::jsonb ->> r.status, r.status)",
        "language": "r.language",
        "dietary_needs": "r.dietary_needs",
        "accessibility_needs": "r.accessibility_needs",
        "registered_at": "to_char(r.created_at AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')",
        "listed_publicly": "CASE WHEN r.listed_publicly THEN %(yes)s ELSE %(no)s END",
    }
    slots: dict = {}
    for item in ProgrammeItem.objects.filter(
        event=event, kind=ProgrammeItem.Kind.WORKSHOP
    ).order_by("starts_at", "pk"):
        slots.setdefault(item.starts_at, []).append(item)
    for number, items in enumerate(slots.values(), start=1):
        alias = f"w{number}"
        ids = ", ".join(str(item.pk) for item in items)
        params[f"titles{number}"] = json.dumps({str(item.pk): item.i18n.title for item in items})
        joins.append(
            f"LEFT JOIN {WorkshopChoice._meta.db_table} {alias} "
            f"ON {alias}.registration_id = r.id AND {alias}.item_id IN ({ids})"
        )
        cells[f"workshop_{number}"] = (
            f"COALESCE(%(titles{number})s::jsonb ->> {alias}.item_id::text, '')"
        )
    for question in Question.objects.filter(event=event).prefetch_related("options"):
        alias = f"a{question.pk}"
        joins.append(
            f"LEFT JOIN {Answer._meta.db_table} {alias} "
            f"ON {alias}.registration_id = r.id AND {alias}.question_id = {question.pk}"
        )
        value = f"{alias}.value"
        text = f"({value} #>> '{{}}')"
        options = f"%(options{question.pk})s::jsonb"
        params[f"options{question.pk}"] = json.dumps(
            {str(option.pk): option.i18n.label for option in question.options.all()}
        )
        match question.kind:
            case Question.Kind.SINGLE:
                cell = f"COALESCE({options} ->> {text}, {text})"
            case Question.Kind.MULTIPLE:
                cell = (
                    f"(SELECT string_agg(COALESCE({options} ->> e.v, e.v), ', ' ORDER BY e.n) "  # noqa: S608 (ids and aliases made here)
                    f"FROM jsonb_array_elements_text({value}) WITH ORDINALITY AS e(v, n))"
                )
            case Question.Kind.YES_NO:
                cell = (
                    f"CASE WHEN {value} IS NULL THEN NULL "
                    f"WHEN {value} = 'true'::jsonb THEN %(yes)s ELSE %(no)s END"
                )
            case _:  # text, date, number: the JSON scalar as text
                cell = text
        cells[f"question_{question.pk}"] = f"COALESCE({cell}, '')"
    for day in exports.event_days(event):
        alias = f"p{day:%Y%m%d}"
        joins.append(
            f"LEFT JOIN {Attendance._meta.db_table} {alias} ON {alias}.registration_id = r.id "
            f"AND {alias}.day = DATE '{day.isoformat()}' AND {alias}.item_id IS NULL"
        )
        cells[f"present_{day:%Y%m%d}"] = f"CASE WHEN {alias}.id IS NULL THEN '' ELSE %(yes)s END"

    keys = [column.key for column in columns]
    missing = [key for key in keys if key not in cells]
    if missing:
        raise SystemExit(f"the floor does not know the export's columns {missing}")
    inner = ",\n  ".join(f"{cells[key]} AS c{n}" for n, key in enumerate(keys))
    # The formula check reads each cell once: the inner query (kept apart by OFFSET 0)
    # computes the cells, the outer one prefixes those that start like a formula.
    outer = ",\n  ".join(
        f"CASE WHEN left(c{n}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        f"THEN '''' || c{n} ELSE c{n} END"
        for n in range(len(keys))
    )
    sql = (
        f"SELECT\n  {outer}\nFROM (\nSELECT\n  {inner}\n"
        f"FROM {Registration._meta.db_table} r\n"
        f"LEFT JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id\n"
        + "\n".join(joins)
        + f"\nWHERE r.event_id = {event.pk}\n"
        "ORDER BY r.last_name, r.first_name, r.id\nOFFSET 0\n) AS cells"
    )
    header = [exports.neutralise(column.label) for column in columns]
    return sql, params, header


def work_floor(event, keys, out: str, prepared) -> int:
    import csv

    from django.db import connection

    sql, params, header = prepared
    count = 0
    with open(out, "w", encoding="utf-8", newline="") as target:
        target.write("\ufeff")
        writer = csv.writer(target)
        writer.writerow(header)
        cursor = connection.chunked_cursor()  # a server-side cursor, as .iterator() uses
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(FETCH):
                writer.writerows(rows)
                count += len(rows)
        finally:
            cursor.close()
    return count


def work_job(event, keys, out: str) -> int:
    """The export job a worker runs for a large export (CSV), progress updates included."""
    from django.contrib.auth import get_user_model

    from registrations import exports_jobs, selectors
    from registrations.models import ExportJob

    user = get_user_model().objects.get(username="bench-organiser")
    registrations = selectors.participant_list(
        access=selectors.WorkspaceAccess("organiser", None),
        event=event,
        filters=selectors.ParticipantFilter(),
    )
    job = ExportJob.objects.create(  # as the view makes it: the total counted
        event=event,
        requested_by=user,
        format="csv",
        columns=keys,
        total=registrations.count(),
        query={},
    )
    outcome = exports_jobs.export_job_build(job_id=job.pk)
    if outcome != "done":
        raise SystemExit(f"the export job ended {outcome}")
    return -1


WORK = {
    "csv": work_csv,
    "xlsx": work_xlsx,
    "floor": work_floor,
    "orm": work_orm,
    "rows": work_rows,
    "job": work_job,
}


def proc_status_mb(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (the peak) of this process, from /proc. The peak is
    read there rather than from ``ru_maxrss``: Linux carries ``ru_maxrss`` over a fork and
    exec, so a child started by a big parent would report the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(args) -> None:
    """One measurement, in a fresh process; prints ``RESULT <json>``."""
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = load_event(args.event)
    keys = all_keys(event)
    prepared = floor_query(event) if args.child == "floor" else None
    if args.child == "job":
        from django.contrib.auth import get_user_model

        get_user_model().objects.get_or_create(
            username="bench-organiser",
            defaults={"email": "organiser@example.org", "is_superuser": True},
        )
    if args.child == "xlsx":
        import xlsxwriter  # noqa: F401 (imported by xlsx_write; its import is not the export)
    connection.ensure_connection()
    work = WORK[args.child]
    call = (
        (lambda: work(event, keys, args.out, prepared))
        if prepared
        else (lambda: work(event, keys, args.out))
    )
    gc.collect()
    rss_before = proc_status_mb("VmRSS")
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hwm_before = proc_status_mb("VmHWM")
    profiler = None
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu_started = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        rows = call()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler:
        profiler.disable()
    heap_peak = None
    if args.tracemalloc:
        heap_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result = {
        "kind": args.child,
        "event": args.event,
        "seconds": seconds,
        "cpu": cpu,
        "rows": rows,
        "queries": len(queries.captured_queries),
        "query_sql": [query["sql"][:160] for query in queries.captured_queries],
        "rss_before_mb": rss_before,
        "maxrss_before_mb": maxrss_before,
        "hwm_before_mb": hwm_before,
        "peak_rss_mb": proc_status_mb("VmHWM"),
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "heap_peak_mb": heap_peak,
    }
    if profiler:
        import io
        import pstats

        for order in ("tottime", "cumulative"):
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order)
            stats.print_stats(args.profile)
            text = stream.getvalue()
            result[f"profile_{order}"] = text[text.find("   ncalls") :]
    print("RESULT " + json.dumps(result), flush=True)


# --- the parent -----------------------------------------------------------------------------


def spawn(env, kind: str, slug: str, out: Path, *, tracemalloc=False, profile=0) -> dict:
    command = [PYTHON, str(Path(__file__).resolve()), "--child", kind, "--event", slug,
               "--out", str(out)]  # fmt: skip
    if tracemalloc:
        command.append("--tracemalloc")
    if profile:
        command += ["--profile-lines", str(profile)]
    # Not started in the checkout: Celery's Django fix-up puts the working directory first
    # on sys.path, which would hide a --pythonpath copy of an app.
    done = subprocess.run(
        command, cwd=env["VAR_DIR"], env=env, capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.exit(f"child {kind} on {slug} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return json.loads(lines[-1][len("RESULT ") :])


def explain_ms(slug: str) -> dict[str, float]:
    """PostgreSQL's own execution time of the export's query and of the floor's."""
    from django.db import connection

    from registrations import exports

    event = load_event(slug)
    keys = all_keys(event)
    registrations, columns = export_inputs(event, keys)
    query, _cells = exports.export_query(registrations, columns)

    def execution_time(plan: str) -> float:
        for line in plan.splitlines():
            if "Execution Time" in line:
                return float(line.split(":")[1].split()[0])
        return float("nan")

    export_plan = query.explain(analyze=True, timing=False)
    sql, params, _header = floor_query(event)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
        floor_plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "export": execution_time(export_plan),
        "floor": execution_time(floor_plan),
        "export_plan": export_plan,
    }


def xlsx_rows(path: Path) -> int:
    """Rows in the sheet, read from the file's XML without loading it."""
    pattern = b"<row "
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        count, tail = 0, b""
        with archive.open(name) as sheet:
            while block := sheet.read(1 << 20):
                data = tail + block
                count += data.count(pattern)
                tail = data[-(len(pattern) - 1) :]
    return count - 1  # the header


def csv_rows(path: Path) -> int:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as source:
        return sum(1 for _ in csv.reader(source)) - 1


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first_difference(a: Path, b: Path) -> str:
    with (
        open(a, encoding="utf-8", newline="") as left,
        open(b, encoding="utf-8", newline="") as right,
    ):
        for number, (x, y) in enumerate(zip(left, right, strict=False), start=1):
            if x != y:
                return f"line {number}:\n  export: {x!r}\n  floor:  {y!r}"
    return "one file is longer"


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    if len(values) == 1:
        return fmt.format(values[0])
    return (
        f"{fmt.format(statistics.median(values))} "
        f"(min {fmt.format(min(values))}, max {fmt.format(max(values))})"
    )


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    return version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20000, help="registrations (big event)")
    parser.add_argument("--small-rows", type=int, default=5000, help="the small event")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each export")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument(
        "--profile",
        choices=["csv", "xlsx", "floor"],
        action="append",
        default=[],
        help="profile this export with cProfile (repeatable)",
    )
    parser.add_argument("--no-breakdown", action="store_true")
    parser.add_argument(
        "--jit",
        choices=["default", "on", "off"],
        default="default",
        help="PostgreSQL's JIT for the bench database (a what-if; default: the server's)",
    )
    parser.add_argument(
        "--pythonpath",
        default="",
        help="put DIR first on the children's PYTHONPATH (a what-if: a patched app copy, "
        "a library installed elsewhere)",
    )
    # in a child
    parser.add_argument("--child", choices=sorted(WORK), help=argparse.SUPPRESS)
    parser.add_argument("--event", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-lines", dest="profile_lines", type=int, default=0,
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args()
    if args.child:
        args.profile = args.profile_lines
        child(args)
        return

    var_dir = tempfile.mkdtemp(prefix="bench-exports-")
    env = environment(var_dir)
    os.environ.update(env)
    if args.pythonpath:
        env = {**env, "PYTHONPATH": f"{args.pythonpath}{os.pathsep}{env['PYTHONPATH']}"}
    work = Path(var_dir) / "files"
    work.mkdir()
    status = 0
    try:
        built = None
        if args.reuse and database_exists():
            print(f"reusing database {DB_NAME}")
        else:
            recreate_database()
            migrate(env)
        django_setup()
        import django

        from registrations.models import Answer, Registration

        if not Registration.objects.filter(event__slug=BIG).exists():
            built = build(args.rows, args.small_rows)
        rows = Registration.objects.filter(event__slug=BIG).count()
        small_rows = Registration.objects.filter(event__slug=SMALL).count()
        answers = Answer.objects.filter(registration__event__slug=BIG).count()
        version = postgres_version()
        jit = set_jit(args.jit)
        from django.db import connection

        with connection.cursor() as cursor:  # config/settings.py passes -c jit=off
            cursor.execute("SHOW jit")
            (django_jit,) = cursor.fetchone()

        connection.close()

        print("Exports of a participant list: CSV, XLSX and the floor")
        print(
            f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
            f"{platform.python_version()}, Django {django.get_version()}, "
            f"PostgreSQL {version} on 127.0.0.1 (database {DB_NAME}, jit={jit} for a plain "
            f"session, {django_jit} in Django's connections, which every measurement uses), "
            "DEBUG off"
        )
        print(
            f"data: {rows:,} confirmed registrations ({answers:,} answers, 10 questions "
            f"of 6 kinds, 2 workshop slots, attendance on 2 days), small event {small_rows:,}"
            + (f"; built in {built:.0f} s" if built else "")
        )
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.pythonpath:
            print(f"WHAT-IF: children run with PYTHONPATH starting {args.pythonpath}")
        keys_count = len(column_keys())
        print(f"columns: all {keys_count} of available_columns (12 + 2 workshops + 10 "
              f"questions + 2 days); each figure from a fresh child process")  # fmt: skip

        # Warm up the database's cache (and the OS's) with one untimed run of each.
        spawn(env, "csv", BIG, work / "warm.csv")
        spawn(env, "floor", BIG, work / "warm-floor.csv")

        results: dict[str, list[dict]] = {"csv": [], "xlsx": [], "floor": []}
        for run in range(args.runs):
            for kind in ("floor", "csv", "xlsx"):
                suffix = "xlsx" if kind == "xlsx" else "csv"
                results[kind].append(spawn(env, kind, BIG, work / f"{kind}-{run}.{suffix}"))
        small_csv = spawn(env, "csv", SMALL, work / "small.csv")
        small_xlsx = spawn(env, "xlsx", SMALL, work / "small.xlsx")
        jobs = {slug: spawn(env, "job", slug, work / f"job-{slug}") for slug in (SMALL, BIG)}
        heap = {
            kind: spawn(env, kind, BIG, work / f"heap-{kind}", tracemalloc=True)
            for kind in ("floor", "csv", "xlsx")
        }

        # Correctness: the same bytes from the export and the floor, every row present.
        same = sha256(work / "csv-0.csv") == sha256(work / "floor-0.csv")
        counted = {
            "csv": csv_rows(work / "csv-0.csv"),
            "floor": csv_rows(work / "floor-0.csv"),
            "xlsx": xlsx_rows(work / "xlsx-0.xlsx"),
            "small csv": csv_rows(work / "small.csv"),
        }

        breakdown = {}
        if not args.no_breakdown:
            plans = explain_ms(BIG)
            connection.close()
            breakdown = {
                "orm": [spawn(env, "orm", BIG, work / "orm") for _ in range(args.runs)],
                "rows": [spawn(env, "rows", BIG, work / "rows") for _ in range(args.runs)],
                "plans": plans,
            }

        # --- the report ---------------------------------------------------------------------
        def med(kind, field="seconds"):
            return statistics.median(r[field] for r in results[kind])

        print()
        print(f"{args.runs} timed runs of each (median, min–max), {rows:,} rows")
        head = f"{'':<7}{'wall seconds':>28}{'CPU s':>7}{'rows/s':>8}{'queries':>8}" \
               f"{'RSS before':>11}{'peak RSS':>10}{'heap peak':>11}"  # fmt: skip
        print(head)
        for kind in ("floor", "csv", "xlsx"):
            times = [r["seconds"] for r in results[kind]]
            cpu = statistics.median(r["cpu"] for r in results[kind])
            queries = sorted({r["queries"] for r in results[kind]})
            print(
                f"{kind:<7}{spread(times):>28}{cpu:>7.2f}{rows / statistics.median(times):>8,.0f}"
                f"{'/'.join(map(str, queries)):>8}"
                f"{max(r['rss_before_mb'] for r in results[kind]):>8.0f} MB"
                f"{max(r['peak_rss_mb'] for r in results[kind]):>7.0f} MB"
                f"{heap[kind]['heap_peak_mb']:>8.1f} MB"
            )
        print(
            "ru_maxrss of the children (not used: inherited from this process at fork): "
            + ", ".join(
                f"{kind} {max(r['ru_maxrss_mb'] for r in results[kind]):.0f} MB"
                for kind in ("floor", "csv", "xlsx")
            )
        )
        ratio = med("csv") / med("floor")
        print()
        print(
            f"CSV / floor: {ratio:.2f} wall (median {med('csv'):.2f} s / {med('floor'):.2f} s); "
            f"{med('csv', 'cpu') / med('floor', 'cpu'):.2f} in CPU seconds of the Python process"
        )
        difference = "" if same else first_difference(work / "csv-0.csv", work / "floor-0.csv")
        print(
            f"same CSV bytes from the export and the floor: {'yes' if same else 'NO, '}{difference}"
        )
        print("rows in the files: " + ", ".join(f"{k} {v:,}" for k, v in counted.items()))
        print(
            f"queries, csv_stream: {small_csv['queries']} at {small_rows:,} rows, "
            f"{results['csv'][0]['queries']} at {rows:,} rows"
        )
        for query in results["csv"][0]["query_sql"]:
            print(f"    {query[:110]}")
        print(
            f"queries, xlsx_write: {small_xlsx['queries']} at {small_rows:,} rows, "
            f"{results['xlsx'][0]['queries']} at {rows:,} rows"
        )
        print(
            f"queries, export job (exports_jobs.export_job_build, CSV): "
            f"{jobs[SMALL]['queries']} at {small_rows:,} rows, {jobs[BIG]['queries']} at "
            f"{rows:,} rows ({jobs[BIG]['seconds']:.2f} s)"
        )
        print(
            "server-side cursor: each query is read in FETCH round trips of 2,000 rows "
            f"({-(-rows // FETCH)} at {rows:,} rows), not counted as queries"
        )
        if breakdown:
            plans = breakdown["plans"]
            orm = statistics.median(r["seconds"] for r in breakdown["orm"])
            rowsonly = statistics.median(r["seconds"] for r in breakdown["rows"])
            print()
            print("where the CSV time goes (medians, fresh child each):")
            print(f"  PostgreSQL executing the export's query (EXPLAIN ANALYZE): "
                  f"{plans['export'] / 1000:.2f} s; the floor's query: "
                  f"{plans['floor'] / 1000:.2f} s")  # fmt: skip
            print(f"  ORM: the export's query read as rows of values: {orm:.2f} s")
            print(f"  export_rows: + the column values:                {rowsonly:.2f} s "
                  f"(+{rowsonly - orm:.2f})")  # fmt: skip
            print(f"  csv_stream: + _csv_cell (text, neutralised), csv.writer, encode, write: "
                  f"{med('csv'):.2f} s (+{med('csv') - rowsonly:.2f})")  # fmt: skip
            print(f"  floor: query + csv.writer:                       {med('floor'):.2f} s")

        peak = max(r["peak_rss_mb"] for kind in ("csv", "xlsx") for r in results[kind])
        counts_equal = (
            small_csv["queries"] == results["csv"][0]["queries"]
            and small_xlsx["queries"] == results["xlsx"][0]["queries"]
            and jobs[SMALL]["queries"] == jobs[BIG]["queries"]
        )
        print()
        verdicts = [
            (ratio <= TARGET_RATIO, f"CSV at most {TARGET_RATIO:g}x the floor: {ratio:.2f}x"),
            (
                med("xlsx") < TARGET_XLSX_SECONDS,
                f"XLSX of {rows:,} rows under {TARGET_XLSX_SECONDS:g} s: {med('xlsx'):.2f} s",
            ),
            (
                peak < TARGET_RSS_MB,
                f"peak memory (RSS, CSV and XLSX) under {TARGET_RSS_MB:g} MB: {peak:.0f} MB",
            ),
            (
                counts_equal,
                f"query count does not grow with rows: csv_stream {small_csv['queries']} "
                f"at {small_rows:,}, {results['csv'][0]['queries']} at {rows:,}; xlsx_write "
                f"{small_xlsx['queries']}, {results['xlsx'][0]['queries']}; export job "
                f"{jobs[SMALL]['queries']}, {jobs[BIG]['queries']}",
            ),
        ]
        for passed, text in verdicts:
            print(f"{'PASS' if passed else 'FAIL'}  {text}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if rows < 20000:
            print(f"(note: {rows:,} rows, fewer than the issue's 20,000)")

        profile = list(dict.fromkeys(args.profile))
        if ratio > TARGET_RATIO and "csv" not in profile:
            profile.append("csv")
        if med("xlsx") >= TARGET_XLSX_SECONDS and "xlsx" not in profile:
            profile.append("xlsx")
        for kind in profile:
            suffix = "xlsx" if kind == "xlsx" else "csv"
            profiled = spawn(env, kind, BIG, work / f"profile.{suffix}", profile=25)
            print()
            print(f"cProfile of {kind} ({profiled['seconds']:.2f} s under the profiler), "
                  "by own time:")  # fmt: skip
            print(profiled["profile_tottime"].rstrip())
            print(f"cProfile of {kind}, by cumulative time:")
            print(profiled["profile_cumulative"].rstrip())

        if not same or counted["csv"] != rows or counted["xlsx"] != rows:
            status = 1
        if counted["floor"] != rows or counted["small csv"] != small_rows:
            status = 1
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            drop_database()
        shutil.rmtree(var_dir, ignore_errors=True)
    sys.exit(status)


def column_keys() -> list[str]:
    from django.db import connection

    keys = all_keys(load_event(BIG))
    connection.close()
    return keys


if __name__ == "__main__":
    main()
