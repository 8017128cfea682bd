"""The shared resources in the admin (superusers only, config/admin.py). Files are added
and published in the event's setup pages (content checked, registrants told); here a
superuser finds a resource across events, corrects its title or deletes it (its files
leave the storage with it). Speakers' upload links and publications are read only."""

from django.conf import settings
from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from config.admin import ReadOnlyAdmin

from .models import PublishBatch, Resource, UploadLink


@admin.register(Resource)
class ResourceAdmin(TabbedTranslationAdmin):
    list_display = ("__str__", "event", "item", "kind", "content_type", "size", "published_at")
    list_filter = (
        "kind",
        ("published_at", admin.EmptyFieldListFilter),
        ("event", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        *[f"title_{code}" for code, _name in settings.LANGUAGES],
        "original_name",
        "url",
        "event__slug",
    )
    list_select_related = ("event", "item")
    fields = (
        "event",
        "item",
        "kind",
        "title",
        "file",
        "url",
        "original_name",
        "content_type",
        "size",
        "thumbnail",
        "added_by",
        "upload_link",
        "batch",
        "published_at",
        "created_at",
        "updated_at",
    )
    #: Only the kind and the title may be corrected here.
    readonly_fields = tuple(name for name in fields if name not in ("kind", "title"))

    def has_add_permission(self, request):
        return False  # files are checked in the setup pages' upload form


@admin.register(UploadLink)
class UploadLinkAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "event", "item", "created_at", "expires_at", "revoked_at")
    list_filter = (("event", admin.RelatedOnlyFieldListFilter), "expires_at", "revoked_at")
    search_fields = ("name", "email")
    exclude = ("token_hash",)
    list_select_related = ("event", "item")


@admin.register(PublishBatch)
class PublishBatchAdmin(ReadOnlyAdmin):
    list_display = ("event", "published_at", "count", "published_by")
    list_filter = ("published_at", ("event", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("event", "published_by")
