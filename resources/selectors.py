"""Reads of resources: who may see which, decided here once.

- The public sees a resource once it is published, on an event that is not a draft.
- The event's organisers (and superusers) see all of its resources, on its setup pages.
- The holder of an active upload link sees what was sent through that link.
"""

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.utils import timezone

from events.models import Event
from events.selectors import event_for_setup, event_visibility
from registrations.models import Registration

from .models import PublishBatch, Resource, UploadLink


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def resources_public(*, event: Event) -> QuerySet[Resource]:
    """The event's published resources, if the public may see the event."""
    if event.status == Event.Status.DRAFT:
        return Resource.objects.none()
    return (
        Resource.objects.filter(event=event, published_at__isnull=False)
        .select_related("item")
        .order_by("item__starts_at", "kind", "created_at", "pk")
    )


def resource_public(*, pk: int) -> Resource:
    """A published resource of an event the public may see (Resource.DoesNotExist if not)."""
    return Resource.objects.select_related("event").get(
        event__in=Event.objects.filter(event_visibility(AnonymousUser())),
        pk=pk,
        published_at__isnull=False,
    )


def resource_for_download(*, user, pk: int) -> Resource:
    """A resource's file for ``user``: published ones for anyone, the others for the
    event's organisers (Resource.DoesNotExist otherwise, as for a resource that does not
    exist: an unpublished file cannot be reached by guessing its address)."""
    try:
        return resource_public(pk=pk)
    except Resource.DoesNotExist:
        pass
    if not user.is_authenticated:
        raise Resource.DoesNotExist
    resource = Resource.objects.select_related("event").get(pk=pk)
    try:
        event_for_setup(user=user, slug=resource.event.slug)
    except Event.DoesNotExist:
        raise Resource.DoesNotExist from None
    return resource


def resources_for_setup(*, event: Event) -> QuerySet[Resource]:
    """Every resource of an event whose setup pages the caller passed already."""
    return (
        Resource.objects.filter(event=event)
        .select_related("item", "upload_link", "added_by")
        .order_by("item__starts_at", "item_id", "created_at", "pk")
    )


def resource_for_setup(*, event: Event, pk: int) -> Resource:
    return resources_for_setup(event=event).get(pk=pk)


def resources_unpublished(*, event: Event) -> QuerySet[Resource]:
    return resources_for_setup(event=event).filter(published_at__isnull=True)


def upload_links(*, event: Event) -> QuerySet[UploadLink]:
    return (
        UploadLink.objects.filter(event=event)
        .select_related("item", "speaker")
        .annotate(sent=Count("resources"))
        .order_by("-created_at", "-pk")
    )


def upload_link_for_setup(*, event: Event, pk: int) -> UploadLink:
    return UploadLink.objects.filter(event=event).get(pk=pk)


def upload_link_active(*, token: str, now=None) -> UploadLink:
    """The active link with this secret (UploadLink.DoesNotExist if none: unknown, revoked,
    expired, or its event is no longer on the public pages)."""
    now = now or timezone.now()
    return (
        UploadLink.objects.select_related("event", "item")
        .exclude(event__status=Event.Status.DRAFT)
        .get(token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=now)
    )


def resources_of_link(*, link: UploadLink) -> QuerySet[Resource]:
    return Resource.objects.filter(upload_link=link).select_related("item").order_by("pk")


def publication_audience(*, event: Event) -> QuerySet[Registration]:
    """Who gets the email when resources are published: the event's confirmed registrants
    (those whose attendance was recorded are confirmed too), who gave their own consent
    and were not erased."""
    return Registration.objects.filter(
        event=event,
        status=Registration.Status.CONFIRMED,
        details_confirmed=True,
        anonymised_at__isnull=True,
    ).select_related("event", "user__profile")


def publication_emails(*, event: Event) -> bool:
    """Whether publishing now emails the registrants: only the event's first publication
    does (one email per registrant and event); later ones only update the event page."""
    return not PublishBatch.objects.filter(event=event).exists()


def may_publish(*, event: Event, now=None) -> bool:
    """Resources are published after the event, on its public page."""
    now = now or timezone.now()
    return event.status != Event.Status.DRAFT and event.ends_at <= now
