"""Where the time of a registration POST goes, measured inside the gunicorn workers.

Turned on by ``bench/registration.py --profile sql|cprofile`` (environment variables
``BENCH_PROFILE`` and ``BENCH_PROFILE_DIR``; ``bench.settings`` then puts ``middleware``
first). Only POSTs to a registration form are measured (not the warm-up event's). Each
worker process writes what it measured into that folder; ``report()`` adds the workers up.
Requests are counted apart by outcome: "confirmed" (the request took a place: it updated
the event's counter) and "not confirmed" (waiting list, or a repeated submission).

- ``sql``: wall time of every SQL statement (normalised), of each COMMIT, of the whole
  request, and how long the event row lock is held (from the moment the
  ``SELECT ... FOR [NO KEY] UPDATE`` is granted to the end of the COMMIT that releases it; the wait
  for it is that statement's own time). Cheap enough to leave the figures honest.
- ``cprofile``: cProfile over the same requests, counting CPU time of the worker process
  (inflates Python time, but shows which functions the CPU is spent in; use sync workers).
"""

import atexit
import cProfile
import json
import os
import pstats
import re
import threading
import time
from collections import defaultdict
from pathlib import Path

MODE = os.environ.get("BENCH_PROFILE", "")
FOLDER = Path(os.environ.get("BENCH_PROFILE_DIR", "."))
DUMP_EVERY = 50
CONFIRMED_MARK = 'UPDATE "events_event" SET "places_taken"'

_lock = threading.Lock()
_state = threading.local()
# outcome -> {"requests", "seconds", "request_seconds", "lock_holds", "sql": {key: [n, s]}}
_buckets: dict = {}
# CPU time of the worker process (a sync worker runs one request at a time), not wall time:
# the waits are what ``sql`` shows, this shows what the CPU is spent on.
_profiler = cProfile.Profile(time.process_time) if MODE == "cprofile" else None

_LITERALS = re.compile(r"'[^']*'|\b\d+\b")
_IN_LISTS = re.compile(r"IN \((?:%s, )*%s\)")


def _normalise(sql: str) -> str:
    sql = _IN_LISTS.sub("IN (...)", _LITERALS.sub("?", sql))
    return re.sub(r"\s+", " ", sql)


def _record_sql(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed = time.perf_counter() - start
        if getattr(_state, "active", False):
            where = "lock" if _state.locked_at is not None else "out"
            _state.queries.append((f"{where} {_normalise(sql)}", elapsed))
            if ("FOR UPDATE" in sql or "FOR NO KEY UPDATE" in sql) and _state.locked_at is None:
                _state.locked_at = start + elapsed  # granted: the wait is the statement's time


def _patch_commit() -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper

    original = BaseDatabaseWrapper._commit

    def _commit(self):
        start = time.perf_counter()
        try:
            return original(self)
        finally:
            end = time.perf_counter()
            if getattr(_state, "active", False):
                where = "lock" if _state.locked_at is not None else "out"
                _state.queries.append((f"{where} COMMIT", end - start))
                if _state.locked_at is not None:
                    _state.lock_holds.append(end - _state.locked_at)
                    _state.locked_at = None

    BaseDatabaseWrapper._commit = _commit


if MODE:
    _patch_commit()


def _bucket(outcome: str) -> dict:
    if outcome not in _buckets:
        _buckets[outcome] = {
            "requests": 0,
            "request_seconds": [],
            "lock_holds": [],
            "sql": defaultdict(lambda: [0, 0.0]),
        }
    return _buckets[outcome]


def middleware(get_response):
    from django.db import connection

    def profiled(request):
        if (
            request.method != "POST"
            or not request.path.endswith("/register/")
            or "warmup" in request.path  # the warm-up event is not measured
        ):
            return get_response(request)
        _state.active = True
        _state.queries, _state.lock_holds = [], []
        _state.locked_at = None
        start = time.perf_counter()
        if _profiler is not None:
            _profiler.enable()
        try:
            with connection.execute_wrapper(_record_sql):
                return get_response(request)
        finally:
            if _profiler is not None:
                _profiler.disable()
            elapsed = time.perf_counter() - start
            _state.active = False
            confirmed = any(CONFIRMED_MARK in key for key, _seconds in _state.queries)
            with _lock:
                bucket = _bucket("confirmed" if confirmed else "not confirmed")
                bucket["requests"] += 1
                bucket["request_seconds"].append(elapsed)
                bucket["lock_holds"].extend(_state.lock_holds)
                for key, seconds in _state.queries:
                    bucket["sql"][key][0] += 1
                    bucket["sql"][key][1] += seconds
                if sum(b["requests"] for b in _buckets.values()) % DUMP_EVERY == 0:
                    _dump()

    return profiled


def _dump() -> None:
    pid = os.getpid()
    (FOLDER / f"sql-{pid}.json").write_text(json.dumps(_buckets))
    if _profiler is not None:
        _profiler.dump_stats(FOLDER / f"cprofile-{pid}.prof")


if MODE:
    atexit.register(lambda: _buckets and _dump())


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[max(int(q * len(values) + 0.999999) - 1, 0)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(folder: Path, top: int = 30) -> None:
    merged: dict = {}
    for path in folder.glob("sql-*.json"):
        for outcome, data in json.loads(path.read_text()).items():
            into = merged.setdefault(
                outcome,
                {"requests": 0, "request_seconds": [], "lock_holds": [], "sql": {}},
            )
            into["requests"] += data["requests"]
            into["request_seconds"] += data["request_seconds"]
            into["lock_holds"] += data["lock_holds"]
            for key, (count, seconds) in data["sql"].items():
                old = into["sql"].get(key, [0, 0.0])
                into["sql"][key] = [old[0] + count, old[1] + seconds]
    if not merged:
        print("profile: no registration POST was measured")
        return
    print()
    print("=== inside the server, by outcome (wall times, under the benchmark's load) ===")
    for outcome in sorted(merged):
        data = merged[outcome]
        n = data["requests"]
        times, holds = data["request_seconds"], data["lock_holds"]
        print()
        print(
            f"--- {outcome}: {n} POSTs; request (first middleware to response):"
            f" mean {_ms(sum(times) / n)} ms, p50 {_ms(_percentile(times, 0.5))},"
            f" p99 {_ms(_percentile(times, 0.99))}"
        )
        for where, title in (("lock", "while holding the event lock"), ("out", "outside it")):
            rows = [v for k, v in data["sql"].items() if k.startswith(where + " ")]
            count = sum(c for c, _s in rows)
            seconds = sum(s for _c, s in rows)
            print(
                f"SQL {title}: {count / n:.1f} statements per request (COMMIT included),"
                f" {_ms(seconds / n)} ms"
            )
        if holds:
            mean = sum(holds) / len(holds)
            print(
                f"event row lock held (granted to end of COMMIT): mean {_ms(mean)} ms,"
                f" p50 {_ms(_percentile(holds, 0.5))}, p95 {_ms(_percentile(holds, 0.95))},"
                f" p99 {_ms(_percentile(holds, 0.99))}: one event takes at most"
                f" {60 / mean:,.0f} such registrations per minute, whatever the server count"
            )
        print(f"{'per req':>7} {'ms/req':>7} {'ms each':>8}  where statement")
        ranked = sorted(data["sql"].items(), key=lambda item: -item[1][1])
        for key, (count, seconds) in ranked[:top]:
            each = seconds / count * 1000
            print(f"{count / n:7.2f} {seconds / n * 1000:7.2f} {each:8.2f}  {key[:200]}")
    profiles = sorted(folder.glob("cprofile-*.prof"))
    if profiles:
        n = sum(data["requests"] for data in merged.values())
        stats = pstats.Stats(*map(str, profiles))
        print(f"cProfile, CPU seconds over {n} requests (divide by {n} for per request):")
        stats.sort_stats("cumulative").print_stats(top)
        print("the project's own functions:")
        stats.sort_stats("cumulative").print_stats(r"/(registrations|events|notifications)/", top)
        print("chosen library entry points (rate limit, Celery publish, form fields, ORM):")
        stats.sort_stats("cumulative").print_stats(
            r"internal/ratelimit.py:\d+\(consume\)|celery/app/base.py:\d+\(send_task\)"
            r"|django/forms/forms.py:\d+\(__init__\)|sql/compiler.py:\d+\(as_sql\)"
            r"|redis/client.py:\d+\(__init__\)|transaction.py:\d+\(__exit__\)"
        )
        stats.sort_stats("tottime").print_stats(top)
