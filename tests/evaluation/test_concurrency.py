"""One answer per registration, even when the same link is submitted many times at once
(a double click, a browser retrying): the receipt's unique constraint decides, through
real HTTP requests, each in its own thread of a live server, on the real database."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from evaluation.models import Answer, Receipt, Response

from ..http import Browser

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 8


def test_simultaneous_submissions_of_one_link_record_one_answer(
    live_server, survey, meeting, make_participant
):
    ana = make_participant(workshop=meeting.workshop_a)
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    barrier = threading.Barrier(CLIENTS)

    def one(number):
        browser = Browser(live_server.url)
        status, html = browser.get(path)
        assert status == 200
        barrier.wait(timeout=60)
        return browser.post_form(
            path,
            {
                f"q{survey.overall.pk}": str(1 + number % 5),
                f"q{survey.per_workshop.pk}_s{meeting.workshop_a.pk}": "4",
                f"q{survey.comments.pk}": f"Answer {number}",
            },
            form_html=html,
        )[0]

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(one, range(CLIENTS)))

    assert set(statuses) == {302}, "every submission gets an answer"
    assert Receipt.objects.filter(registration=ana).count() == 1
    assert Response.objects.count() == 1
    assert Answer.objects.filter(question=survey.comments).count() == 1
