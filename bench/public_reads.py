#!/usr/bin/env python
"""How many public reads per second does the application answer, beside a bare Django
view that returns the same bytes from one query (the floor), in the same run?

The demo's data (``manage.py loaddemo``) on PostgreSQL and Redis, gunicorn with
``--workers`` sync workers; ``--clients`` loopback clients (two processes of threads, as
wrk's connections) read each page for ``--seconds``, then the floor returns the bytes the
application answered for it for as long. Reads: the event page of the demo's largest
event (by programme items), anonymous and logged in; its calendar; the network-wide
calendar; a conditional GET of its calendar (If-None-Match: a 304). Beside each figure,
its SQL queries, counted by one more request made through Django's test client in this
process (the floor's: one).

Targets (issue 14): event page >= 1/2 of its floor (anonymous and logged in), one-event
calendar >= 1/2, network calendar >= 1/3, a 304 answered with one query.

    .venv/bin/python bench/public_reads.py
    .venv/bin/python bench/public_reads.py --seconds 20 --clients 20 --workers 3
"""

from harness import (
    Browser,
    Stack,
    arguments,
    load,
    print_errors,
    queries,
    record,
    session_cookie,
    verdict,
)

ETAG = "if-none-match"


def main() -> int:
    args = arguments("public_reads", __doc__, clients=(20, "concurrent clients"),
                     workers=(3, "gunicorn sync workers"),
                     seconds=(10.0, "seconds per page and per floor"))  # fmt: skip
    with Stack(args) as stack:
        stack.manage("loaddemo")
        stack.vacuum()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.db.models import Count

        from events.models import Event

        event = (
            Event.objects.exclude(status=Event.Status.DRAFT)
            .annotate(items=Count("programme_items"))
            .order_by("-items")
            .first()
        )
        reader = get_user_model().objects.create_user("reader@bench.local", "reader@bench.local")
        logged_in = session_cookie(reader)
        feed = f"/en/calendar/events/{event.slug}.ics"
        reads = [  # name, path, cookie, headers, target ratio to the floor
            ("event-page", f"/en/events/{event.slug}/", "", {}, 1 / 2),
            ("event-page-logged-in", f"/en/events/{event.slug}/", logged_in, {}, 1 / 2),
            ("event-calendar", feed, "", {}, 1 / 2),
            ("network-calendar", "/en/calendar/rencontres.ics", "", {}, 1 / 3),
            ("event-calendar-304", feed, "", None, None),
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_public_floor (name text PRIMARY KEY, body bytea NOT NULL,"
                " content_type text NOT NULL)"
            )
        server = stack.gunicorn(workers=args.workers)
        print(*stack.facts(), sep="\n")
        print(
            f"server    gunicorn, {args.workers} sync workers; {args.clients} clients,"
            f" {args.seconds:.0f} s per read and per floor"
        )
        print(f"event     {event.slug}: {event.items} programme items\n", flush=True)

        results, passed = {}, True
        for name, path, cookie, headers, _target in reads:
            status, answer, body = Browser(stack.port, cookie=cookie).request("GET", path)
            if headers is None:  # the conditional GET: the ETag the client kept
                headers = {ETAG: answer["ETag"]}
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_public_floor VALUES (%s, %s, %s)",
                    [name, body, answer["Content-Type"]],
                )
            expected = 304 if ETAG in headers else 200
            floor_path = f"/floor/public/{name}/"
            for url, answer in ((path, expected), (floor_path, 200)):  # warm every worker up
                drive(stack, server, url, cookie, headers, answer, args, seconds=2)
            app = drive(stack, server, path, cookie, headers, expected, args)
            floor = drive(stack, server, floor_path, cookie, {}, 200, args)
            ratio = app.per_second / floor.per_second if floor.per_second else 0.0
            user = reader if cookie else None
            code, sql = queries(path, user=user, headers=headers)
            print(f"{name:22} app   {app.line()}  SQL queries {sql} ({code})")
            print_errors(app)
            print(f"{'':22} floor {floor.line()}  ratio {ratio:.2f}")
            print_errors(floor)
            results[name] = {
                "per_second": app.per_second,
                "floor_per_second": floor.per_second,
                "ratio": ratio,
                "p99_ms": app.p99,
                "sql_queries": sql,
                "errors": app.error_count,
                "bytes": len(body),
            }
            if status != 200:
                passed = verdict(False, f"{name}: GET {path} answered {status}")

        print()
        for name, _path, _cookie, _headers, target in reads:
            result = results[name]
            if target is not None:
                passed &= verdict(
                    result["ratio"] >= target,
                    f"{name}: >= {target:.2f} of the floor: {result['ratio']:.2f}"
                    f" ({result['per_second']:,.0f} / {result['floor_per_second']:,.0f} per s)",
                )
            passed &= verdict(result["errors"] == 0, f"{name}: no error: {result['errors']}")
        not_modified = results["event-calendar-304"]["sql_queries"]
        passed &= verdict(not_modified == 1, f"a 304 costs one query: {not_modified}")
        record(args, "public_reads", {"event": event.slug, "items": event.items, **results})
    return 0 if passed else 1


def drive(stack, server, path, cookie, headers, expected, args, seconds=None):
    """The figures of one bounded drive of ``path``."""

    def make_client(browser, index):
        def step(n):
            status, _headers, content = browser.request("GET", path, headers=headers)
            return "read", status == expected, f"{status} {content[:80]!r}"

        return step

    drive = load(
        stack.port,
        make_client,
        clients=args.clients,
        requests=10_000_000,
        seconds=seconds or args.seconds,
        watch=server,
    )
    return drive.figures()


if __name__ == "__main__":
    raise SystemExit(main())
