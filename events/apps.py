from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, pre_delete, pre_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from . import db_rules, sites
        from .models import ShownOnEventPages, mark_pages_before_delete

        pre_migrate.connect(db_rules.drop_triggers, sender=self, dispatch_uid="events.drop")
        post_migrate.connect(db_rules.create_triggers, sender=self, dispatch_uid="events.create")
        post_migrate.connect(sites.sync_site, sender=self, dispatch_uid="events.site")
        # Every app's models are loaded by now: the resources and mobility apps' too.
        for model in apps.get_models():
            if issubclass(model, ShownOnEventPages):
                pre_delete.connect(
                    mark_pages_before_delete, sender=model, dispatch_uid="events.pages"
                )
