"""Mobility: travel details of the participants of transnational trainings, and the data
the Erasmus+ computations read (distance bands and unit costs per programme year,
emission factors per means of transport).

``mobility`` sits above ``registrations`` and below ``notifications``: it may import events
and registrations; neither of them imports it. An event is a mobility when its kind is
``Event.Kind.TRAINING``; its mobility settings (``MobilitySettings``) are made the first
time they are read.

Grants are reported per project: a ``Project`` (programme, action, grant agreement,
partners) has events as its activities, and a ``Series`` groups the editions of a cycle
of meetings.
"""

from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from events.i18n import Localized
from events.models import Event, Organisation, ShownOnEventPages, URLField
from registrations.models import Registration


class Means(models.TextChoices):
    """Main means of transport of a journey."""

    PLANE = "plane", _("Plane")
    TRAIN = "train", _("Train")
    BUS = "bus", _("Bus or coach")
    CAR = "car", _("Car")
    SHARED_CAR = "shared_car", _("Shared car (car-pooling)")
    BOAT = "boat", _("Boat or ferry")
    BIKE = "bike", _("Bike")
    OTHER_SUSTAINABLE = "other_sustainable", _("Other sustainable means")


class BandTable(models.Model):
    """The distance bands and travel unit costs of one programme year's guide."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("programme year"))
    source = models.TextField(_("source"), help_text=_("The document the figures come from."))

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("distance band table")
        verbose_name_plural = _("distance band tables")

    def __str__(self) -> str:
        return self.name


class DistanceBand(models.Model):
    """From ``min_km`` (included) up to ``max_km`` (included; empty: no upper limit), the
    travel unit cost per participant, and the higher one for green travel where the guide
    gives one."""

    table = models.ForeignKey(
        BandTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="bands"
    )
    min_km = models.PositiveIntegerField(_("from (km)"))
    max_km = models.PositiveIntegerField(_("to (km)"), null=True, blank=True)
    unit_cost = models.DecimalField(_("unit cost (EUR)"), max_digits=8, decimal_places=2)
    green_unit_cost = models.DecimalField(
        _("green travel unit cost (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["table", "min_km"]
        verbose_name = _("distance band")
        verbose_name_plural = _("distance bands")
        constraints = [
            models.UniqueConstraint(fields=["table", "min_km"], name="band_unique_start"),
            models.CheckConstraint(
                condition=Q(max_km__isnull=True) | Q(max_km__gte=models.F("min_km")),
                name="band_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        if self.max_km is None:
            return f"{self.min_km} km +"
        return f"{self.min_km}–{self.max_km} km"

    def clean(self):
        errors = {}
        if self.max_km is not None and self.min_km is not None and self.max_km < self.min_km:
            errors["max_km"] = _("A band cannot end before it starts.")
        if self.unit_cost is not None and self.unit_cost < 0:
            errors["unit_cost"] = _("A unit cost cannot be negative.")
        if self.green_unit_cost is not None:
            if self.green_unit_cost < 0:
                errors["green_unit_cost"] = _("A unit cost cannot be negative.")
            elif self.unit_cost is not None and self.green_unit_cost < self.unit_cost:
                errors["green_unit_cost"] = _(
                    "The green travel unit cost cannot be lower than the standard one."
                )
        if errors:
            raise ValidationError(errors)


def band_overlaps(bands: list[tuple[int, int | None]]) -> list[str]:
    """The overlaps between bands given as (from, to) kilometres (to None: no upper
    limit), as messages: a table's bands must not share a kilometre."""
    problems = []
    ordered = sorted(bands, key=lambda band: band[0])
    for (start, end), (next_start, _next_end) in pairwise(ordered):
        if end is None or next_start <= end:
            problems.append(
                _("The bands from %(first)s km and from %(second)s km overlap.")
                % {"first": start, "second": next_start}
            )
    return problems


class MeansOfTransport(models.Model):
    """What the computations know of a means of transport: its emission factor, whether it
    counts as green travel, and where both come from."""

    means = models.CharField(_("means of transport"), max_length=20, choices=Means.choices)
    grams_co2e_per_km = models.DecimalField(
        _("emissions (g CO2e per passenger-km)"), max_digits=7, decimal_places=1
    )
    green_travel = models.BooleanField(_("counts as green travel"), default=False)
    #: The publication's name: pages put it in a sentence of their reader's language.
    source = models.TextField(_("source"))
    #: Which figure of the publication (its table and row), for whoever checks it.
    source_figure = models.TextField(_("figure taken from the source"), blank=True)
    source_year = models.PositiveSmallIntegerField(_("year of the source"), null=True, blank=True)
    source_url = URLField(_("address of the source"), max_length=500, blank=True)
    #: A plane's factor depends on the flight's length: beyond ``long_haul_from_km`` (one
    #: way), the long-haul factor applies (DESNZ: short haul up to 3,700 km).
    long_haul_from_km = models.PositiveIntegerField(
        _("long haul beyond (km)"),
        null=True,
        blank=True,
        help_text=_("Beyond this one-way distance, the long-haul factor applies."),
    )
    long_haul_grams_co2e_per_km = models.DecimalField(
        _("long-haul emissions (g CO2e per passenger-km)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
    )
    long_haul_source = models.TextField(_("source of the long-haul factor"), blank=True)

    class Meta:
        ordering = ["means"]
        verbose_name = _("means of transport")
        verbose_name_plural = _("means of transport")
        constraints = [models.UniqueConstraint(fields=["means"], name="means_unique")]

    def __str__(self) -> str:
        return self.get_means_display()


class MobilitySettings(models.Model):
    """What an event asks and computes for its mobility, edited on its setup page. Who is
    an accompanying person is the registration's role (asked by every registration form),
    not a setting. Whether partner coordinators see the date of birth is the event's own
    ``coordinators_see_sensitive_data``; whether they see who is a participant with fewer
    opportunities is ``coordinators_see_fewer_opportunities`` (``selectors``)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="mobility_settings", verbose_name=_("event")
    )
    band_table = models.ForeignKey(
        BandTable,
        verbose_name=_("distance bands of the programme year"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    asks_date_of_birth = models.BooleanField(_("ask the date of birth"), default=True)
    coordinators_see_fewer_opportunities = models.BooleanField(
        _("partner coordinators see who has fewer opportunities"), default=False
    )
    locked_at = models.DateTimeField(
        _("details locked at"),
        null=True,
        blank=True,
        help_text=_("After this, participants can no longer change their travel details."),
    )

    class Meta:
        verbose_name = _("mobility settings")
        verbose_name_plural = _("mobility settings")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def locked_zone_label(self) -> str:
        """The offset from UTC of the lock's moment in the event's time zone (``UTC+02:00``),
        as every time zone is labelled for readers (``Event.timezone_label``)."""
        return self.event.offset_label(self.locked_at) if self.locked_at else ""


class MobilityDetails(models.Model):
    """A participant's travel to a mobility. The city of origin is kept as it was chosen
    (name, country and coordinates from the offline city list), so that the computations
    do not change when the list does."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="mobility",
        verbose_name=_("registration"),
    )
    origin_geonameid = models.PositiveIntegerField(null=True, blank=True)
    origin_city = models.CharField(_("city of origin"), max_length=200, blank=True)
    origin_country = CountryField(_("country of origin"), blank=True)
    origin_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    origin_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    departure_at = models.DateTimeField(_("departure"), null=True, blank=True)
    means = models.CharField(
        _("main means of transport"), max_length=20, choices=Means.choices, blank=True
    )
    needs_visa_letter = models.BooleanField(_("needs a visa invitation letter"), default=False)
    accommodation_nights = models.PositiveSmallIntegerField(
        _("accommodation nights"), null=True, blank=True
    )
    room_sharing = models.CharField(_("room-sharing wishes"), max_length=300, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    accompanying_person = models.BooleanField(_("accompanying person"), default=False)
    fewer_opportunities = models.BooleanField(
        _("participant with fewer opportunities"), default=False
    )
    #: Set when the person asked for erasure after attending: only the grant evidence is
    #: kept (``personal_data``), until the event's retention period ends.
    evidence_only_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mobility details")
        verbose_name_plural = _("mobility details")
        constraints = [
            models.CheckConstraint(
                condition=Q(arrival_at__isnull=True)
                | Q(departure_at__isnull=True)
                | Q(departure_at__gt=models.F("arrival_at")),
                name="mobility_departure_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return str(self.registration)


class Project(ShownOnEventPages, models.Model):
    """A funded project: grants are reported per project, not per event. Its activities
    are events (``ProjectActivity``). Its ``action`` is written in each language ("KA2
    cooperation partnership", "Partenariat de coopération KA2"): ``project.i18n.action``."""

    TRANSLATED_FIELDS = ("action",)

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=200, blank=True)
    grant_agreement_number = models.CharField(
        _("grant agreement number"), max_length=60, blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    coordinating_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        on_delete=models.PROTECT,
        related_name="coordinated_projects",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), related_name="projects", blank=True
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project coordinators"),
        related_name="coordinated_projects",
        blank=True,
        help_text=_(
            "They see the project overview and export the beneficiary report of every "
            "activity, with the participants’ names."
        ),
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, None)

    def events_showing(self):
        """The pages of its activities link to it, by name."""
        return Event.objects.filter(project_activity__project=self)


class ProjectActivity(ShownOnEventPages, models.Model):
    class Type(models.TextChoices):
        PROJECT_MEETING = "project_meeting", _("Transnational project meeting")
        TRAINING = "training", _("Learning, teaching and training activity")
        MULTIPLIER = "multiplier", _("Multiplier event")

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="project_activity", verbose_name=_("event")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="activities", verbose_name=_("project")
    )
    type = models.CharField(_("activity type"), max_length=20, choices=Type.choices)

    class Meta:
        ordering = ["project", "event__starts_at"]
        verbose_name = _("project activity")
        verbose_name_plural = _("project activities")

    def __str__(self) -> str:
        return f"{self.project}: {self.event}"

    def events_showing(self):
        return Event.objects.filter(pk=self.event_id)


class Series(ShownOnEventPages, models.Model):
    """A cycle of meetings (one edition after the other, in different places); its
    description is written in each language (``series.i18n.description``)."""

    TRANSLATED_FIELDS = ("description",)

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.name

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, None)

    def events_showing(self):
        """The pages of its editions link to it, by name."""
        return Event.objects.filter(series_edition__series=self)


class SeriesEdition(ShownOnEventPages, models.Model):
    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="series_edition", verbose_name=_("event")
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="editions", verbose_name=_("series")
    )

    class Meta:
        ordering = ["series", "event__starts_at"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return f"{self.series}: {self.event}"

    def events_showing(self):
        return Event.objects.filter(pk=self.event_id)
