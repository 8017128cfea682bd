"""Writing, scheduling and sending outgoing messages.

Rows are written in the transaction of the change that causes them. Rows due now are
published to the workers (``messages_publish``: one send task per ``SEND_BATCH`` ids) by
``transaction.on_commit``, once that transaction has committed: a rolled-back change
publishes nothing. A row is marked ``enqueued_at`` only after its task was published, so
a publish that is lost (the broker is down, the process dies between the commit and the
publish) leaves the row unmarked, and the periodic dispatcher (``outbox_dispatch``, every
``OUTBOX_DISPATCH_SECONDS``) hands it out at its next run. A task lost after it was
published (the broker lost it) is handed out again ``NOTIFICATIONS_REENQUEUE_AFTER``
seconds after it was published.

Workers send in batches: a send task takes up to ``SEND_BATCH`` ids, claims its rows in one
transaction and sends them one after the other over one SMTP connection.

Exactly once: rows are claimed (QUEUED -> SENDING, ``attempts`` + 1, ``sending_since`` =
the claim's time) in their own transaction before the SMTP conversation; only a SENDING row
older than ``NOTIFICATIONS_STUCK_AFTER`` seconds is claimed again, by a new claim. Each
email then goes through the SMTP transaction up to its last line. Just before the line
that ends its data (the one on which the server accepts it), ``handed_at`` is written,
only while the claim is still this sender's (same ``attempts`` and ``sending_since``: a
worker whose rows were claimed again sends none of them). On PostgreSQL its COMMIT and
the final line are written back to back, before either answer is read; elsewhere it is
committed first. Then the server's answer is recorded: SENT, or back to QUEUED (4xx) or
FAILED (5xx).

A worker that dies (SIGKILL, a lost machine) leaves the row SENDING. Found stuck, a row
without ``handed_at`` never reached the server's acceptance and is sent again; a row with
``handed_at`` had its end handed to the server and is recorded SENT without a second
sending. A database that fails at that COMMIT while the server accepts the email is
waited for, and SENT written then. What remains: a worker killed between the two writes
(on PostgreSQL a few microseconds of this process, with nothing waited for; elsewhere the
database's answer to the commit) leaves recorded SENT an email the server never got; a
server that accepts an email but dies before it answers makes the sender try again (a
duplicate, with the same Message-ID). SMTP offers no two-phase commit to close these.
"""

import functools
import logging
import re
import smtplib
import socket
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from email.utils import make_msgid

from celery import current_app
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import get_connection
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, transaction
from django.db import connection as database
from django.db.models import F, Q, prefetch_related_objects
from django.utils import timezone, translation
from psycopg.pq import ConnStatus, ExecStatus

from events.models import Event, ProgrammeItem
from events.selectors import network_identity
from registrations.models import Registration

from . import selectors
from .models import (
    WHILE_ACTIVE,
    Broadcast,
    Kind,
    OutgoingMessage,
)
from .rendering import WORKSHOPS, build_email

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.send_messages"
#: Rows per send task: one claim, one SMTP connection and one task's overhead for them all.
SEND_BATCH = 50


def _setting(name: str, default):
    return getattr(settings, name, default)


def new_message_id() -> str:
    domain = Site.objects.get_current().domain.split(":")[0] or "rencontres.local"
    return make_msgid(domain=domain)


def recipient_language(registration: Registration) -> str:
    """The recipient's preference if they have an account, else their registration's."""
    profile = getattr(registration.user, "profile", None) if registration.user_id else None
    return profile.preferred_language if profile else registration.language


# --- enqueueing --------------------------------------------------------------------------


def messages_publish(message_ids: list[int], *, countdown: float | None = None) -> bool:
    """Publish send tasks for these rows (one per ``SEND_BATCH`` ids), then mark them
    ``enqueued_at``; False if the broker could not be reached. That is logged, never
    raised: the rows stay unmarked in the database and the periodic dispatcher hands them
    out at its next run."""
    message_ids = list(message_ids)
    if not message_ids:
        return False
    try:
        with current_app.producer_or_acquire() as producer:
            # One try, without kombu's reconnection loop: a request never waits on a
            # broker that is down.
            producer.connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            for start in range(0, len(message_ids), SEND_BATCH):
                current_app.send_task(
                    SEND_TASK,
                    args=[message_ids[start : start + SEND_BATCH]],
                    countdown=countdown,
                    producer=producer,
                )
    except Exception:  # the outbox is the source of truth; the dispatcher tries again
        logger.warning(
            "broker unavailable; %d message(s) wait for the dispatcher",
            len(message_ids),
            exc_info=True,
        )
        return False
    _mark_enqueued(message_ids)
    return True


def _mark_enqueued(message_ids: list[int]) -> None:
    """Record that these rows' task was published, in one UPDATE. Only rows still QUEUED
    (a worker may have claimed one already), and rows that a worker is claiming at this
    very moment are left alone rather than waited for (``SKIP LOCKED`` in the subquery;
    their claim makes them SENDING), so that marking never waits on a worker, nor locks
    rows in another order than the claim does. (``atomic``: Django runs a
    ``select_for_update`` only inside a transaction, even as a subquery.)"""
    with transaction.atomic():
        unclaimed = (
            OutgoingMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, state=OutgoingMessage.State.QUEUED)
            .order_by()
        )
        OutgoingMessage.objects.filter(pk__in=unclaimed.values("pk")).update(
            enqueued_at=timezone.now()
        )


def enqueue_soon(message_ids: list[int]) -> None:
    """Publish these rows once the current transaction commits (at once outside one);
    nothing is published if it rolls back. An error after the commit is logged, not
    raised: the change is done, and the dispatcher hands out what was not published."""
    message_ids = list(message_ids)
    if message_ids:
        transaction.on_commit(functools.partial(messages_publish, message_ids), robust=True)


def message_new(
    *,
    kind: str,
    recipient: str,
    language: str,
    registration: Registration | None = None,
    event: Event | None = None,
    due_at: datetime | None = None,
    dedupe_key: str = "",
    context: dict | None = None,
    broadcast: Broadcast | None = None,
    subject: str = "",
    body_text: str = "",
    body_html: str = "",
) -> OutgoingMessage:
    """An outbox row, not saved yet (``messages_save`` writes rows together)."""
    return OutgoingMessage(
        kind=kind,
        recipient=recipient,
        language=language,
        registration=registration,
        event=event or (registration.event if registration else None),
        due_at=due_at or timezone.now(),
        dedupe_key=dedupe_key,
        context=context or {},
        broadcast=broadcast,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        message_id=new_message_id(),
    )


def messages_save(messages: list[OutgoingMessage]) -> list[OutgoingMessage]:
    """Insert rows in one statement, inside the caller's transaction; those due now are
    published to the workers once it commits (``enqueue_soon``)."""
    if not messages:
        return messages
    OutgoingMessage.objects.bulk_create(messages)
    now = timezone.now()
    enqueue_soon([message.pk for message in messages if message.due_at <= now])
    return messages


def message_create(*, kind: str, recipient: str, language: str, **optional) -> OutgoingMessage:
    """Write one outbox row (``optional``: the other arguments of ``message_new``)."""
    message = message_new(kind=kind, recipient=recipient, language=language, **optional)
    messages_save([message])
    return message


def message_for_registration(
    *, registration: Registration, kind: str, context: dict | None = None, save: bool = True
) -> OutgoingMessage:
    """The email of ``kind`` about a registration, to its person in their language;
    written at once unless ``save`` is false (then the caller passes it to
    ``messages_save`` with others)."""
    message = message_new(
        kind=kind,
        recipient=registration.email,
        language=recipient_language(registration),
        registration=registration,
        context=context,
    )
    if save:
        messages_save([message])
    return message


# --- reminders ---------------------------------------------------------------------------


def _local_moment(event: Event, day: date, at) -> datetime:
    return datetime.combine(day, at, tzinfo=event.tz)


def _planned(event: Event) -> list[tuple[str, str, datetime]]:
    """(kind, dedupe key, due time) of every scheduled message of an event."""
    offsets, digest = selectors.event_schedule(event, digest=event.is_multi_day)
    first_day = event.local_starts_at.date()
    planned = [
        (
            Kind.REMINDER,
            f"reminder:{days}d",
            _local_moment(event, first_day - timedelta(days=days), at),
        )
        for days, at in offsets
    ]
    if digest is not None:
        day = first_day
        while day <= event.local_ends_at.date():
            planned.append(
                (Kind.DIGEST, f"digest:{day.isoformat()}", _local_moment(event, day, digest))
            )
            day += timedelta(days=1)
    planned.append((Kind.THANKS, "thanks", event.ends_at + timedelta(hours=3)))
    return planned


def reminders_planned(
    *, registration: Registration, now: datetime | None = None, new: bool = False
) -> list[OutgoingMessage]:
    """The registration's reminders (and digests, and thanks) that are not written yet,
    as unsaved rows with their due times; those cancelled earlier (the registration was
    cancelled, then made again) are queued again here. One already past is left out:
    nobody gets a stale reminder. ``new``: the registration was just created, so it has
    no reminder yet (the unique constraint on its dedupe keys would refuse a second)."""
    now = now or timezone.now()
    event = registration.event
    planned = [(kind, key, due) for kind, key, due in _planned(event) if due > now]
    if not planned:
        return []
    language = recipient_language(registration)
    existing = {}
    if not new:
        existing = {
            message.dedupe_key: message
            for message in OutgoingMessage.objects.filter(
                registration=registration, dedupe_key__in=[key for _kind, key, _due in planned]
            ).only("pk", "dedupe_key", "state")
        }
    new = []
    for kind, key, due in planned:
        message = existing.get(key)
        if message is None:
            new.append(
                message_new(
                    kind=kind,
                    recipient=registration.email,
                    language=language,
                    registration=registration,
                    due_at=due,
                    dedupe_key=key,
                )
            )
        elif message.state == OutgoingMessage.State.CANCELLED:
            OutgoingMessage.objects.filter(pk=message.pk).update(
                state=OutgoingMessage.State.QUEUED,
                due_at=due,
                attempts=0,
                recipient=registration.email,
                language=language,
                updated_at=now,
            )
    return new


def reminders_schedule(*, registration: Registration, now: datetime | None = None) -> None:
    """Write the registration's reminders (see ``reminders_planned``)."""
    messages_save(reminders_planned(registration=registration, now=now))


# An event moved into the past (an organiser correcting its dates after the fact) still
# thanks its participants, at once, if it ended within the last 7 days: the survey is then
# still fresh in mind and usually open. Moved further back (a data fix months later), a
# thanks out of the blue would puzzle people, so it is dropped like a stale reminder.
THANKS_LATE_WITHIN = timedelta(days=7)


def reminders_reschedule(*, event: Event, now: datetime | None = None) -> None:
    """The event moved: its pending reminders move with it (or are dropped when the new
    time has already passed; the thanks then goes at once, see ``THANKS_LATE_WITHIN``)."""
    now = now or timezone.now()
    for kind, key, due in _planned(event):
        pending = OutgoingMessage.objects.filter(
            registration__event=event,
            dedupe_key=key,
            kind=kind,
            state=OutgoingMessage.State.QUEUED,
        )
        if due <= now and kind == Kind.THANKS and event.ends_at > now - THANKS_LATE_WITHIN:
            # Dates corrected after the fact: the thanks (and its survey link) goes now.
            pending.update(due_at=now, updated_at=now)
        elif due <= now:
            pending.update(state=OutgoingMessage.State.CANCELLED, updated_at=now)
        else:
            pending.update(due_at=due, updated_at=now)
    holding = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    for registration in holding.select_related("event", "user__profile"):
        reminders_schedule(registration=registration, now=now)


def pending_cancel(*, registration: Registration) -> int:
    """Drop what has not gone out yet for a registration that no longer holds a place."""
    return OutgoingMessage.objects.filter(
        registration=registration,
        state=OutgoingMessage.State.QUEUED,
        kind__in=[*WHILE_ACTIVE, Kind.BROADCAST],
    ).update(state=OutgoingMessage.State.CANCELLED, updated_at=timezone.now())


# --- sending -----------------------------------------------------------------------------

TRANSIENT_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    socket.timeout,
    ConnectionError,
    TimeoutError,
)


#: Refusals the server answered: smtplib has reset the transaction, the connection goes on.
ANSWERED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


def is_transient(error: Exception) -> bool:
    """Network trouble and 4xx answers are worth retrying; 5xx answers are final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, TRANSIENT_ERRORS)


def _still_applies(message: OutgoingMessage) -> bool:
    registration = message.registration
    if registration is not None and (
        registration.anonymised_at is not None
        or (not registration.details_confirmed and message.kind != Kind.DELEGATE_INVITED)
    ):
        # Erased; or registered by a coordinator and without their own consent yet: only
        # the invitation to confirm goes (what is due after it is written on consent).
        return False
    if message.kind not in WHILE_ACTIVE and message.kind != Kind.BROADCAST:
        return True
    if registration is None:
        return True
    if registration.event.status == Event.Status.CANCELLED:
        return False
    if message.kind == Kind.BROADCAST:
        return registration.status != Registration.Status.CANCELLED
    return registration.status == Registration.Status.CONFIRMED


#: What rendering reads besides the row, loaded by the claim: with the rows, and each
#: event once (a batch's rows mostly share one).
CLAIM_RELATED = ("registration__organisation", "broadcast")
EVENT_RELATED = ("venue", "notification_settings")


def messages_claim(*, message_ids: list[int], now: datetime | None = None) -> list[OutgoingMessage]:
    """Take rows for sending (QUEUED -> SENDING) in one transaction, with what their
    emails need; rows that are not ours to send are left alone, and rows that no longer
    apply become CANCELLED. Returns the claimed rows, in id order."""
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=_setting("NOTIFICATIONS_STUCK_AFTER", 600))
    with transaction.atomic():
        rows = list(
            # Wait for the rows rather than skip them: their locks are held for
            # milliseconds (by a publish, a reschedule, another copy of this task), and the
            # state checked below is what keeps a duplicate task from sending twice. Taken
            # in id order, so that two claims never wait for each other in a circle.
            OutgoingMessage.objects.select_for_update(of=("self",))
            .select_related(*CLAIM_RELATED)
            .filter(pk__in=message_ids)
            .order_by("pk")
        )
        event_ids = {m.event_id for m in rows if m.event_id}
        event_ids |= {m.registration.event_id for m in rows if m.registration_id}
        events = Event.objects.select_related(*EVENT_RELATED).in_bulk(event_ids)
        claimed, cancelled, handed = [], [], []
        for message in rows:
            if message.event_id:
                message.event = events[message.event_id]
            if message.registration_id:
                message.registration.event = events[message.registration.event_id]
            if message.due_at > now:
                continue
            if message.state == OutgoingMessage.State.SENDING:
                if message.sending_since and message.sending_since > stuck_before:
                    continue  # another worker has it
                if message.handed_at is not None:
                    handed.append(message)  # its worker died after handing it over
                    continue
            elif message.state != OutgoingMessage.State.QUEUED:
                continue  # SENT, FAILED or CANCELLED: nothing to do, ever
            (claimed if _still_applies(message) else cancelled).append(message)
        # The workshops every email lists, for the whole batch in one query.
        prefetch_related_objects([m.registration for m in claimed if m.registration_id], WORKSHOPS)
        if cancelled:
            OutgoingMessage.objects.filter(pk__in=[m.pk for m in cancelled]).update(
                state=OutgoingMessage.State.CANCELLED, updated_at=now
            )
        for message in handed:
            logger.warning("message %s: its worker stopped after handing it over", message.pk)
            OutgoingMessage.objects.filter(pk=message.pk).update(
                state=OutgoingMessage.State.SENT, sent_at=message.handed_at, updated_at=now
            )
        if claimed:
            OutgoingMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                state=OutgoingMessage.State.SENDING,
                sending_since=now,
                handed_at=None,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
        for message in claimed:
            message.state, message.sending_since = OutgoingMessage.State.SENDING, now
            message.handed_at = None
            message.attempts += 1
        return claimed


def message_claim(*, message_id: int, now: datetime | None = None) -> OutgoingMessage | None:
    """Take one row for sending, or None if it is not ours to send."""
    claimed = messages_claim(message_ids=[message_id], now=now)
    return claimed[0] if claimed else None


def messages_send(*, message_ids: list[int], now: datetime | None = None) -> Counter:
    """Send these rows over one SMTP connection; returns how many were sent, skipped,
    retried, failed. Safe to call twice, concurrently, or after a crash (see the module's
    docstring)."""
    claimed = messages_claim(message_ids=message_ids, now=now)
    outcome = Counter()
    if skipped := len(set(message_ids)) - len(claimed):
        outcome["skipped"] = skipped
    if not claimed:
        return outcome
    smtp = get_connection(timeout=_setting("EMAIL_TIMEOUT", None) or 30)
    network = network_identity()  # once for the batch
    retries: dict[float, list[int]] = defaultdict(list)
    down = None  # the error met connecting to the server, if it is down
    try:
        for message in claimed:
            if down is not None:
                outcome[_record_failure(message, down, retries)] += 1
                continue
            try:
                email = build_email(message, network=network)
                try:
                    smtp.open()
                except Exception as error:
                    down = error  # no message of this batch can go: all retry later
                    raise
                _hand_over(smtp, email, before_end=lambda m=message: _mark_handed(m))
            except _ClaimLost:
                _close_quietly(smtp)  # the data left unfinished: the server discards it
                outcome["skipped"] += 1
                continue
            except _Unrecorded:
                _record_sent(message, wait_for_database=True)
                outcome["sent"] += 1
                continue
            except DatabaseError:
                raise  # the rows left SENDING are dealt with when found stuck
            except Exception as error:
                if not isinstance(error, ANSWERED):
                    _close_quietly(smtp)  # the conversation may be broken: start afresh
                outcome[_record_failure(message, error, retries)] += 1
                continue
            _record_sent(message)
            outcome["sent"] += 1
    finally:
        _close_quietly(smtp)
        for delay, ids in retries.items():
            messages_publish(ids, countdown=delay)
    return outcome


def message_send(*, message_id: int, now: datetime | None = None) -> str:
    """Send one row: "sent", "skipped", "retry" or "failed"."""
    outcome = messages_send(message_ids=[message_id], now=now)
    return next(result for result, count in outcome.items() if count)


class _ClaimLost(Exception):
    """The row was claimed again by another worker: this one must not send it."""


class _Unrecorded(Exception):
    """The server accepted the email, but ``handed_at`` was not committed (the database
    went away): SENT must be written before anyone finds the row stuck."""


def _held(message: OutgoingMessage):
    """The row, while it is still held by the claim this worker made."""
    return OutgoingMessage.objects.filter(
        pk=message.pk,
        state=OutgoingMessage.State.SENDING,
        attempts=message.attempts,
        sending_since=message.sending_since,
    )


def _mark_handed(message: OutgoingMessage):
    """Write ``handed_at`` (``_ClaimLost`` if the claim is no longer this worker's) and
    return ``(send_commit, confirm)``. On PostgreSQL the row is written in a transaction
    whose COMMIT ``send_commit()`` only sends, without waiting for the answer, so that the
    end of the email's data follows it at once; ``confirm()`` then reads the answer
    (DatabaseError if it failed). Elsewhere, or inside a caller's transaction, the row is
    written at once and both do nothing."""
    if database.vendor != "postgresql" or database.in_atomic_block:
        if not _held(message).update(handed_at=timezone.now()):
            raise _ClaimLost(message.pk)
        return (lambda: None), (lambda: None)
    database.ensure_connection()
    with database.cursor() as cursor:
        # Raw SQL: the ORM cannot send a COMMIT without waiting for its answer.
        cursor.execute("BEGIN")
        try:
            held = _held(message).update(handed_at=timezone.now())
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        if not held:
            cursor.execute("ROLLBACK")
            raise _ClaimLost(message.pk)
    libpq = database.connection.pgconn  # psycopg's connection's libpq handle

    def send_commit() -> None:
        libpq.send_query(b"COMMIT")
        while libpq.flush():
            pass

    def confirm() -> None:
        failed = None
        while (result := libpq.get_result()) is not None:
            if result.status != ExecStatus.COMMAND_OK:
                failed = result.error_message.decode(errors="replace")
        if failed is not None or libpq.status != ConnStatus.OK:
            raise DatabaseError(failed or "the connection to the database was lost")

    return send_commit, confirm


def _record_sent(message: OutgoingMessage, *, wait_for_database: bool = False) -> None:
    """SENT, as soon as the server has accepted the email. If this fails (the database is
    away), the row stays SENDING with ``handed_at`` and is recorded SENT when found stuck.
    Without ``handed_at`` (``wait_for_database``) it is tried again until the database is
    back (for up to ``NOTIFICATIONS_RECORD_WAIT`` seconds), while the claim is still this
    worker's."""
    rows = OutgoingMessage.objects.filter(pk=message.pk)
    if wait_for_database:
        rows = _held(message)
    deadline = time.monotonic() + _setting("NOTIFICATIONS_RECORD_WAIT", 300)
    while True:
        try:
            now = timezone.now()
            rows.update(
                state=OutgoingMessage.State.SENT, sent_at=now, last_error="", updated_at=now
            )
            return
        except DatabaseError:
            if not wait_for_database or time.monotonic() > deadline:
                raise
            database.close()  # the next query connects again
            time.sleep(0.2)


def _hand_over(backend, email, *, before_end) -> None:
    """One SMTP transaction (what ``smtplib.SMTP.sendmail`` does), with ``before_end()``
    called just before the line that ends the data, on which the server accepts the email.
    Raises what ``sendmail`` raises for a refusal. Backends that are not SMTP (console,
    memory, files) are simply given the email after ``before_end()``."""
    connection = getattr(backend, "connection", None)
    if not isinstance(connection, smtplib.SMTP):
        send_commit, confirm = before_end()
        send_commit()
        confirm()
        backend.send_messages([email])
        return
    encoding = email.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(email.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in email.recipients()]
    if not recipients:
        raise ValueError("an email without a recipient")
    content = email.message().as_bytes(linesep="\r\n")
    connection.ehlo_or_helo_if_needed()
    # The end of the data is a small write right after the data's: without TCP_NODELAY,
    # Nagle's algorithm holds it until the server's delayed ACK, 40 ms per email.
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    code, answer = connection.mail(sender)
    if code != 250:
        connection.rset()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    refused = {}
    for recipient in recipients:
        code, answer = connection.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, answer)
    if len(refused) == len(recipients):
        connection.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, answer = connection.docmd("data")
    if code != 354:
        connection.rset()
        raise smtplib.SMTPDataError(code, answer)
    data = re.sub(rb"(?m)^\.", b"..", content)  # a line that starts with a dot gets two
    connection.send(data if data.endswith(b"\r\n") else data + b"\r\n")
    try:
        send_commit, confirm = before_end()
    except BaseException:
        connection.close()  # the data left unfinished, without QUIT (it would read as data)
        raise
    # The COMMIT of handed_at, then the end of the data, back to back: a worker killed
    # between these two writes is the one case that loses an email.
    send_commit()
    connection.send(b".\r\n")
    try:
        confirm()
        record_lost = None
    except DatabaseError as error:
        record_lost = error
    code, answer = connection.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)
    if record_lost is not None:
        raise _Unrecorded from record_lost


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # a connection that broke cannot say goodbye
        logger.debug("SMTP connection closed with an error", exc_info=True)


def _record_failure(
    message: OutgoingMessage, error: Exception, retries: dict[float, list[int]]
) -> str:
    """Back to QUEUED with a later due time for a transient error (``retries`` collects
    the ids to enqueue, by delay), else FAILED with the server's answer."""
    reason = f"{type(error).__name__}: {error}"[:2000]
    max_attempts = _setting("NOTIFICATIONS_MAX_ATTEMPTS", 5)
    now = timezone.now()
    if is_transient(error) and message.attempts < max_attempts:
        delay = _setting("NOTIFICATIONS_RETRY_BACKOFF", 30) * 2 ** (message.attempts - 1)
        OutgoingMessage.objects.filter(pk=message.pk).update(
            state=OutgoingMessage.State.QUEUED,
            due_at=now + timedelta(seconds=delay),
            handed_at=None,
            last_error=reason,
            updated_at=now,
        )
        retries[delay].append(message.pk)
        logger.info("message %s: transient error, retry in %ss: %s", message.pk, delay, reason)
        return "retry"
    OutgoingMessage.objects.filter(pk=message.pk).update(
        state=OutgoingMessage.State.FAILED, handed_at=None, last_error=reason, updated_at=now
    )
    logger.warning("message %s failed: %s", message.pk, reason)
    return "failed"


DISPATCH_BATCH = 2000


def outbox_dispatch(*, now: datetime | None = None, limit: int = DISPATCH_BATCH) -> int:
    """Hand out rows that are due and were never published (a lost publish) or not
    recently (``NOTIFICATIONS_REENQUEUE_AFTER``), and rows stuck in SENDING. Run every
    ``OUTBOX_DISPATCH_SECONDS`` by beat."""
    now = now or timezone.now()
    recently = now - timedelta(seconds=_setting("NOTIFICATIONS_REENQUEUE_AFTER", 300))
    stuck_before = now - timedelta(seconds=_setting("NOTIFICATIONS_STUCK_AFTER", 600))
    rows = list(
        OutgoingMessage.objects.filter(
            Q(state=OutgoingMessage.State.QUEUED, due_at__lte=now)
            & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=recently))
            | Q(state=OutgoingMessage.State.SENDING, sending_since__lt=stuck_before)
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    return len(rows) if messages_publish(rows) else 0


def message_resend(*, message: OutgoingMessage) -> OutgoingMessage:
    """Try a failed (or cancelled) email again, now."""
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().get(pk=message.pk)
        if message.state in (OutgoingMessage.State.FAILED, OutgoingMessage.State.CANCELLED):
            message.state = OutgoingMessage.State.QUEUED
            message.due_at = timezone.now()
            message.attempts = 0
            message.save()
            enqueue_soon([message.pk])
        return message


# --- messages from organisers ------------------------------------------------------------


def broadcast_recipients(broadcast: Broadcast):
    registrations = Registration.objects.filter(event=broadcast.event)
    if broadcast.registration_ids:
        registrations = registrations.filter(pk__in=broadcast.registration_ids)
    if broadcast.statuses:
        registrations = registrations.filter(status__in=broadcast.statuses)
    else:
        registrations = registrations.exclude(
            status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED]
        )
    if broadcast.organisation_ids:
        registrations = registrations.filter(organisation_id__in=broadcast.organisation_ids)
    if broadcast.workshop_ids:
        registrations = registrations.filter(
            workshop_choices__item_id__in=broadcast.workshop_ids
        ).distinct()
    return registrations.select_related("user__profile")


def broadcast_send(*, broadcast: Broadcast) -> int:
    """Queue one email per recipient (once each, however often this is called)."""
    with transaction.atomic():
        count = 0
        for registration in broadcast_recipients(broadcast):
            key = f"broadcast:{broadcast.pk}"
            if OutgoingMessage.objects.filter(registration=registration, dedupe_key=key).exists():
                continue
            message_create(
                kind=Kind.BROADCAST,
                recipient=registration.email,
                language=recipient_language(registration),
                registration=registration,
                broadcast=broadcast,
                dedupe_key=key,
            )
            count += 1
        return count


def notify_item_change(*, item: ProgrammeItem, changed: list[str]) -> None:
    registrations = Registration.objects.filter(
        workshop_choices__item=item, status__in=Registration.HOLDING
    ).select_related("event", "user__profile")
    for registration in registrations:
        message_for_registration(
            registration=registration,
            kind=Kind.WORKSHOP_CHANGED,
            context={"item": item.pk, "changed": changed},
        )


def notify_event_change(*, event: Event, kind: str, changed: list[str] | None = None) -> None:
    registrations = Registration.objects.filter(
        event=event,
        status__in=[*Registration.HOLDING, Registration.Status.WAITLISTED],
    ).select_related("event", "user__profile")
    for registration in registrations:
        message_for_registration(
            registration=registration, kind=kind, context={"changed": changed or []}
        )


def broadcast_create(
    *, event, author, subjects: dict[str, str], bodies: dict[str, str], registration_ids: list[int]
) -> Broadcast:
    """Write to chosen participants: one email each, in their language (falling back to the
    event's default language), queued for the workers."""
    with transaction.atomic():
        broadcast = Broadcast(
            event=event, created_by=author, registration_ids=list(registration_ids)
        )
        for language, text in subjects.items():
            setattr(broadcast, f"subject_{language}", text)
        for language, text in bodies.items():
            setattr(broadcast, f"body_{language}", text)
        # The event's language's columns (modeltranslation's descriptor writes the *active*
        # language's: an organiser working in Hungarian would overwrite the Hungarian text).
        with translation.override(event.default_language):
            broadcast.subject = subjects.get(event.default_language) or next(
                text for text in subjects.values() if text
            )
            broadcast.body = bodies.get(event.default_language) or next(
                text for text in bodies.values() if text
            )
        broadcast.save()
        broadcast_send(broadcast=broadcast)
        return broadcast


# --- the event's email setup (notifications/setup_views.py) ------------------------------


def _cancel_unplanned(*, event: Event, kind: str, now: datetime) -> None:
    """Cancel the queued emails of ``kind`` (reminders, digests) the event no longer plans."""
    planned = {key for _kind, key, _due in _planned(event)}
    OutgoingMessage.objects.filter(
        registration__event=event, kind=kind, state=OutgoingMessage.State.QUEUED
    ).exclude(dedupe_key__in=planned).update(state=OutgoingMessage.State.CANCELLED, updated_at=now)


def reminder_schedule_set(*, event: Event, offsets: list[tuple], actor) -> None:
    """Replace the event's reminder schedule (``offsets``: (days before the start, local
    time of day)) and move every pending reminder to it: reminders no longer planned are
    cancelled, those still planned move to their new time, new ones are written for the
    confirmed registrations."""
    from .models import ReminderSchedule

    now = timezone.now()
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        ReminderSchedule.objects.filter(event=event).delete()
        ReminderSchedule.objects.bulk_create(
            ReminderSchedule(event=event, days_before=days, local_time=at)
            for days, at in sorted(set(offsets), reverse=True)
        )
        _cancel_unplanned(event=event, kind=Kind.REMINDER, now=now)
        reminders_reschedule(event=event, now=now)


def email_settings_save(
    *,
    event: Event,
    actor,
    texts: dict[str, dict[str, str]],
    daily_digest: bool,
    digest_time,
    reply_to: str,
):
    """Save the event's email settings and the organisers' own paragraphs
    (``texts``: field name -> {language: text}) for the emails sent from now on."""
    from .models import NotificationSettings

    with transaction.atomic():
        options, _created = NotificationSettings.objects.select_for_update().get_or_create(
            event=event
        )
        digest_changed = (options.daily_digest, options.digest_time) != (daily_digest, digest_time)
        for field, by_language in texts.items():
            if field not in NotificationSettings.TRANSLATED_FIELDS:
                raise ValueError(field)
            for language, text in by_language.items():
                setattr(options, f"{field}_{language}", text.strip())
            # The untranslated column holds the default language's text. Set through
            # modeltranslation's descriptor, which writes the *active* language's column:
            # in the default language, else a Hungarian organiser's page would overwrite
            # the Hungarian paragraph with it.
            if event.default_language in by_language:
                with translation.override(event.default_language):
                    setattr(options, field, by_language[event.default_language].strip())
        options.daily_digest = daily_digest
        options.digest_time = digest_time
        options.reply_to = reply_to.strip()
        options.save()
        if digest_changed:
            _cancel_unplanned(event=event, kind=Kind.DIGEST, now=timezone.now())
            reminders_reschedule(event=event)
        return options


def email_setup_save(
    *,
    event: Event,
    actor,
    offsets: list[tuple],
    texts: dict[str, dict[str, str]],
    daily_digest: bool,
    digest_time,
    reply_to: str,
):
    """What the email setup page saves, in one transaction: the email settings and
    paragraphs (``email_settings_save``), then the reminder schedule
    (``reminder_schedule_set``)."""
    with transaction.atomic():
        options = email_settings_save(
            event=event,
            actor=actor,
            texts=texts,
            daily_digest=daily_digest,
            digest_time=digest_time,
            reply_to=reply_to,
        )
        reminder_schedule_set(event=event, offsets=offsets, actor=actor)
        return options
