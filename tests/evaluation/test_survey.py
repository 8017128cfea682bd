"""The feedback survey as participants meet it: its link in the "thanks" email, answered
once, refused once closed, anonymous unless signed."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import Answer, Receipt, Response
from notifications import services as notification_services
from notifications.models import Kind

from ..outbox import deliver_outbox
from ..smtp import SMTPServer
from ..test_hostile_input import MARKUP, PAYLOADS

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server


def survey_link(text: str) -> str:
    """The survey's address in an email's text, as a path on this site."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/[a-z]{2}/r/[^/\s]+/feedback/)", text)
    assert match, text
    return match.group(1)


def answers(survey, workshop, *, overall="4", workshop_rating="5", comment="", sign=False):
    data = {
        f"q{survey.overall.pk}": overall,
        f"q{survey.per_workshop.pk}_s{workshop.pk}": workshop_rating,
        f"q{survey.comments.pk}": comment,
    }
    if sign:
        data["sign"] = "on"
    return data


def test_the_survey_is_answered_from_the_link_in_the_thanks_email(
    client, smtp, survey, meeting, partners, make_participant
):
    marie = make_participant(
        organisation=partners["cries"],
        workshop=meeting.workshop_a,
        language="fr",
        first_name="Marie",
    )
    notification_services.message_for_registration(registration=marie, kind=Kind.THANKS)
    deliver_outbox()

    [email] = smtp.sink.to(marie.email)
    text = email.part("text/plain")
    assert "Merci" in email.subject
    path = survey_link(text)
    assert path == f"/fr/r/{marie.secret}/feedback/"
    assert survey_link(unescape(email.part("text/html"))) == path

    page = client.get(path)
    body = page.content.decode()
    assert page.status_code == 200
    # In her language: the French questions, her workshop only.
    assert "La rencontre a-t-elle été utile à votre travail ?" in body
    assert "Atelier : cartographier les acteurs" in body
    assert "gouvernance partagée" not in body

    sent = client.post(path, answers(survey, meeting.workshop_a, comment="Plus de temps libre"))
    assert sent.status_code == 302
    thanks = client.get(sent["Location"]).content.decode()
    assert "Merci\u00a0: vos réponses sont enregistrées." in thanks
    response = Response.objects.get(survey=survey)
    assert response.organisation == partners["cries"]
    assert {(a.question_id, a.item_id, a.rating, a.text) for a in response.answers.all()} == {
        (survey.overall.pk, None, 4, ""),
        (survey.per_workshop.pk, meeting.workshop_a.pk, 5, ""),
        (survey.comments.pk, None, None, "Plus de temps libre"),
    }
    assert Receipt.objects.filter(survey=survey, registration=marie).exists()


def test_no_survey_link_in_the_thanks_email_of_an_event_without_survey(
    smtp, meeting, make_participant
):
    ana = make_participant()
    notification_services.message_for_registration(registration=ana, kind=Kind.THANKS)
    deliver_outbox()
    [email] = smtp.sink.to(ana.email)
    assert "/feedback/" not in email.part("text/plain")


def test_a_second_answer_is_refused(client, survey, meeting, make_participant):
    ana = make_participant(workshop=meeting.workshop_a)
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    client.post(path, answers(survey, meeting.workshop_a, overall="5"))
    again = client.post(path, answers(survey, meeting.workshop_a, overall="1"), follow=True)
    assert "You have answered this survey already. Thank you!" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    assert list(
        Answer.objects.filter(question=survey.overall).values_list("rating", flat=True)
    ) == [5]
    with pytest.raises(services.AlreadyAnswered):
        services.response_submit(survey=survey, registration=ana, answers=[], signed=False)
    assert Response.objects.count() == 1


def test_a_closed_survey_says_so_and_refuses_answers(client, survey, meeting, make_participant):
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    ana = make_participant(workshop=meeting.workshop_a)
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    page = client.get(path).content.decode()
    assert "The survey closed on" in page
    assert '<form method="post"' not in page
    refused = client.post(path, answers(survey, meeting.workshop_a), follow=True)
    assert "The survey is closed: answers are no longer accepted." in refused.content.decode()
    assert not Response.objects.exists()
    assert not Receipt.objects.exists()
    with pytest.raises(services.SurveyError):
        services.response_submit(survey=survey, registration=ana, answers=[], signed=False)


def test_the_survey_opens_only_when_the_event_has_ended(client, survey, meeting, make_participant):
    ana = make_participant()
    meeting.__class__.objects.filter(pk=meeting.pk).update(
        ends_at=timezone.now() + timedelta(hours=2)
    )
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    assert "The survey opens when the event ends." in client.get(path).content.decode()
    client.post(path, answers(survey, meeting.workshop_a))
    assert not Response.objects.exists()


def test_an_anonymous_answer_is_not_linked_to_the_person(
    client, survey, meeting, partners, make_participant
):
    ana = make_participant(
        organisation=partners["cries"], workshop=meeting.workshop_a, last_name="Anonymova"
    )
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    client.post(path, answers(survey, meeting.workshop_a, comment="Fine"))

    response = Response.objects.get()
    assert response.registration_id is None
    stored = str(list(Response.objects.values())) + str(list(Answer.objects.values()))
    for trace in (ana.email, "Anonymova", ana.secret, str(ana.uuid)):
        assert trace not in stored
    # That she answered is recorded, not which answers are hers.
    receipt = Receipt.objects.get()
    assert receipt.registration == ana
    assert not any(f.related_model is Response for f in Receipt._meta.get_fields())
    assert not any(f.related_model is Receipt for f in Response._meta.get_fields())


def test_a_signed_answer_names_its_author(client, organiser, survey, meeting, make_participant):
    ana = make_participant(workshop=meeting.workshop_a, first_name="Ana", last_name="Signedova")
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    client.post(path, answers(survey, meeting.workshop_a, comment="More time", sign=True))
    assert Response.objects.get().registration == ana
    client.force_login(organiser)
    page = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug})).content
    assert "More time" in page.decode()
    assert "Ana Signedova" in page.decode()


def test_a_required_question_must_be_answered(client, survey, meeting, make_participant):
    ana = make_participant(workshop=meeting.workshop_a)
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    page = client.post(path, answers(survey, meeting.workshop_a, overall=""))
    assert page.status_code == 400
    assert "This field is required." in page.content.decode()
    assert not Response.objects.exists()


def test_who_did_not_take_part_cannot_answer(client, survey, make_participant):
    cancelled = make_participant(status="cancelled")
    path = reverse("evaluation:answer", kwargs={"secret": cancelled.secret})
    assert client.get(path).status_code == 404
    assert client.get(reverse("evaluation:answer", kwargs={"secret": "nope"})).status_code == 404


def test_who_registered_after_the_event_is_not_asked_unless_checked_in(
    client, smtp, survey, meeting, make_participant
):
    late = make_participant(created_at=meeting.ends_at + timedelta(hours=2))
    path = reverse("evaluation:answer", kwargs={"secret": late.secret})
    assert client.get(path).status_code == 404
    notification_services.message_for_registration(registration=late, kind=Kind.THANKS)
    deliver_outbox()
    [email] = smtp.sink.to(late.email)
    assert "/feedback/" not in email.part("text/plain")
    # Registered at the door and checked in: asked like the others.
    there = make_participant(
        created_at=meeting.ends_at + timedelta(hours=2), workshop=meeting.workshop_a
    )
    path = reverse("evaluation:answer", kwargs={"secret": there.secret})
    assert client.get(path).status_code == 200


def test_the_private_page_leads_to_the_survey_until_answered(
    client, survey, meeting, make_participant
):
    ana = make_participant(workshop=meeting.workshop_a)
    manage = reverse("registrations:manage", kwargs={"secret": ana.secret})
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    assert f'href="{path}"' in client.get(manage).content.decode()
    client.post(path, answers(survey, meeting.workshop_a))
    assert f'href="{path}"' not in client.get(manage).content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_answers_are_answered_not_crashed_on(
    client, organiser, survey, meeting, make_participant, payload
):
    ana = make_participant(workshop=meeting.workshop_a)
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    data = answers(survey, meeting.workshop_a, comment=payload)
    data[f"q{survey.per_workshop.pk}_s{meeting.workshop_a.pk}"] = payload
    refused = client.post(path, data)
    assert refused.status_code == 400  # not a rating from 1 to 5
    assert not Response.objects.exists()
    data[f"q{survey.per_workshop.pk}_s{meeting.workshop_a.pk}"] = "3"
    sent = client.post(path, data)
    if sent.status_code == 400:  # refused as a whole (too long, NUL byte): nothing saved
        assert not Response.objects.exists()
        assert MARKUP not in sent.content.decode()
        return
    assert sent.status_code == 302
    client.force_login(organiser)
    page = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug}))
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_a_signed_answer_is_in_the_persons_copy_and_unsigned_when_erased(
    client, survey, meeting, make_participant
):
    from registrations.personal_data import person_erase, person_export, subject_of_registration

    ana = make_participant(workshop=meeting.workshop_a)
    path = reverse("evaluation:answer", kwargs={"secret": ana.secret})
    client.post(path, answers(survey, meeting.workshop_a, comment="Signed words", sign=True))
    copy = person_export(subject=subject_of_registration(ana))
    assert "Signed words" in [row["answer"] for row in copy["signed_feedback"]]
    assert len(copy["feedback_surveys_answered"]) == 1

    person_erase(subject=subject_of_registration(ana))
    response = Response.objects.get()
    assert response.registration_id is None
    assert response.answers.filter(text="Signed words").exists()  # the answer stays, unsigned
