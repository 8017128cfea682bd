#!/usr/bin/env python
"""What one registration POST costs in the web process: CPU and SQL statements.

In this process, through Django's test client (the production settings, the same views and
middleware as gunicorn, CSRF checked, the form's body as a browser sends it), on the
script's own PostgreSQL database and Redis: ``--posts`` POSTs of the public registration
form of one event (each with its own address, after ``--warm`` ones), the same to
``bench/floor.py``'s ``minimum`` and to its ``floor``; the median CPU time per POST
(``time.process_time``: this process only, not PostgreSQL's, so a busy machine moves it
less than wall-clock rates) and the statements of one POST (``--sql`` lists them).

The CPU ratio minimum / registration is what bounds ``registration.py``'s confirmed per
minute against the minimum's on a machine whose cores the web workers keep busy (issue 14's
target: at least 1/4).

    .venv/bin/python bench/post_cpu.py --sql
"""

import secrets
import statistics
import time
import urllib.parse

from harness import Stack, arguments, create_event, record
from registration import FORM  # what a browser sends for the form as rendered


def measure(path: str, *, posts: int, warm: int, sql: bool) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    client.get(path)
    token = client.cookies["csrftoken"].value
    tag = secrets.token_hex(4)

    def post(number: int) -> None:
        fields = {**FORM, "email": f"{tag}-{number:05d}@example.org", "csrfmiddlewaretoken": token}
        body = urllib.parse.urlencode(fields)
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, (path, response.status_code)

    for number in range(warm):
        post(number)
    with CaptureQueriesContext(connection) as statements:
        post(warm)
    # Read now: the next request's start clears the connection's log.
    sql_text = [statement["sql"] for statement in statements.captured_queries]
    times = []
    for number in range(warm + 1, warm + 1 + posts):
        start = time.process_time()
        post(number)
        times.append((time.process_time() - start) * 1000)
    if sql:
        for number, text in enumerate(sql_text, 1):
            print(f"  {number:2} {text[:150]}")
    return {"statements": len(sql_text), "cpu_ms": statistics.median(times)}


def main() -> int:
    args = arguments(
        "post_cpu",
        __doc__,
        posts=(200, "POSTs measured per target"),
        warm=(20, "POSTs before measuring"),
        sql=(False, "list the statements"),
    )
    with Stack(args, REGISTRATION_RATE_LIMIT="1000000/m/ip,1000/10m/key") as stack:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, email text NOT NULL,"
                " created timestamptz NOT NULL DEFAULT now())"
            )
        print(*stack.facts(), sep="\n")
        event = create_event("bench-post", capacity=1_000_000)
        minimum_event = create_event("bench-post-minimum", capacity=1_000_000)
        figures = {}
        for name, path in (
            ("registration", f"/en/events/{event.slug}/register/"),
            ("minimum", f"/floor/minimum/{minimum_event.pk}/"),
            ("floor", "/floor/"),
        ):
            figures[name] = measure(path, posts=args.posts, warm=args.warm, sql=args.sql)
            print(f"{name:13} {figures[name]['statements']:3} statements"
                  f"  {figures[name]['cpu_ms']:6.2f} ms CPU per POST (median of {args.posts})",
                  flush=True)  # fmt: skip
        ratio = figures["minimum"]["cpu_ms"] / figures["registration"]["cpu_ms"]
        print(f"CPU minimum / registration: {ratio:.2f} (issue 14's throughput target: >= 0.25)")
        record(args, "post_cpu", {**figures, "ratio": ratio})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
