"""A registration through the public form costs a fixed number of SQL statements, from the
event's read to the emails' publish after the commit. Each statement brings its share of
ORM work onto the busiest request of a hot event, so the count is pinned: it cannot grow
unnoticed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Kind, OutgoingMessage
from registrations.models import Answer, Registration

from ..factories import EventFactory, QuestionFactory, at, form_fields

pytestmark = pytest.mark.django_db

# The view reads the event, the form the event's questions and workshops. One transaction
# (BEGIN, COMMIT; SAVEPOINT and RELEASE inside a test's own transaction): the event's row
# locked with the columns its rules read, the address's registration, the partners'
# quotas, the registration written, the event's counter, the reminder schedule, the
# emails' rows. After the commit, the published confirmation is marked in one UPDATE, in
# a transaction of its own.
REGISTRATION_POST = 15
# Questions: their options (one query for them all) and the answers (one insert).
WITH_QUESTIONS = REGISTRATION_POST + 2


@pytest.fixture
def event(db):
    return EventFactory(registration_opens_at=at(-10), registration_closes_at=at(15), capacity=100)


def register(client, event, email: str, **fields):
    return client.post(
        f"/en/events/{event.slug}/register/", form_fields(email=email, language="en", **fields)
    )


def count_statements(client, event, django_capture_on_commit_callbacks, **fields):
    register(client, event, "first@example.org", **fields)  # the process's caches warmed
    with (
        CaptureQueriesContext(connection) as statements,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = register(client, event, "ana@example.org", **fields)
    assert response.status_code == 302
    assert response["Location"] == f"/en/events/{event.slug}/register/sent/"
    registration = Registration.objects.get(email="ana@example.org")
    assert registration.status == Registration.Status.CONFIRMED
    confirmation = OutgoingMessage.objects.get(registration=registration, kind=Kind.CONFIRMED)
    assert confirmation.enqueued_at is not None, "published after the commit, and marked"
    return [statement["sql"] for statement in statements.captured_queries]


def test_a_registration_post_costs_a_fixed_number_of_statements(
    client, event, django_capture_on_commit_callbacks
):
    statements = count_statements(client, event, django_capture_on_commit_callbacks)

    assert len(statements) == REGISTRATION_POST, "\n".join(statements)


def test_the_questions_are_read_once_per_registration(
    client, event, django_capture_on_commit_callbacks
):
    question = QuestionFactory(event=event, kind="single", label_en="How do you travel?")
    train = question.options.create(label_en="Train", position=0)
    question.options.create(label_en="Plane", position=1)
    arrival = QuestionFactory(event=event, kind="line", label_en="Arrival?", required=True)
    answers = {f"question_{question.pk}": str(train.pk), f"question_{arrival.pk}": "Friday"}

    statements = count_statements(client, event, django_capture_on_commit_callbacks, **answers)

    assert len(statements) == WITH_QUESTIONS, "\n".join(statements)
    read = [sql for sql in statements if 'FROM "registrations_question"' in sql]
    assert len(read) == 1, "\n".join(read)
    saved = Answer.objects.filter(registration__email="ana@example.org")
    assert {answer.question_id: answer.value for answer in saved} == {
        question.pk: str(train.pk),
        arrival.pk: "Friday",
    }
