"""Answers to an event's own questions, as a person gives them in the registration form."""

import pytest

from registrations.models import Answer, Question, QuestionOption, Registration

from ..factories import EventFactory, QuestionFactory, at, form_fields

pytestmark = pytest.mark.django_db


def test_every_kind_of_question_can_be_answered_in_the_form(client):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(10))
    text = QuestionFactory(event=event, kind=Question.Kind.TEXT, label_en="About you")
    single = QuestionFactory(event=event, kind=Question.Kind.SINGLE, label_en="Meal")
    fish = QuestionOption.objects.create(question=single, label_en="Fish")
    multiple = QuestionFactory(event=event, kind=Question.Kind.MULTIPLE, label_en="Topics")
    funding = QuestionOption.objects.create(question=multiple, label_en="Funding")
    volunteers = QuestionOption.objects.create(question=multiple, label_en="Volunteers")
    yes_no = QuestionFactory(event=event, kind=Question.Kind.YES_NO, label_en="Hotel")
    arrival = QuestionFactory(event=event, kind=Question.Kind.DATE, label_en="Arrival")
    staff = QuestionFactory(event=event, kind=Question.Kind.NUMBER, label_en="Staff")
    half = QuestionFactory(event=event, kind=Question.Kind.NUMBER, label_en="Days")

    response = client.post(
        f"/en/events/{event.slug}/register/",
        form_fields(
            **{
                f"question_{text.pk}": "A repair café",
                f"question_{single.pk}": str(fish.pk),
                f"question_{multiple.pk}": [str(funding.pk), str(volunteers.pk)],
                f"question_{yes_no.pk}": "yes",
                f"question_{arrival.pk}": "2027-03-01",
                f"question_{staff.pk}": "12",
                f"question_{half.pk}": "2.50",
            }
        ),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    answers = {a.question_id: a.value for a in Answer.objects.filter(registration=registration)}
    assert answers == {
        text.pk: "A repair café",
        single.pk: str(fish.pk),
        multiple.pk: [str(funding.pk), str(volunteers.pk)],
        yes_no.pk: True,
        arrival.pk: "2027-03-01",
        staff.pk: 12,
        half.pk: 2.5,
    }
