#!/usr/bin/env python
"""Does the application hold a crowd: 200 people for two minutes, most reading event
pages, some registering, a few fetching calendars, with no server error and short waits?

The demo's data (``manage.py loaddemo``) plus one open event of many places to register
for. ``--users`` simulated people (threads over four loopback client processes, each
person from an address of its own) act one after the other with a think time of
``--think`` seconds on average (uniform, 0 to twice that) for ``--seconds``, each arriving
after such a pause too (a crowd does not click in the same instant): 80% read the
page of one of the demo's public events (facts and programme), 15% register (the form's
POST, each with an address of its own; the form was loaded when the person arrived), 5%
fetch a calendar (an event's or the network's). gunicorn with ``--workers`` sync workers.

Targets (issue 14): no 5xx; p99 under 500 ms for pages and feeds, under 1 s for
registrations.

    .venv/bin/python bench/mixed.py
    .venv/bin/python bench/mixed.py --users 200 --seconds 120 --think 2
"""

import random
import urllib.parse

from harness import Stack, arguments, create_event, load, print_errors, record, verdict
from registration import FORM

TARGET_P99_MS = {"page": 500, "feed": 500, "register": 1000}


def main() -> int:
    args = arguments("mixed", __doc__, users=(200, "simulated people"),
                     seconds=(120.0, "duration"), think=(2.0, "mean think time, seconds"),
                     workers=(3, "gunicorn workers"))  # fmt: skip
    with Stack(args, REGISTRATION_RATE_LIMIT="1000000/m/ip,5/10m/key") as stack:
        stack.manage("loaddemo")
        stack.vacuum()
        from events.models import Event

        public = Event.objects.exclude(status=Event.Status.DRAFT)
        slugs = list(public.values_list("slug", flat=True))
        register = f"/en/events/{create_event('mixed', capacity=1_000_000).slug}/register/"
        server = stack.gunicorn(workers=args.workers)
        print(*stack.facts(), sep="\n")
        print(f"load      {args.users} people, {args.seconds:.0f} s, think time {args.think} s;"
              f" gunicorn {args.workers} sync workers; {len(slugs)} public events\n")  # fmt: skip
        origin = f"http://127.0.0.1:{stack.port}"
        post_headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                        "Referer": origin + register}  # fmt: skip

        def make_client(browser, index):
            token = browser.form_token(register)
            chance = random.Random(index)

            def step(n):
                roll, slug = chance.random(), chance.choice(slugs)
                if roll < 0.80:
                    kind, method, path, body = "page", "GET", f"/en/events/{slug}/", None
                elif roll < 0.95:
                    fields = {**FORM, "email": f"mixed-{n}@example.org",
                              "csrfmiddlewaretoken": token}  # fmt: skip
                    kind, method, path = "register", "POST", register
                    body = urllib.parse.urlencode(fields).encode()
                else:
                    path = chance.choice(["/en/calendar/rencontres.ics",
                                          f"/en/calendar/events/{slug}.ics"])  # fmt: skip
                    kind, method, body = "feed", "GET", None
                headers = post_headers if body else None
                status, _answer, content = browser.request(method, path, body, headers)
                ok = status == (302 if kind == "register" else 200)
                return kind, ok, f"{status} {path} {content[:80]!r}"

            return step

        drive = load(stack.port, make_client, clients=args.users, requests=10_000_000,
                     seconds=args.seconds, processes=4, source_addresses=True,
                     pause=lambda n: random.uniform(0, 2 * args.think), watch=server)  # fmt: skip
        results, passed = {}, True
        for kind, target in TARGET_P99_MS.items():
            figures = drive.figures(kind)
            print(f"{kind:9} {figures.line()}")
            print_errors(figures)
            server_errors = sum(
                count for error, count in figures.errors.items() if error.split(" ")[1][0] == "5"
            )
            passed &= verdict(server_errors == 0, f"{kind}: no 5xx: {server_errors}")
            passed &= verdict(figures.p99 < target, f"{kind}: p99 < {target} ms: {figures.p99:.0f}")
            results[kind] = {"requests": figures.requests, "p99_ms": figures.p99,
                             "server_errors": server_errors}  # fmt: skip
        print(f"          gunicorn used {drive.cpu['gunicorn (cores)']:.2f} cores,"
              f" the machine {drive.cpu['machine busy (cores)']:.2f}")  # fmt: skip
        record(args, "mixed", results)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
