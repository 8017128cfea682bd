"""Reads of surveys: who may set up and read an event's survey, what a participant is
asked, and the results (with the minimum group size applied once, here)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from events.models import Event, ProgrammeItem
from registrations.models import Attendance, Registration

from .models import MINIMUM_GROUP, RATINGS, Answer, Receipt, Response, Survey, SurveyQuestion

# --- who ----------------------------------------------------------------------------------


def survey_of(event: Event) -> Survey | None:
    return Survey.objects.select_related("event").filter(event=event).first()


def questions_of(survey: Survey) -> list[SurveyQuestion]:
    questions = list(survey.questions.all())
    for question in questions:
        question.survey = survey
    return questions


# --- the participant ----------------------------------------------------------------------


def may_answer(registration: Registration) -> bool:
    """Those who held a confirmed place answer the survey of their event: registered
    before it ended, or checked in (someone registering afterwards was not there)."""
    if registration.status != Registration.Status.CONFIRMED:
        return False
    if registration.created_at < registration.event.ends_at:
        return True
    return registration.attendances.exists()


def has_answered(*, survey: Survey, registration: Registration) -> bool:
    return Receipt.objects.filter(survey=survey, registration=registration).exists()


def sessions_of(registration: Registration) -> list[ProgrammeItem]:
    """The sessions a participant rates: the workshops they had a place in and the
    sessions they were checked in to, in programme order (cancelled ones left out)."""
    return list(
        ProgrammeItem.objects.filter(event_id=registration.event_id, cancelled=False)
        .filter(
            Q(choices__registration=registration, choices__status="confirmed")
            | Q(attendances__registration=registration)
        )
        .select_related("event", "room")
        .distinct()
        .order_by("starts_at", "pk")
    )


# --- results ------------------------------------------------------------------------------


@dataclass
class Tally:
    """The answers of one group to one question: ratings counted, open answers listed."""

    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    texts: list[tuple[str, str]] = field(default_factory=list)  # (text, signed by or "")
    #: Left out of a group's results: too few answers to this question (``hide_small_answers``).
    hidden: bool = False
    #: Hidden although answered by enough people: so that others' hidden answers cannot
    #: be worked out from everyone's figure (``hide_small_answers``).
    protecting: bool = False

    def add(self, answer: Answer, signer: str) -> None:
        if answer.rating is not None:
            self.count += 1
            self.total += answer.rating
            self.distribution[answer.rating] += 1
        if answer.text:
            self.texts.append((answer.text, signer))

    @property
    def answers(self) -> int:
        return self.count or len(self.texts)

    @property
    def average(self) -> float | int | None:
        """Rounded to two decimals; a whole number as one (4, not 4.0)."""
        if not self.count:
            return None
        value = round(self.total / self.count, 2)
        return int(value) if value.is_integer() else value

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(rating, count, percent of the ratings) from 5 down to 1."""
        return [
            (rating, self.distribution[rating], round(100 * self.distribution[rating] / self.count))
            if self.count
            else (rating, 0, 0)
            for rating in reversed(RATINGS)
        ]


@dataclass
class Group:
    """A breakdown group (a session, a partner organisation) and its tallies, shown only
    with ``MINIMUM_GROUP`` responses or more."""

    label: str
    responses: int
    tallies: list[tuple[SurveyQuestion, Tally]]


@dataclass
class Results:
    survey: Survey
    responses: int
    questions: list[tuple[SurveyQuestion, Tally]]  # asked once, over every response
    sessions: list[Group]  # per-session questions, per session shown
    organisations: list[Group]  # questions asked once, per partner organisation shown
    hidden_sessions: int
    #: Partner organisations hidden: too few answers.
    hidden_organisations: int
    #: Partner organisations with enough answers hidden too, so that those with too few
    #: cannot be worked out from everyone's figures (``suppressed``).
    protecting_organisations: int = 0
    minimum: int = MINIMUM_GROUP


def suppressed(groups: list[Group]) -> tuple[list[Group], int, int]:
    """The groups that may be shown, how many are hidden for too few answers, and how
    many more are hidden to protect those. A group of fewer than ``MINIMUM_GROUP`` people
    is hidden; and since "everyone" minus the shown groups gives the hidden ones together,
    the hidden groups must hold none or at least ``MINIMUM_GROUP`` people: while they
    hold 1 or 2, the smallest shown group is hidden too (complementary suppression;
    possibly every group)."""
    shown = [group for group in groups if group.responses >= MINIMUM_GROUP]
    small = len(groups) - len(shown)
    hidden = sum(group.responses for group in groups if group.responses < MINIMUM_GROUP)
    while shown and 0 < hidden < MINIMUM_GROUP:
        smallest = min(shown, key=lambda group: group.responses)
        shown.remove(smallest)
        hidden += smallest.responses
    return shown, small, len(groups) - len(shown) - small


def hide_small_answers(
    groups: list[Group], asked: list[SurveyQuestion], everyone: dict[int, Tally] | None = None
) -> None:
    """Per question, in the groups shown: an optional question answered by 1 or 2 people of
    a group would show their answers, so that group's figures for it are hidden. With an
    everyone figure (``everyone``, the questions asked once), what it holds beyond the
    shown groups' figures is the hidden groups' and hidden figures' answers together:
    while that is 1 or 2 answers, the smallest shown figure with answers is hidden too.
    A hidden figure is replaced, so nothing of it reaches the page or the exports."""
    for index, question in enumerate(asked):
        cells = [group.tallies[index][1] for group in groups]
        shown = [tally for tally in cells if not 0 < tally.answers < MINIMUM_GROUP]
        protecting = []
        if everyone is not None:
            hidden = everyone[question.pk].answers - sum(tally.answers for tally in shown)
            while 0 < hidden < MINIMUM_GROUP:
                answered = [tally for tally in shown if tally.answers]
                if not answered:
                    break
                smallest = min(answered, key=lambda tally: tally.answers)
                shown.remove(smallest)
                protecting.append(smallest)
                hidden += smallest.answers
        for group in groups:
            tally = group.tallies[index][1]
            if not any(tally is kept for kept in shown):
                protects = any(tally is kept for kept in protecting)
                group.tallies[index] = (question, Tally(hidden=True, protecting=protects))


def results(*, survey: Survey, no_organisation: str) -> Results:
    """Everything the results page and the exports show, in a fixed number of queries.
    ``no_organisation``: the label of the group of people from no partner organisation."""
    questions = questions_of(survey)
    once = [question for question in questions if not question.per_session]
    per_session = [question for question in questions if question.per_session]
    responses = list(
        Response.objects.filter(survey=survey).select_related("organisation", "registration")
    )
    # In the order of their random keys: not in the order people answered.
    answers = list(
        Answer.objects.filter(response__survey=survey).select_related("item__event").order_by("id")
    )
    by_response = {response.pk: response for response in responses}

    overall = {question.pk: Tally() for question in once}
    sessions: dict[int, dict[int, Tally]] = defaultdict(dict)
    session_items: dict[int, ProgrammeItem] = {}
    session_people: dict[int, set] = defaultdict(set)
    organisations: dict[object, dict[int, Tally]] = defaultdict(dict)
    organisation_people: dict[object, set] = defaultdict(set)
    organisation_names: dict[object, str] = {}
    for response in responses:
        key = response.organisation_id
        organisation_people[key].add(response.pk)
        organisation_names[key] = response.organisation.name if key else no_organisation
    for answer in answers:
        response = by_response[answer.response_id]
        signer = response.registration.full_name if response.registration_id else ""
        if answer.item_id is None:
            if answer.question_id not in overall:
                continue
            overall[answer.question_id].add(answer, signer)
            group = organisations[response.organisation_id]
            group.setdefault(answer.question_id, Tally()).add(answer, signer)
        else:
            session_items[answer.item_id] = answer.item
            session_people[answer.item_id].add(answer.response_id)
            sessions[answer.item_id].setdefault(answer.question_id, Tally()).add(answer, signer)

    def shown(tallies: dict[int, Tally], asked: list[SurveyQuestion]):
        return [(question, tallies.get(question.pk) or Tally()) for question in asked]

    # Per session: the small sessions are hidden, and in the sessions shown a question
    # answered by 1 or 2 people. Per-session questions have no "everyone" figure (on the
    # page or in the exports) to subtract the shown sessions from: a hidden session's
    # answers are counted nowhere else, so hiding more sessions would protect nothing.
    session_groups = [
        Group(item.i18n.title, len(session_people[item.pk]), shown(sessions[item.pk], per_session))
        for item in sorted(session_items.values(), key=lambda item: (item.starts_at, item.pk))
    ]
    hidden_sessions = sum(group.responses < MINIMUM_GROUP for group in session_groups)
    session_groups = [group for group in session_groups if group.responses >= MINIMUM_GROUP]
    hide_small_answers(session_groups, per_session)
    # Per organisation: the questions asked once also have everyone's figure.
    organisation_groups = [
        Group(organisation_names[key], len(people), shown(organisations[key], once))
        for key, people in sorted(
            organisation_people.items(),
            key=lambda pair: (pair[0] is None, organisation_names[pair[0]]),
        )
    ]
    organisation_groups, hidden_organisations, protecting = suppressed(organisation_groups)
    hide_small_answers(organisation_groups, once, everyone=overall)
    return Results(
        survey=survey,
        responses=len(responses),
        questions=shown(overall, once),
        sessions=session_groups,
        organisations=organisation_groups,
        hidden_sessions=hidden_sessions,
        hidden_organisations=hidden_organisations,
        protecting_organisations=protecting,
    )


def receipts_count(survey: Survey) -> int:
    return Receipt.objects.filter(survey=survey).count()


def eligible_count(survey: Survey) -> int:
    event = survey.event
    return (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .filter(
            Q(created_at__lt=event.ends_at)
            | Exists(Attendance.objects.filter(registration=OuterRef("pk")))
        )
        .count()
    )
