"""The role is the one source of truth for "accompanying person" (the mobility forms no
longer ask it again), and the public form never offers the role "Organiser"."""

import re

import pytest

from mobility.models import MobilityDetails
from registrations.models import Registration

from ..events.test_pages import text
from .test_registration_form import marta, travel
from .test_workspace_pages import sheet

pytestmark = pytest.mark.django_db


def role_options(html: str) -> list[str]:
    select = re.search(r'<select name="role".*?</select>', html, flags=re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_public_form_offers_no_organiser_role_and_asks_accompanying_once(client, timisoara):
    html = client.get(f"/en/events/{timisoara.slug}/register/").content.decode()
    assert role_options(html) == ["participant", "speaker", "accompanying"]
    assert "I am an accompanying person" not in html
    response = client.post(
        f"/en/events/{timisoara.slug}/register/", marta(timisoara, role="organiser")
    )
    assert response.status_code != 302
    assert not Registration.objects.exists()


def test_choosing_the_role_makes_an_accompanying_person_in_the_report(client, timisoara):
    response = client.post(
        f"/en/events/{timisoara.slug}/register/",
        marta(timisoara, role="accompanying", **travel()),
    )
    assert response.status_code == 302, text(response)
    registration = Registration.objects.get()
    assert MobilityDetails.objects.get(registration=registration).accompanying_person is True
    client.force_login(timisoara.organiser)
    rows = sheet(client.get(f"/en/workspace/{timisoara.slug}/mobility/report.xlsx"))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Accompanying person"] == "yes"
    # The organisers change the role: the report follows, nothing else to untick.
    Registration.objects.filter(pk=registration.pk).update(role="participant")
    rows = sheet(client.get(f"/en/workspace/{timisoara.slug}/mobility/report.xlsx"))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Accompanying person"] == "no"
