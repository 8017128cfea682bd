"""Demo data: a real-looking partner network, its meetings and trainings.

Built from the network's own documents (an Erasmus+ partnership of six organisations and
a French federation's national meetings). The content lives in data files, one a subject:
``demo_data/network.toml`` (demo logins, organisations, venues and their rooms, speakers)
and ``demo_data/events/<slug>.toml`` (one event with its programme), every text in the six
interface languages. This module only reads them.

Dates are relative to the day of loading so that "upcoming" and reminders make sense.
Loading twice changes nothing: every row is found by a natural key (slug, email, or a UUID
derived from the event and the item's key).
"""

import tomllib
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Event, NetworkIdentity, Organisation, ProgrammeItem, Room, Speaker, Venue

DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_NAMESPACE = uuid.UUID("6f6b2c1e-8a1f-4b8e-9a57-2f3d7a0c9b11")
DEMO_PASSWORD = "rencontres-demo"  # noqa: S105 (printed for the demo; never used in production)
LANGUAGES = ("en", "fr", "ro", "hu", "pt", "it")
# Organisers edit their own events and programmes (scoped to their events: events/admin.py);
# organisations, venues and speakers are the superusers'.
ORGANISER_PERMISSIONS = [
    "add_event",
    "change_event",
    "view_event",
    "add_programmeitem",
    "change_programmeitem",
    "delete_programmeitem",
    "view_programmeitem",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


def read(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def event_files() -> list[Path]:
    return sorted((DATA / "events").glob("*.toml"))


def texts(per_field: dict[str, dict[str, str]], **values) -> dict[str, str]:
    """Model fields ``<field>_<language>`` from ``{field: {language: text}}``; ``values``
    fill "{n}"."""
    fields = {}
    for field_name, per_language in per_field.items():
        unknown = set(per_language) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"{field_name}: unknown languages {sorted(unknown)}")
        for code, text in per_language.items():
            fields[f"{field_name}_{code}"] = text.format(**values) if values else text
    return fields


def _moment(today: date, when: dict, tz: str) -> datetime:
    """``{day, time}``: ``day`` days from ``today`` at the local ``time`` (HH:MM); without a
    time, the moment of loading ``day`` days away."""
    if "time" not in when:
        return timezone.now() + timedelta(days=when["day"])
    return _local(today + timedelta(days=when["day"]), when["time"], tz)


def _local(day: date, hhmm: str, tz: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zoneinfo.ZoneInfo(tz))


def _users(users_data: list[dict]) -> dict[str, object]:
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    users = {}
    organisers, _created = Group.objects.get_or_create(name="Organisers")
    organisers.permissions.set(
        Permission.objects.filter(
            content_type__app_label="events", codename__in=ORGANISER_PERMISSIONS
        )
    )
    for data in users_data:
        email = data["email"]
        user, created = user_model.objects.get_or_create(
            username=email,
            defaults={
                "email": email,
                "first_name": data["first_name"],
                "last_name": data["last_name"],
            },
        )
        user.is_superuser = data.get("superuser", False)
        user.is_staff = data.get("staff", False)
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if data.get("organiser"):
            user.groups.add(organisers)
        users[email] = user
    return users


def _organisations(organisations_data: list[dict], users) -> dict[str, Organisation]:
    organisations = {}
    for data in organisations_data:
        organisation, _created = Organisation.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "country": data["country"],
                "website": data.get("website", ""),
                **texts({"city": data["city"]}),
            },
        )
        organisation.coordinators.add(*(users[email] for email in data.get("coordinators", [])))
        organisations[data["slug"]] = organisation
    return organisations


def _venues(venues_data: list[dict], organisations):
    """Venues (found again by name and country) with their city and rooms named in each
    language; a room is found again by its venue and position, and the events' files name
    it by its ``key`` (its name where it is)."""
    venues, rooms = {}, {}
    for data in venues_data:
        venue, _created = Venue.objects.update_or_create(
            name=data["name"],
            country=data["country"],
            defaults={
                "address": data["address"],
                "postcode": data.get("postcode", ""),
                "latitude": data.get("latitude"),
                "longitude": data.get("longitude"),
                "organisation": organisations[data["organisation"]],
                **texts({"city": data["city"]}),
            },
        )
        venues[data["key"]] = venue
        for position, room in enumerate(data.get("rooms", [])):
            rooms[(data["key"], room["key"])], _created = Room.objects.update_or_create(
                venue=venue, position=position, defaults=texts({"name": room["name"]})
            )
    return venues, rooms


def _speakers(speakers_data: list[dict], organisations) -> dict[str, Speaker]:
    speakers = {}
    for data in speakers_data:
        speakers[data["name"]], _created = Speaker.objects.update_or_create(
            first_name=data["first_name"],
            last_name=data["last_name"],
            defaults={
                "organisation": organisations[data["organisation"]],
                **texts({"bio": data.get("bio", {})}),
            },
        )
    return speakers


def _identity(identity: dict) -> None:
    """The network's identity (one row), as a superuser would set it."""
    footer = identity.pop("footer")
    NetworkIdentity.objects.update_or_create(
        pk=1, defaults={**identity, **texts({"footer": footer})}
    )


def _event(data: dict, today: date, network: dict) -> Event:
    tz = data["timezone"]
    fields = {
        "kind": Event.Kind(data["kind"]),
        "status": Event.Status(data["status"]),
        "host": network["organisations"][data["host"]],
        "venue": network["venues"][data["venue"]] if "venue" in data else None,
        "timezone": tz,
        "starts_at": _moment(today, data["starts"], tz),
        "ends_at": _moment(today, data["ends"], tz),
        "capacity": data["capacity"],
        "default_language": data["default_language"],
        "languages": data["languages"],
        **texts({name: data[name] for name in Event.TRANSLATED_FIELDS if name in data}),
    }
    for name in ("online_url", "contact_email"):
        if name in data:
            fields[name] = data[name]
    for name in ("registration_opens", "registration_closes"):
        if name in data:
            fields[f"{name}_at"] = _moment(today, data[name], tz)
    event, _created = Event.objects.update_or_create(
        uuid=uuid.uuid5(DEMO_NAMESPACE, data["slug"]), defaults={"slug": data["slug"], **fields}
    )
    event.organisers.set([network["users"][email] for email in data.get("organisers", [])])
    _programme(event, data, network)
    return event


def _programme(event: Event, data: dict, network: dict) -> None:
    """The event's ``programme`` items, then its ``every_day`` items on each of its days;
    items no longer in the file are deleted."""
    first_day = event.local_starts_at.date()
    days = (event.local_ends_at.date() - first_day).days + 1
    items = [(item, item["day"], {}) for item in data.get("programme", [])]
    for number in range(1, days + 1):
        items += [(item, number, {"n": number}) for item in data.get("every_day", [])]
    keep = []
    for item, day_number, values in items:
        day = first_day + timedelta(days=day_number - 1)
        fields = {
            "event": event,
            "kind": ProgrammeItem.Kind(item["kind"]),
            "starts_at": _local(day, item["starts"], event.timezone),
            "ends_at": _local(day, item["ends"], event.timezone),
            "room": network["rooms"][(data["venue"], item["room"])] if "room" in item else None,
            **texts(
                {name: item[name] for name in ProgrammeItem.TRANSLATED_FIELDS if name in item},
                **values,
            ),
        }
        for name in ("capacity", "language"):
            if name in item:
                fields[name] = item[name]
        item_uuid = uuid.uuid5(DEMO_NAMESPACE, f"{event.slug}:{item['key'].format(**values)}")
        programme_item, _created = ProgrammeItem.objects.update_or_create(
            uuid=item_uuid, defaults=fields
        )
        programme_item.speakers.set(
            [network["speakers"][name] for name in item.get("speakers", [])]
        )
        keep.append(item_uuid)
    ProgrammeItem.objects.filter(event=event).exclude(uuid__in=keep).delete()


@transaction.atomic
def load(today: date | None = None) -> list[DemoLogin]:
    """Load the network and every event file; the demo logins to print."""
    today = today or timezone.localdate()
    data = read(DATA / "network.toml")
    _identity(data["identity"])
    users = _users(data["users"])
    organisations = _organisations(data["organisations"], users)
    venues, rooms = _venues(data["venues"], organisations)
    network = {
        "users": users,
        "organisations": organisations,
        "venues": venues,
        "rooms": rooms,
        "speakers": _speakers(data["speakers"], organisations),
    }
    for path in event_files():
        _event(read(path), today, network)
    # Every user made here can log in with the demo password: every one is printed.
    return [
        DemoLogin(
            user.get("role") or f"{user['first_name']} {user['last_name']}",
            user["email"],
            DEMO_PASSWORD,
        )
        for user in data["users"]
    ]


#: The demo's coming national meeting, and the slug of its previous edition, which the
#: resources and feedback demos share (``past_national_meeting``).
MEETING_SLUG = "rencontres-nationales-saint-etienne"
PAST_MEETING_SLUG = "rencontres-nationales-saint-etienne-precedente"
ORGANISER = "organiser@rencontres.example"


def past_national_meeting() -> Event | None:
    """Last year's edition of the national meeting in Saint-Étienne: found, or made as a
    copy of the coming one a year earlier and published (None until the events demo and
    its organiser are loaded)."""
    past = (
        Event.objects.filter(
            kind=Event.Kind.NATIONAL_MEETING,
            slug__startswith=MEETING_SLUG,
            ends_at__lt=timezone.now(),
        )
        .exclude(status=Event.Status.DRAFT)
        .order_by("-starts_at")
        .first()
    )
    if past is not None:
        return past
    source = Event.objects.filter(slug=MEETING_SLUG).first()
    organiser = get_user_model().objects.filter(email=ORGANISER).first()
    if source is None or organiser is None:
        return None
    first_day = source.local_starts_at.date() - timedelta(days=364)
    past = services.event_copy(
        source=source, slug=PAST_MEETING_SLUG, first_day=first_day, actor=organiser
    )
    for code, _name in settings.LANGUAGES:
        title = getattr(past, f"title_{code}", "")
        if title:
            setattr(past, f"title_{code}", f"{title} ({first_day.year})")
    past.save()
    return services.event_publish(event=past, actor=organiser)
