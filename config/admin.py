"""The Django admin is for superusers: organisers and coordinators work in the product's
own pages (the workspace and its setup pages), which check who may see what."""

from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
