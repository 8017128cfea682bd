"""The survey as organisers meet it: set up in the workspace, results per question, per
workshop and per partner organisation (small groups hidden), exported to CSV and XLSX;
nobody else reads them."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Survey, SurveyQuestion

from ..factories import EventFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/","click") <script>alert("x")</script>'


def answer(client, registration, data):
    path = reverse("evaluation:answer", kwargs={"secret": registration.secret})
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()


def fill(client, survey, meeting, partners, make_participant):
    """Four people from CRIES and one from Largo answered about workshop A; two about
    workshop B (too few to be shown)."""
    a, b = meeting.workshop_a, meeting.workshop_b
    people = [
        (partners["cries"], a, "5", "4", "More time for the workshops"),
        (partners["cries"], a, "4", "4", ""),
        (partners["cries"], a, "3", "5", HOSTILE),
        (partners["cries"], b, "4", "2", ""),
        (partners["largo"], b, "2", "1", "Too hot in the room"),
    ]
    for organisation, workshop, overall, rating, comment in people:
        registration = make_participant(organisation=organisation, workshop=workshop)
        answer(
            client,
            registration,
            {
                f"q{survey.overall.pk}": overall,
                f"q{survey.per_workshop.pk}_s{workshop.pk}": rating,
                f"q{survey.comments.pk}": comment,
            },
        )


def test_an_organiser_sets_up_the_survey_in_the_events_languages(client, organiser, meeting):
    client.force_login(organiser)
    setup = reverse("evaluation:setup", kwargs={"slug": meeting.slug})
    page = client.get(setup).content.decode()
    assert "Feedback survey" in page
    # Shared with the other setup pages: the registration settings link here too.
    assert (
        setup
        in client.get(reverse("workspace:setup_registration", args=[meeting.slug])).content.decode()
    )

    too_early = (meeting.ends_at - timedelta(hours=1)).astimezone(meeting.tz)
    refused = client.post(setup, {"closes_at": too_early.strftime("%Y-%m-%dT%H:%M")})
    assert refused.status_code == 400
    assert not Survey.objects.exists()

    closes = (meeting.ends_at + timedelta(days=14)).astimezone(meeting.tz)
    saved = client.post(setup, {"closes_at": closes.strftime("%Y-%m-%dT%H:%M")})
    assert saved.status_code == 302
    survey = Survey.objects.get(event=meeting)
    assert survey.closes_at == closes

    add = reverse("evaluation:question_add", kwargs={"slug": meeting.slug})
    form = client.get(add).content.decode()
    assert 'name="label_fr"' in form and 'name="label_ro"' not in form
    client.post(
        add,
        {
            "kind": "rating",
            "required": "on",
            "per_session": "on",
            "position": "0",
            "label_en": "Rate this workshop",
            "label_fr": "Notez cet atelier",
        },
    )
    client.post(
        add,
        {
            "kind": "text",
            "position": "1",
            "label_en": "Anything else?",
            "label_fr": "Autre chose ?",
        },
    )
    first, second = SurveyQuestion.objects.filter(survey=survey)
    assert (first.label_fr, first.required, first.per_session) == ("Notez cet atelier", True, True)
    assert (second.kind, second.label_en) == ("text", "Anything else?")
    client.post(setup, {"move": f"up:{second.pk}"})
    assert list(survey.questions.values_list("label_en", flat=True)) == [
        "Anything else?",
        "Rate this workshop",
    ]


def test_a_question_with_a_text_in_a_language_the_event_dropped_can_be_corrected(
    client, organiser, survey, meeting
):
    """The event is in English and French; the question still has a Romanian text from
    before. Its page offers the Romanian field too, so that text is not left stale."""
    SurveyQuestion.objects.filter(pk=survey.overall.pk).update(label_ro="Vechea întrebare")
    client.force_login(organiser)
    edit = reverse("evaluation:question", kwargs={"slug": meeting.slug, "pk": survey.overall.pk})
    form = client.get(edit).content.decode()
    assert 'name="label_ro"' in form and 'value="Vechea întrebare"' in form
    assert 'name="label_hu"' not in form  # no text there, not an event language
    saved = client.post(
        edit,
        {
            "kind": "rating",
            "required": "on",
            "position": "0",
            "label_en": "How useful was the meeting for your work?",
            "label_fr": "La rencontre a-t-elle été utile à votre travail ?",
            "label_ro": "Cât de utilă a fost întâlnirea pentru munca dumneavoastră?",
        },
    )
    assert saved.status_code == 302
    survey.overall.refresh_from_db()
    assert survey.overall.label_ro == "Cât de utilă a fost întâlnirea pentru munca dumneavoastră?"


def test_the_organiser_reads_the_results_per_question_workshop_and_organisation(
    client, organiser, survey, meeting, partners, make_participant
):
    fill(client, survey, meeting, partners, make_participant)
    client.force_login(organiser)
    page = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "5 participants out of 5 have answered." in body
    # Per question: the average of 5, 4, 3, 4, 2.
    assert "Average 3.6 out of 5, from 5 ratings." in body
    # Per workshop: A (three answers: 4, 4, 5) is shown, B (two) is not.
    section = body.split("Per session")[1].split("Per partner organisation")[0]
    assert "Workshop: mapping the actors" in section
    assert "Average 4.33 out of 5, from 3 ratings." in section
    assert "shared governance" not in section
    assert "1 session is not shown: too few answers." in section
    # Per organisation: Largo (one answer) is hidden, and CRIES (four) too: everyone's
    # figures minus CRIES's would give the Largo person's answers.
    organisations = body.split("Per partner organisation")[1]
    assert "Largo" not in organisations and "CRIES" not in organisations
    assert "from 4 ratings" not in organisations
    # The page says why each is hidden: CRIES has enough answers.
    assert "No partner organisation is shown." in organisations
    assert "enough answers to be shown" not in organisations
    assert "1 organisation is not shown: too few answers." in organisations
    assert (
        "1 more organisation is not shown although enough people answered for it: "
        "otherwise the answers of those with too few could be worked out by subtracting "
        "it from everyone’s figures." in organisations
    )
    assert "at least 3 people have answered" in body
    assert "More time for the workshops" in body


def test_hostile_answers_are_escaped_on_the_page(
    client, organiser, survey, meeting, partners, make_participant
):
    fill(client, survey, meeting, partners, make_participant)
    SurveyQuestion.objects.filter(pk=survey.comments.pk).update(label_en="<b>Bold</b> question")
    client.force_login(organiser)
    body = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug})).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "&lt;b&gt;Bold&lt;/b&gt; question" in body
    # and on the participants' page
    someone = make_participant()
    page = client.get(reverse("evaluation:answer", kwargs={"secret": someone.secret}))
    assert "<b>Bold</b>" not in page.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; question" in page.content.decode()


def test_the_results_export_to_csv_with_safe_cells(
    client, organiser, survey, meeting, partners, make_participant
):
    fill(client, survey, meeting, partners, make_participant)
    client.force_login(organiser)
    response = client.get(
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "csv"})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:5] == ["Question", "Session", "Partner organisation", "Answers", "Average"]
    by_key = {(row[0], row[1], row[2]): row for row in rows[1:] if row[3]}
    overall = by_key[("How useful was the meeting for your work?", "", "Everyone")]
    assert overall[3:10] == ["5", "3.6", "0", "1", "1", "2", "1"]
    workshop = by_key[
        ("How would you rate this workshop?", "Workshop: mapping the actors", "Everyone")
    ]
    assert workshop[3:5] == ["3", "4.33"]
    assert not any("shared governance" in row[1] for row in rows)
    # Largo (one answer) is hidden, and so CRIES too (everyone minus CRIES is Largo).
    assert {row[2] for row in rows[1:]} == {"Everyone"}
    texts = [row[10] for row in rows[1:] if row[10]]
    assert "'" + HOSTILE in texts  # neutralised: no spreadsheet reads it as a formula
    assert "Too hot in the room" in texts


def test_the_results_export_to_xlsx_as_text_cells(
    client, organiser, survey, meeting, partners, make_participant
):
    fill(client, survey, meeting, partners, make_participant)
    client.force_login(organiser)
    response = client.get(
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "xlsx"})
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Question", "Session", "Partner organisation")
    overall = next(
        row
        for row in rows
        if row[0] == "How useful was the meeting for your work?" and row[2] == "Everyone"
    )
    assert overall[3:5] == (5, 3.6)
    hostile = next(cell for row in sheet.iter_rows() for cell in row if cell.value == HOSTILE)
    assert hostile.data_type == "s"  # a text cell holding exactly what was typed


def test_a_small_hidden_organisation_cannot_be_worked_out_by_subtraction(
    client, organiser, survey, meeting, partners, make_participant
):
    """Four from CRIES, three from Ljubljana, one from Largo: Largo is hidden, and so the
    smallest shown group (Ljubljana) too, so that the hidden ones hold four people; CRIES
    stays, in the page and in both exports."""
    ljubljana = OrganisationFactory(name="Ljubljana")
    people = [partners["cries"]] * 4 + [ljubljana] * 3 + [partners["largo"]]
    for organisation in people:
        registration = make_participant(organisation=organisation)
        answer(client, registration, {f"q{survey.overall.pk}": "4"})
    client.force_login(organiser)
    body = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug})).content
    organisations = body.decode().split("Per partner organisation")[1]
    assert "CRIES" in organisations and "from 4 ratings" in organisations
    assert "Ljubljana" not in organisations and "Largo" not in organisations
    assert "1 organisation is not shown: too few answers." in organisations
    assert "1 more organisation is not shown although enough people answered" in organisations
    exported = client.get(
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "csv"})
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row[2] for row in rows[1:]} == {"Everyone", "CRIES"}
    exported = client.get(
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "xlsx"})
    )
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "Everyone",
        "CRIES",
    }


@pytest.fixture
def outsiders(meeting, partners, make_participant):
    """The organiser of another event, and the coordinator of a partner organisation
    taking part in this one."""
    other_event = EventFactory()
    other = UserFactory(email="other.organiser@example.org")
    other_event.organisers.add(other)
    coordinator = UserFactory(email="coordinator.cries@example.org")
    partners["cries"].coordinators.add(coordinator)
    make_participant(organisation=partners["cries"])
    return {"other organiser": other, "coordinator": coordinator, "other event": other_event}


def test_another_events_organiser_and_a_coordinator_are_refused(
    client, survey, meeting, partners, make_participant, outsiders
):
    fill(client, survey, meeting, partners, make_participant)
    question = survey.comments
    urls = [
        reverse("evaluation:results", kwargs={"slug": meeting.slug}),
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "csv"}),
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "xlsx"}),
        reverse("evaluation:setup", kwargs={"slug": meeting.slug}),
        reverse("evaluation:question", kwargs={"slug": meeting.slug, "pk": question.pk}),
        reverse("evaluation:question_delete", kwargs={"slug": meeting.slug, "pk": question.pk}),
    ]
    for who in ("other organiser", "coordinator"):
        client.force_login(outsiders[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (who, url)
            assert "More time for the workshops" not in response.content.decode()
        client.post(urls[-1])
        client.post(urls[3], {"closes_at": "2020-01-01T10:00"})
    # the other organiser's own event, with this event's question: not found either
    client.force_login(outsiders["other organiser"])
    own = outsiders["other event"].slug
    assert (
        client.get(
            reverse("evaluation:question", kwargs={"slug": own, "pk": question.pk})
        ).status_code
        == 404
    )
    assert SurveyQuestion.objects.filter(pk=question.pk).exists()
    assert Survey.objects.get(pk=survey.pk).closes_at == survey.closes_at
    # The coordinator's workspace navigation offers no results link.
    client.force_login(outsiders["coordinator"])
    overview = client.get(reverse("workspace:overview", kwargs={"slug": meeting.slug}))
    assert overview.status_code == 200
    assert (
        reverse("evaluation:results", kwargs={"slug": meeting.slug})
        not in overview.content.decode()
    )


def test_a_copied_event_gets_the_survey_questions(client, organiser, survey, meeting):
    from events import services as event_services

    copy = event_services.event_copy(
        source=meeting,
        slug="rencontres-next",
        first_day=(meeting.starts_at + timedelta(days=365)).date(),
        actor=organiser,
    )
    copied = Survey.objects.get(event=copy)
    assert copied.closes_at - copy.ends_at == survey.closes_at - meeting.ends_at
    assert list(copied.questions.values_list("label_fr", flat=True)) == list(
        survey.questions.values_list("label_fr", flat=True)
    )
    assert timezone.now() < copied.closes_at
    assert not OrganisationFactory._meta.model.objects.filter(name="unused").exists()


def test_an_optional_question_answered_by_few_cannot_be_worked_out(
    client, organiser, survey, meeting, partners, make_participant
):
    """Four from CRIES and three from Ljubljana are shown; Largo (one) and Iasi (two) are
    hidden, three people together. An optional rating question is answered by everyone
    shown but by the Largo person only among the hidden: everyone's figure minus CRIES's
    and Ljubljana's would be that one rating, so Ljubljana's figure for it is hidden too
    (not its other figures). An optional comment answered by one CRIES person is not
    shown for CRIES (everyone's open answers still list it, with no organisation)."""
    optional = SurveyQuestion.objects.create(
        survey=survey, kind="rating", label_en="How was the food?", position=5
    )
    ljubljana = OrganisationFactory(name="Ljubljana")
    iasi = OrganisationFactory(name="Iasi")
    people = [
        (partners["cries"], "5", "4", "Longer breaks"),
        (partners["cries"], "5", "4", ""),
        (partners["cries"], "5", "4", ""),
        (partners["cries"], "5", "4", ""),
        (ljubljana, "3", "2", ""),
        (ljubljana, "3", "2", ""),
        (ljubljana, "3", "2", ""),
        (partners["largo"], "1", "1", ""),
        (iasi, "2", "", ""),
        (iasi, "2", "", ""),
    ]
    for organisation, overall, food, comment in people:
        answer(
            client,
            make_participant(organisation=organisation),
            {
                f"q{survey.overall.pk}": overall,
                f"q{optional.pk}": food,
                f"q{survey.comments.pk}": comment,
            },
        )
    client.force_login(organiser)
    body = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug})).content
    organisations = body.decode().split("Per partner organisation")[1]
    cries, ljubljana_part = organisations.split("Ljubljana")
    assert "CRIES" in cries and "Average 4 out of 5, from 4 ratings." in cries  # the food
    assert "Average 5 out of 5, from 4 ratings." in cries
    assert "Longer breaks" not in cries
    assert "Average 3 out of 5, from 3 ratings." in ljubljana_part
    assert "from 3 ratings" in ljubljana_part and "Average 2 out of 5" not in ljubljana_part
    # CRIES's comment (one answer) for too few answers; Ljubljana's food (three) to
    # protect Largo's: each is explained as it is.
    assert cries.count("Not shown for this group: too few answers to this question.") == 1
    assert ljubljana_part.count("Not shown for this group: too few answers") == 0
    assert (
        "Not shown for this group although enough people answered: otherwise answers "
        "hidden elsewhere could be worked out from everyone’s figure." in ljubljana_part
    )
    assert "Largo" not in organisations and "Iasi" not in organisations
    assert "Longer breaks" in body.decode().split("Per session")[0]  # everyone's

    exported = client.get(
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "csv"})
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    food = {row[2]: row[3:5] for row in rows[1:] if row[0] == "How was the food?"}
    assert food == {"Everyone": ["8", "2.88"], "CRIES": ["4", "4"]}
    assert not any(row[2] != "Everyone" and row[10] for row in rows[1:])


def test_a_sessions_question_answered_by_few_is_not_shown_for_that_session(
    client, organiser, survey, meeting, make_participant
):
    """Workshop A: three people rate it, one of them also says what they took away (an
    optional per-session question): that one answer is not shown for the workshop."""
    takeaway = SurveyQuestion.objects.create(
        survey=survey, kind="text", label_en="What do you take away?", per_session=True, position=4
    )
    workshop = meeting.workshop_a
    for rating, text in [("5", "A map of our partners"), ("4", ""), ("4", "")]:
        registration = make_participant(workshop=workshop)
        answer(
            client,
            registration,
            {
                f"q{survey.overall.pk}": "4",
                f"q{survey.per_workshop.pk}_s{workshop.pk}": rating,
                f"q{takeaway.pk}_s{workshop.pk}": text,
            },
        )
    client.force_login(organiser)
    body = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug})).content
    section = body.decode().split("Per session")[1].split("Per partner organisation")[0]
    assert "Average 4.33 out of 5, from 3 ratings." in section
    assert "A map of our partners" not in body.decode()
    assert "Not shown for this group: too few answers to this question." in section
    exported = client.get(
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "xlsx"})
    )
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "A map of our partners" not in cells
    assert "How would you rate this workshop?" in cells


def test_a_hidden_sessions_answers_are_counted_nowhere_else(
    client, organiser, survey, meeting, partners, make_participant
):
    """Complementary suppression needs a figure to subtract from: per-session questions
    have none. Workshop A (three) is shown, workshop B (two) is hidden, and no figure on
    the page or in the exports counts B's ratings with others (no "all sessions" row), so
    A stays shown: hiding it would protect nothing."""
    fill(client, survey, meeting, partners, make_participant)
    client.force_login(organiser)
    body = client.get(reverse("evaluation:results", kwargs={"slug": meeting.slug})).content
    page = body.decode()
    assert page.count("How would you rate this workshop?") == 1  # workshop A's only
    assert "Workshop: mapping the actors" in page and "shared governance" not in page
    exported = client.get(
        reverse("evaluation:export", kwargs={"slug": meeting.slug, "format": "csv"})
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    per_workshop = [row for row in rows[1:] if row[0] == "How would you rate this workshop?"]
    assert [(row[1], row[3]) for row in per_workshop] == [("Workshop: mapping the actors", "3")]
