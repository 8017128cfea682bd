"""Turn an outbox row into an email, in the recipient's language and the event's time zone.

Everything a participant typed reaches the HTML part through Django's autoescaping; the
plain-text part is a separate template with autoescaping off.
"""

import io
import re
from email.header import Header
from email.headerregistry import Address
from email.mime.image import MIMEImage
from email.utils import parseaddr

import zxingcpp
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext
from PIL import Image

from events import calendar
from events.colours import HEX
from events.downloads import event_title_slug, file_name
from events.models import NetworkIdentity
from events.selectors import network_identity, programme_changes_listed, programme_items
from registrations.calendars import registration_entry
from registrations.models import WorkshopChoice
from registrations.names import person_name
from registrations.selectors import waitlist_position

from . import email_links
from .content import INTROS, PROMOTED_PENDING, SUBJECTS
from .models import PRERENDERED, Kind, NotificationSettings, OutgoingMessage


def coordinator_name(registration) -> str:
    """The name of who registered the person, in the email's language's order (a
    coordinator of a Hungarian organisation is "Kovács Rita" in a Hungarian email)."""
    user = registration.registered_by
    country = registration.organisation.country if registration.organisation_id else ""
    name = person_name(user.first_name, user.last_name, country=country)
    return name or user.email


def absolute(path: str) -> str:
    return settings.SITE_URL + path


#: A registration's workshop choices with their items and rooms, as its email lists them.
WORKSHOPS = Prefetch(
    "workshop_choices", queryset=WorkshopChoice.objects.select_related("item__room")
)


def workshop_choices(registration) -> list[WorkshopChoice]:
    """A registration's workshop choices (``WORKSHOPS``): prefetched already by the claim
    of a batch, else read in one query. Each item's event is the registration's own
    (loaded with its venue already)."""
    prefetch_related_objects([registration], WORKSHOPS)
    choices = list(registration.workshop_choices.all())
    for choice in choices:
        choice.item.event = registration.event
    return choices


def _context(message: OutgoingMessage) -> dict:
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
            coordinator_name(registration) if registration.registered_by_id else ""
        )
        values["organisation"] = registration.organisation_label
        context["manage_url"] = absolute(
            reverse("registrations:manage", kwargs={"secret": registration.secret})
        )
        context["after_cancellation"] = message.kind in AFTER_CANCELLATION
        if not registration.details_confirmed:
            context["details_url"] = absolute(
                reverse("registrations:confirm_details", kwargs={"secret": registration.secret})
            )
        context["workshops"] = workshop_choices(registration)
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
    context["links"] = email_links.links_of(message)
    if message.kind == Kind.PROGRAMME_CHANGED:
        context["programme_changes"] = programme_changes_listed(ids=message.context["changes"])
    if message.kind == Kind.DIGEST:
        day = context["day"] = message.dedupe_key.removeprefix("digest:")
        context["day_items"] = [
            item
            for item in programme_items(event=event)
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
    Kind.PROGRAMME_CHANGED,
}
#: Kinds sent once the person cancelled (or was cancelled): their private page offers to
#: register again, not to change or cancel.
AFTER_CANCELLATION = {Kind.CANCELLED, Kind.CANCELLED_BY_ORGANISER}
INVITE_CANCEL = {Kind.CANCELLED, Kind.CANCELLED_BY_ORGANISER, Kind.REJECTED, Kind.EVENT_CANCELLED}


def organiser_address(event, network: NetworkIdentity | None = None) -> tuple[str, str]:
    """(name, address) of who receives replies to emails and invites: the event's
    reply-to address, else the organisers' contact email shown on its page, else the
    sender's; named after the network (its identity's name, else the sender's name).
    ``network``: the network's identity when the caller read it already."""
    network = network if network is not None else network_identity()
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = network.name or default_name
    try:
        options = event.notification_settings if event else None  # loaded by the claim
    except NotificationSettings.DoesNotExist:
        options = None
    if options and options.reply_to:
        return name, options.reply_to
    if event is not None and event.contact_email:
        return name, event.contact_email
    return name, default_address


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
    """Confirmed people get the code in these emails, unless the event is online only (no
    venue, so no desk to show it at)."""
    registration = message.registration
    return (
        message.kind in WITH_CHECKIN_CODE
        and registration is not None
        and registration.status == "confirmed"
        and registration.event.venue_id is not None
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


def checkin_code(message: OutgoingMessage) -> tuple[str, bytes] | None:
    """(URL, PNG) of the check-in QR code, or None when the email carries none."""
    if not _has_code(message):
        return None
    url = checkin_url(message.registration)
    return url, qr_png(url)


def qr_png(text: str, *, scale: int = 5) -> bytes:
    """A QR code (error correction M, the standard's quiet zone of 4 modules) as a
    black-and-white PNG, ``scale`` pixels a module: zxing-cpp encodes it, Pillow writes
    the PNG."""
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


def sender(network: NetworkIdentity) -> str:
    """The From header: the network's name (when set) before the sending address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if network.name:
        return str(Address(display_name=network.name, addr_spec=address))
    return settings.DEFAULT_FROM_EMAIL


def colours(network: NetworkIdentity) -> dict:
    """The network's colours for the email's inline styles (only well-formed ones)."""
    return {
        "primary": network.primary_colour
        if HEX.match(network.primary_colour or "")
        else NetworkIdentity.DEFAULT_PRIMARY,
        "accent": network.accent_colour
        if HEX.match(network.accent_colour or "")
        else NetworkIdentity.DEFAULT_ACCENT,
    }


def _logo(network: NetworkIdentity) -> MIMEImage | None:
    """The network's logo as an inline image of the email (``cid:network-logo``)."""
    if not network.logo:
        return None
    try:
        with network.logo.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return None
    subtype = network.logo.name.rsplit(".", 1)[-1].lower().replace("jpg", "jpeg")
    try:
        image = MIMEImage(data, subtype)
    except TypeError:
        return None
    image.add_header("Content-ID", "<network-logo>")
    image.add_header("Content-Disposition", "inline", filename=f"logo.{subtype}")
    return image


def _header_filename(name: str) -> str | tuple[str, str, str]:
    """A MIME file name parameter: plain when ASCII, else RFC 2231 encoded (as Django
    does for attachments)."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        return ("utf-8", "", name)
    return name


class Email(EmailMultiAlternatives):
    """Django's email with a Subject that every mail client decodes to exactly the text.

    Django 5.2 encodes a non-ASCII subject into encoded words folded as if the header had
    no name: the first one does not fit after "Subject: ", so the generator leaves the name
    alone on its line and the value starts with folding white space, which readers show
    as a leading space (Python's own parser keeps it). The subject is folded here knowing
    its name."""

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        subject = str(self.subject)
        if not subject.isascii():
            msg.replace_header("Subject", Header(subject, "utf-8", header_name="Subject"))
        return msg


def build_email(
    message: OutgoingMessage, *, network: NetworkIdentity | None = None
) -> EmailMultiAlternatives:
    """The whole email of an outbox row: text and HTML parts, check-in code and calendar
    invite, with the row's own Message-ID (a resend of the row reuses it). ``network``:
    the network's identity when the caller read it already (once for a batch)."""
    network = network if network is not None else network_identity()
    if message.kind in PRERENDERED:
        email = Email(
            subject=message.subject,
            body=message.body_text,
            from_email=sender(network),
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
        context = _context(message)
        logo = _logo(network) if network.pk else None
        context.update(network=network, colours=colours(network), network_logo=bool(logo))
        code = checkin_code(message)
        context["checkin_code"] = bool(code)
        # Attachment names in the reader's language: what it is and the event's title
        # ("invitation-assemblee-2027.ics"), in ASCII like every download's.
        title = event_title_slug(event) if event else ""
        code_filename = file_name(pgettext("file name", "check-in-code"), title, extension="png")
        invite_label = (
            pgettext("file name", "cancellation")
            if message.kind in INVITE_CANCEL
            else pgettext("file name", "invitation")
        )
        invite_filename = file_name(invite_label, title, extension="ics")
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
        # One line, keeping typographic spaces (French puts a no-break space before ":").
        subject = re.sub(r"[ \t\r\n]+", " ", str(context["subject"])).strip()
    headers = {"Message-ID": message.message_id}
    organiser_name, organiser = organiser_address(event, network)
    email = Email(
        subject=subject,
        body=text,
        from_email=sender(network),
        to=[message.recipient],
        headers=headers,
        reply_to=[organiser] if organiser else None,
    )
    email.attach_alternative(html, "text/html")
    if logo:
        email.attach(logo)
    if code:
        image = MIMEImage(code[1], "png")
        image.add_header("Content-ID", "<checkin-code>")
        image.add_header("Content-Disposition", "inline", filename=_header_filename(code_filename))
        email.attach(image)
    calendar_invite = invite(
        message, workshops=context.get("workshops"), organiser=(organiser_name, organiser)
    )
    if calendar_invite:
        # Gmail and Outlook read the text/calendar part with its method; Apple Mail and
        # others offer the .ics attachment.
        method, ics = calendar_invite
        email.attach_alternative(ics.decode(), f"text/calendar; method={method}")
        email.attach(invite_filename, ics, f"application/ics; method={method}")
    return email
