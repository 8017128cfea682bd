"""Small things a tester noticed: the lock's time in the event's named time zone, and
one full stop after a Hungarian date in the visa letter."""

from datetime import UTC, date, datetime

import pytest

from mobility import services as mobility_services

from ..events.test_pages import text
from .conftest import register
from .test_documents import pdf_text
from .test_workspace_pages import travels

pytestmark = pytest.mark.django_db


def test_locked_since_is_in_the_events_time_zone_named(client, timisoara):
    # 22:30 UTC is already the next day, 00:30, in Bucharest (winter: UTC+2).
    mobility_services.mobility_lock(
        event=timisoara, locked=True, now=datetime(2026, 1, 14, 22, 30, tzinfo=UTC)
    )
    client.force_login(timisoara.organiser)
    page = text(client.get(f"/en/workspace/{timisoara.slug}/setup/mobility/"))
    assert "Locked since 15 January 2026, 00:30 (UTC+02:00)." in page
    assert "Europe/Bucharest" not in page


def test_the_hungarian_visa_letter_ends_a_date_with_one_full_stop(client, timisoara):
    bence = register(timisoara, "Bence", timisoara.hungary, language="hu")
    travels(
        bence, "Budapest", "HU", "train", needs_visa_letter=True, date_of_birth=date(1995, 3, 4)
    )
    content = pdf_text(client.get(f"/en/r/{bence.secret}/mobility/visa-letter.pdf?language=hu"))
    assert "Születési dátum: 1995. március 4." in content
    assert "4.." not in content and ".." not in content.replace("...", "")
