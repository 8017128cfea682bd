from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    """``django.contrib.admin`` with its default site open to superusers only."""

    default_site = "config.admin.SuperuserAdminSite"
