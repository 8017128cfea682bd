"""Resources of an event (slides, reports, photos, links, other documents), attached to
the event or to one of its programme items, shown on the public page once published.

A resource is a file (kept with ``STORAGES["default"]`` under a random name, its type
read from its content: ``resources/files.py``) or a link. Speakers, who have no account,
add theirs through an upload link with a secret (``UploadLink``: only its hash is kept).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.model_fields import actor_field, optional_programme_item_field
from events.models import Event, ShownOnEventPages, Speaker


def _file_name(resource: "Resource", filename: str) -> str:
    # The name says nothing of the event or the person, and cannot be guessed: the file is
    # served only through the views' permission checks (``filename`` is the name
    # ``resources.files`` gives: a random one with the extension of the content's type).
    return f"resources/{uuid.uuid4().hex}/{filename}"


class PublishBatch(models.Model):
    """One "publish" by an organiser: the resources it made public, and one email to each
    registrant about them."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="resource_batches"
    )
    published_by = actor_field(_("published by"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    count = models.PositiveIntegerField(_("number of resources"), default=0)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication of resources")
        verbose_name_plural = _("publications of resources")

    def __str__(self) -> str:
        return f"{self.event} · {self.published_at:%Y-%m-%d %H:%M}"


class UploadLink(models.Model):
    """A link that lets a speaker (who has no account) add resources to one event, or to
    one of its programme items, until it expires or is revoked."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="upload_links"
    )
    item = optional_programme_item_field(_("programme item"), related_name="upload_links")
    speaker = models.ForeignKey(
        Speaker,
        verbose_name=_("speaker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="upload_links",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    #: SHA-256 of the secret in the link (the secret itself is only in the email).
    token_hash = models.CharField(max_length=64, editable=False)
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload link")
        verbose_name_plural = _("upload links")
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="upload_link_token_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at


class Resource(ShownOnEventPages, models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        REPORT = "report", _("Report")
        PHOTO = "photo", _("Photo")
        LINK = "link", _("Link")
        OTHER = "other", _("Other document")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="resources"
    )
    item = optional_programme_item_field(
        _("programme item"),
        related_name="resources",
        help_text=_("Leave empty for a resource of the whole event."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SLIDES)
    #: One column per language (resources/translation.py).
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=_file_name, blank=True, max_length=200)
    url = models.URLField(_("link"), blank=True, max_length=500)
    #: Read from the content when the file was received (``resources.files``).
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    #: The name the file had on the sender's computer (cleaned), for its download.
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_file_name, blank=True, max_length=200)
    added_by = actor_field(_("added by"), blank=True)
    upload_link = models.ForeignKey(
        UploadLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("upload link"),
    )
    batch = models.ForeignKey(
        PublishBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("publication"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    TRANSLATED_FIELDS = ("title",)

    class Meta:
        ordering = ["item__starts_at", "created_at", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="resource_file_or_link",
            ),
        ]
        indexes = [models.Index(fields=["event", "published_at"], name="resource_event_published")]

    def __str__(self) -> str:
        return self.i18n.title or self.original_name or self.url

    def events_showing(self):
        """Its event, once published: the public page lists the published resources (a
        withdrawal marks the event itself: ``services.resource_withdraw``)."""
        if self.published_at is None:
            return Event.objects.none()
        return Event.objects.filter(pk=self.event_id)

    @property
    def i18n(self):
        from events.i18n import Localized

        return Localized(self, self.TRANSLATED_FIELDS, self.event.default_language)

    @property
    def is_link(self) -> bool:
        return not self.file

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
