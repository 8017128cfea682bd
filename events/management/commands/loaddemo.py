from django.conf import settings
from django.core.management.base import BaseCommand

from events import demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo partner network, its events and demo logins."

    def handle(self, *args, **options):
        logins = demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Open {settings.SITE_URL}/ in your browser.")
        self.stdout.write("Demo logins (email / password):")
        for login in logins:
            self.stdout.write(f"  {login.role:35} {login.email} / {login.password}")
