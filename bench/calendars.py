#!/usr/bin/env python
"""How long does building a calendar take: one emailed invite, the network feed of 1,000
events, an event feed of 500 programme items, and the 304 answer to a calendar client
that polls?

The question, from the issue: print one invite's build time; a feed of 1,000 events; an
event feed of 500 programme items; each against the same data serialised as JSON (the
floor), with the ratio; and the 304 path. Targets: invite under 2 ms, 500-item feed
under 200 ms uncached, revalidation under 20 ms.

What it does, in this one process, with the production settings (DEBUG off):

1. drops and recreates its own PostgreSQL database (``rencontres_bench_cal``), migrates
   it, and creates 1,000 published events over the coming year in eight time zones (one in
   ten online), one of which is a four-day meeting with 500 programme items (ten rooms,
   one or two speakers each, with their organisations), and on that one a confirmed
   registration in French with three workshops and its confirmation email row;
2. times, with ``time.perf_counter`` over ``--repeat`` calls each (median and p95):
   - the invite, as the email send path makes it (``notifications.rendering.build_email``
     reads the outbox row as ``message_claim`` does, with its registration, event and
     venue; then the workshop choices with their items and rooms, and the organiser's
     address, once for the email and its invite):
     - built from those rows once read (``rendering.invite(message, workshops=...,
       organiser=...)``: ``registration_entry`` + ``build``, no SQL): the target;
     - the same with the reading included (the row, the choices, the organiser: the
       queries are counted);
     - ``rendering.invite(message)`` given only the row (it reads choices and organiser);
     - ``build`` alone of a ready ``Entry`` against ``json.dumps`` of the same entry (the
       floor for serialisation);
   - the network feed ``GET /en/calendar/rencontres.ics`` and the event feed
     ``GET /en/calendar/events/<slug>.ics`` through Django's test client (URL routing,
     middleware, ETag, view, selectors, builder: the whole HTTP path in process, no
     network, no cache in front), first call of the process apart (VTIMEZONEs are built
     once per process and zone), then warm, then with the VTIMEZONE cache cleared before
     each call;
   - the floor of each feed: a view (mounted beside the real URLs for this benchmark only)
     that runs the same selectors, so the same SQL, and answers ``json.dumps`` of dicts
     with the same fields, through the same test client;
   - the 304: the same GETs with ``If-None-Match`` set to the ETag of the previous answer;
   each row shows the median wall time and the median CPU time of this process per call
   (CPU is what the call cost even when other processes share the machine);
3. counts the SQL queries of each (``CaptureQueriesContext``), prints PASS/FAIL per
   target, and with ``--profile`` the hot spots (cProfile) of whatever is timed;
4. drops the database (unless ``--keep``).

Usage, from the repository root:

    .venv/bin/python bench/calendars.py
    .venv/bin/python bench/calendars.py --repeat 50 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
import types
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402 (needs ROOT on the path)
    cpu_by_command,
    cpu_seconds,
    django_setup,
    drop_database,
    git_commit,
    machine_busy,
    machine_line,
    manage,
    postgres_facts,
    production_env,
    recreate_database,
    summary_ms,
    verdict,
)

TARGET_INVITE_MS = 2.0
TARGET_EVENT_FEED_MS = 200.0
TARGET_REVALIDATION_MS = 20.0

ZONES = (
    "Europe/Paris",
    "Europe/Bucharest",
    "Europe/Budapest",
    "Europe/Lisbon",
    "Europe/Rome",
    "Atlantic/Azores",
    "America/Montreal",
    "Africa/Dakar",
)
LANGUAGES = ("en", "fr", "ro", "hu", "pt", "it")
PROGRAMME_SLUG = "training-500"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="events in the network feed")
    parser.add_argument("--items", type=int, default=500, help="programme items of one event")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per feed")
    parser.add_argument("--repeat-small", type=int, default=300, help="timed invites and 304s")
    parser.add_argument("--profile", action="store_true", help="cProfile hot spots of each")
    parser.add_argument("--database", default="rencontres_bench_cal")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


# --- data --------------------------------------------------------------------------------


def create_data(events_count: int, items_count: int) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event, Organisation, ProgrammeItem, Room, Speaker, Venue
    from notifications.models import Kind, OutgoingMessage
    from notifications.services import new_message_id
    from registrations.models import Registration, WorkshopChoice

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    countries = ("FR", "RO", "HU", "PT", "IT", "PT", "CA", "SN")
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Partner {n}, association for culture; and work",
                slug=f"partner-{n}",
                country=countries[n % len(countries)],
                city="City",
            )
            for n in range(12)
        ]
    )
    venues = Venue.objects.bulk_create(
        [
            Venue(
                name=f"Maison des associations n°{n}",
                address=f"{n} rue de la Solidarité",
                postcode=f"{10000 + n}",
                city=f"Ville {n}",
                country=countries[n % len(countries)],
                organisation=organisations[n % len(organisations)],
            )
            for n in range(len(ZONES) * 3)
        ]
    )
    rows = []
    for n in range(events_count):
        zone = n % len(ZONES)
        starts = now + timedelta(hours=9 * n + 24)
        online = n % 10 == 9
        rows.append(
            Event(
                slug=PROGRAMME_SLUG if n == 0 else f"event-{n:04d}",
                kind=Event.Kind.ONLINE if online else Event.Kind.NATIONAL_MEETING,
                status=Event.Status.PUBLISHED,
                title_en=f"Meeting {n} of the network: culture, work and solidarity",
                title_fr=f"Rencontre {n} du réseau : culture, travail et solidarité",
                summary_en="Two days of plenaries, workshops and site visits with the "
                "partners of the network; lunch included.",
                summary_fr="Deux jours de plénières, d'ateliers et de visites avec les "
                "partenaires du réseau ; déjeuner compris.",
                host=organisations[n % len(organisations)],
                venue=None if online else venues[zone + len(ZONES) * (n % 3)],
                online_url="https://meet.example.org/room-" + str(n) if online else "",
                timezone=ZONES[zone],
                starts_at=starts,
                ends_at=starts + (timedelta(days=3, hours=9) if n == 0 else timedelta(hours=30)),
                default_language=LANGUAGES[n % len(LANGUAGES)],
                languages=list(LANGUAGES),
            )
        )
    events = Event.objects.bulk_create(rows, batch_size=500)
    event = events[0]
    event.refresh_from_db()

    rooms = Room.objects.bulk_create(
        [Room(venue=event.venue, name=f"Room {n}", position=n, capacity=40) for n in range(10)]
    )
    speakers = Speaker.objects.bulk_create(
        [
            Speaker(name=f"Speaker {n} Popescu-Nagy", organisation=organisations[n % 12])
            for n in range(50)
        ]
    )
    kinds = (
        ProgrammeItem.Kind.WORKSHOP,
        ProgrammeItem.Kind.WORKSHOP,
        ProgrammeItem.Kind.PLENARY,
        ProgrammeItem.Kind.SITE_VISIT,
        ProgrammeItem.Kind.MEAL,
    )
    items = []
    slots_per_day = -(-items_count // (4 * len(rooms)))  # ceil
    for n in range(items_count):
        slot, room = divmod(n, len(rooms))
        day, hour = divmod(slot, slots_per_day)
        begins = event.starts_at + timedelta(days=day, minutes=40 * hour)
        items.append(
            ProgrammeItem(
                event=event,
                kind=kinds[n % len(kinds)],
                title_en=f"Session {n}: financing cultural projects, a practical workshop",
                title_fr=f"Séance {n} : financer les projets culturels, atelier pratique",
                description_en="How partners finance their projects; examples, questions, "
                "and a template budget to take home.\nBring your own project.",
                starts_at=begins,
                ends_at=begins + timedelta(minutes=35),
                room=rooms[room],
                language=LANGUAGES[n % len(LANGUAGES)],
            )
        )
    items = ProgrammeItem.objects.bulk_create(items, batch_size=500)
    through = ProgrammeItem.speakers.through
    through.objects.bulk_create(
        [
            through(programmeitem_id=item.pk, speaker_id=speakers[(n + k) % 50].pk)
            for n, item in enumerate(items)
            for k in range(1 + n % 2)
        ]
    )
    registration = Registration.objects.create(
        event=event,
        status=Registration.Status.CONFIRMED,
        email="ana.popescu@example.org",
        first_name="Ana",
        last_name="Popescu",
        organisation=organisations[1],
        country="RO",
        language="fr",
        privacy_consent_version="1",
        privacy_consented_at=now,
    )
    workshops = [item for item in items if item.kind == ProgrammeItem.Kind.WORKSHOP]
    step = max(len(workshops) // 3, 1)
    for item in workshops[::step][:3]:
        WorkshopChoice.objects.create(
            registration=registration, item=item, status=WorkshopChoice.Status.CONFIRMED
        )
    message = OutgoingMessage.objects.create(
        kind=Kind.CONFIRMED,
        recipient=registration.email,
        language=registration.language,
        registration=registration,
        event=event,
        due_at=now,
        message_id=new_message_id(),
    )
    return {"event": event.slug, "registration": registration.pk, "message": message.pk}


# --- the floor: same selectors, same SQL, JSON instead of iCalendar -----------------------


def _event_fields(event, language: str) -> dict:
    from django.urls import reverse

    venue = f"{event.venue.name}, {event.venue.full_address}" if event.venue_id else ""
    return {
        "uid": str(event.uuid),
        "sequence": event.sequence,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "tzid": event.timezone,
        "summary": event.i18n.in_language("title", language),
        "description": event.i18n.in_language("summary", language),
        "location": venue or event.online_url,
        "url": reverse("events:detail", kwargs={"slug": event.slug}),
        "status": event.status,
        "last_modified": event.updated_at,
        "categories": [event.kind],
    }


def network_json(request):
    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import HttpResponse
    from django.utils.translation import get_language

    from events import selectors

    language = get_language()
    rows = [_event_fields(event, language) for event in selectors.network_feed_events()]
    body = json.dumps(rows, cls=DjangoJSONEncoder)
    return HttpResponse(body, content_type="application/json")


def event_json(request, slug: str):
    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import HttpResponse
    from django.utils.translation import get_language

    from events import selectors

    language = get_language()
    event = selectors.feed_event(slug=slug)
    rows = [_event_fields(event, language)]
    for item in selectors.programme_items(event=event):
        speakers = ", ".join(
            f"{s.name} ({s.organisation.name})" if s.organisation_id else s.name
            for s in item.speakers.all()
        )
        rows.append(
            {
                "uid": str(item.uuid),
                "sequence": item.sequence,
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "tzid": event.timezone,
                "summary": item.i18n.in_language("title", language),
                "description": item.i18n.in_language("description", language),
                "speakers": speakers,
                "location": item.room.name if item.room_id else item.location,
                "status": event.status,
                "categories": [item.kind],
            }
        )
    body = json.dumps(rows, cls=DjangoJSONEncoder)
    return HttpResponse(body, content_type="application/json")


def urlconf() -> types.ModuleType:
    """The project's URLs plus the two floor views, as a URLconf for this process only."""
    from django.conf.urls.i18n import i18n_patterns
    from django.urls import include, path

    from config import urls

    module = types.ModuleType("bench_calendar_urls")
    module.urlpatterns = list(urls.urlpatterns) + i18n_patterns(
        path(
            "bench-floor/",
            include(
                (
                    [
                        path("network.json", network_json, name="network"),
                        path("events/<slug:slug>.json", event_json, name="event"),
                    ],
                    "bench_floor",
                )
            ),
        )
    )
    return module


# --- measuring ---------------------------------------------------------------------------


class Timings(list):
    """Wall seconds of each call, with ``cpu``: this process's CPU seconds of each call
    (what the call cost, whatever else the machine was doing)."""

    cpu: list[float]


def timed(function, repeat: int, before=None) -> Timings:
    values = Timings()
    values.cpu = []
    for _n in range(repeat):
        argument = before() if before else None
        cpu = time.process_time()
        start = time.perf_counter()
        function(argument)
        values.append(time.perf_counter() - start)
        values.cpu.append(time.process_time() - cpu)
    return values


def queries_of(function, argument=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function(argument)
    return len(captured)


def profile(label: str, function, repeat: int, before=None, top: int = 22) -> list[str]:
    profiler = cProfile.Profile()
    for _n in range(repeat):
        argument = before() if before else None
        profiler.enable()
        function(argument)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(12)
    text = out.getvalue()
    return [f"--- cProfile: {label} ({repeat} calls) ---", text]


class Row:
    def __init__(self, label: str, seconds: list[float], queries, size: int | None = None):
        self.label, self.seconds, self.queries, self.size = label, seconds, queries, size
        self.stats = summary_ms(seconds)
        cpu = getattr(seconds, "cpu", None)
        self.cpu_ms = summary_ms(cpu)["median"] if cpu else None

    def line(self) -> str:
        s = self.stats
        size = f"  {self.size / 1024:8.1f} KiB" if self.size is not None else " " * 14
        queries = "  - " if self.queries is None else f"{self.queries:3d} "
        cpu = "       -   " if self.cpu_ms is None else f"{self.cpu_ms:8.2f} ms"
        return (
            f"  {self.label:<62} median {s['median']:8.2f} ms  cpu {cpu}  p95 {s['p95']:8.2f} ms"
            f"  (n={s['n']:>3}, min {s['min']:7.2f}){size}  {queries}queries"
        )


def load_snapshot() -> tuple[float, float, float, float]:
    return (
        time.monotonic(),
        machine_busy(),
        cpu_seconds(os.getpid()),
        cpu_by_command(("postgres",))["postgres"],
    )


def load_report(before, after) -> str:
    seconds, machine, own, postgres = (b - a for a, b in zip(before, after, strict=True))
    outside = max(machine - own - postgres, 0.0)
    return (
        f"load      over the {seconds:.0f} s of measurements: this process "
        f"{own / seconds:.2f} cores, PostgreSQL (all databases) {postgres / seconds:.2f}, "
        f"everything else {outside / seconds:.2f} of {os.cpu_count()} cores"
    )


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-cal-"))
    env = production_env(
        database=args.database, var_dir=workdir / "var", STATIC_ROOT=str(workdir / "static")
    )
    (workdir / "static").mkdir()
    print(f"preparing: database {args.database}")
    recreate_database(args.database)
    manage(env, "migrate", "--no-input", "-v", "0")
    django_setup(env)
    try:
        return measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: database {args.database}")
        else:
            drop_database(args.database)
        shutil.rmtree(workdir, ignore_errors=True)


def measure(args) -> int:
    from django.test import Client
    from django.test.utils import override_settings

    from events import calendar
    from notifications.models import OutgoingMessage
    from notifications.rendering import invite, organiser_address
    from registrations.calendars import registration_entry
    from registrations.selectors import registration_workshops

    start = time.perf_counter()
    data = create_data(args.events, args.items)
    print(
        f"created {args.events:,} events ({len(ZONES)} time zones), one with {args.items} "
        f"programme items, 1 registration with 3 workshops in {time.perf_counter() - start:.1f} s"
    )
    print(f"machine   {machine_line()}")
    print(f"commit    {git_commit()}")
    print(f"database  {postgres_facts(args.database)}, CONN_MAX_AGE=60")
    print("settings  config.settings, DEBUG=0; requests through django.test.Client in process")
    print()

    load_start = load_snapshot()
    rows: dict[str, Row] = {}
    profiles: list[str] = []
    R, RS = args.repeat, args.repeat_small

    # --- invites ----------------------------------------------------------------------
    def fresh_message():
        # As message_claim reads the row for the send task.
        return OutgoingMessage.objects.select_related("registration__event__venue", "event").get(
            pk=data["message"]
        )

    def loaded_rows():
        # What build_email reads once for the email and its invite.
        message = fresh_message()
        return (
            message,
            registration_workshops(message.registration),
            organiser_address(message.event),
        )

    def invite_from_rows(rows):
        message, workshops, organiser = rows
        return invite(message, workshops=workshops, organiser=organiser)

    def invite_with_reading(_argument):
        return invite_from_rows(loaded_rows())

    rows_now = loaded_rows()
    entry = registration_entry(rows_now[0].registration, "fr", workshops=rows_now[1])
    entry.organizer_name, entry.organizer = rows_now[2]
    for _n in range(20):  # warm-up
        invite_with_reading(None)
        invite(fresh_message())
    ics = invite_from_rows(rows_now)[1]
    rows["invite"] = Row(
        "invite: registration_entry + build, from rows read",
        timed(invite_from_rows, RS, loaded_rows),
        queries_of(invite_from_rows, loaded_rows()),
        len(ics),
    )
    rows["invite_loading"] = Row(
        "invite: reading the rows + registration_entry + build",
        timed(invite_with_reading, RS),
        queries_of(invite_with_reading),
        len(ics),
    )
    rows["invite_full"] = Row(
        "invite: rendering.invite(message), row as claimed",
        timed(invite, RS, fresh_message),
        queries_of(invite, fresh_message()),
        len(invite(fresh_message())[1]),
    )
    rows["invite_build"] = Row(
        "invite: build([entry]) alone, entry ready",
        timed(lambda _a: calendar.build([entry], method="REQUEST"), RS),
        queries_of(lambda _a: calendar.build([entry], method="REQUEST")),
        len(calendar.build([entry], method="REQUEST")),
    )
    invite_json = json.dumps(asdict(entry), default=str)
    rows["invite_floor"] = Row(
        "invite floor: json.dumps(asdict(entry)), entry ready",
        timed(lambda _a: json.dumps(asdict(entry), default=str), RS),
        0,
        len(invite_json),
    )
    if args.profile:
        profiles += profile("invite: from rows read", invite_from_rows, 200, loaded_rows)
        profiles += profile("invite: reading the rows + build", invite_with_reading, 200)

    # --- feeds through the test client ------------------------------------------------
    module = urlconf()
    with override_settings(ROOT_URLCONF=module):
        client = Client()
        network_url = "/en/calendar/rencontres.ics"
        event_url = f"/en/calendar/events/{data['event']}.ics"
        network_floor_url = "/en/bench-floor/network.json"
        event_floor_url = f"/en/bench-floor/events/{data['event']}.json"

        def get(url, **headers):
            def call(_argument=None):
                response = client.get(url, headers=headers)
                body = response.content
                if response.status_code not in (200, 304):
                    raise SystemExit(f"GET {url}: {response.status_code}")
                return response, body

            return call

        checks = {}
        for label, url, vevents in (
            ("network", network_url, args.events),
            ("event", event_url, args.items + 1),
        ):
            start = time.perf_counter()
            response, body = get(url)()
            first = time.perf_counter() - start
            found = body.count(b"BEGIN:VEVENT")
            checks[label] = (found, vevents, response["ETag"], len(body))
            rows[f"{label}_first"] = Row(
                f"{label} feed: first call of the process", [first], None, len(body)
            )
        for url in (network_floor_url, event_floor_url):
            get(url)()  # first call (URL resolver, imports)

        for label, url, floor_url in (
            ("network", network_url, network_floor_url),
            ("event", event_url, event_floor_url),
        ):
            name = (
                f"network feed ({args.events:,} events)"
                if label == "network"
                else (f"event feed ({args.items} items + event)")
            )
            call = get(url)
            floor = get(floor_url)
            for _n in range(3):
                call()
                floor()
            rows[label] = Row(f"{name}: warm", timed(call, R), queries_of(call), checks[label][3])
            rows[f"{label}_cold_tz"] = Row(
                f"{name}: VTIMEZONE cache cleared each call",
                timed(call, R, calendar._vtimezone.cache_clear),
                queries_of(call),
                checks[label][3],
            )
            rows[f"{label}_floor"] = Row(
                f"{name}: floor (same selectors, JSON)",
                timed(floor, R),
                queries_of(floor),
                len(floor()[1]),
            )
            etag = checks[label][2]
            revalidate = get(url, if_none_match=etag)
            response, _body = revalidate()
            if response.status_code != 304:
                raise SystemExit(f"{url} with If-None-Match {etag}: {response.status_code}")
            rows[f"{label}_304"] = Row(
                f"{name}: 304 (If-None-Match)",
                timed(revalidate, RS),
                queries_of(revalidate),
                0,
            )
            if args.profile:
                profiles += profile(f"GET {url} (warm)", call, max(5, R // 3))
                profiles += profile(f"GET {url} 304", revalidate, 100)

    load = load_report(load_start, load_snapshot())

    # --- report ------------------------------------------------------------------------
    print(load)
    for label, (found, expected, etag, size) in checks.items():
        print(f"{label} feed: {found} VEVENTs (expected {expected}), {size / 1024:.0f} KiB, "
              f"ETag {etag}")  # fmt: skip
    print()
    order = [
        "invite", "invite_loading", "invite_full", "invite_build", "invite_floor",
        "network_first", "network", "network_cold_tz", "network_floor", "network_304",
        "event_first", "event", "event_cold_tz", "event_floor", "event_304",
    ]  # fmt: skip
    for key in order:
        print(rows[key].line())
        if key in ("invite_floor", "network_304"):
            print()

    def ratio(a: str, b: str) -> float:
        return rows[a].stats["median"] / rows[b].stats["median"]

    print()
    print("ratios (median time / median time of the floor):")
    print(
        f"  invite build / JSON of the same entry     {ratio('invite_build', 'invite_floor'):6.1f}x"
    )
    print(f"  network feed / JSON floor                 {ratio('network', 'network_floor'):6.1f}x")
    print(f"  event feed / JSON floor                   {ratio('event', 'event_floor'):6.1f}x")
    print()
    invite_ms = rows["invite"].stats["median"]
    invite_loading = rows["invite_loading"]
    event_ms = rows["event"].stats["median"]
    event_cold_ms = rows["event_cold_tz"].stats["median"]
    revalidation = max(rows["network_304"].stats["median"], rows["event_304"].stats["median"])
    ok = [
        verdict(invite_ms < TARGET_INVITE_MS,
                f"invite under {TARGET_INVITE_MS:.0f} ms: registration_entry + build from "
                f"rows read {invite_ms:.2f} ms median (with the reading "
                f"{invite_loading.stats['median']:.2f} ms, {invite_loading.queries} queries)"),
        verdict(max(event_ms, event_cold_ms) < TARGET_EVENT_FEED_MS,
                f"{args.items}-item feed under {TARGET_EVENT_FEED_MS:.0f} ms uncached: "
                f"{event_ms:.1f} ms median warm, {event_cold_ms:.1f} ms with VTIMEZONE "
                f"rebuilt, {rows['event_first'].stats['median']:.1f} ms first call"),
        verdict(revalidation < TARGET_REVALIDATION_MS,
                f"revalidation under {TARGET_REVALIDATION_MS:.0f} ms: network 304 "
                f"{rows['network_304'].stats['median']:.2f} ms, event 304 "
                f"{rows['event_304'].stats['median']:.2f} ms median"),
    ]  # fmt: skip
    print("\n".join(ok))
    print(f"(network feed, no target: {rows['network'].stats['median']:.0f} ms median warm)")
    if profiles:
        print()
        print("\n".join(profiles))
    for label, (found, expected, _etag, _size) in checks.items():
        if found != expected:
            print(f"{label} feed has {found} VEVENTs, expected {expected}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
