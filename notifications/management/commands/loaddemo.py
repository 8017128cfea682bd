from django.conf import settings
from django.core.management.base import BaseCommand

from evaluation import demo as evaluation_demo
from events import demo as events_demo
from mobility import demo as mobility_demo
from network import demo as network_demo
from notifications import demo as notifications_demo
from registrations import demo as registrations_demo
from resources import demo as resources_demo


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo partner network: organisations, events and programmes, "
        "registrations and demo logins. Running it again creates nothing twice."
    )

    def handle(self, *args, **options):
        logins = events_demo.load()
        notifications_demo.load()  # before the registrations: their confirmations
        registrations_demo.load()
        mobility_demo.load()
        mobility_demo.load_nagyvazsony()
        mobility_demo.load_past()
        mobility_demo.load_projects()
        resources_demo.load()
        network_demo.load()
        evaluation_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Open {settings.SITE_URL}/ in your browser.")
        self.stdout.write("Demo logins (email / password):")
        for login in logins:
            self.stdout.write(f"  {login.role:35} {login.email} / {login.password}")
