"""Every write of resources: adding one (a file checked on its content, or a link),
changing or withdrawing it, publishing an event's resources with one email per registrant,
and the speakers' upload links."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event, ProgrammeItem, Speaker
from notifications import services as notifications
from notifications.models import Kind

from . import files, selectors
from .models import PublishBatch, Resource, UploadLink

#: Days an upload link stays valid after the event ends.
LINK_DAYS_AFTER_EVENT = 60
#: Resources one upload link may add (whoever holds it cannot fill the storage).
MAX_PER_LINK = 30


def _titles(resource: Resource, titles: dict[str, str]) -> None:
    for code, _name in settings.LANGUAGES:
        if code in titles:
            setattr(resource, f"title_{code}", (titles[code] or "").strip())


def _check_item(event: Event, item: ProgrammeItem | None) -> None:
    if item is not None and item.event_id != event.pk:
        raise ValidationError(_("This programme item is not in this event."))


def resource_add(
    *,
    event: Event,
    item: ProgrammeItem | None,
    kind: str,
    titles: dict[str, str],
    uploaded=None,
    url: str = "",
    actor=None,
    upload_link: UploadLink | None = None,
) -> Resource:
    """A new resource (unpublished): a file, checked on its content and stored with
    ``STORAGES["default"]`` under a random name (images with a thumbnail), or a link."""
    _check_item(event, item)
    if bool(uploaded) == bool(url):
        raise ValidationError(_("Give either a file or a link."))
    if upload_link is not None and upload_link.resources.count() >= MAX_PER_LINK:
        raise ValidationError(
            _(
                "This link has reached its limit of %(count)s resources: please write to "
                "the organisers."
            )
            % {"count": MAX_PER_LINK}
        )
    resource = Resource(
        event=event,
        item=item,
        kind=kind,
        added_by=actor if actor is not None and actor.is_authenticated else None,
        upload_link=upload_link,
    )
    _titles(resource, titles)
    if uploaded:
        kind_of_file = files.inspect(uploaded)
        thumbnail = None
        if kind_of_file.is_image:
            try:
                thumbnail = files.thumbnail(uploaded)
            except (OSError, ValueError, SyntaxError):  # Pillow could not decode it all
                raise files.refused_type() from None
        resource.content_type = kind_of_file.content_type
        resource.size = uploaded.size
        resource.original_name = files.download_name(uploaded.name, kind_of_file)
        resource.file.save(files.stored_name(kind_of_file), uploaded, save=False)
        if thumbnail is not None:
            resource.thumbnail.save("thumbnail.jpg", thumbnail, save=False)
    else:
        resource.url = url
        resource.kind = Resource.Kind.LINK
    try:
        with transaction.atomic():
            resource.save()
    except Exception:
        _delete_files(resource)
        raise
    return resource


def resource_update(
    *, resource: Resource, item: ProgrammeItem | None, kind: str, titles: dict[str, str]
) -> Resource:
    _check_item(resource.event, item)
    resource.item = item
    if not resource.is_link:
        resource.kind = kind
    _titles(resource, titles)
    with transaction.atomic():
        resource.save()
    return resource


def _delete_files(resource: Resource) -> None:
    for field in (resource.file, resource.thumbnail):
        if field:
            field.storage.delete(field.name)


def resource_delete(*, resource: Resource) -> None:
    """Delete a resource; its files go once that is committed (``receivers``: also when
    its programme item or event is deleted)."""
    with transaction.atomic():
        resource.delete()


def resource_withdraw(*, resource: Resource) -> Resource:
    """Take a published resource off the public page (it stays in the setup pages)."""
    with transaction.atomic():
        resource.published_at = None
        resource.batch = None
        resource.save(update_fields=["published_at", "batch", "updated_at"])
        Event.objects.filter(pk=resource.event_id).content_changed()
    return resource


def resources_publish(*, event: Event, actor, now: datetime | None = None) -> PublishBatch:
    """Publish every unpublished resource of the event at once. The event's first
    publication writes one email to each confirmed registrant, in their language, however
    many files it holds; later ones (more resources, a withdrawn one published again) only
    update the event page (``selectors.publication_emails``). Only after the event
    (``selectors.may_publish``)."""
    now = now or timezone.now()
    if not selectors.may_publish(event=event, now=now):
        raise ValidationError(_("Resources are published once the event is over."))
    with transaction.atomic():
        pending = list(
            Resource.objects.select_for_update()
            .filter(event=event, published_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not pending:
            raise ValidationError(_("There is no resource waiting to be published."))
        emails = selectors.publication_emails(event=event)
        batch = PublishBatch.objects.create(
            event=event, published_by=actor, published_at=now, count=len(pending)
        )
        Resource.objects.filter(pk__in=pending).update(
            published_at=now, batch=batch, updated_at=now
        )
        Event.objects.filter(pk=event.pk).content_changed()
        messages = []
        audience = selectors.publication_audience(event=event) if emails else []
        for registration in audience:
            message = notifications.message_for_registration(
                registration=registration,
                kind=Kind.RESOURCES_PUBLISHED,
                context={"batch": batch.pk, "count": len(pending)},
                save=False,
            )
            message.dedupe_key = "resources:published"  # once per registration
            messages.append(message)
        notifications.messages_save(messages)
    return batch


# --- speakers' upload links ------------------------------------------------------------------


def upload_link_url(token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("resources:speaker_upload", kwargs={"token": token})
    return settings.SITE_URL + path


def upload_link_expiry(*, event: Event, now: datetime | None = None) -> datetime:
    """When a link sent ``now`` stops working: ``LINK_DAYS_AFTER_EVENT`` days after the
    event, or after it is sent if that is later."""
    return max(event.ends_at, now or timezone.now()) + timedelta(days=LINK_DAYS_AFTER_EVENT)


def upload_link_create(
    *,
    event: Event,
    item: ProgrammeItem | None,
    speaker: Speaker | None,
    name: str,
    email: str,
    language: str,
    actor,
    now: datetime | None = None,
) -> UploadLink:
    """A new upload link for a speaker, emailed to them through the outbox in their
    language. Only the secret's hash is kept; the link works until it is revoked or
    ``LINK_DAYS_AFTER_EVENT`` days after the event."""
    _check_item(event, item)
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = UploadLink.objects.create(
            event=event,
            item=item,
            speaker=speaker,
            name=name.strip(),
            email=email.strip(),
            language=language,
            token_hash=selectors.token_hash(token),
            created_by=actor,
            expires_at=upload_link_expiry(event=event, now=now),
        )
        with translation.override(language), timezone.override(event.tz):
            context = {
                "link": link,
                "event": event,
                "item": item,
                "url": upload_link_url(token, language),
                "site_url": settings.SITE_URL,
                "max_size": files.max_bytes(),
            }
            subject = _("Share your resources for “%(event)s”") % {"event": event.i18n.title}
            text = render_to_string("resources/upload_link_email.txt", context)
            html = render_to_string("resources/upload_link_email.html", context)
        notifications.message_create(
            kind=Kind.UPLOAD_LINK,
            recipient=link.email,
            language=language,
            event=event,
            subject=" ".join(str(subject).split()),
            body_text=text,
            body_html=html,
        )
    return link


def upload_link_revoke(*, link: UploadLink, now: datetime | None = None) -> UploadLink:
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = now or timezone.now()
            link.save(update_fields=["revoked_at"])
    return link
