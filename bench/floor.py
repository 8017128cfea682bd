"""The floor: the least a Django view on this stack can do for one form submission.

Same middleware (CSRF checked), same POST body parsed, one row inserted with a plain
cursor in autocommit, a 302 like the real registration view. Nothing under it can be
optimised away by the application, so the registration path is measured against it.
The table is created by ``bench/registration.py``.
"""

import functools
import hashlib
import secrets
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
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


# --- the least a registration must do ----------------------------------------------------
#
# Not the floor the issue names (that one inserts one row), but a second reference for the
# same POST: what any implementation of the registration rules has to do at the least, by
# hand, with none of Django's forms, models or signals on the request's path. It lets the
# benchmark say how much of the gap between the floor and the registration view is the
# rules' own work (a rate limit round trip, a transaction of five statements holding the
# event's row lock) and how much is the application's code.
#
# Per POST, as ``registrations.services.registration_create`` does when a place is free:
# one Redis round trip for the two rate limits; the event's live columns read; then in one
# transaction the registration's row, its emails' rows in one INSERT (the confirmation and
# the reminders; one row on the waiting list), the event's row locked and its places
# counted, the counter raised, COMMIT; a 302 to the registration's page. It checks the
# submitted fields as little as a form must (required, lengths, an address with an "@") and
# skips what the benchmark's form does not use (questions, workshops, quotas, approval,
# repeated submissions, publishing to the broker: the emails' rows are written as due and
# left to the dispatcher). Columns are filled from the models' own defaults, computed once.


class _Changed(Exception):
    """The places counted under the lock give another status: do it again lock first."""


@functools.cache
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


@functools.cache
def _insert(model_path: str):
    """(the start of an INSERT of every column, one row's placeholders, the columns' names,
    the constant values of those with one, the fields whose default is made per row),
    computed once from the model's fields."""
    from django.apps import apps

    model = apps.get_model(model_path)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    constant, per_row = {}, {}
    for f in fields:
        if f.has_default() and callable(f.default):
            per_row[f.attname] = f  # uuid4, a secret, a dict: a new value for each row
        elif not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False):
            constant[f.attname] = f.get_db_prep_save(f.get_default(), connection)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        # Names from the model's metadata, quoted: no request data in the statement.
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ",  # noqa: S608
        row,
        [f.attname for f in fields],
        constant,
        per_row,
    )


def _rows_sql(model_path: str, rows: list[dict]) -> tuple[str, list]:
    start, row, names, constant, per_row = _insert(model_path)
    params = []
    for values in rows:
        for name in names:
            if name in values:
                params.append(values[name])
            elif name in constant:
                params.append(constant[name])
            else:
                field = per_row[name]
                params.append(field.get_db_prep_save(field.get_default(), connection))
    return start + ", ".join([row] * len(rows)) + " RETURNING id", params


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


_EVENT = (
    "SELECT status, registration_opens_at, registration_closes_at, capacity, places_taken,"
    " privacy_notice_version, starts_at, ends_at FROM events_event WHERE id = %s"
)
_LOCK = "SELECT capacity, places_taken FROM events_event WHERE id = %s FOR NO KEY UPDATE"
_TAKE = "UPDATE events_event SET places_taken = places_taken + 1 WHERE id = %s"


def _write(cursor, event_id: int, event: tuple, person: dict, status: str, now) -> str:
    """The registration's row and its emails' rows; its secret."""
    secret = secrets.token_urlsafe(32)
    waitlisted = status == "waitlisted"
    sql, params = _rows_sql(
        "registrations.Registration",
        [
            {
                **person,
                "uuid": uuid.uuid4(),
                "secret": secret,
                "event_id": event_id,
                "status": status,
                "privacy_consent_version": event[5],
                "privacy_consented_at": now,
                "details_confirmed": True,
                "waitlisted_at": now if waitlisted else None,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    cursor.execute(sql, params)
    (registration_id,) = cursor.fetchone()
    starts_at, ends_at = event[6], event[7]
    kinds = (
        [("waitlisted", "", now)]
        if waitlisted
        else [
            ("confirmed", "", now),
            ("reminder", "reminder:7d", starts_at - timedelta(days=7)),
            ("reminder", "reminder:1d", starts_at - timedelta(days=1)),
            ("thanks", "thanks", ends_at + timedelta(hours=3)),
        ]
    )
    stamp = f"{now:%Y%m%d%H%M%S}"
    sql, params = _rows_sql(
        "notifications.OutgoingMessage",
        [
            {
                "kind": kind,
                "recipient": person["email"],
                "language": person["language"],
                "registration_id": registration_id,
                "event_id": event_id,
                "dedupe_key": key,
                "due_at": due,
                "enqueued_at": now if due <= now else None,
                "message_id": f"<{stamp}.{secrets.token_urlsafe(15)}@bench.local>",
                "created_at": now,
                "updated_at": now,
            }
            for kind, key, due in kinds
        ],
    )
    cursor.execute(sql, params)
    return secret


def _register(event_id: int, event: tuple, person: dict, now) -> str:
    status = "confirmed" if event[4] < event[3] else "waitlisted"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            secret = _write(cursor, event_id, event, person, status, now)
            cursor.execute(_LOCK, [event_id])
            capacity, taken = cursor.fetchone()
            if ("confirmed" if taken < capacity else "waitlisted") != status:
                raise _Changed
            if status == "confirmed":
                cursor.execute(_TAKE, [event_id])
            return secret
    except _Changed:
        pass
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK, [event_id])
        capacity, taken = cursor.fetchone()
        status = "confirmed" if taken < capacity else "waitlisted"
        secret = _write(cursor, event_id, event, person, status, now)
        if status == "confirmed":
            cursor.execute(_TAKE, [event_id])
        return secret


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
    person["listed_publicly"] = bool(data.get("listed_publicly"))
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
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_EVENT, [event_id])
        event = cursor.fetchone()
    if event is None or event[0] != "published" or not (event[1] <= now < event[2]):
        return HttpResponseBadRequest("registration closed")
    secret = _register(event_id, event, person, now)
    return HttpResponseRedirect(f"/en/r/{secret}/")
