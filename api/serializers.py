"""What the API answers. Translated texts are read through ``obj.i18n`` in the language
of the request (``?lang=``, else Accept-Language), with the object's own fallbacks."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.i18n import localized_value
from events.models import Event, ProgrammeItem
from registrations.models import Registration, Role, WorkshopChoice
from resources.models import Resource


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class EventTimeField(serializers.DateTimeField):
    """A moment of an event (its own, its programme's, its resources', its
    registrations'), written on the event's own clock: ISO 8601 with the offset of the
    event's time zone, the time its pages show, whatever the server's time zone. The
    event is the object itself, else the serializer's ``context["event"]``, else the
    object's ``event``."""

    def get_attribute(self, instance):
        moment = super().get_attribute(instance)
        if isinstance(instance, Event):
            event = instance
        else:
            event = self.context.get("event") or instance.event
        return moment, event.tz

    def to_representation(self, value):
        moment, zone = value
        if moment is None:
            return None
        with timezone.override(zone):
            return super().to_representation(moment)


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2")
    website = serializers.SerializerMethodField()
    field_of_work = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    logo = serializers.SerializerMethodField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_website(self, organisation) -> str | None:
        return organisation.website or None

    def get_field_of_work(self, organisation) -> str:
        return localized_value(organisation, "field_of_work")

    def get_description(self, organisation) -> str:
        return localized_value(organisation, "description")

    @extend_schema_field(
        {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "The logo's address on the directory (an image).",
        }
    )
    def get_logo(self, organisation) -> str | None:
        # The directory's own view serves it (nothing serves the storage's /media/).
        if not organisation.logo:
            return None
        return _absolute(
            self.context.get("request"),
            reverse("network:logo", kwargs={"slug": organisation.slug}),
        )


class VenueSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField(source="i18n.city", help_text="Named in the language asked.")
    country = serializers.CharField(source="country.code")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)


class EventSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    uuid = serializers.UUIDField()
    url = serializers.SerializerMethodField(help_text="The event's public page.")
    title = serializers.CharField(source="i18n.title")
    summary = serializers.CharField(source="i18n.summary")
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    status = serializers.ChoiceField(
        choices=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
        help_text="Drafts are never answered.",
    )
    starts_at = EventTimeField(help_text="On the event's clock (its time zone's offset).")
    ends_at = EventTimeField(help_text="On the event's clock (its time zone's offset).")
    timezone = serializers.CharField(help_text="The event's own time zone (IANA name).")
    city = serializers.CharField()
    country = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2")
    online = serializers.BooleanField(source="is_online")
    host = OrganisationRefSerializer()
    co_organisers = OrganisationRefSerializer(many=True, source="co_organisers.all")
    registration = serializers.SerializerMethodField(
        help_text="Whether registration is open now, not yet open, or closed."
    )
    places_left = serializers.IntegerField(allow_null=True, help_text="null: no limit.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event) -> str:
        return _absolute(
            self.context.get("request"), reverse("events:detail", kwargs={"slug": event.slug})
        )

    def get_country(self, event) -> str:
        return event.country.code if event.country else ""

    @extend_schema_field(serializers.ChoiceField(choices=["open", "not_yet", "closed"]))
    def get_registration(self, event) -> str:
        return event.registration_state()


class ProgrammeItemRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField(source="i18n.title")


class ResourceSerializer(serializers.Serializer):
    """A published resource of an event: a file served by the site, or a link."""

    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=Resource.Kind.choices)
    title = serializers.SerializerMethodField(
        help_text="In the language asked, else the event's own language; without any title, "
        "the file's name or the link."
    )
    item = serializers.SerializerMethodField(
        help_text="The programme item it belongs to; null: the whole event."
    )
    external = serializers.BooleanField(
        source="is_link", help_text="true: `url` is a link to another site; false: a file."
    )
    url = serializers.SerializerMethodField(
        help_text="The file's download address on this site, or the link."
    )
    thumbnail = serializers.SerializerMethodField(help_text="Images only: a small JPEG.")
    file_name = serializers.SerializerMethodField()
    content_type = serializers.SerializerMethodField(
        help_text="The file's type, read from its content; null for a link."
    )
    size = serializers.SerializerMethodField(help_text="Bytes; null for a link.")
    published_at = EventTimeField(help_text="On the event's clock (its time zone's offset).")

    def get_title(self, resource) -> str:
        return resource.i18n.title or resource.original_name or resource.url

    @extend_schema_field(ProgrammeItemRefSerializer(allow_null=True))
    def get_item(self, resource) -> dict | None:
        if resource.item is None:
            return None
        return ProgrammeItemRefSerializer(resource.item, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, resource) -> str:
        if resource.is_link:
            return resource.url
        return _absolute(
            self.context.get("request"), reverse("resources:file", kwargs={"pk": resource.pk})
        )

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail(self, resource) -> str | None:
        if resource.is_link or not resource.thumbnail:
            return None
        return _absolute(
            self.context.get("request"),
            reverse("resources:thumbnail", kwargs={"pk": resource.pk}),
        )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_file_name(self, resource) -> str | None:
        return None if resource.is_link else resource.original_name or None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_content_type(self, resource) -> str | None:
        return None if resource.is_link else resource.content_type or None

    @extend_schema_field({"type": "integer", "format": "int64", "nullable": True})
    def get_size(self, resource) -> int | None:
        return None if resource.is_link else resource.size


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text=(
            "Given and family name in the order the language asked writes them: family "
            "name first in Hungarian for a speaker of an organisation in Hungary."
        )
    )
    first_name = serializers.CharField(help_text="Given name (may be empty).")
    last_name = serializers.CharField(help_text="Family name.")
    organisation = serializers.CharField(source="organisation.name", allow_null=True)
    bio = serializers.CharField(source="i18n.bio")


class ProgrammeItemSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ProgrammeItem.Kind.choices)
    title = serializers.CharField(source="i18n.title")
    description = serializers.CharField(source="i18n.description")
    starts_at = EventTimeField(help_text="On the event's clock (its time zone's offset).")
    ends_at = EventTimeField(help_text="On the event's clock (its time zone's offset).")
    room = serializers.CharField(
        source="room.i18n.name", allow_null=True, help_text="Named in the language asked."
    )
    location = serializers.CharField(
        source="i18n.location", help_text="A place outside the venue's rooms."
    )
    language = serializers.CharField(help_text="The language spoken, if set.")
    speakers = SpeakerSerializer(many=True, source="speakers.all")
    capacity = serializers.IntegerField(allow_null=True)
    places_left = serializers.IntegerField(
        allow_null=True, help_text="Workshops: places still free; null: no limit."
    )
    cancelled = serializers.BooleanField()
    resources = serializers.SerializerMethodField(
        help_text="Its published resources (as `/api/v1/events/{slug}/resources/` lists them)."
    )

    @extend_schema_field(ResourceSerializer(many=True))
    def get_resources(self, item):
        resources = getattr(item, "public_resources", [])
        return ResourceSerializer(resources, many=True, context=self.context).data


class ProgrammeDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day", help_text="In the event's time zone.")
    items = serializers.SerializerMethodField()

    @extend_schema_field(ProgrammeItemSerializer(many=True))
    def get_items(self, day):
        items = [item for slot in day.slots for item in slot.items]
        return ProgrammeItemSerializer(items, many=True, context=self.context).data


class EventDetailSerializer(EventSerializer):
    description = serializers.CharField(source="i18n.description")
    venue = VenueSerializer(allow_null=True)
    rooms = serializers.SerializerMethodField(help_text="The venue's rooms, in their order.")
    programme_provisional = serializers.BooleanField()
    programme = ProgrammeDaySerializer(many=True, source="days", help_text="Day by day.")
    resources = ResourceSerializer(
        many=True,
        source="public_resources",
        help_text="The published resources of the whole event (each programme item lists its own).",
    )

    def get_rooms(self, event) -> list[str]:
        if not event.venue_id:
            return []
        return [room.i18n.name for room in event.venue.rooms.all()]


class WorkshopChoiceSerializer(serializers.Serializer):
    item = serializers.UUIDField(source="item.uuid")
    title = serializers.CharField(source="item.i18n.title")
    status = serializers.ChoiceField(choices=WorkshopChoice.Status.choices)


class RegistrationSerializer(serializers.Serializer):
    """A row of the workspace's participant list; the sensitive answers only for whom the
    workspace shows them (null otherwise)."""

    uuid = serializers.UUIDField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    organisation = serializers.CharField(source="organisation_label")
    organisation_slug = serializers.CharField(source="organisation.slug", allow_null=True)
    country = serializers.CharField(source="country.code")
    role = serializers.ChoiceField(choices=Role.choices)
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    language = serializers.CharField()
    workshops = WorkshopChoiceSerializer(many=True, source="workshop_choices.all")
    present_on = serializers.SerializerMethodField(help_text="Days of recorded attendance.")
    registered_at = EventTimeField(
        source="created_at", help_text="On the event's clock (its time zone's offset)."
    )
    dietary_needs = serializers.SerializerMethodField()
    accessibility_needs = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DateField()))
    def get_present_on(self, registration) -> list[str]:
        days = sorted({attendance.day for attendance in registration.attendances.all()})
        return [day.isoformat() for day in days]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_dietary_needs(self, registration):
        return registration.dietary_needs if self.context["sensitive"] else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_accessibility_needs(self, registration):
        return registration.accessibility_needs if self.context["sensitive"] else None
