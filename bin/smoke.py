"""Production-only smoke test: every page and every export answers, with only what
``pip install .`` installs (no test extra: this is plain Python, not pytest).

Run by .ci/run in a fresh virtual environment, after ``migrate``, ``collectstatic`` and
``loaddemo`` on a temporary ``VAR_DIR``, with ``DEBUG=0``:

    python bin/smoke.py

It logs in as each demo role with Django's test client, GETs every public page, the
private pages of a registration, every workspace page and every calendar, downloads every
export format, and fails at the first page that does not answer 200 with the expected
content type (a server error raises with its traceback).
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from evaluation.models import Receipt, Survey  # noqa: E402
from events.models import Event, Organisation, ProgrammeItem  # noqa: E402
from mobility.models import MobilityDetails, Project, Series  # noqa: E402
from registrations.models import Attendance, Registration  # noqa: E402

PASSWORD = "rencontres-demo"  # noqa: S105 (the demo's published password)
HTML = "text/html"
CALENDAR = "text/calendar"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_TYPES = {
    "csv": "text/csv",
    "csv-semicolon": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "signin": "application/pdf",
    "badges": "application/pdf",
}
checked = 0


def check(client, path, content_type=HTML, *, data=None):
    """GET (or POST ``data`` to) ``path``; it must answer 200 with ``content_type``."""
    global checked
    response = client.post(path, data) if data is not None else client.get(path)
    answered = response.get("Content-Type", "")
    if response.status_code != 200 or not answered.startswith(content_type):
        sys.exit(f"FAILED {path}: {response.status_code} {answered!r}, expected {content_type}")
    body = b"".join(response) if response.streaming else response.content
    if not body:
        sys.exit(f"FAILED {path}: empty body")
    checked += 1
    print(f"ok  {answered.split(';')[0]:<20} {path} {data or ''}")
    return body


def logged_in(email):
    client = Client()
    response = client.post("/en/accounts/login/", {"login": email, "password": PASSWORD})
    if "_auth_user_id" not in client.session:
        sys.exit(f"FAILED to log in as {email}: {response.status_code}")
    return client


def public_pages(client):
    check(client, "/healthz", "application/json")
    check(client, "/identity.css", "text/css")  # the network's colours (the demo sets them)
    for code, _name in settings.LANGUAGES:
        check(client, f"/{code}/")
    check(client, "/en/events/past/")
    check(client, "/en/calendar/rencontres.ics", CALENDAR)
    for event in Event.objects.published():
        check(client, f"/en/events/{event.slug}/")
        check(client, f"/fr/events/{event.slug}/register/")
        check(client, f"/en/calendar/events/{event.slug}.ics", CALENDAR)
    for organisation in Organisation.objects.all():
        check(client, f"/en/calendar/organisations/{organisation.slug}.ics", CALENDAR)
    for code, _name in settings.LANGUAGES:
        check(client, f"/{code}/network/")
    check(client, "/en/network/map.json", "application/json")
    for organisation in Organisation.objects.filter(listed=True):
        check(client, f"/pt/network/{organisation.slug}/")
    for project in Project.objects.all():
        check(client, f"/en/projects/{project.slug}/")
    for series in Series.objects.all():
        check(client, f"/en/series/{series.slug}/")
    for path in (
        "/en/accounts/login/",
        "/en/accounts/signup/",
        "/en/accounts/login/code/",
        "/en/accounts/password/reset/",
    ):
        check(client, path)


def api_and_widget(client):
    """The REST API, its schema and documentation, and the widget partner sites frame."""
    check(client, "/api/v1/events/?lang=pt", "application/json")
    check(client, "/api/v1/organisations/", "application/json")
    check(client, "/api/schema/", "application/vnd.oai.openapi")
    check(client, "/api/docs/")
    check(client, "/api/docs/?script=", "application/javascript")
    check(
        client,
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "text/javascript",
    )
    check(client, "/static/api/embed.js", "text/javascript")
    check(client, "/pt/widget/events/")
    for event in Event.objects.published():
        check(client, f"/api/v1/events/{event.slug}/", "application/json")
        check(client, f"/pt/widget/events/{event.slug}/")
    for organisation in Organisation.objects.filter(listed=True):  # the others have none
        check(client, f"/pt/widget/organisations/{organisation.slug}/")


def private_pages(client):
    registration = Registration.objects.filter(status=Registration.Status.CONFIRMED).first()
    page = check(client, f"/en/r/{registration.secret}/").decode()
    check(client, f"/en/r/{registration.secret}/details/")
    feed = re.search(r"(/en/calendar/personal/[^\"]+\.ics)", page).group(1)
    check(client, feed, CALENDAR)
    check(client, f"/en/r/{registration.secret}/my-data/")
    check(client, f"/en/r/{registration.secret}/my-data.json", "application/json")
    travelling = Registration.objects.filter(event__kind=Event.Kind.TRAINING).first()
    check(client, f"/en/r/{travelling.secret}/mobility/")
    # the feedback survey: one who answered already, and one who did not (if any)
    for receipt in Receipt.objects.select_related("registration")[:1]:
        check(client, f"/en/r/{receipt.registration.secret}/feedback/")
    for survey in Survey.objects.all()[:1]:
        pending = Registration.objects.filter(
            event=survey.event, status=Registration.Status.CONFIRMED
        ).exclude(survey_receipts__survey=survey)
        for registration in pending[:1]:
            check(client, f"/fr/r/{registration.secret}/feedback/")


def participant_pages():
    client = logged_in("participant@rencontres.example")
    check(client, "/en/my/registrations/")
    check(client, "/en/my/profile/")


def coordinator_pages():
    email = "coordinator.ro@rencontres.example"
    client = logged_in(email)
    check(client, "/en/coordinator/")
    check(client, "/en/workspace/organisations/")
    for organisation in Organisation.objects.filter(coordinators__email=email):
        check(client, f"/ro/workspace/organisations/{organisation.slug}/")


def workspace_pages_and_exports():
    client = logged_in("organiser@rencontres.example")
    check(client, "/en/workspace/")
    for event in Event.objects.filter(registrations__isnull=False).distinct():
        base = f"/en/workspace/{event.slug}"
        for page in ("/", "/participants/", "/checkin/", "/emails/", "/write/"):
            check(client, base + page)
        for item in ProgrammeItem.objects.filter(event=event, kind="workshop")[:1]:
            check(client, f"{base}/workshops/{item.pk}/")
        for kind, content_type in CONTENT_TYPES.items():
            check(client, f"{base}/export/", content_type, data={"format": kind})
        check(
            client,
            f"{base}/export/",
            "application/pdf",
            data={"format": "signin", "per_session": "on"},
        )
        setup_pages(client, event)
        feedback_pages(client, event)
        if event.kind == Event.Kind.TRAINING:
            mobility_pages(client, event)
    check(client, "/en/workspace/new/")
    check(client, "/en/workspace/api-tokens/")
    check(client, "/en/workspace/embed/?what=network&language=pt")
    for event in Event.objects.filter(registrations__isnull=False).distinct()[:1]:
        check(client, f"/api/v1/events/{event.slug}/registrations/", "application/json")
    for project in Project.objects.all():
        check(client, f"/en/projects/{project.slug}/overview/")
        check(client, f"/en/projects/{project.slug}/report.xlsx", XLSX)


def setup_pages(client, event):
    """The organisers' own setup pages of ``event`` (events, registrations, notifications)."""
    base = f"/en/workspace/{event.slug}/setup"
    for page in (
        "/",
        "/texts/",
        "/programme/",
        "/venues/",
        "/speakers/",
        "/registration/",
        "/quotas/",
        "/questions/",
        "/emails/",
        "/emails/preview/?kind=confirmed&language=fr",
    ):
        check(client, base + page)


def feedback_pages(client, event):
    """The feedback survey's setup, results and exports (evaluation/views.py)."""
    base = f"/en/workspace/{event.slug}"
    check(client, f"{base}/setup/feedback/")
    if Survey.objects.filter(event=event).exists():
        check(client, f"{base}/feedback/")
        check(client, f"{base}/feedback/results.csv", "text/csv")
        check(client, f"{base}/feedback/results.xlsx", XLSX)
        question = Survey.objects.get(event=event).questions.first()
        if question:
            check(client, f"{base}/setup/feedback/questions/{question.pk}/")


def mobility_pages(client, event):
    check(client, f"/en/workspace/{event.slug}/setup/mobility/")
    check(client, f"/en/events/{event.slug}/register/")  # the form asks the travel
    base = f"/en/workspace/{event.slug}/mobility"
    check(client, f"{base}/")
    for sheet in ("report", "youthpass", "rooming", "arrivals"):
        check(client, f"{base}/{sheet}.xlsx", XLSX)
    # The PDFs are printed for someone: certificates for people checked in, letters for
    # those who asked one (with nobody, the page says so instead).
    if Attendance.objects.filter(registration__event=event).exists():
        check(client, f"{base}/certificates.pdf", PDF)
    if MobilityDetails.objects.filter(registration__event=event, needs_visa_letter=True).exists():
        check(client, f"{base}/visa-letters.pdf", PDF)


def admin_pages():
    """The Django admin, for superusers only."""
    client = logged_in("admin@rencontres.example")
    check(client, "/en/admin/")
    check(client, "/en/admin/events/event/")
    check(client, "/en/admin/registrations/registration/")


def main():
    anonymous = Client()
    public_pages(anonymous)
    api_and_widget(Client())
    private_pages(anonymous)
    participant_pages()
    coordinator_pages()
    workspace_pages_and_exports()
    admin_pages()
    print(f"Smoke test: {checked} pages and files answered, production install only.")


if __name__ == "__main__":
    main()
