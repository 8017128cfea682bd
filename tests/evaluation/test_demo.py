"""The demo: the past national meeting in Saint-Étienne has its survey answered, and its
organiser reads the feedback per workshop."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import Receipt, Response, Survey

pytestmark = pytest.mark.django_db


def test_the_demos_past_meeting_has_a_dozen_answers_read_per_workshop(client):
    call_command("loaddemo")
    survey = Survey.objects.get(event__slug="rencontres-nationales-saint-etienne-precedente")
    assert survey.event.is_past and survey.is_open()
    assert Response.objects.filter(survey=survey).count() == 12
    assert Receipt.objects.filter(survey=survey).count() == 12
    assert survey.questions.count() == 4
    assert set(survey.questions.values_list("label_hu", flat=True)) >= {
        "Mit változtassunk legközelebb?"
    }
    call_command("loaddemo")  # twice: nothing twice
    assert Response.objects.filter(survey=survey).count() == 12

    client.force_login(get_user_model().objects.get(username="organiser@rencontres.example"))
    page = client.get(reverse("evaluation:results", kwargs={"slug": survey.event.slug}))
    body = page.content.decode()
    assert page.status_code == 200
    sessions = body.split("Per session")[1].split("Per partner organisation")[0]
    assert "Workshop 1: sharing jobs between organisations" in sessions
    assert "Workshop 2: shared places and third places" in sessions
    assert "Workshop 3: cooperating with local authorities" in sessions
    assert "1 session is not shown: too few answers." in sessions
    organisations = body.split("Per partner organisation")[1]
    assert "CRIES" in organisations and "Fekete Sereg" in organisations
