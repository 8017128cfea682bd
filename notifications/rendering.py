"""Turn an outbox row into an email, in the recipient's language and the event's time zone.

Everything a participant typed reaches the HTML part through Django's autoescaping; the
plain-text part is a separate template with autoescaping off.
"""

import hashlib
import io
import logging
import re
import secrets
from datetime import datetime, timedelta
from email.mime.image import MIMEImage
from email.utils import parseaddr

import zxingcpp
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from events import calendar
from events.selectors import programme_changes_listed, programme_items
from registrations.calendars import registration_entry
from registrations.models import WorkshopChoice
from registrations.selectors import waitlist_position

from .content import INTROS, PROMOTED_PENDING, SUBJECTS
from .models import Kind, NotificationSettings, OutgoingMessage

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class Email(EmailMultiAlternatives):
    """An email whose MIME boundaries are drawn at random (128 bits) when it is built.
    Left to itself the email package draws a shorter one while it writes the message and
    compiles a regular expression per multipart to make sure that no line of the parts
    is the boundary: a tenth of a worker's time per email (bench/notifications.py). A
    random 128-bit boundary cannot be in parts rendered before it was drawn."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        for part in message.walk():
            if part.is_multipart():
                part.set_boundary(f"=_{secrets.token_hex(16)}")
        return message


#: A registration's workshops as its emails show them (and its calendar invite lists them).
WORKSHOPS = Prefetch(
    "workshop_choices", queryset=WorkshopChoice.objects.select_related("item__room")
)


class Batch:
    """The emails of one send task. What they share is loaded or rendered once for all:
    every registration's workshops in one query, each event's programme for digests, and
    the parts of the email that read the same for everyone in a language (the event's
    name, dates and place; the lines of a set of workshops; a day's programme).

    Check-in codes are read from the cache, in one round trip for the batch: a
    registration's code is the same in every email it gets (the confirmation, then the
    reminders and digests). The codes the batch had to make are kept by ``keep_codes``."""

    def __init__(self, messages: list[OutgoingMessage]):
        registrations = [m.registration for m in messages if m.registration is not None]
        prefetch_related_objects(registrations, WORKSHOPS)
        for registration in registrations:
            for choice in registration.workshop_choices.all():
                if choice.item.event_id == registration.event_id:
                    choice.item.event = registration.event  # loaded already, with its venue
        self._programmes: dict[int, list] = {}
        self._parts: dict[tuple, str] = {}
        self._checkin_urls: dict[tuple[int, str], str] = {}  # (registration, language): URL
        for message in messages:
            if _has_code(message):
                with translation.override(message.language):  # the URL has it in its path
                    url = checkin_url(message.registration)
                self._checkin_urls[message.registration.pk, message.language] = url
        self._codes = checkin_codes_cached(set(self._checkin_urls.values()))
        self._made: dict[str, tuple[bytes, datetime]] = {}  # url: (PNG, the event's end)

    def checkin_code(self, registration) -> tuple[str, bytes]:
        """(URL, PNG) of a registration's check-in code, in the active language: from the
        cache, else made."""
        url = self._checkin_urls.get((registration.pk, translation.get_language()))
        url = url or checkin_url(registration)
        png = self._codes.get(url)
        if png is None:
            png = self._codes[url] = qr_png(url)
            self._made[url] = (png, registration.event.ends_at)
        return url, png

    def keep_codes(self) -> None:
        """Keep the codes this batch made, for the registrations' next emails."""
        checkin_codes_keep(self._made)
        self._made = {}

    def programme(self, event) -> list:
        if event.pk not in self._programmes:
            self._programmes[event.pk] = list(programme_items(event=event))
        return self._programmes[event.pk]

    def email(self, message: OutgoingMessage) -> Email:
        return build_email(message, batch=self)

    def parts(self, context: dict, extension: str) -> dict[str, str]:
        """``event_part``, ``workshops_part`` and ``day_part`` of email.txt or email.html,
        each rendered from its template (``notifications/_event.txt``...) the first time
        the batch needs it, in the active language and time zone. Each is keyed by all
        it shows: the event (whose time zone is the active one), the workshops and their
        places, the day."""
        event = context.get("event")
        if event is None:
            return {}
        language = translation.get_language()
        workshops = context.get("workshops") or []
        day_items = context.get("day_items") or []
        wanted = {
            "event_part": ("_event", event.pk),
            "workshops_part": (
                ("_workshops", event.pk, *((c.item_id, c.status) for c in workshops))
                if workshops
                else None
            ),
            "day_part": ("_day", event.pk, context.get("day")) if day_items else None,
        }
        parts = {}
        for name, key in wanted.items():
            if key is None:
                parts[name] = ""
                continue
            key = (extension, language, *key)
            if key not in self._parts:
                template = f"notifications/{key[2]}.{extension}"
                self._parts[key] = render_to_string(template, context)
            parts[name] = self._parts[key]
        return parts


def _context(message: OutgoingMessage, batch: Batch) -> dict:
    registration = message.registration
    event = message.event or (registration.event if registration else None)
    context = {
        "message": message,
        "event": event,
        "registration": registration,
        "site_url": settings.SITE_URL,
    }
    if event is None:
        return context
    title = event.i18n.title
    values = {"event": title, "position": message.context.get("position", "")}
    if registration is not None:
        values["position"] = waitlist_position(registration) or values["position"]
        values["coordinator"] = (
            registration.registered_by.get_full_name() or registration.registered_by.email
            if registration.registered_by_id
            else ""
        )
        values["organisation"] = registration.organisation_label
        context["manage_url"] = absolute(
            reverse("registrations:manage", kwargs={"secret": registration.secret})
        )
        if not registration.details_confirmed:
            context["details_url"] = absolute(
                reverse("registrations:confirm_details", kwargs={"secret": registration.secret})
            )
        context["workshops"] = list(registration.workshop_choices.all())
    context["event_url"] = absolute(reverse("events:detail", kwargs={"slug": event.slug}))
    if message.kind == Kind.BROADCAST and message.broadcast_id:
        broadcast = message.broadcast
        fallback = event.default_language
        context["subject"] = (
            getattr(broadcast, f"subject_{message.language}", "")
            or getattr(broadcast, f"subject_{fallback}", "")
            or broadcast.subject
            or title
        )
        context["body"] = (
            getattr(broadcast, f"body_{message.language}", "")
            or getattr(broadcast, f"body_{fallback}", "")
            or broadcast.body
        )
        return context
    context["subject"] = SUBJECTS[message.kind] % values
    intro = INTROS[message.kind] % values
    if message.kind == Kind.PROMOTED and registration and registration.status == "pending":
        intro = f"{intro} {PROMOTED_PENDING}"
    context["intro"] = intro
    if message.kind == Kind.PROGRAMME_CHANGED:
        context["programme_changes"] = programme_changes_listed(ids=message.context["changes"])
    if message.kind == Kind.DIGEST:
        day = context["day"] = message.dedupe_key.removeprefix("digest:")
        context["day_items"] = [
            item
            for item in batch.programme(event)
            if event.local(item.starts_at).date().isoformat() == day
        ]
    return context


#: Emails that carry the participant's calendar entry, and how.
INVITE_REQUEST = {
    Kind.CONFIRMED,
    Kind.APPROVED,
    Kind.PROMOTED,
    Kind.WORKSHOPS_CHANGED,
    Kind.EVENT_CHANGED,
    Kind.WORKSHOP_CHANGED,
    Kind.DELEGATE_INVITED,
}
INVITE_CANCEL = {Kind.CANCELLED, Kind.CANCELLED_BY_ORGANISER, Kind.REJECTED, Kind.EVENT_CANCELLED}


def organiser_address(event) -> tuple[str, str]:
    """Who receives replies to invites: the event's reply-to address, else the sender's."""
    try:
        options = event.notification_settings if event else None  # loaded by the claim
    except NotificationSettings.DoesNotExist:
        options = None
    if options and options.reply_to:
        return "", options.reply_to
    return parseaddr(settings.DEFAULT_FROM_EMAIL)


def invite(
    message: OutgoingMessage, *, workshops=None, organiser: tuple[str, str] | None = None
) -> tuple[str, bytes] | None:
    """(method, iCalendar) for the email, or None when it carries no invite. ``workshops``
    and ``organiser``: what the email has read already (its workshop choices with items
    and rooms, ``organiser_address``), so that the invite reads nothing again."""
    registration = message.registration
    if registration is None:
        return None
    if message.kind in INVITE_CANCEL:
        method = "CANCEL"
    elif message.kind in INVITE_REQUEST and registration.status == "confirmed":
        method = "REQUEST"
    else:
        return None
    entry = registration_entry(registration, message.language, workshops=workshops)
    if method == "CANCEL":
        entry.status = "CANCELLED"
    entry.organizer_name, entry.organizer = organiser or organiser_address(registration.event)
    return method, calendar.build([entry], method=method)


#: Emails that carry the QR code organisers scan at the door.
WITH_CHECKIN_CODE = {
    Kind.CONFIRMED,
    Kind.APPROVED,
    Kind.PROMOTED,
    Kind.REMINDER,
    Kind.DIGEST,
    Kind.DELEGATE_INVITED,
}


def _has_code(message: OutgoingMessage) -> bool:
    registration = message.registration
    return (
        message.kind in WITH_CHECKIN_CODE
        and registration is not None
        and registration.status == "confirmed"
    )


def checkin_url(registration) -> str:
    """The URL in the check-in QR code: it opens the person's check-in page for the
    event's organisers (and only for them: it carries an opaque id, nothing else)."""
    return absolute(
        reverse(
            "workspace:checkin_person",
            kwargs={"slug": registration.event.slug, "registration": registration.uuid},
        )
    )


def checkin_code(message: OutgoingMessage, batch: Batch | None = None) -> tuple[str, bytes] | None:
    """(URL, PNG) of the check-in QR code, or None when the email carries none."""
    if not _has_code(message):
        return None
    if batch is not None:
        return batch.checkin_code(message.registration)
    url = checkin_url(message.registration)
    return url, qr_png(url)


def _checkin_key(url: str) -> str:
    return "notifications:checkin-code:" + hashlib.sha256(url.encode()).hexdigest()


def checkin_codes_cached(urls: set[str]) -> dict[str, bytes]:
    """The check-in codes (PNG by URL) that the cache holds. The cache only saves work:
    when it cannot answer, the codes are made again."""
    if not urls:
        return {}
    keys = {_checkin_key(url): url for url in urls}
    try:
        found = cache.get_many(list(keys))
    except Exception:
        logger.warning("cache unavailable: check-in codes are made again", exc_info=True)
        return {}
    return {keys[key]: png for key, png in found.items() if isinstance(png, bytes)}


def checkin_codes_keep(codes: dict[str, tuple[bytes, datetime]]) -> None:
    """Keep check-in codes (URL: (PNG, the event's end)) in the cache until a day after
    their event ends: the last email that carries one is the morning digest."""
    by_end: dict[datetime, dict[str, bytes]] = {}
    for url, (png, ends_at) in codes.items():
        by_end.setdefault(ends_at, {})[_checkin_key(url)] = png
    now = timezone.now()
    try:
        for ends_at, values in by_end.items():
            timeout = (ends_at + timedelta(days=1) - now).total_seconds()
            if timeout > 0:
                cache.set_many(values, timeout=timeout)
    except Exception:
        logger.warning("cache unavailable: check-in codes not kept", exc_info=True)


def qr_png(text: str, *, scale: int = 5) -> bytes:
    """A QR code (error correction M, the standard's quiet zone of 4 modules) as a
    black-and-white PNG, ``scale`` pixels a module. zxing-cpp encodes it in C++ (0.4 ms,
    its best mask chosen; segno took 1.5 ms with a fixed mask) and Pillow writes the PNG
    (0.3 ms; segno's pure-Python writer took 2 ms)."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = code.to_image(scale=1, add_quiet_zones=True)  # 8-bit: 0 black, 255 white
    height, width = memoryview(modules).shape
    image = Image.frombuffer("L", (width, height), modules, "raw", "L", 0, 1)
    image = image.convert("1", dither=Image.Dither.NONE).resize(
        (width * scale, height * scale), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def build_email(message: OutgoingMessage, batch: Batch | None = None) -> Email:
    if message.kind == Kind.ACCOUNT:
        email = Email(
            subject=message.subject,
            body=message.body_text,
            to=[message.recipient],
            headers={"Message-ID": message.message_id},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        return email
    event = message.event
    with (
        translation.override(message.language),
        timezone.override(event.tz if event else timezone.get_current_timezone()),
    ):
        batch = batch or Batch([message])
        context = _context(message, batch)
        code = checkin_code(message, batch)
        context["checkin_code"] = bool(code)
        text = render_to_string("notifications/email.txt", context | batch.parts(context, "txt"))
        html = render_to_string("notifications/email.html", context | batch.parts(context, "html"))
        # One line, keeping typographic spaces (French puts a no-break space before ":").
        subject = re.sub(r"[ \t\r\n]+", " ", str(context["subject"])).strip()
    headers = {"Message-ID": message.message_id}
    organiser_name, organiser = organiser_address(event)
    email = Email(
        subject=subject,
        body=text,
        to=[message.recipient],
        headers=headers,
        reply_to=[organiser] if organiser else None,
    )
    email.attach_alternative(html, "text/html")
    if code:
        image = MIMEImage(code[1], "png")
        image.add_header("Content-ID", "<checkin-code>")
        image.add_header("Content-Disposition", "inline", filename="check-in.png")
        email.attach(image)
    calendar_invite = invite(
        message, workshops=context.get("workshops"), organiser=(organiser_name, organiser)
    )
    if calendar_invite:
        # Gmail and Outlook read the text/calendar part with its method; Apple Mail and
        # others offer the .ics attachment.
        method, ics = calendar_invite
        email.attach_alternative(ics.decode(), f"text/calendar; method={method}")
        email.attach("invite.ics", ics, f"application/ics; method={method}")
    return email
