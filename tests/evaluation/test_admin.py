"""The feedback surveys in the Django admin, for superusers: surveys with their questions,
who answered read only, and no single response (it could name its author)."""

import pytest
from django.urls import reverse

from evaluation.models import Receipt

from ..factories import UserFactory
from .test_organisers import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)


def test_a_superuser_reads_surveys_and_receipts_but_no_response(
    client, superuser, organiser, survey, meeting, partners, make_participant
):
    fill(client, survey, meeting, partners, make_participant)
    client.force_login(superuser)
    listing = client.get(reverse("admin:evaluation_survey_changelist")).content.decode()
    assert "National meeting in Saint-Étienne" in listing
    change = client.get(reverse("admin:evaluation_survey_change", args=[survey.pk]))
    assert change.status_code == 200
    assert "How useful was the meeting for your work?" in change.content.decode()
    assert client.get(reverse("admin:evaluation_survey_add")).status_code == 403

    receipts = client.get(reverse("admin:evaluation_receipt_changelist")).content.decode()
    assert receipts.count("participant") >= Receipt.objects.count() == 5
    receipt = Receipt.objects.first()
    page = client.get(reverse("admin:evaluation_receipt_change", args=[receipt.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()

    # answers are read in groups, on the results page only
    admin_index = client.get(reverse("admin:index")).content.decode()
    assert "Feedback surveys" in admin_index and "Survey responses" not in admin_index
    assert "More time for the workshops" not in listing + receipts + admin_index
    assert client.get("/en/admin/evaluation/response/").status_code == 404
    assert client.get("/en/admin/evaluation/answer/").status_code == 404
