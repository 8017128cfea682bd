"""The floors: the least a Django view on this stack can do for the same request.

``floor``: for one form submission. Same middleware (CSRF checked), same POST body parsed,
one row inserted with a plain cursor in autocommit, a 302 like the real registration view.
Nothing under it can be optimised away by the application, so the registration path is
measured against it. The table is created by ``bench/registration.py``.

``public_floor``: for a public read. The bytes the application answered for the same
page or feed, read back with one query and returned as they are (same middleware). The
table is filled by ``bench/public_reads.py``.
"""

import functools
import hashlib
import secrets
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils import timezone


def floor(request):
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_floor (email) VALUES (%s) RETURNING id",
                [request.POST.get("email", "")],
            )
            (row_id,) = cursor.fetchone()
        return HttpResponseRedirect(f"/floor/{row_id}/")
    token = get_token(request)
    return HttpResponse(
        '<form method="post">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        "</form>"
    )


def public_floor(request, name: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, content_type FROM bench_public_floor WHERE name = %s", [name])
        body, content_type = cursor.fetchone()
    return HttpResponse(bytes(body), content_type=content_type)


# --- the least a registration must do ----------------------------------------------------
#
# Not the floor the issue names (that one inserts one row), but a second reference for the
# same POST: the least any implementation of the registration rules has to do, written by
# hand, with none of Django's forms, models or signals on the request's path. It lets the
# benchmark say how much of the gap between the floor and the registration view is the
# rules' own work and how much is the application's code, and whether the issue's target
# (half the floor) is within reach of any code on the same stack.
#
# Per POST: one Redis round trip for the two rate limits (per address, per email), then ONE
# SQL statement in autocommit, as the floor has, which in one go checks that the event is
# open, takes a place if one is left (a counter raised under its row lock: the "keep a
# counter" way of the issue), writes the registration confirmed or on the waiting list,
# and writes its emails' rows (the confirmation and its reminders, or the waiting-list
# email): the same rows as the application writes. Then a 302 to the registration's page.
# It checks the submitted fields as little as a form must (required, lengths, an address
# with an "@") and skips what the benchmark's form does not use (questions, workshops,
# quotas, approval, repeated submissions, publishing to the broker: the emails' rows are
# written due and left to the dispatcher). Columns not given are filled with the models'
# own defaults, computed once.


@functools.cache
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def _rate_limited(request, email: str) -> bool:
    pipeline = _redis().pipeline(transaction=False)
    limits = []
    for source, (amount, duration) in (
        (request.META.get("REMOTE_ADDR", ""), (1_000_000, 60)),
        (email, (5, 600)),
    ):
        key = f"bench:rl:{hashlib.sha256(source.encode()).hexdigest()[:32]}:{duration}"
        key += f":{int(time.time() // duration)}"
        pipeline.set(key, 0, ex=duration, nx=True)
        pipeline.incr(key)
        limits.append(amount)
    counts = pipeline.execute()[1::2]
    return any(count > amount for count, amount in zip(counts, limits, strict=True))


def _fields(model_path: str):
    from django.apps import apps

    model = apps.get_model(model_path)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return model._meta.db_table, fields


def _default(field):
    return field.get_db_prep_save(field.get_default(), connection)


#: Per email row: (kind, dedupe key, due at, enqueued at, Message-ID, sent for this status).
_EMAIL_COLUMNS = ("kind", "dedupe_key", "due_at", "enqueued_at", "message_id", "for_status")
_GIVEN = {  # registration columns given per request, in this order
    "uuid",
    "secret",
    "event_id",
    "email",
    "first_name",
    "last_name",
    "organisation_name",
    "country",
    "role",
    "language",
    "dietary_needs",
    "accessibility_needs",
    "privacy_consent_version",
    "privacy_consented_at",
    "listed_publicly",
    "created_at",
    "updated_at",
}


@functools.cache
def _statement(emails: int):
    """The statement, and the values of the columns that are the same for every POST."""
    quote = connection.ops.quote_name
    table, fields = _fields("registrations.Registration")
    columns, values, constant = [], [], []
    for f in fields:
        columns.append(quote(f.column))
        if f.attname == "status":
            values.append(
                "CASE WHEN EXISTS (SELECT 1 FROM taken) THEN 'confirmed' ELSE 'waitlisted' END"
            )
        elif f.attname == "waitlisted_at":
            values.append("CASE WHEN EXISTS (SELECT 1 FROM taken) THEN NULL ELSE %(now)s END")
        elif f.attname in _GIVEN:
            values.append(f"%({f.attname})s")
        else:
            values.append(f"%(c_{f.attname})s")
            constant.append((f"c_{f.attname}", _default(f)))
    # Names from the models' metadata, quoted: no request data in the statements.
    registration = (
        f"INSERT INTO {quote(table)} ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608
        " FROM ev RETURNING id, status, secret"
    )
    table, fields = _fields("notifications.OutgoingMessage")
    columns, values = [], []
    for f in fields:
        columns.append(quote(f.column))
        if f.attname in _EMAIL_COLUMNS:
            values.append(f"k.{f.attname}")
        elif f.attname == "registration_id":
            values.append("reg.id")
        elif f.attname in ("recipient", "language", "event_id"):
            values.append({"recipient": "%(email)s"}.get(f.attname, f"%({f.attname})s"))
        elif f.attname in ("created_at", "updated_at"):
            values.append("%(now)s")
        else:
            values.append(f"%(m_{f.attname})s")
            constant.append((f"m_{f.attname}", _default(f)))
    casts = {"due_at": "::timestamptz", "enqueued_at": "::timestamptz"}
    rows = ", ".join(
        "(" + ", ".join(f"%(e{n}_{c})s{casts.get(c, '')}" for c in _EMAIL_COLUMNS) + ")"
        for n in range(emails)
    )
    email_rows = (
        f"INSERT INTO {quote(table)} ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608
        f" FROM reg JOIN (VALUES {rows}) AS k ({', '.join(_EMAIL_COLUMNS)})"
        " ON k.for_status = reg.status"
    )
    sql = (
        "WITH ev AS (SELECT id FROM events_event WHERE id = %(event_id)s"  # noqa: S608
        " AND status = 'published' AND registration_opens_at <= %(now)s"
        " AND registration_closes_at > %(now)s),"
        " taken AS (UPDATE events_event SET places_taken = places_taken + 1"
        " WHERE id IN (SELECT id FROM ev) AND places_taken < capacity RETURNING id),"
        f" reg AS ({registration}),"
        f" mail AS ({email_rows})"
        " SELECT secret FROM reg"
    )
    return sql, dict(constant)


_EVENTS: dict[int, tuple] = {}


def _event(event_id: int) -> tuple:
    """(privacy notice version, starts at, ends at): configuration, read once."""
    if event_id not in _EVENTS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT privacy_notice_version, starts_at, ends_at FROM events_event WHERE id = %s",
                [event_id],
            )
            _EVENTS[event_id] = cursor.fetchone()
    return _EVENTS[event_id]


_REQUIRED = ("email", "first_name", "last_name", "role", "language")
_LENGTHS = {
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "organisation_name": 200,
    "country": 2,
    "role": 20,
    "language": 5,
    "dietary_needs": 300,
    "accessibility_needs": 300,
}


def minimum(request, event_id: int):
    if request.method != "POST":
        return floor(request)
    data = request.POST
    person = {name: data.get(name, "").strip() for name in _LENGTHS}
    person["email"] = person["email"].lower()
    if (
        data.get("website")
        or not data.get("privacy_consent")
        or any(not person[name] for name in _REQUIRED)
        or any(len(person[name]) > limit for name, limit in _LENGTHS.items())
        or "@" not in person["email"]
    ):
        return HttpResponseBadRequest("invalid form")
    if _rate_limited(request, person["email"]):
        return HttpResponse("too many", status=429)
    event = _event(event_id)
    if event is None:
        return HttpResponseBadRequest("no such event")
    notice, starts_at, ends_at = event
    now = timezone.now()
    stamp = f"{now:%Y%m%d%H%M%S}"
    emails = [
        ("confirmed", "", now, None, "confirmed"),
        ("reminder", "reminder:7d", starts_at - timedelta(days=7), None, "confirmed"),
        ("reminder", "reminder:1d", starts_at - timedelta(days=1), None, "confirmed"),
        ("thanks", "thanks", ends_at + timedelta(hours=3), None, "confirmed"),
        ("waitlisted", "", now, None, "waitlisted"),
    ]
    sql, params = _statement(len(emails))
    params = {
        **params,
        **person,
        "listed_publicly": bool(data.get("listed_publicly")),
        "uuid": uuid.uuid4(),
        "secret": secrets.token_urlsafe(32),
        "event_id": event_id,
        "privacy_consent_version": notice,
        "privacy_consented_at": now,
        "created_at": now,
        "updated_at": now,
        "now": now,
    }
    for n, (kind, key, due, enqueued, status) in enumerate(emails):
        message_id = f"<{stamp}.{secrets.token_urlsafe(15)}@bench.local>"
        for name, value in zip(
            _EMAIL_COLUMNS, (kind, key, due, enqueued, message_id, status), strict=True
        ):
            params[f"e{n}_{name}"] = value
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return HttpResponseBadRequest("registration closed")
    return HttpResponseRedirect(f"/en/r/{row[0]}/")
