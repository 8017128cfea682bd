from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from . import db_rules, sites

        pre_migrate.connect(db_rules.drop_triggers, sender=self, dispatch_uid="events.drop")
        post_migrate.connect(db_rules.create_triggers, sender=self, dispatch_uid="events.create")
        post_migrate.connect(sites.sync_site, sender=self, dispatch_uid="events.site")
