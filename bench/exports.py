#!/usr/bin/env python
"""How long do an organiser's CSV and XLSX exports of 20,000 registrations take through
the workspace, how much memory does the server need for them, and do their SQL queries
grow with the rows?

Two published events with ten questions each (text, yes/no, date), every registration
confirmed and answering all ten: ``--rows`` registrations (20,000) and ``--small-rows``
(5,000). An organiser, logged in, POSTs the workspace's export form with every column
(gunicorn, one sync worker; ``EXPORT_ASYNC_THRESHOLD`` above the rows, so that the file
is streamed by the request rather than built by a worker), ``--runs`` times per format,
and the answer is read whole. Printed: seconds (median and spread), the worker's peak
resident memory (VmHWM), SQL queries per export (counted by one more export made through
Django's test client in this process), and the rows in each file.

Targets (from the earlier issue): XLSX of 20,000 rows under 10 s, peak memory under
300 MB, queries that do not grow with the rows.

    .venv/bin/python bench/exports.py
    .venv/bin/python bench/exports.py --rows 20000 --runs 3
"""

import io
import re
import statistics
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

from harness import (
    Browser,
    Stack,
    arguments,
    create_event,
    create_registrations,
    queries,
    record,
    session_cookie,
    spread,
    verdict,
)

TARGET_XLSX_SECONDS = 10
TARGET_RSS_MB = 300
COLUMN = re.compile(rb'name="columns" value="([^"]+)"')


def create_export_event(slug: str, rows: int, organiser):
    from registrations.models import Answer, Question

    event = create_event(slug, capacity=rows, places_taken=rows)
    event.organisers.add(organiser)
    kinds = [Question.Kind.TEXT] * 4 + [Question.Kind.YES_NO] * 3 + [Question.Kind.DATE] * 3
    questions = Question.objects.bulk_create(
        [
            Question(event=event, kind=kind, label_en=f"Question {n}", position=n)
            for n, kind in enumerate(kinds)
        ]
    )
    registrations = create_registrations(event, rows)
    values = {
        Question.Kind.TEXT: lambda n: f"Answer number {n}, with a comma; and a “quote”",
        Question.Kind.YES_NO: lambda n: n % 2 == 0,
        Question.Kind.DATE: lambda n: (date(1990, 1, 1) + timedelta(days=n % 9000)).isoformat(),
    }
    Answer.objects.bulk_create(
        (
            Answer(registration=registration, question=question, value=values[question.kind](n))
            for n, registration in enumerate(registrations)
            for question in questions
        ),
        batch_size=5000,
    )
    return event


def peak_rss_mb(server) -> float:
    """The highest resident memory any process of the server's group has reached."""
    peak = 0
    for process in Path("/proc").iterdir():
        try:
            if int(process.joinpath("stat").read_text().rsplit(")", 1)[1].split()[2]) != (
                server.popen.pid
            ):
                continue
            status = process.joinpath("status").read_text()
        except (OSError, ValueError):
            continue
        peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
    return peak / 1024


def export(stack, browser, event, kind: str) -> dict:
    participants = f"/en/workspace/{event.slug}/participants/"
    status, _headers, page = browser.request("GET", participants)
    token = browser.form_token(participants)
    fields = [("format", kind), ("csrfmiddlewaretoken", token)]
    fields += [("columns", key.decode()) for key in COLUMN.findall(page)]
    origin = f"http://127.0.0.1:{stack.port}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + participants,
    }
    start = time.monotonic()
    status, _headers, body = browser.request(
        "POST", f"/en/workspace/{event.slug}/export/", urllib.parse.urlencode(fields).encode(),
        headers,
    )  # fmt: skip
    seconds = time.monotonic() - start
    if status != 200:
        raise SystemExit(f"export {kind} of {event.slug}: {status} {body[:300]!r}")
    if kind == "xlsx":
        from openpyxl import load_workbook

        rows = load_workbook(io.BytesIO(body), read_only=True).active.max_row - 1
    else:
        rows = body.decode("utf-8-sig").count("\r\n") - 1
    return {"seconds": seconds, "rows": rows, "columns": len(fields) - 2, "fields": fields}


def dict_of(fields: list[tuple[str, str]]) -> dict:
    """The form's fields as the test client posts them (lists for repeated names)."""
    data: dict = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def main() -> int:
    args = arguments("exports", __doc__, rows=(20_000, "registrations of the big event"),
                     small_rows=(5_000, "registrations of the small event"),
                     runs=(3, "timed exports of each"))  # fmt: skip
    with Stack(args, EXPORT_ASYNC_THRESHOLD=str(10 * args.rows)) as stack:
        from django.contrib.auth import get_user_model

        organiser = get_user_model().objects.create_user("organiser@bench.local")
        print("creating the registrations ...", flush=True)
        big = create_export_event("export-big", args.rows, organiser)
        small = create_export_event("export-small", args.small_rows, organiser)
        stack.vacuum()
        server = stack.gunicorn(workers=1)
        print(*stack.facts(), sep="\n")
        print(f"load      one organiser, one gunicorn sync worker, {args.runs} runs each\n")
        browser = Browser(stack.port, cookie=session_cookie(organiser))
        results, passed = {}, True
        for event in (small, big):
            for kind in ("csv", "xlsx"):
                runs = [export(stack, browser, event, kind) for _run in range(args.runs)]
                name = f"{kind}-{event.slug}"
                results[name] = {
                    "seconds": statistics.median(run["seconds"] for run in runs),
                    "rows": runs[-1]["rows"],
                    "queries": queries(
                        f"/en/workspace/{event.slug}/export/",
                        user=organiser,
                        data=dict_of(runs[-1]["fields"]),
                    )[1],
                    "peak_rss_mb": peak_rss_mb(server),
                }
                print(
                    f"{name:18} {spread([r['seconds'] for r in runs], '{:.2f}')} s,"
                    f" {runs[-1]['rows']:,} rows x {runs[-1]['columns']} columns,"
                    f" {results[name]['queries']} SQL queries,"
                    f" server peak RSS {results[name]['peak_rss_mb']:.0f} MB",
                    flush=True,
                )
                passed &= verdict(
                    runs[-1]["rows"] == event.capacity, f"{name}: one row per registration"
                )
        print()
        xlsx = results[f"xlsx-{big.slug}"]["seconds"]
        passed &= verdict(
            xlsx < TARGET_XLSX_SECONDS, f"XLSX of {args.rows:,} rows < 10 s: {xlsx:.2f} s"
        )
        peak = max(result["peak_rss_mb"] for result in results.values())
        passed &= verdict(peak < TARGET_RSS_MB, f"peak memory < 300 MB: {peak:.0f} MB")
        for kind in ("csv", "xlsx"):
            few, many = results[f"{kind}-{small.slug}"], results[f"{kind}-{big.slug}"]
            passed &= verdict(
                many["queries"] <= few["queries"],
                f"{kind}: SQL queries do not grow with the rows:"
                f" {few['queries']} at {args.small_rows:,}, {many['queries']} at {args.rows:,}",
            )
        record(args, "exports", results)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
