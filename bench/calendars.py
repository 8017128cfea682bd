#!/usr/bin/env python
"""How long does one calendar client wait for the network feed of 1,000 events and for the
feed of an event with 500 programme items: built (the first request of a version), from
the cache, and revalidated (a 304)?

``--events`` published events (one venue) and one more with ``--items`` items in rooms
with speakers. One client, one gunicorn worker, requests one after the other: for a built
feed the cache is emptied (the Redis database flushed) before each request. Printed: the
median and 95th percentile of each, the feed's size, and its SQL queries (counted through
Django's test client in this process).

Targets (from the earlier issue): the 500-item feed built in under 200 ms, a revalidation
in under 20 ms, and queries that do not grow with the events or the items.

    .venv/bin/python bench/calendars.py
    .venv/bin/python bench/calendars.py --events 1000 --items 500 --repeat 20
"""

import statistics
import time
from datetime import timedelta

from harness import Browser, Stack, arguments, percentile, queries, record, verdict

TARGET_BUILT_MS = 200
TARGET_304_MS = 20


def create_data(events: int, items: int) -> str:
    from django.utils import timezone

    from events.models import Event, Organisation, ProgrammeItem, Room, Speaker, Venue

    now = timezone.now()
    host = Organisation.objects.create(name="Réseau", slug="reseau", country="FR", city="Lyon")
    venue = Venue.objects.create(name="Salle", address="12 rue", city="Lyon", country="FR")

    def event(n: int, days: int = 1) -> Event:
        starts = now + timedelta(days=1 + n % 300, hours=n % 7)
        return Event(
            slug=f"event-{n}", kind=Event.Kind.NATIONAL_MEETING, status=Event.Status.PUBLISHED,
            title_en=f"Meeting number {n}, on «solidarity»; and more", title_fr=f"Rencontre {n}",
            summary_en="Two days of plenaries and workshops.\nBring your questions.",
            host=host, venue=venue, timezone="Europe/Paris", starts_at=starts,
            ends_at=starts + timedelta(days=days, hours=8), default_language="en",
            languages=["en", "fr"],
        )  # fmt: skip

    Event.objects.bulk_create([event(n) for n in range(events)], batch_size=500)
    big = event(events, days=4)
    big.slug = "big-programme"
    big.save()
    rooms = [Room.objects.create(venue=venue, name=f"Salle {n}", position=n) for n in range(5)]
    speakers = [
        Speaker.objects.create(first_name="Speaker", last_name=str(n), organisation=host)
        for n in range(20)
    ]
    programme = ProgrammeItem.objects.bulk_create(
        [
            ProgrammeItem(
                event=big,
                kind=ProgrammeItem.Kind.WORKSHOP,
                title_en=f"Workshop {n}: economy, «solidarity»; places",
                description_en="A long description of what happens.\n" * 3,
                starts_at=big.starts_at + timedelta(minutes=10 * (n // 5)),
                ends_at=big.starts_at + timedelta(minutes=10 * (n // 5) + 45),
                room=rooms[n % 5],
            )
            for n in range(items)
        ]
    )
    links = ProgrammeItem.speakers.through
    links.objects.bulk_create(
        [
            links(programmeitem_id=item.pk, speaker_id=speakers[n % 20].pk)
            for n, item in enumerate(programme)
        ]
    )
    return big.slug


def timed(stack, browser, path: str, repeat: int, *, headers=None, built=False) -> dict:
    times, size = [], 0
    for _n in range(repeat):
        if built:
            stack.flush_redis()
        start = time.monotonic()
        status, _answer, body = browser.request("GET", path, headers=headers)
        times.append((time.monotonic() - start) * 1000)
        size = len(body)
    times.sort()
    return {
        "status": status,
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
        "bytes": size,
    }


def main() -> int:
    args = arguments("calendars", __doc__, events=(1000, "events in the network feed"),
                     items=(500, "programme items of one event"),
                     repeat=(20, "timed requests of each"))  # fmt: skip
    with Stack(args) as stack:
        slug = create_data(args.events, args.items)
        stack.gunicorn(workers=1)
        print(*stack.facts(), sep="\n")
        print(f"load      one client, one gunicorn worker, {args.repeat} requests of each\n")
        browser = Browser(stack.port)
        results, passed = {}, True
        for name, path in (
            ("network", "/en/calendar/rencontres.ics"),
            ("500-items", f"/en/calendar/events/{slug}.ics"),
        ):
            timed(stack, browser, path, 3)  # warm the worker up
            _status, answer, _body = browser.request("GET", path)
            etag = {"if-none-match": answer["ETag"]}
            stack.flush_redis()
            sql_built = queries(path, warm=False)[1]
            runs = {
                "built": timed(stack, browser, path, args.repeat, built=True),
                "cached": timed(stack, browser, path, args.repeat),
                "304": timed(stack, browser, path, args.repeat, headers=etag),
            }
            runs["built"]["queries"] = sql_built
            runs["304"]["queries"] = queries(path, headers=etag)[1]
            for kind, run in runs.items():
                print(
                    f"{name:10} {kind:7} {run['status']}  median {run['median_ms']:7.1f} ms"
                    f"  p95 {run['p95_ms']:7.1f} ms  {run['bytes']:>9,} bytes"
                    + (f"  {run['queries']} SQL queries" if "queries" in run else ""),
                    flush=True,
                )
            results[name] = runs
        print()
        built = results["500-items"]["built"]["median_ms"]
        passed &= verdict(built < TARGET_BUILT_MS, f"500-item feed built < 200 ms: {built:.0f} ms")
        for name, runs in results.items():
            revalidated = runs["304"]["median_ms"]
            passed &= verdict(
                revalidated < TARGET_304_MS and runs["304"]["status"] == 304,
                f"{name}: a 304 in < 20 ms: {revalidated:.1f} ms, {runs['304']['queries']} query",
            )
        record(args, "calendars", results)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
