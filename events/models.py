"""Organisations, venues, events and their programmes.

``events`` is the ground floor: it knows nothing of registrations or notifications.
Translated fields (``title``, ``summary``…) get one column per language from
django-modeltranslation (see ``translation.py``); read them with ``obj.i18n.<field>``.
"""

import uuid
import zoneinfo
from datetime import datetime, tzinfo
from urllib.parse import quote_plus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .colours import validate_readable_on_white
from .formats import date_format
from .i18n import Localized, active_language
from .model_fields import actor_field, optional_organisation_field
from .names import FAMILY_NAME_FIRST, person_name


class URLField(models.URLField):
    """A URL field whose forms read a URL typed without a scheme as https (Django 6's default)."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


TIMEZONES = zoneinfo.available_timezones()
TIMEZONE_CHOICES = sorted((name, name) for name in TIMEZONES)


def same_local_time(moment: datetime, old: tzinfo, new: tzinfo) -> datetime:
    """``moment``'s wall-clock time in the zone ``old``, read in the zone ``new``."""
    return timezone.make_aware(timezone.make_naive(moment, old), new)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def _now():
    return timezone.now()


def validate_languages(value) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not all(code in known for code in value):
        raise ValidationError(_("Choose languages among the interface languages."))


class ShownOnEventPages:
    """A row that event pages and calendars show: saving or deleting it (one by one, or
    a queryset's ``delete()``: ``mark_pages_before_delete``) marks those events' content
    changed (``Event.content_changed_at``, read by their versions: the ETags and the keys
    of their cached bodies). Writes with ``update()`` or ``bulk_create()`` bypass this, so
    the services that make them call ``EventQuerySet.content_changed()`` themselves."""

    def events_showing(self):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.events_showing().content_changed()


def mark_pages_before_delete(sender, instance, **kwargs):
    """``pre_delete`` of every ``ShownOnEventPages`` model (connected by
    ``EventsConfig.ready``): the events that show the row, while it is still there."""
    instance.events_showing().content_changed()


class Organisation(ShownOnEventPages, models.Model):
    #: The city is named in each language ("Lisboa", "Lisbon", "Lisszabon"): ``.city`` reads
    #: it in the active language (modeltranslation's descriptor, with its fallback).
    TRANSLATED_FIELDS = ("field_of_work", "description", "city")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = URLField(_("website"), blank=True)
    # The public directory of the network's actors (only organisations that agreed).
    listed = models.BooleanField(
        _("listed in the public directory"),
        default=False,
        help_text=_("The organisation agreed to appear in the network’s public directory."),
    )
    field_of_work = models.CharField(_("field of work"), max_length=200, blank=True)
    description = models.TextField(_("short description"), max_length=1000, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("partner coordinators"),
        related_name="coordinated_organisations",
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def events_showing(self):
        return Event.objects.filter(
            Q(host=self) | Q(co_organisers=self) | Q(programme_items__speakers__organisation=self)
        )


class Venue(ShownOnEventPages, models.Model):
    #: The city's name is written in each language ("Lisboa", "Lisbon", "Lisszabon"):
    #: ``venue.city`` reads it in the active language (modeltranslation's descriptor, with
    #: its fallback through the languages), as ``venue.i18n.city`` does.
    TRANSLATED_FIELDS = ("city",)

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    organisation = optional_organisation_field(related_name="venues")
    created_by = actor_field(_("created by"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    def events_showing(self):
        return Event.objects.filter(venue=self)

    @property
    def full_address(self) -> str:
        parts = [self.address, f"{self.postcode} {self.city}".strip(), self.country.name]
        return ", ".join(part for part in parts if part)

    @property
    def map_url(self) -> str:
        if self.latitude is not None and self.longitude is not None:
            return (
                "https://www.openstreetmap.org/"
                f"?mlat={self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"
            )
        return "https://www.openstreetmap.org/search?query=" + quote_plus(self.full_address)

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, None)


class Room(ShownOnEventPages, models.Model):
    #: A room's name in each language ("Sala grande", "Main hall", "Nagyterem"): ``room.name``
    #: reads it in the active language, as ``room.i18n.name`` does.
    TRANSLATED_FIELDS = ("name",)

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["venue", "position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_unique_name_per_venue")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.venue.name})"

    def events_showing(self):
        return Event.objects.filter(Q(venue=self.venue_id) | Q(programme_items__room=self))

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, None)


class Speaker(ShownOnEventPages, models.Model):
    #: Given and family name, stored apart as a registration's are: ``name`` writes them in
    #: the reader's order ("Horváth Eszter" on a Hungarian page for a speaker of an
    #: organisation in Hungary, "Eszter Horváth" in English; ``events.names``). The given
    #: name may be empty (someone known by one name).
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=200)
    organisation = optional_organisation_field(related_name="speakers")
    bio = models.TextField(_("biography"), blank=True)
    created_by = actor_field(_("created by"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language's order."""
        return self.name_in()

    def name_in(self, language: str | None = None) -> str:
        """The name as a text in ``language`` (default: the active one) writes it: family
        name first in Hungarian for a speaker of an organisation in Hungary."""
        language = (language or active_language()).split("-")[0]
        country = ""
        if language in FAMILY_NAME_FIRST and self.organisation_id:
            country = self.organisation.country
        return person_name(self.first_name, self.last_name, language=language, country=country)

    def events_showing(self):
        return Event.objects.filter(programme_items__speakers=self)

    @property
    def i18n(self) -> Localized:
        return Localized(self, ("bio",), None)


class CounterFieldsMixin:
    """Counters (``places_taken``, and the event's ``content_changed_at``) are written only
    with ``update()``: the places by the registration services under the event's row lock.
    A plain ``save()`` of an existing row (the admin changing a title, say) leaves them
    alone, so it cannot put back a stale value."""

    COUNTER_FIELDS: tuple[str, ...] = ("places_taken",)

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.COUNTER_FIELDS
            ]
        return super().save(*args, **kwargs)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=Event.Status.DRAFT)

    def content_changed(self) -> int:
        """Mark what these events' pages and calendars show as changed, now."""
        return self.update(content_changed_at=timezone.now())


class Event(CounterFieldsMixin, models.Model):
    class Kind(models.TextChoices):
        NATIONAL_MEETING = "national_meeting", _("National meeting")
        TRAINING = "training", _("Transnational training or mobility")
        PROJECT_MEETING = "project_meeting", _("Project meeting")
        ONLINE = "online", _("Online meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")

    TRANSLATED_FIELDS = ("title", "summary", "description", "privacy_notice")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    description = models.TextField(_("description"), blank=True)
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="hosted_events",
    )
    co_organisers = models.ManyToManyField(
        Organisation,
        verbose_name=_("co-organising organisations"),
        related_name="co_organised_events",
        blank=True,
        help_text=_("Listed on the event page; their calendar feeds include the event."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organising team"),
        related_name="organised_events",
        blank=True,
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    online_url = URLField(_("online meeting link"), blank=True)
    contact_email = models.EmailField(
        _("organisers’ contact email"),
        blank=True,
        help_text=_("Shown on the event page: where people write with their questions."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIMEZONE_CHOICES,
        default="Europe/Paris",
        validators=[validate_timezone],
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_("An organiser or the participant’s partner coordinator approves each one."),
    )
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_("What is done with participants’ data; they consent to it when registering."),
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, default="1"
    )
    coordinators_see_sensitive_data = models.BooleanField(
        _("partner coordinators see sensitive answers"),
        default=False,
        help_text=_(
            "Dietary and accessibility needs of their own delegation, in their lists and "
            "exports. The event’s organisers always see them."
        ),
    )
    coordinators_cancel_after_deadline = models.BooleanField(
        _("partner coordinators may cancel after the deadline"),
        default=False,
        help_text=_(
            "Otherwise coordinators cancel their delegates’ registrations only until "
            "registration closes, as participants do."
        ),
    )
    programme_provisional = models.BooleanField(
        _("the programme is provisional"),
        default=False,
        help_text=_("The event page says that the programme may still change."),
    )
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    languages = models.JSONField(
        _("languages offered"), default=list, blank=True, validators=[validate_languages]
    )
    sequence = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("calendar sequence")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    #: When something its page or calendar shows besides its own row last changed: its
    #: programme, rooms, speakers, venue or organisations (``ShownOnEventPages``).
    content_changed_at = models.DateTimeField(
        default=_now, editable=False, verbose_name=_("content changed at")
    )

    COUNTER_FIELDS = ("places_taken", "content_changed_at")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "slug"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(places_taken__lte=F("capacity")),
                name="event_not_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "cancelled"]),
                name="event_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.i18n.title

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("An event must end after it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.languages and self.default_language not in self.languages:
            errors["languages"] = _("The default language must be one of the languages offered.")
        if self.kind != self.Kind.ONLINE and self.venue_id is None:
            errors["venue"] = _("An event held in person needs a venue.")
        if self.pk and self.starts_at and self.ends_at and self.timezone in TIMEZONES:
            # A new time zone moves the programme with it, at the same local times
            # (``services.event_save``): the items are checked where they will be.
            stored = Event.objects.filter(pk=self.pk).values_list("timezone", flat=True).first()
            old, new = zoneinfo.ZoneInfo(stored or self.timezone), zoneinfo.ZoneInfo(self.timezone)
            outside = [
                item
                for item in self.programme_items.order_by("starts_at")
                if same_local_time(item.starts_at, old, new) < self.starts_at
                or same_local_time(item.ends_at, old, new) > self.ends_at
            ]
            if outside:
                errors["ends_at"] = _(
                    "Some programme items would fall outside the event: %(items)s."
                ) % {"items": ", ".join(item.i18n.title for item in outside)}
        if errors:
            raise ValidationError(errors)

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, self.default_language)

    @cached_property
    def tz(self) -> tzinfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        return timezone.localtime(moment, self.tz)

    @property
    def local_starts_at(self) -> datetime:
        return self.local(self.starts_at)

    @property
    def local_ends_at(self) -> datetime:
        return self.local(self.ends_at)

    @property
    def is_multi_day(self) -> bool:
        return self.local_starts_at.date() != self.local_ends_at.date()

    @property
    def timezone_label(self) -> str:
        """The zone as people of every language read it: the offset from UTC at the event's
        start, ``UTC+02:00`` (a zone id such as ``Europe/Bucharest`` is English and reads
        badly inside translated sentences, and templates put it in brackets themselves)."""
        return self.offset_label(self.starts_at)

    def offset_label(self, moment: datetime) -> str:
        """The event's offset from UTC at ``moment`` (``UTC+02:00`` in winter in Bucharest,
        ``UTC+03:00`` in summer): the label of a time that is not the event's start."""
        offset = self.local(moment).strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}"

    @property
    def city(self) -> str:
        return self.venue.city if self.venue_id else ""

    @property
    def country(self):
        return self.venue.country if self.venue_id else self.host.country

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)

    def registration_state(self, now: datetime | None = None) -> str:
        """``"not_yet"``, ``"open"`` or ``"closed"``."""
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return "closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        closes = self.registration_closes_at or self.starts_at
        if now >= closes:
            return "closed"
        return "open"

    @property
    def offers_registration(self) -> bool:
        """Whether the event page shows a way to register (the form explains the window)."""
        return self.status == self.Status.PUBLISHED and timezone.now() < self.registration_deadline

    @property
    def registration_deadline(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_online(self) -> bool:
        return self.kind == self.Kind.ONLINE or (self.venue_id is None and bool(self.online_url))


class ProgrammeItem(ShownOnEventPages, CounterFieldsMixin, models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        WORKSHOP = "workshop", _("Workshop")
        SITE_VISIT = "site_visit", _("Site visit")
        MEAL = "meal", _("Meal")
        BREAK = "break", _("Break")
        OTHER = "other", _("Other")

    TRANSLATED_FIELDS = ("title", "description", "location")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_items",
    )
    location = models.CharField(
        _("other location"),
        max_length=200,
        blank=True,
        help_text=_("For a site visit or anything held outside the venue’s rooms."),
    )
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("speakers"), related_name="programme_items", blank=True
    )
    language = models.CharField(
        _("language spoken"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("For workshops that need a choice: leave empty for no limit."),
    )
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    cancelled = models.BooleanField(_("cancelled"), default=False, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("calendar sequence")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["starts_at", "room__position", "room__name", "title"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="programme_item_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(places_taken__lte=F("capacity")),
                name="programme_item_not_overbooked",
            ),
        ]
        # "lies within its event" spans two tables: enforced by database triggers
        # (events/db_rules.py, created after every migrate) and by clean() for a readable
        # message in forms.

    def __str__(self) -> str:
        return self.i18n.title

    def events_showing(self):
        return Event.objects.filter(pk=self.event_id)

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A programme item must end after it starts.")
        if self.event_id and self.starts_at and self.ends_at:
            event = self.event
            if self.starts_at < event.starts_at or self.ends_at > event.ends_at:
                errors["starts_at"] = _("A programme item must lie within its event.")
        if self.room_id and self.event_id and self.event.venue_id != self.room.venue_id:
            errors["room"] = _("Choose a room of the event’s venue.")
        if "room" not in errors and not self.cancelled and (clash := self.room_clash()):
            errors["room"] = _(
                "%(room)s is taken at that time by “%(title)s” (%(start)s–%(end)s). "
                "Choose another room or another time."
            ) % {
                "room": self.room.name,
                "title": clash.i18n.title,
                "start": date_format(clash.event.local(clash.starts_at), "SHORT_DATETIME_FORMAT"),
                "end": time_format(clash.event.local(clash.ends_at), "TIME_FORMAT"),
            }
        if errors:
            raise ValidationError(errors)

    def room_clash(self) -> "ProgrammeItem | None":
        """An item (of any event: a venue's rooms are shared) held in the same room at an
        overlapping time, cancelled ones aside; None if the room is free."""
        if not (self.room_id and self.starts_at and self.ends_at):
            return None
        return (
            ProgrammeItem.objects.filter(
                room_id=self.room_id,
                cancelled=False,
                starts_at__lt=self.ends_at,
                ends_at__gt=self.starts_at,
            )
            .exclude(pk=self.pk)
            .select_related("event")
            .order_by("starts_at")
            .first()
        )

    @property
    def i18n(self) -> Localized:
        # Reading the event's default language costs one query unless the caller used
        # select_related("event"), which every selector does.
        return Localized(self, self.TRANSLATED_FIELDS, self.event.default_language)

    @property
    def needs_choice(self) -> bool:
        """A workshop people choose when registering (a cancelled one is not offered)."""
        return self.kind == self.Kind.WORKSHOP and not self.cancelled

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)


class ProgrammeChange(models.Model):
    """A change to an item of a published programme, kept until it is announced: the
    event page lists them ("what changed"), and the people concerned receive one email
    per batch of changes (``events.services.programme_changes_announce``).

    The item's title and the old and new values are written as they were, so that the
    record reads the same after later edits or the item's deletion.
    """

    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        TIME = "time", _("New time")
        ROOM = "room", _("New room or place")
        SPEAKERS = "speakers", _("New speakers")
        CANCELLED = "cancelled", pgettext_lazy("programme item", "Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme_changes", verbose_name=_("event")
    )
    item = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("programme item"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    #: The item was a workshop: only the people who chose it are concerned.
    workshop = models.BooleanField(_("workshop"), default=False)
    item_title = models.CharField(_("title"), max_length=200)
    #: Room or place, or speakers, before and after (names as they were).
    before = models.CharField(_("before the change"), max_length=300, blank=True)
    after = models.CharField(_("after the change"), max_length=300, blank=True)
    #: A room or place (or the speakers) before and after, in each language
    #: (``{"ro": "Sala Mare"}``, ``{"hu": "Kandikó Rita"}``): each reader gets the names as
    #: their language writes them.
    before_names = models.JSONField(
        _("before the change, in each language"), default=dict, blank=True
    )
    after_names = models.JSONField(
        _("after the change, in each language"), default=dict, blank=True
    )
    #: Start before and after the change (for a new time, and an added item's start).
    starts_before = models.DateTimeField(_("start before the change"), null=True, blank=True)
    starts_after = models.DateTimeField(_("start after the change"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("programme change")
        verbose_name_plural = _("programme changes")

    def __str__(self) -> str:
        return f"{self.item_title}: {self.get_kind_display()}"

    @property
    def before_shown(self) -> str:
        """What was before, in the reader's (active) language when it was recorded so."""
        return self.before_names.get(active_language()) or self.before

    @property
    def after_shown(self) -> str:
        return self.after_names.get(active_language()) or self.after


class NetworkIdentity(models.Model):
    """The network's look and contact: one row, set by a superuser (Django admin), read
    by the public pages, the emails and the PDFs (``selectors.network_identity``). Without
    it (or with its defaults) everything looks as it always did."""

    DEFAULT_NAME = "Rencontres"
    DEFAULT_PRIMARY = "#0b5cad"
    DEFAULT_ACCENT = "#1b1b1f"
    TRANSLATED_FIELDS = ("footer",)

    name = models.CharField(
        _("name of the network"),
        max_length=120,
        blank=True,
        help_text=_("Shown in the header of every page, in the emails’ sender and in the PDFs."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="network/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "gif", "webp"])],
        help_text=_("A PNG or JPEG image, shown 48 pixels high beside the name."),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY,
        validators=[validate_readable_on_white],
        help_text=_("Links and buttons (white text on it). It must be readable on white."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[validate_readable_on_white],
        help_text=_("The network’s name and the headings. It must be readable on white."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    postal_address = models.TextField(
        _("postal address"),
        max_length=500,
        blank=True,
        help_text=_("Street, postcode and city, as written on an envelope; the country below."),
    )
    country = CountryField(
        _("country"),
        blank=True,
        help_text=_("Printed under the address in the reader’s language."),
    )
    website = URLField(_("website"), blank=True)
    footer = models.TextField(
        _("footer text"),
        max_length=500,
        blank=True,
        help_text=_("A sentence or two at the foot of every page and email."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("network identity")
        verbose_name_plural = _("network identity")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.pk = 1  # one row
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name or self.DEFAULT_NAME

    @property
    def version(self) -> str:
        """Changes with every edit: the address of its stylesheet and logo carries it."""
        return str(int(self.updated_at.timestamp())) if self.updated_at else "0"

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, settings.LANGUAGE_CODE)

    @property
    def address_lines(self) -> list[str]:
        """The postal address as written, then the country's name in the active language
        ("France", "Franciaország")."""
        lines = [line.strip() for line in self.postal_address.splitlines() if line.strip()]
        if self.country:
            lines.append(str(self.country.name))
        return lines

    @property
    def full_postal_address(self) -> str:
        return "\n".join(self.address_lines)

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.address_lines or self.website)


@receiver(m2m_changed, sender=ProgrammeItem.speakers.through)
@receiver(m2m_changed, sender=Event.co_organisers.through)
def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Speakers of an item, or co-organisers of an event, added or removed (by a form or
    ``set()``): the events showing them changed."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Event):
        events = Event.objects.filter(pk=instance.pk)
    elif isinstance(instance, ProgrammeItem):
        events = Event.objects.filter(pk=instance.event_id)
    elif model is ProgrammeItem:  # from a speaker's side
        events = Event.objects.filter(programme_items__in=pk_set or [])
    else:  # from an organisation's side
        events = Event.objects.filter(pk__in=pk_set or [])
    if action == "pre_clear" and not isinstance(instance, (Event, ProgrammeItem)):
        events = instance.events_showing()
    events.content_changed()
