"""Mobility dates a participant types are plausible: a date of birth in the past and not
absurd, arrival and departure around the event (the Erasmus+ travel days), with the error
beside the field; the beneficiary report never shows an end before the start."""

from datetime import timedelta

import pytest
from django.utils import translation

from mobility.models import MobilityDetails

from ..events.test_pages import text
from .conftest import register
from .test_participant_pages import travel_form
from .test_workspace_pages import sheet, travels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def moment(day, time="12:00"):
    return f"{day}T{time}"


def post(client, registration, **values):
    return client.post(f"/en/r/{registration.secret}/mobility/", travel_form(**values))


def test_the_private_page_refuses_a_date_of_birth_in_the_future_or_absurdly_old(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    page = text(post(client, marta, date_of_birth="2090-01-01"))
    assert "The date of birth must be in the past." in page
    page = text(post(client, marta, date_of_birth="1850-01-01"))
    assert "Check the year: this date of birth is too long ago." in page
    assert not MobilityDetails.objects.filter(registration=marta).exists()
    assert post(client, marta, date_of_birth="1990-01-01").status_code == 302


def test_arrival_and_departure_must_be_around_the_event(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    start, end = timisoara.local_starts_at.date(), timisoara.local_ends_at.date()
    page = text(
        post(
            client,
            marta,
            arrival_at=moment(start - timedelta(days=20)),
            departure_at=moment(end + timedelta(days=20)),
        )
    )
    assert "Arrival must be at most 14 days before the event starts." in page
    assert "Departure must be at most 14 days after the event ends." in page
    page = text(
        post(
            client,
            marta,
            arrival_at=moment(end + timedelta(days=1)),
            departure_at=moment(end + timedelta(days=2)),
        )
    )
    assert "Arrival must be before the event ends." in page
    page = text(
        post(
            client,
            marta,
            arrival_at=moment(start - timedelta(days=3)),
            departure_at=moment(start - timedelta(days=2)),
        )
    )
    assert "Departure must be after the event starts." in page
    assert not MobilityDetails.objects.filter(registration=marta).exists()
    ok = post(
        client,
        marta,
        arrival_at=moment(start - timedelta(days=2)),
        departure_at=moment(end + timedelta(days=2)),
    )
    assert ok.status_code == 302


def test_the_errors_are_translated(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    response = client.post(
        f"/fr/r/{marta.secret}/mobility/", travel_form(date_of_birth="2090-01-01")
    )
    assert "La date de naissance doit être dans le passé." in text(response)


def test_the_registration_form_checks_the_dates_too(client, timisoara):
    from ..factories import form_fields

    start = timisoara.local_starts_at.date()
    response = client.post(
        f"/en/events/{timisoara.slug}/register/",
        form_fields(
            first_name="Marta",
            last_name="Silva",
            email="marta.silva@example.org",
            organisation=str(timisoara.portugal.pk),
            organisation_name="",
            country="PT",
            language="en",
            **{
                "mobility_arrival_at": moment(start - timedelta(days=30)),
                "mobility_date_of_birth": "2090-01-01",
            },
        ),
    )
    page = text(response)
    assert "Arrival must be at most 14 days before the event starts." in page
    assert "The date of birth must be in the past." in page


def test_the_beneficiary_report_never_ends_before_it_starts(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    travels(marta, "Lisboa", "PT", "train")
    # Typed before the dates were checked: an arrival after the event, no departure.
    MobilityDetails.objects.filter(registration=marta).update(
        arrival_at=timisoara.ends_at + timedelta(days=3), departure_at=None
    )
    client.force_login(timisoara.organiser)
    rows = sheet(client.get(f"/en/workspace/{timisoara.slug}/mobility/report.xlsx"))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["End date"] >= line["Start date"]
