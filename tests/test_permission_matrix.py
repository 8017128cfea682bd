"""The permission matrix: every URL of the project, tried by everyone who might try it.

Every URL pattern is walked from the URL resolver (``i18n_patterns``, allauth and the admin
included) and must be classified in ``ROWS`` below (the admin by the rule of its
namespace): who may reach it, how its arguments are built from one world of fixtures, and
which methods to try. A new URL fails ``test_every_url_is_classified`` until it is.

The world: event A (the victim's) organised by ``organiser``, with the partner
organisation PA coordinated by ``coordinator``; the victim's registration RA (account
``victim``, private link, personal calendar feed); a bystander registered for A from an
organisation nobody coordinates; a draft event of ``organiser``; event B organised by
``other_organiser``, with the partner organisation PB coordinated by
``other_coordinator``; and ``participant``, registered for B only.

Each URL is tried as anonymous, ``participant``, ``other_coordinator``,
``other_organiser`` (also with their own event's address and the victim's objects) and
the role it is meant for. Those who must be refused are (403, 404, or a redirect to a
login page) and change nothing; those who must get in do. Nothing an outsider receives
contains the victim's or the bystander's personal data (name, email, private link,
calendar token, dietary needs) or the draft's title, and ``coordinator`` never sees the
bystander. Outsiders try private links and feed tokens with the victim's revoked ones.

Known defects of today's code are marked ``xfail(strict=True)`` with their reason (the
helper fixing each): a fix fails the test until its mark is removed.
"""

import dataclasses
from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events.models import Event, Organisation, ProgrammeItem, Speaker, Venue
from notifications.models import Broadcast, OutgoingMessage
from registrations import services
from registrations.models import ExportJob, PersonalFeed, Profile, Question, Registration

from .factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    QuotaFactory,
    SpeakerFactory,
    UserFactory,
    at,
    form_fields,
)

# --- roles ----------------------------------------------------------------------------

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"  # registered for event B only
OTHER_COORDINATOR = "other_coordinator"  # coordinates PB, a partner of event B
OTHER_ORGANISER = "other_organiser"  # organises event B (staff, like every organiser today)
#: The four who try every URL and must never receive the victim's personal data.
OUTSIDERS = (ANONYMOUS, PARTICIPANT, OTHER_COORDINATOR, OTHER_ORGANISER)

#: ``other_organiser`` again, with the address of their own event and the ids of the
#: victim's objects (an email, an export, a workshop, a person to check in).
OTHER_ORGANISER_OWN_EVENT = "other_organiser_via_own_event"
#: Who must never receive the victim's personal data.
DATA_CHECKED = (*OUTSIDERS, OTHER_ORGANISER_OWN_EVENT)

HOLDER = "link_holder"  # anonymous, with the victim's current private link or feed token
VICTIM = "victim"  # the victim's own account (verified address of RA)
ORGANISER = "organiser"  # organiser of event A
COORDINATOR = "coordinator"  # coordinator of PA, the victim's organisation
SUPERUSER = "superuser"

#: The victim's personal data, distinctive enough to be searched for in any answer.
VICTIM_DATA = {
    "first_name": "Ilinca",
    "last_name": "Victimescu",
    "email": "ilinca.victimescu@example.org",
    "dietary_needs": "No sesame at all, please",
}
#: Another participant of event A, from an organisation that PA's coordinator does not
#: coordinate: only the event's organisers may see them.
BYSTANDER_DATA = {
    "first_name": "Quintus",
    "last_name": "Bystanderova",
    "email": "quintus.bystanderova@example.org",
    "dietary_needs": "Vegan, and no soy",
}
#: The title of a draft event of the victim's organiser: no outsider may see it either.
DRAFT_TITLE = "Unannounced Gathering Zeta"


# --- the rules --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Rule:
    """Who may reach a URL. ``open_to``: the outsiders who get in (without the victim's
    data); ``entitled``: the roles the URL is for, who must get in; ``refused_too``:
    roles close to the victim who must still be refused; ``staff_unchecked``: outsiders
    whose answer is only checked for the victim's data (the admin's staff, for now)."""

    who: str
    open_to: frozenset = frozenset()
    entitled: tuple = ()
    refused_too: tuple = ()
    staff_unchecked: frozenset = frozenset()


PUBLIC = Rule("anyone", open_to=frozenset(OUTSIDERS))
LOGGED_IN = Rule(
    "any logged-in user (their own data only)",
    open_to=frozenset({PARTICIPANT, OTHER_COORDINATOR, OTHER_ORGANISER}),
    entitled=(VICTIM,),
)
LINK_HOLDER = Rule(
    "the holder of the registration's current private link (outsiders try the revoked one)",
    entitled=(HOLDER,),
)
FEED_HOLDER = Rule(
    "the holder of the current personal calendar token (outsiders try the revoked one)",
    entitled=(HOLDER,),
)
EVENT_TEAM = Rule(
    "the event's organisers, and coordinators of a partner organisation taking part",
    entitled=(ORGANISER, COORDINATOR),
)
EVENT_ORGANISER = Rule(
    "the event's organisers only", entitled=(ORGANISER,), refused_too=(COORDINATOR,)
)
JOB_OWNER = Rule(
    "the organiser who asked for the export", entitled=(ORGANISER,), refused_too=(COORDINATOR,)
)
DECIDER = Rule(
    "the event's organisers and the coordinators of the registration's organisation",
    entitled=(ORGANISER, COORDINATOR),
)
ORGANISER_ONLY_FOR_BYSTANDER = Rule(
    "the event's organisers (the bystander's organisation is not the coordinator's)",
    entitled=(ORGANISER,),
    refused_too=(COORDINATOR,),
)
DELEGATION_COORDINATOR = Rule(
    "the coordinators of that organisation", entitled=(COORDINATOR,), refused_too=(ORGANISER,)
)
# TODO(admin helper): organisers are staff today and use the admin; once the admin is
# scoped (or for superusers only) tighten this rule: OTHER_ORGANISER refused, and the
# ``xfail`` marks of ADMIN_DEFECTS removed.
ADMIN_STAFF = Rule(
    "staff; the Django admin (every URL of the ``admin`` namespace)",
    entitled=(SUPERUSER,),
    staff_unchecked=frozenset({OTHER_ORGANISER}),
)


# --- the table ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Row:
    """One URL name: its rule, its arguments (built from the world, for the role trying
    it), the methods to try and what a POST sends."""

    name: str
    rule: Rule
    kwargs: Callable = lambda world, role: {}
    methods: tuple = ("GET",)
    data: Callable = lambda world: {}
    path: str = ""  # for the admin's unnamed patterns: the path itself
    #: The URL names an event by its slug and one of its objects by id: also tried by
    #: ``other_organiser`` with their own event's slug.
    event_object: bool = False
    #: Several rows of one URL name tell themselves apart by this (in the test id).
    variant: str = ""


def by_slug(world, role):
    return {"slug": world.event.slug}


def by_draft_slug(world, role):
    return {"slug": world.draft.slug}


#: A draft event: its pages are for its organisers only, its feed for nobody.
DRAFT_PAGE = Rule("the draft event's organisers", entitled=(ORGANISER,), refused_too=(COORDINATOR,))
DRAFT_FEED = Rule("nobody until it is published", refused_too=(ORGANISER,))


def by_secret(world, role):
    return {"secret": world.secret if role == HOLDER else world.old_secret}


def by_token(world, role):
    return {"token": world.token if role == HOLDER else world.old_token}


def attacker_form(world):
    """The public registration form, typed by someone who knows the victim's email only."""
    return form_fields(
        first_name="Mallory",
        last_name="Attacker",
        email=VICTIM_DATA["email"].upper(),
        organisation_name="Nobody",
        language="en",
    )


#: Someone trying the victim's address with a password they guessed.
WRONG_LOGIN = {"login": VICTIM_DATA["email"], "password": "guessed-wrong-1"}

ROWS = [
    # health and languages
    Row("healthz", PUBLIC),
    Row("set_language", PUBLIC, methods=("POST",), data=lambda world: {"language": "fr"}),
    # public pages and feeds
    Row("events:list", PUBLIC),
    Row("events:past", PUBLIC),
    Row("events:detail", PUBLIC, by_slug),
    Row("events:network_feed", PUBLIC),
    Row("events:event_feed", PUBLIC, by_slug),
    Row("events:detail", DRAFT_PAGE, by_draft_slug, variant="draft"),
    Row("events:event_feed", DRAFT_FEED, by_draft_slug, variant="draft"),
    Row("registrations:register", DRAFT_PAGE, by_draft_slug, variant="draft"),
    Row("workspace:overview", DRAFT_PAGE, by_draft_slug, variant="draft"),
    Row(
        "events:organisation_feed",
        PUBLIC,
        lambda world, role: {"slug": world.partner.slug},
    ),
    Row(
        "registrations:register",
        Rule(PUBLIC.who, open_to=PUBLIC.open_to, entitled=(VICTIM,)),
        by_slug,
        methods=("GET", "POST"),
        data=attacker_form,
    ),
    # the private link and the personal feed
    Row("registrations:manage", LINK_HOLDER, by_secret, methods=("GET", "POST")),
    Row("registrations:cancel", LINK_HOLDER, by_secret, methods=("GET", "POST")),
    Row("registrations:reset_link", LINK_HOLDER, by_secret, methods=("POST",)),
    Row("registrations:confirm_details", LINK_HOLDER, by_secret, methods=("GET", "POST")),
    Row("registrations:attendees", LINK_HOLDER, by_secret),
    Row("registrations:reset_feed", LINK_HOLDER, by_secret, methods=("POST",)),
    Row("registrations:personal_feed", FEED_HOLDER, by_token),
    # an account's own pages
    Row("registrations:mine", LOGGED_IN),
    Row("registrations:profile", LOGGED_IN),
    Row("registrations:coordinator", LOGGED_IN),
    Row("workspace:home", LOGGED_IN),
    # coordinators and decisions
    Row(
        "registrations:delegation",
        DELEGATION_COORDINATOR,
        lambda world, role: {"organisation": world.partner.slug, "slug": world.event.slug},
        methods=("GET", "POST"),
    ),
    Row(
        "registrations:decide",
        DECIDER,
        lambda world, role: {"pk": world.registration.pk, "decision": "reject"},
        methods=("POST",),
    ),
    Row(
        "registrations:decide",
        ORGANISER_ONLY_FOR_BYSTANDER,
        lambda world, role: {"pk": world.bystander.pk, "decision": "reject"},
        methods=("POST",),
        variant="bystander",
    ),
    # the workspace of event A
    Row("workspace:overview", EVENT_TEAM, by_slug),
    Row(
        "workspace:participants",
        EVENT_TEAM,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: {"action": "filter", "search": VICTIM_DATA["last_name"]},
    ),
    Row(
        "workspace:bulk",
        EVENT_TEAM,
        by_slug,
        methods=("POST",),
        data=lambda world: {"bulk_action": "cancel", "selected": [world.registration.pk]},
    ),
    Row(
        "workspace:workshop",
        EVENT_TEAM,
        lambda world, role: {"slug": world.event.slug, "item": world.item.pk},
        event_object=True,
    ),
    Row(
        "workspace:export",
        EVENT_TEAM,
        by_slug,
        methods=("POST",),
        data=lambda world: {"format": "csv"},
    ),
    Row(
        "workspace:presets",
        EVENT_TEAM,
        by_slug,
        methods=("POST",),
        data=lambda world: {"delete": "0"},
    ),
    Row(
        "workspace:export_job",
        JOB_OWNER,
        lambda world, role: {"slug": world.event.slug, "job": world.job.uuid},
        event_object=True,
    ),
    Row(
        "workspace:export_download",
        JOB_OWNER,
        lambda world, role: {"slug": world.event.slug, "job": world.job.uuid},
        event_object=True,
    ),
    Row(
        "workspace:checkin",
        EVENT_TEAM,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: {"day": world.event.starts_at.date().isoformat(), "search": "Ilinca"},
    ),
    Row(
        "workspace:checkin_person",
        EVENT_TEAM,
        lambda world, role: {"slug": world.event.slug, "registration": world.registration.uuid},
        methods=("GET", "POST"),
        data=lambda world: {"day": world.event.starts_at.date().isoformat(), "present": "1"},
        event_object=True,
    ),
    Row(
        "workspace:checkin_person",
        ORGANISER_ONLY_FOR_BYSTANDER,
        lambda world, role: {"slug": world.event.slug, "registration": world.bystander.uuid},
        methods=("GET", "POST"),
        data=lambda world: {"day": world.event.starts_at.date().isoformat(), "present": "1"},
        variant="bystander",
    ),
    Row("notifications:write", EVENT_ORGANISER, by_slug, methods=("GET", "POST")),
    Row(
        "notifications:broadcast",
        EVENT_ORGANISER,
        lambda world, role: {"slug": world.event.slug, "pk": world.broadcast.pk},
        event_object=True,
    ),
    Row("notifications:emails", EVENT_ORGANISER, by_slug),
    Row(
        "notifications:resend",
        EVENT_ORGANISER,
        lambda world, role: {"slug": world.event.slug, "pk": world.message.pk},
        methods=("POST",),
        event_object=True,
    ),
    # allauth: logging in, signing up and resetting are for anyone; managing an account
    # needs one.
    Row("account_login", PUBLIC, methods=("GET", "POST"), data=lambda world: WRONG_LOGIN),
    Row(
        "account_signup",
        PUBLIC,
        methods=("GET", "POST"),
        data=lambda world: {
            "email": VICTIM_DATA["email"],
            "password1": "a new passphrase, 2026",
            "password2": "a new passphrase, 2026",
        },
    ),
    Row("account_logout", PUBLIC),
    Row("account_inactive", PUBLIC),
    Row("account_email_verification_sent", PUBLIC),
    Row("account_confirm_email", PUBLIC, lambda world, role: {"key": "not-a-real-key"}),
    Row(
        "account_request_login_code",
        PUBLIC,
        methods=("GET", "POST"),
        data=lambda world: {"email": VICTIM_DATA["email"]},
    ),
    Row("account_confirm_login_code", PUBLIC),
    Row(
        "account_reset_password",
        PUBLIC,
        methods=("GET", "POST"),
        data=lambda world: {"email": VICTIM_DATA["email"]},
    ),
    Row("account_reset_password_done", PUBLIC),
    Row(
        "account_reset_password_from_key",
        PUBLIC,
        lambda world, role: {"uidb36": "1", "key": "not-a-real-key"},
    ),
    Row("account_reset_password_from_key_done", PUBLIC),
    Row("account_email", LOGGED_IN),
    Row("account_change_password", LOGGED_IN),
    Row("account_set_password", LOGGED_IN),
    Row("account_reauthenticate", LOGGED_IN),
    Row("account_request_reauthentication_code", LOGGED_IN),
    Row("account_confirm_reauthentication_code", LOGGED_IN),
]


# --- the admin, classified by its namespace ---------------------------------------------

#: For each model in the admin: the object of the victim's event that its pages open.
ADMIN_OBJECTS = {
    "account.emailaddress": lambda world: world.victim_address,
    "auth.group": lambda world: world.organisers_group,
    "auth.user": lambda world: world.users[VICTIM],
    "events.event": lambda world: world.event,
    "events.organisation": lambda world: world.partner,
    "events.programmeitem": lambda world: world.item,
    "events.speaker": lambda world: world.speaker,
    "events.venue": lambda world: world.event.venue,
    "notifications.broadcast": lambda world: world.broadcast,
    "notifications.outgoingmessage": lambda world: world.message,
    "registrations.profile": lambda world: world.victim_profile,
    "registrations.question": lambda world: world.question,
    "registrations.registration": lambda world: world.registration,
    "sites.site": lambda world: Site.objects.get_current(),
}


def _walk(patterns, prefix="", namespace=""):
    """(namespace, name or None, route) of every URL pattern, includes followed."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield namespace, name, prefix + str(pattern.pattern)


def url_patterns():
    return list(_walk(get_resolver().url_patterns))


def _admin_model(route: str) -> str:
    """``events.event`` for ``en/admin/events/event/<path:object_id>/change/``."""
    parts = route.split("admin/", 1)[1].split("/")
    return f"{parts[0]}.{parts[1]}"


def _admin_kwargs(name: str, route: str) -> Callable:
    if name == "admin:app_list":
        return lambda world, role: {"app_label": "events"}
    if name == "admin:view_on_site":
        return lambda world, role: {
            "content_type_id": ContentType.objects.get_for_model(Event).pk,
            "object_id": world.event.pk,
        }
    if name.endswith("_password_change") and "<id>" in route:
        return lambda world, role: {"id": world.users[VICTIM].pk}
    if "<path:object_id>" in route:
        model = _admin_model(route)
        return lambda world, role: {"object_id": ADMIN_OBJECTS[model](world).pk}
    return lambda world, role: {}


def admin_rows() -> list[Row]:
    rows = []
    for namespace, name, route in url_patterns():
        if namespace != "admin":
            continue
        if name in ("admin:login", "admin:logout"):  # the way in and out is for anyone
            methods = ("POST",) if name == "admin:logout" else ("GET",)
            rows.append(Row(name, PUBLIC, methods=methods))
        elif name:
            rows.append(Row(name, ADMIN_STAFF, _admin_kwargs(name, route)))
        elif "<path:object_id>" in route:  # the old change address, redirecting
            model = _admin_model(route)
            rows.append(
                Row(
                    f"admin:<unnamed> {route}",
                    ADMIN_STAFF,
                    path="/" + route,
                    kwargs=lambda world, role, model=model: {
                        "object_id": ADMIN_OBJECTS[model](world).pk
                    },
                )
            )
        else:  # the catch-all: unknown admin addresses (to the login page, or 404 for staff)
            rows.append(
                Row(f"admin:<unnamed> {route}", ADMIN_STAFF, path="/en/admin/no-such-page/")
            )
    return rows


ALL_ROWS = ROWS + admin_rows()

#: Admin addresses that refuse even a superuser, and why: what a superuser must get there.
ADMIN_REFUSES_EVERYONE = {
    "admin:autocomplete": (403, "answers only with the field to complete in its query"),
    "admin:view_on_site": (404, "no model has get_absolute_url: nothing to view on site"),
    "admin:registrations_registration_add": (403, "registrations come from the form only"),
    "admin:notifications_outgoingmessage_add": (403, "emails are written by the services"),
    "admin:notifications_outgoingmessage_delete": (403, "the outbox keeps every email"),
    "admin:<unnamed> en/admin/(?P<url>.*)$": (404, "an unknown admin address"),
}

# --- defects of today's code, each named (strict: fixing one fails here until removed) ---

TAKEOVER = "takeover: path helper (a known email redirects to the victim's private page)"
#: (URL name, method, role) -> why it fails today.
DEFECTS = {("registrations:register", "POST", role): TAKEOVER for role in OUTSIDERS}
#: Admin pages where an organiser of another event (staff) sees the victim's data today.
ADMIN_PICKER = (
    "admin helper: the organiser/coordinator pickers list every account, the victim's too"
)
ADMIN_DRAFTS = "admin helper: the programme-item admin lists every event, others' drafts too"
ADMIN_DEFECTS = {
    "admin:events_event_add": ADMIN_PICKER,
    "admin:events_organisation_add": ADMIN_PICKER,
    "admin:events_organisation_change": ADMIN_PICKER,
    "admin:events_programmeitem_add": ADMIN_DRAFTS,
    "admin:events_programmeitem_changelist": ADMIN_DRAFTS,
}

NO_STORE = "no Cache-Control: no-store on private pages yet: headers helper"
NO_STORE_DEFECTS = {
    "registrations:manage": NO_STORE,
    "registrations:confirm_details": NO_STORE,
    "registrations:personal_feed": NO_STORE,
}


# --- the world --------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    users: dict
    event: Event
    other_event: Event
    draft: Event
    partner: Organisation
    registration: Registration
    bystander: Registration
    secret: str
    old_secret: str
    token: str
    old_token: str
    feed_secret: str
    item: ProgrammeItem
    speaker: Speaker
    question: Question
    broadcast: Broadcast
    message: OutgoingMessage
    job: ExportJob
    victim_address: EmailAddress
    victim_profile: Profile
    organisers_group: Group


def _verified(user):
    return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _registration(*, event, user, organisation, **fields) -> Registration:
    """A confirmed registration, written directly: through ``registration_create`` its
    emails would be handed to the broker when the world is committed."""
    registration = Registration.objects.create(
        event=event,
        user=user,
        status=Registration.Status.CONFIRMED,
        email=user.email,
        organisation=organisation,
        organisation_name=organisation.name,
        country="RO",
        language="en",
        privacy_consent_version="1",
        privacy_consented_at=timezone.now(),
        **fields,
    )
    Event.objects.filter(pk=event.pk).update(places_taken=F("places_taken") + 1)
    return registration


def build_world() -> World:
    organisers_group = Group.objects.create(name="Organisers")
    # As the demo sets organisers up today: staff, with the events app's permissions.
    organisers_group.permissions.set(
        Permission.objects.filter(content_type__app_label="events").exclude(
            codename="delete_organisation"
        )
    )
    users = {
        PARTICIPANT: UserFactory(email="participant@example.org"),
        OTHER_COORDINATOR: UserFactory(email="other.coordinator@example.org"),
        OTHER_ORGANISER: UserFactory(email="other.organiser@example.org", is_staff=True),
        ORGANISER: UserFactory(email="organiser.a@example.org", is_staff=True),
        COORDINATOR: UserFactory(email="coordinator.a@example.org"),
        SUPERUSER: UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
        VICTIM: UserFactory(
            email=VICTIM_DATA["email"],
            first_name=VICTIM_DATA["first_name"],
            last_name=VICTIM_DATA["last_name"],
        ),
    }
    for role in (OTHER_ORGANISER, ORGANISER):
        users[role].groups.add(organisers_group)
    for user in users.values():
        _verified(user)
    victim_address = EmailAddress.objects.get(user=users[VICTIM])

    event = EventFactory(registration_opens_at=at(-10), registration_closes_at=at(15))
    event.organisers.add(users[ORGANISER])
    partner = OrganisationFactory(name="Partner A")
    partner.coordinators.add(users[COORDINATOR])
    QuotaFactory(event=event, organisation=partner, places=5)
    speaker = SpeakerFactory()
    item = ProgrammeItemFactory(event=event)
    item.speakers.add(speaker)
    question = QuestionFactory(event=event)

    draft = EventFactory(status=Event.Status.DRAFT, title_en=DRAFT_TITLE, host=partner)
    draft.organisers.add(users[ORGANISER])

    other_event = EventFactory(registration_opens_at=at(-10), registration_closes_at=at(15))
    other_event.organisers.add(users[OTHER_ORGANISER])
    other_partner = OrganisationFactory(name="Partner B")
    other_partner.coordinators.add(users[OTHER_COORDINATOR])
    QuotaFactory(event=other_event, organisation=other_partner, places=5)
    _registration(
        event=other_event,
        user=users[PARTICIPANT],
        organisation=other_partner,
        first_name="Pat",
        last_name="Participant",
    )

    registration = _registration(
        event=event,
        user=users[VICTIM],
        organisation=partner,
        first_name=VICTIM_DATA["first_name"],
        last_name=VICTIM_DATA["last_name"],
        dietary_needs=VICTIM_DATA["dietary_needs"],
        listed_publicly=True,
    )
    bystander_organisation = OrganisationFactory(name="Partner X")
    bystander = _registration(
        event=event,
        user=UserFactory(email=BYSTANDER_DATA["email"]),
        organisation=bystander_organisation,
        first_name=BYSTANDER_DATA["first_name"],
        last_name=BYSTANDER_DATA["last_name"],
        dietary_needs=BYSTANDER_DATA["dietary_needs"],
        listed_publicly=False,
    )
    old_secret = registration.secret
    services.registration_regenerate_secret(registration=registration)
    old_token = services.personal_feed_get_or_create(email=registration.email).token
    feed = services.personal_feed_reset(email=registration.email)
    victim_profile = Profile.objects.create(user=users[VICTIM], organisation=partner)

    broadcast = Broadcast.objects.create(
        event=event, subject="Practical details", body="See you soon", created_by=users[ORGANISER]
    )
    message = OutgoingMessage.objects.create(
        kind="confirmed",
        recipient=registration.email,
        language="en",
        registration=registration,
        event=event,
        subject="Your registration is confirmed",
        due_at=timezone.now(),
        state=OutgoingMessage.State.SENT,
        sent_at=timezone.now(),
        message_id="<matrix@example.org>",
    )
    job = ExportJob.objects.create(
        event=event,
        requested_by=users[ORGANISER],
        format="csv",
        total=1,
        done=1,
        state=ExportJob.State.DONE,
    )
    job.file.save("matrix.csv", ContentFile(b"first_name\r\n"))
    return World(
        users=users,
        event=event,
        other_event=other_event,
        draft=draft,
        partner=partner,
        registration=registration,
        bystander=bystander,
        secret=registration.secret,
        old_secret=old_secret,
        token=feed.token,
        old_token=old_token,
        feed_secret=feed.secret,
        item=item,
        speaker=speaker,
        question=question,
        broadcast=broadcast,
        message=message,
        job=job,
        victim_address=victim_address,
        victim_profile=victim_profile,
        organisers_group=organisers_group,
    )


def remove_world(world: World) -> None:
    """Delete what ``build_world`` committed, so that the next test module starts from an
    empty database as usual."""
    events = [world.event.pk, world.other_event.pk, world.draft.pk]
    hosts = list(Event.objects.filter(pk__in=events).values_list("host", "venue"))
    world.job.file.delete(save=False)
    Registration.objects.filter(event__in=events).delete()
    Event.objects.filter(pk__in=events).delete()
    Organisation.objects.filter(
        Q(pk__in=[host for host, _venue in hosts])
        | Q(pk=world.partner.pk)
        | Q(pk=world.bystander.organisation_id)
        | Q(coordinators__in=world.users.values())
    ).delete()
    Venue.objects.filter(pk__in=[venue for _host, venue in hosts]).delete()
    Speaker.objects.filter(pk=world.speaker.pk).delete()
    PersonalFeed.objects.filter(email=world.registration.email).delete()
    get_user_model().objects.filter(
        Q(pk__in=[user.pk for user in world.users.values()]) | Q(pk=world.bystander.user_id)
    ).delete()
    world.organisers_group.delete()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world for the whole matrix, committed once and deleted after the module; each
    test runs in its own transaction (pytest-django's ``db``), rolled back after it.
    (Holding the world in a transaction across tests is not possible: pytest-django
    closes the connection after each test, as Django's ``TestCase`` does after a class.)"""
    with django_db_blocker.unblock():
        with transaction.atomic():
            world = build_world()
        try:
            yield world
        finally:
            remove_world(world)


@pytest.fixture
def world(module_world, db):
    """The world, for one test: whatever the test changes is rolled back after it."""
    return module_world


# --- the matrix -------------------------------------------------------------------------


def _roles(row: Row) -> list[str]:
    rule = row.rule
    own_event = (OTHER_ORGANISER_OWN_EVENT,) if row.event_object else ()
    return list(dict.fromkeys((*OUTSIDERS, *own_event, *rule.entitled, *rule.refused_too)))


def _cases():
    for row in ALL_ROWS:
        for method in row.methods:
            for role in _roles(row):
                marks = []
                reason = DEFECTS.get((row.name, method, role))
                if role == OTHER_ORGANISER and row.name in ADMIN_DEFECTS:
                    reason = ADMIN_DEFECTS[row.name]
                if reason:
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                name = f"{row.name}[{row.variant}]" if row.variant else row.name
                yield pytest.param(row, method, role, id=f"{name}-{method}-{role}", marks=marks)


def _url(row: Row, world: World, role: str) -> str:
    kwargs = row.kwargs(world, role)
    if role == OTHER_ORGANISER_OWN_EVENT:
        kwargs["slug"] = world.other_event.slug
    if row.path:
        path = row.path
        for key, value in kwargs.items():
            path = path.replace(f"<path:{key}>", str(value))
        return path
    return reverse(row.name, kwargs=kwargs)


def _body(response) -> str:
    """The whole answer (the test client closes the response once it is read)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlparse(response["Location"]).path.endswith("/login/")


def _private_data(world: World) -> dict[str, str]:
    """What no outsider may receive: the personal data of the victim and of the
    bystander, and the draft's title."""
    return {
        **{f"the victim's {field}": value for field, value in VICTIM_DATA.items()},
        **{f"the bystander's {field}": value for field, value in BYSTANDER_DATA.items()},
        "the victim's private link": world.secret,
        "the victim's calendar token": world.feed_secret,
        "the draft event's title": DRAFT_TITLE,
    }


def _request(client, world: World, row: Row, method: str, role: str):
    user = world.users.get(OTHER_ORGANISER if role == OTHER_ORGANISER_OWN_EVENT else role)
    if user is not None:
        client.force_login(user)
    url = _url(row, world, role)
    if method == "POST":
        return client.post(url, row.data(world))
    return client.get(url)


@pytest.mark.parametrize(("row", "method", "role"), list(_cases()))
def test_url_answers_each_role_as_classified(client, world, row, method, role):
    people = [world.registration.pk, world.bystander.pk]
    before = list(Registration.objects.filter(pk__in=people).values("status", "secret"))
    response = _request(client, world, row, method, role)
    location = response.get("Location", "")
    body = _body(response)
    status = response.status_code
    rule = row.rule
    where = f"{method} {row.name} {row.variant} as {role} ({rule.who}): {status} {location}"

    if role == SUPERUSER and row.name in ADMIN_REFUSES_EVERYONE:
        assert status == ADMIN_REFUSES_EVERYONE[row.name][0], where
    elif role in rule.entitled or role in rule.open_to:
        assert 200 <= status < 400, f"should be let in: {where}"
        assert not _is_login_redirect(response), f"should be let in: {where}"
    elif role not in rule.staff_unchecked:
        assert status in (403, 404) or _is_login_redirect(response), f"should be refused: {where}"
        after = list(Registration.objects.filter(pk__in=people).values("status", "secret"))
        assert after == before, f"a refused request changed a registration: {where}"

    if role in DATA_CHECKED or role == COORDINATOR:
        typed = row.data(world).values() if method == "POST" else ()
        for what, value in _private_data(world).items():
            if role == COORDINATOR and not what.startswith("the bystander's"):
                continue  # the victim is of the coordinator's organisation
            if any(value.lower() in str(field).lower() for field in typed):
                continue  # the outsider typed it themselves
            assert value.lower() not in body.lower(), f"{what} in the page: {where}"
            assert value.lower() not in location.lower(), f"{what} in the redirect: {where}"


# --- the search finds the data where it belongs ------------------------------------------

#: (URL name, variant, role, what): pages where that role must see the victim's data (or
#: the draft's title), so that its absence elsewhere means something.
WHERE_THE_DATA_BELONGS = [
    ("registrations:manage", "", HOLDER, "the victim's first_name"),
    ("registrations:confirm_details", "", HOLDER, "the victim's email"),
    ("workspace:participants", "", ORGANISER, "the victim's last_name"),
    ("workspace:participants", "", COORDINATOR, "the victim's last_name"),
    ("workspace:overview", "", ORGANISER, "the victim's dietary_needs"),
    ("workspace:participants", "", ORGANISER, "the bystander's last_name"),
    ("admin:registrations_registration_change", "", SUPERUSER, "the victim's email"),
    ("events:detail", "draft", ORGANISER, "the draft event's title"),
]


@pytest.mark.parametrize(
    ("name", "variant", "role", "what"),
    [pytest.param(*case, id=f"{case[0]}{case[1]}-{case[2]}") for case in WHERE_THE_DATA_BELONGS],
)
def test_private_data_is_found_where_it_belongs(client, world, name, variant, role, what):
    row = next(row for row in ALL_ROWS if row.name == name and row.variant == variant)
    response = _request(client, world, row, "GET", role)
    assert response.status_code == 200
    assert _private_data(world)[what].lower() in _body(response).lower()


# --- private pages are never stored -------------------------------------------------------

#: Pages showing personal data, each with a role that may see it: no browser or proxy may
#: keep them.
PRIVATE_PAGES = [
    ("registrations:manage", HOLDER),
    ("registrations:confirm_details", HOLDER),
    ("registrations:attendees", HOLDER),
    ("registrations:personal_feed", HOLDER),
    ("registrations:mine", VICTIM),
    ("registrations:profile", VICTIM),
    ("registrations:delegation", COORDINATOR),
    ("workspace:overview", ORGANISER),
    ("workspace:participants", ORGANISER),
    ("workspace:checkin_person", ORGANISER),
    ("workspace:export_download", ORGANISER),
    ("notifications:emails", ORGANISER),
]


@pytest.mark.parametrize(
    ("name", "role"),
    [
        pytest.param(
            name,
            role,
            marks=[pytest.mark.xfail(strict=True, reason=NO_STORE_DEFECTS[name])]
            if name in NO_STORE_DEFECTS
            else [],
        )
        for name, role in PRIVATE_PAGES
    ],
)
def test_private_page_is_never_stored(client, world, name, role):
    row = next(row for row in ROWS if row.name == name and not row.variant)
    response = _request(client, world, row, "GET", role)
    _body(response)
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


# --- completeness -----------------------------------------------------------------------

HOW_TO_CLASSIFY = (
    "Add a Row to ROWS in tests/test_permission_matrix.py: its name, its Rule (who may "
    "reach it: PUBLIC, LOGGED_IN, LINK_HOLDER, FEED_HOLDER, EVENT_TEAM, EVENT_ORGANISER, "
    "JOB_OWNER, DECIDER, DELEGATION_COORDINATOR, or a new Rule), how to build its "
    "arguments from the world (the victim's objects), and the methods to try (GET, and "
    "POST for actions, with the data a form would send)."
)


def test_every_url_is_classified():
    classified = {row.name for row in ALL_ROWS}
    missing = []
    for namespace, name, route in url_patterns():
        if namespace == "admin":
            continue  # classified by namespace: ADMIN_STAFF, one row per pattern
        if name is None:
            missing.append(f"/{route} has no name: give it one, then classify it")
        elif name not in classified:
            missing.append(f"{name} (/{route}) is not classified")
    assert not missing, "\n".join([*missing, HOW_TO_CLASSIFY])


def test_every_classified_url_exists():
    names = {name for _namespace, name, _route in url_patterns() if name}
    stale = [row.name for row in ROWS if row.name not in names]
    assert not stale, f"classified but gone: {stale}; remove them from ROWS"
    marked = [
        *(name for name, _method, _role in DEFECTS),
        *ADMIN_DEFECTS,
        *ADMIN_REFUSES_EVERYONE,
        *NO_STORE_DEFECTS,
    ]
    rows = {row.name for row in ALL_ROWS}
    stale = sorted({name for name in marked if name not in rows})
    assert not stale, f"defects or exceptions noted for URLs that are gone: {stale}"


def test_every_admin_model_has_an_object_of_the_victims_event():
    models = {
        _admin_model(route)
        for namespace, name, route in url_patterns()
        if namespace == "admin"
        and "<path:object_id>" in route
        and (name is None or name.endswith(("_change", "_delete", "_history")))
    }
    missing = sorted(models - set(ADMIN_OBJECTS))
    assert not missing, (
        f"admin models without an object in ADMIN_OBJECTS: {missing}; say there which object "
        "of the victim's event (or of the victim) their pages open"
    )
