"""Registration rules, through the services, on the real database."""

import pytest
from django.core.exceptions import ValidationError  # noqa: F401 (documented in failures)

from events.models import Event, ProgrammeItem
from registrations import services
from registrations.models import Answer, Question, Registration, WorkshopChoice
from registrations.selectors import waitlist_position

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    QuotaFactory,
    UserFactory,
    at,
    person,
)

pytestmark = pytest.mark.django_db


def register(event, **kwargs):
    registration, _created = services.registration_create(event=event, person=person(**kwargs))
    return registration


def refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_places_are_confirmed_until_full_then_the_waiting_list_takes_over(open_event):
    first, second, third = (register(open_event) for _ in range(3))
    fourth, fifth = register(open_event), register(open_event)
    assert {first.status, second.status, third.status} == {"confirmed"}
    assert (fourth.status, fifth.status) == ("waitlisted", "waitlisted")
    assert (waitlist_position(fourth), waitlist_position(fifth)) == (1, 2)
    open_event.refresh_from_db()
    assert open_event.places_taken == 3


def test_cancelling_promotes_the_first_on_the_waiting_list(open_event):
    confirmed = [register(open_event) for _ in range(3)]
    waiting, later = register(open_event), register(open_event)
    services.registration_cancel(registration=confirmed[1])
    refresh(waiting, later, open_event)
    assert waiting.status == "confirmed"
    assert later.status == "waitlisted"
    assert waitlist_position(later) == 1
    assert open_event.places_taken == 3


def test_raising_the_capacity_promotes_the_waiting_list(open_event):
    for _ in range(3):
        register(open_event)
    waiting = register(open_event)
    open_event.capacity = 4
    open_event.save()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_a_repeated_submission_returns_the_existing_registration(open_event):
    first, created = services.registration_create(
        event=open_event, person=person(email="Ana.Popescu@Example.org ")
    )
    again, created_again = services.registration_create(
        event=open_event, person=person(email="ana.popescu@example.org")
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert first.email == "ana.popescu@example.org"
    assert Registration.objects.filter(event=open_event).count() == 1
    open_event.refresh_from_db()
    assert open_event.places_taken == 1


def test_a_cancelled_registration_is_reopened_from_its_link_not_by_registering_again(
    open_event,
):
    registration = register(open_event, email="ana@example.org")
    services.registration_cancel(registration=registration)
    again = register(open_event, email="ana@example.org", first_name="Someone")
    assert again.pk == registration.pk
    assert (again.status, again.first_name) == ("cancelled", "Ana")
    reopened = services.registration_reopen(registration=registration)
    assert reopened.pk == registration.pk
    assert reopened.status == "confirmed"


def test_registration_window_is_enforced_and_explained():
    soon = EventFactory(registration_opens_at=at(2, "10:00"), registration_closes_at=at(9))
    with pytest.raises(services.RegistrationError, match="Registration opens on"):
        register(soon)
    late = EventFactory(registration_opens_at=at(-9), registration_closes_at=at(-2, "18:00"))
    with pytest.raises(services.RegistrationError, match="Registration closed on"):
        register(late)
    assert not Registration.objects.exists()


def test_drafts_and_cancelled_events_take_no_registration():
    for status in (Event.Status.DRAFT, Event.Status.CANCELLED):
        with pytest.raises(services.RegistrationError):
            register(EventFactory(status=status))


def test_privacy_consent_is_required_and_recorded_with_its_version(open_event):
    with pytest.raises(services.RegistrationError):
        register(open_event, privacy_consent=False)
    open_event.privacy_notice_version = "2026-03"
    open_event.save()
    registration = register(open_event)
    assert registration.privacy_consent_version == "2026-03"
    assert registration.privacy_consented_at is not None
    assert registration.listed_publicly is False


def test_a_workshop_has_its_own_places_and_waiting_list(open_event):
    open_event.capacity = 10
    open_event.save()
    workshop = ProgrammeItemFactory(event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, capacity=1)
    first = register(open_event, workshops=[workshop])
    second = register(open_event, workshops=[workshop])
    assert first.workshop_choices.get().status == "confirmed"
    assert second.workshop_choices.get().status == "waitlisted"

    services.registration_cancel(registration=first)
    assert second.workshop_choices.get().status == "confirmed"
    workshop.refresh_from_db()
    assert workshop.places_taken == 1


def test_changing_workshop_frees_the_old_place_for_the_waiting_list(open_event):
    open_event.capacity = 10
    open_event.save()
    slot = {"kind": ProgrammeItem.Kind.WORKSHOP, "capacity": 1, "event": open_event}
    a, b = ProgrammeItemFactory(**slot), ProgrammeItemFactory(**slot)
    first = register(open_event, workshops=[a])
    second = register(open_event, workshops=[a])
    services.registration_update_workshops(registration=first, workshops=[b])
    assert first.workshop_choices.get().item == b
    assert second.workshop_choices.get().status == WorkshopChoice.Status.CONFIRMED


def test_one_workshop_per_time_slot(open_event):
    slot = {"kind": ProgrammeItem.Kind.WORKSHOP, "event": open_event}
    a, b = ProgrammeItemFactory(**slot), ProgrammeItemFactory(**slot)
    with pytest.raises(services.RegistrationError, match="one workshop per time slot"):
        register(open_event, workshops=[a, b])
    other_event_item = ProgrammeItemFactory(kind=ProgrammeItem.Kind.WORKSHOP)
    with pytest.raises(services.RegistrationError):
        register(open_event, workshops=[other_event_item])


def test_reserved_places_are_kept_for_their_partner_until_released(open_event):
    partner = OrganisationFactory(name="CRIES", country="RO")
    quota = QuotaFactory(event=open_event, organisation=partner, places=2, release_at=at(5))
    outsider = register(open_event)
    second_outsider = register(open_event)
    assert outsider.status == "confirmed"
    assert second_outsider.status == "waitlisted", "two of the three places are reserved"

    member = register(open_event, organisation=partner)
    assert member.status == "confirmed"

    quota.release_at = at(-1)
    quota.save()
    second_outsider.refresh_from_db()
    assert second_outsider.status == "confirmed", "released places go to the waiting list"


def test_the_waiting_list_respects_quotas_when_promoting(open_event):
    partner = OrganisationFactory()
    QuotaFactory(event=open_event, organisation=partner, places=1)
    outsiders = [register(open_event) for _ in range(2)]
    waiting_outsider = register(open_event)
    member = register(open_event, organisation=partner)
    waiting_member = register(open_event, organisation=partner)
    assert [r.status for r in (waiting_outsider, member, waiting_member)] == [
        "waitlisted",
        "confirmed",
        "waitlisted",
    ]
    services.registration_cancel(registration=member)
    refresh(waiting_outsider, waiting_member)
    # The freed place is reserved for the partner: its member moves up, not the outsider
    # who waited longer.
    assert waiting_member.status == "confirmed"
    assert waiting_outsider.status == "waitlisted"
    services.registration_cancel(registration=outsiders[0])
    waiting_outsider.refresh_from_db()
    assert waiting_outsider.status == "confirmed"


def test_approval_by_the_partner_coordinator_or_an_organiser(open_event):
    open_event.requires_approval = True
    open_event.save()
    partner, other = OrganisationFactory(), OrganisationFactory()
    coordinator, stranger, organiser = UserFactory(), UserFactory(), UserFactory()
    partner.coordinators.add(coordinator)
    other.coordinators.add(stranger)
    open_event.organisers.add(organiser)

    pending = register(open_event, organisation=partner)
    assert pending.status == "pending"
    open_event.refresh_from_db()
    assert open_event.places_taken == 1, "a pending registration holds its place"

    with pytest.raises(PermissionError):
        services.registration_approve(registration=pending, actor=stranger)
    services.registration_approve(registration=pending, actor=coordinator)
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    assert pending.decided_by == coordinator

    another = register(open_event)
    services.registration_reject(registration=another, actor=organiser)
    another.refresh_from_db()
    open_event.refresh_from_db()
    assert another.status == "rejected"
    assert open_event.places_taken == 1


def test_a_coordinator_registers_a_delegation_within_the_quota(open_event):
    partner = OrganisationFactory()
    QuotaFactory(event=open_event, organisation=partner, places=2)
    coordinator = UserFactory()
    partner.coordinators.add(coordinator)
    results = services.delegation_register(
        coordinator=coordinator,
        event=open_event,
        organisation=partner,
        people=[
            person(email="a@example.org"),
            person(email="b@example.org"),
            person(email="c@example.org"),
        ],
    )
    statuses = [registration.status for registration, _created in results]
    assert statuses == ["confirmed", "confirmed", "confirmed"]
    a = results[0][0]
    assert a.organisation == partner
    assert a.registered_by == coordinator
    assert a.details_confirmed is False
    assert a.privacy_consented_at is None, "consent is the delegate's own to give"

    with pytest.raises(PermissionError):
        services.delegation_register(
            coordinator=UserFactory(), event=open_event, organisation=partner, people=[person()]
        )


def test_nothing_is_half_saved_when_a_part_fails(open_event):
    question = QuestionFactory(event=open_event, required=True, kind=Question.Kind.TEXT)
    workshop = ProgrammeItemFactory(event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, capacity=5)
    with pytest.raises(services.RegistrationError, match="Please answer"):
        register(open_event, workshops=[workshop], answers={question.pk: ""})
    open_event.refresh_from_db()
    workshop.refresh_from_db()
    assert not Registration.objects.exists()
    assert not WorkshopChoice.objects.exists()
    assert not Answer.objects.exists()
    assert (open_event.places_taken, workshop.places_taken) == (0, 0)


def test_cancelling_after_the_deadline_is_refused_but_organisers_can(open_event):
    registration = register(open_event)
    Event.objects.filter(pk=open_event.pk).update(registration_closes_at=at(-1))
    registration.refresh_from_db()
    with pytest.raises(services.RegistrationError, match="until"):
        services.registration_cancel(registration=registration)
    services.registration_cancel(registration=registration, by_organiser=True)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_private_link_can_be_revoked(open_event):
    registration = register(open_event)
    old = registration.secret
    assert len(old) >= 43
    services.registration_regenerate_secret(registration=registration)
    assert registration.secret != old
    assert not Registration.objects.filter(secret=old).exists()


def test_counters_always_match_the_rows(open_event):
    workshop = ProgrammeItemFactory(event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, capacity=2)
    people = [register(open_event, workshops=[workshop]) for _ in range(5)]
    services.registration_cancel(registration=people[0])
    services.registration_cancel(registration=people[3])
    open_event.refresh_from_db()
    workshop.refresh_from_db()
    holding = Registration.objects.filter(event=open_event, status__in=["confirmed", "pending"])
    assert open_event.places_taken == holding.count() == 3
    assert (
        workshop.places_taken
        == WorkshopChoice.objects.filter(item=workshop, status="confirmed").count()
        == 2
    )
