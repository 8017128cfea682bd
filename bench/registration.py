#!/usr/bin/env python
"""How many registrations per minute can one event take through the real HTTP path?

``--clients`` loopback clients (each from its own address, as distinct people, so that
the per-address rate limit sees them as such) GET the registration form once (CSRF cookie
and token), then POST it with distinct email addresses until ``--attempts`` POSTs are
made, through gunicorn (``--workers`` sync workers), on one event of ``--places`` places.
In the same run, the same POSTs go to the floor (``bench/floor.py``'s ``floor``: one row
inserted, a 302) and, with ``--minimum``, to the least a registration must do
(``minimum``: the rules' work written by hand, one Redis round trip and one SQL
statement, on an event of its own). Counted in the database: confirmed, waiting list,
the event's counter, oversold places.

"Confirmed per minute": confirmed registrations over the time from the start to the answer
that took the last place (the first ``confirmed`` successful answers, in time order).

Targets (issue 14): >= 3,000 confirmed per minute with 50 clients, 0 oversold, and at least
a quarter of the minimum's confirmed per minute in the same run.

    .venv/bin/python bench/registration.py --minimum
    .venv/bin/python bench/registration.py --clients 50 --attempts 10000 --places 2000
"""

import re
import secrets
import statistics
import urllib.parse

from harness import Stack, arguments, create_event, load, print_errors, record, spread, verdict

TARGET_PER_MINUTE = 3000
TARGET_OF_MINIMUM = 0.25
# The form answers every submission with the same "check your email" page (issue 13: knowing
# an address opens nothing); the private link goes by email.
RESULT = {
    "form": re.compile(r"^/en/events/[-\w]+/register/sent/$"),
    "floor": re.compile(r"^/floor/\d+/$"),
    "minimum": re.compile(r"^/en/r/[A-Za-z0-9_-]{20,}/$"),  # bench/floor.py's own answer
}
FORM = {  # what a browser sends for the form as rendered, empty fields included
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


def post_form(port, path: str, *, clients: int, attempts: int, prefix: str, result: str, server):
    """``attempts`` POSTs of the form at ``path``, each with its own email address."""
    origin = f"http://127.0.0.1:{port}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + path,
    }

    def make_client(browser, index):
        token = browser.form_token(path)

        def step(n):
            fields = {**FORM, "email": f"{prefix}{n:05d}@example.org", "csrfmiddlewaretoken": token}
            body = urllib.parse.urlencode(fields).encode()
            status, answer, content = browser.request("POST", path, body, headers)
            location = answer.get("Location", "")
            ok = status == 302 and bool(RESULT[result].match(location))
            return "post", ok, location if ok else f"{status} {location} {content[:100]!r}"

        return step

    return load(
        port, make_client, clients=clients, requests=attempts, seconds=600,
        source_addresses=True, watch=server,
    )  # fmt: skip


def counted(drive, event) -> dict:
    """The run's figures, with what the database holds for ``event``."""
    from django.db.models import Count

    from registrations.models import Registration

    event.refresh_from_db()
    by_status = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    confirmed = by_status.get("confirmed", 0)
    held = confirmed + by_status.get("pending", 0)
    return per_minute(drive, confirmed) | {
        "by_status": by_status,
        "oversold": max(0, held - event.capacity),
        "counter_ok": event.places_taken == held,
    }


def per_minute(drive, rows: int) -> dict:
    figures = drive.figures()
    answered = sorted(sample.end for sample in drive.samples if sample.ok)
    last = answered[min(rows, len(answered)) - 1] if rows and answered else drive.start
    window = last - drive.start
    return {
        "figures": figures,
        "rows": rows,
        "per_minute": rows / window * 60 if window > 0 else 0.0,
        "attempts_per_minute": figures.per_second * 60,
        "cpu_ms": drive.cpu["gunicorn (cores)"] * figures.seconds / figures.requests * 1000,
    }


def main() -> int:
    args = arguments("registration", __doc__, clients=(50, "concurrent clients"),
                     attempts=(10_000, "POSTs per run"), places=(2_000, "the event's capacity"),
                     runs=(1, "runs, a fresh event each"), workers=(3, "gunicorn sync workers"),
                     minimum=(False, "measure bench/floor.py's minimum too"),
                     skip_floor=(False, "do not measure the floor"),
                     rate_limit=("1000000/m/ip,5/10m/key", "per address, per email"))  # fmt: skip
    with Stack(args, REGISTRATION_RATE_LIMIT=args.rate_limit) as stack:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, email text NOT NULL,"
                " created timestamptz NOT NULL DEFAULT now())"
            )
        warmup = create_event("bench-warmup", capacity=1_000_000)
        events = [
            (
                create_event(f"bench-{n}", capacity=args.places),
                create_event(f"bench-minimum-{n}", capacity=args.places),
            )
            for n in range(args.runs)
        ]
        server = stack.gunicorn(workers=args.workers)
        print(*stack.facts(), sep="\n")
        print(
            f"load      {args.clients} clients, {args.attempts:,} POSTs per run,"
            f" {args.runs} run(s); gunicorn {args.workers} sync workers; {args.places:,} places\n",
            flush=True,
        )
        tag = secrets.token_hex(3)
        common = {"clients": args.clients, "server": server}
        targets = [("form", f"/en/events/{warmup.slug}/register/")]
        if not args.skip_floor:
            targets.append(("floor", "/floor/"))
        if args.minimum:
            targets.append(("form", f"/floor/minimum/{warmup.pk}/"))
        for number, (result, path) in enumerate(targets):  # warm every worker up
            prefix = f"warm{number}-{tag}-"
            post_form(stack.port, path, attempts=2 * args.clients, prefix=prefix, result=result,
                      **common)  # fmt: skip

        runs = {"registration": [], "floor": [], "minimum": []}
        for number, (event, minimum_event) in enumerate(events, 1):
            drive = post_form(stack.port, f"/en/events/{event.slug}/register/",
                              attempts=args.attempts, prefix=f"r{number}-{tag}-", result="form",
                              **common)  # fmt: skip
            runs["registration"].append(counted(drive, event))
            if not args.skip_floor:
                prefix = f"f{number}-{tag}-"
                drive = post_form(stack.port, "/floor/", attempts=args.attempts, prefix=prefix,
                                  result="floor", **common)  # fmt: skip
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM bench_floor WHERE email LIKE %s", [prefix + "%"]
                    )
                    (rows,) = cursor.fetchone()
                runs["floor"].append(per_minute(drive, rows))
            if args.minimum:
                drive = post_form(stack.port, f"/floor/minimum/{minimum_event.pk}/",
                                  attempts=args.attempts, prefix=f"m{number}-{tag}-",
                                  result="minimum", **common)  # fmt: skip
                runs["minimum"].append(counted(drive, minimum_event))
            for name, results in runs.items():
                if len(results) == number:
                    show(number, name, results[-1])
        return report(args, runs)


def show(number: int, name: str, run: dict) -> None:
    line = f"run {number} {name:12} {run['figures'].line()}  {run['per_minute']:8,.0f} rows/min"
    line += f"  gunicorn CPU {run['cpu_ms']:.1f} ms/POST"
    if "oversold" in run:
        line += f"  oversold {run['oversold']}  {run['by_status']}"
        line += "" if run["counter_ok"] else "  COUNTER != ROWS"
    print(line, flush=True)
    print_errors(run["figures"])


def report(args, runs: dict) -> int:
    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    print()
    for name, results in runs.items():
        if results:
            print(
                f"{name:12} confirmed (rows) per minute"
                f" {spread([r['per_minute'] for r in results]):>22}"
                f"  attempts per minute {spread([r['attempts_per_minute'] for r in results]):>22}"
                f"  p99 {spread([r['figures'].p99 for r in results], '{:.0f}')} ms"
            )
    registration = median("registration", "per_minute")
    oversold = max(run["oversold"] for run in runs["registration"] + runs["minimum"])
    consistent = all(run["counter_ok"] for run in runs["registration"] + runs["minimum"])
    errors = sum(run["figures"].error_count for results in runs.values() for run in results)
    verdict(
        registration >= TARGET_PER_MINUTE,
        f">= {TARGET_PER_MINUTE:,} confirmed per minute on one event: {registration:,.0f}",
    )
    verdict(oversold == 0, f"0 oversold: {oversold}")
    verdict(consistent, "each event's counter equals its registrations")
    verdict(errors == 0, f"every POST answered by a 302 to its result: {errors} errors")
    figures = {"confirmed_per_minute": registration, "oversold": oversold, "errors": errors}
    if runs["minimum"]:
        ratio = registration / median("minimum", "per_minute")
        verdict(
            ratio >= TARGET_OF_MINIMUM,
            f">= {TARGET_OF_MINIMUM:.2f} of the minimum's confirmed per minute: {ratio:.2f}",
        )
        figures |= {"minimum_per_minute": median("minimum", "per_minute"), "of_minimum": ratio}
    if runs["floor"]:
        figures |= {"floor_per_minute": median("floor", "per_minute")}
        print(f"      registration / floor: {registration / figures['floor_per_minute']:.2f}")
    figures["p99_ms"] = statistics.median(run["figures"].p99 for run in runs["registration"])
    record(args, "registration", figures)
    return 0 if oversold == 0 and consistent else 1


if __name__ == "__main__":
    raise SystemExit(main())
