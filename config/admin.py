"""The Django admin is for superusers: organisers and coordinators work in the product's
own pages (the workspace and its setup pages), which check who may see what."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows a superuser may read and never add, change or delete: records of what happened
    (receipts, upload links, publications)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
