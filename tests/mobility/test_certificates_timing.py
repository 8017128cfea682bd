"""No attendance certificate before the event happened: check-in refuses days still to
come (in the event's time zone), and bulk certificates wait for the event's end."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registrations import services
from registrations.models import Attendance

from ..events.test_pages import text
from .conftest import register

pytestmark = pytest.mark.django_db


def test_check_in_refuses_a_day_still_to_come(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    assert marta.status == "confirmed"
    client.force_login(timisoara.organiser)
    response = client.post(
        f"/en/workspace/{timisoara.slug}/checkin/{marta.uuid}/",
        {"day": timisoara.local_starts_at.date().isoformat(), "present": "1"},
        follow=True,
    )
    assert "Nobody can be checked in for a day still to come." in text(response)
    assert not Attendance.objects.filter(registration=marta).exists()


def test_check_in_reads_today_in_the_events_time_zone(timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    first = timisoara.local_starts_at.date()
    # 23:30 in Bucharest on the eve is still the eve there (21:30 UTC).
    eve = timezone.datetime.combine(first - timedelta(days=1), timezone.datetime.min.time())
    eve = eve.replace(hour=23, minute=30, tzinfo=timisoara.tz)
    with pytest.raises(services.RegistrationError):
        services.attendance_mark(registration=marta, day=first, now=eve)
    services.attendance_mark(registration=marta, day=first, now=eve + timedelta(hours=1))
    assert Attendance.objects.filter(registration=marta, day=first).exists()


def test_bulk_certificates_wait_for_the_end_of_the_event(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    Attendance.objects.create(registration=marta, day=timisoara.local_starts_at.date())
    client.force_login(timisoara.organiser)
    response = client.get(f"/en/workspace/{timisoara.slug}/mobility/certificates.pdf", follow=True)
    assert response.redirect_chain
    assert "Certificates of attendance are issued once the event is over." in text(response)
    assert response["Content-Type"].startswith("text/html")
