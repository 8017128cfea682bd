"""The permission matrix: every URL of the project, tried by everyone who might try it.

Every URL pattern is walked from the URL resolver (``i18n_patterns``, allauth and the admin
included) and must be classified in ``ROWS`` below (the admin by the rule of its
namespace): who may reach it, how its arguments are built from one world of fixtures, and
which methods to try. A new URL fails ``test_every_url_is_classified`` until it is.

The world: event A (the victim's) organised by ``organiser``, with the partner
organisation PA coordinated by ``coordinator``; the victim's registration RA (account
``victim``, private link, personal calendar feed); a bystander registered for A from an
organisation nobody coordinates; a draft event of ``organiser``, with a programme item
and a speaker of its own; event A's quota for PA, question, venue and speaker (used by
event A only); event B organised by
``other_organiser``, with the partner organisation PB coordinated by
``other_coordinator``; ``participant``, registered for B only; a training (the mobility
kind) of ``organiser`` to which the victim (from PA, private link and revoked link of its
own) and the bystander travel, with their cities of origin, dates of birth and fewer
opportunities (sensitive: the training does not show them to coordinators); a project
with the training and the draft as activities, and a series with event A and the draft;
event A's resources (slides not published yet, a published photo) and a speaker's upload
link to it (and a revoked one).
event A's feedback survey, with a question and an answer the victim signed.

The admin's pages are classified by ``admin_rule``: the Django admin is for superusers
only (config/admin.py). Everyone else, event A's own organiser (staff holding every
permission of the project's apps) included, is sent to the admin's login page, sees no
data and changes nothing.

Each URL is tried as anonymous, ``participant``, ``other_coordinator``,
``other_organiser`` (also with their own event's address and the victim's objects) and
the role it is meant for. Those who must be refused are (403, 404, or a redirect to a
login page) and change nothing (``_state``: the two registrations, event A and its draft
with their team, programme, quotas, questions and email settings, event A's venue and
speaker, the training's registrations, mobility settings and travel details); those who
must get in do, and a setup form they post back with a field changed
(``changed``) is saved. Nothing an outsider receives
contains the victim's or the bystander's personal data (name, email, private link,
calendar token, dietary needs, city of origin, date of birth; a PDF's text and a
workbook's cells included) or the draft's title, and ``coordinator`` never sees the
bystander nor the victim's sensitive data. Outsiders try private links and feed tokens
with the victim's revoked ones.

Known defects of today's code are marked ``xfail(strict=True)`` with their reason (the
helper fixing each): a fix fails the test until its mark is removed.
"""

import dataclasses
import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlparse

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image
from PIL import Image as PILImage
from pypdf import PdfReader

from api import services as api_services
from api.models import ApiToken
from evaluation.models import Answer as SurveyAnswer
from evaluation.models import Receipt, Survey, SurveyQuestion
from evaluation.models import Response as SurveyResponse
from events.models import Event, NetworkIdentity, Organisation, ProgrammeItem, Speaker, Venue
from mobility import services as mobility_services
from mobility.exports import SPREADSHEET
from mobility.models import (
    BandTable,
    Means,
    MeansOfTransport,
    MobilityDetails,
    MobilitySettings,
    Project,
    ProjectActivity,
    Series,
    SeriesEdition,
)
from notifications.models import Broadcast, NotificationSettings, OutgoingMessage
from registrations import services
from registrations.models import (
    ExportJob,
    PersonalFeed,
    Profile,
    Question,
    Quota,
    Registration,
)
from resources import services as resource_services
from resources.demo import slides_pdf
from resources.models import PublishBatch, Resource, UploadLink

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
    "accessibility_needs": "Step-free route to every room",
}
#: The victim's sensitive answers: event A does not let partner coordinators see them
#: (``coordinators_see_sensitive_data`` off), so ``coordinator`` must not find them on any
#: page, list or export. Both settings of the event, and background exports, are tried in
#: tests/workspace/test_coordinators.py
#: (``test_a_coordinator_sees_no_sensitive_answers_unless_the_event_says_so``).
SENSITIVE = (
    "the victim's dietary_needs",
    "the victim's accessibility_needs",
    "the victim's date of birth",
)
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
#: The title of an item on the draft's programme (its setup pages show it).
DRAFT_ITEM_TITLE = "Unannounced Workshop Omicron"
#: A speaker on the draft's programme only: no other team is offered them yet.
DRAFT_SPEAKER = "Undisclosed Speaker Ypsilon"
#: The victim's and the bystander's travel to the training (mobility/): their cities of
#: origin are personal data, their dates of birth (and fewer opportunities) sensitive.
VICTIM_TRAVEL = {"city of origin": "Victimeni", "date of birth": "1991-02-17"}
BYSTANDER_TRAVEL = {"city of origin": "Bystanderburg", "date of birth": "1987-11-23"}
#: The subjects of event A's broadcast and of an email to the victim: only event A's
#: organisers see them.
EVENT_A_BROADCAST = "Practical details for Zeta-A attendees"
EVENT_A_EMAIL = "Your Zeta-A registration is confirmed"
#: The title of a resource of event A not published yet: only its organisers see it.
UNPUBLISHED_RESOURCE = "Unpublished Slides Kappa"


# --- the rules --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Rule:
    """Who may reach a URL. ``open_to``: the outsiders who get in (without the victim's
    data); ``entitled``: the roles the URL is for, who must get in; ``refused_too``:
    roles close to the victim who must still be refused."""

    who: str
    open_to: frozenset = frozenset()
    entitled: tuple = ()
    refused_too: tuple = ()


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
#: The Django admin is for superusers only (config/admin.py ``SuperuserAdminSite``): every
#: other account, staff organisers holding every permission included, is sent to the
#: admin's login page and changes nothing.
ADMIN_SUPERUSER = Rule(
    "superusers only (config/admin.py: the admin is the superusers')",
    entitled=(SUPERUSER,),
    refused_too=(ORGANISER, COORDINATOR),
)
#: The admin pages nobody may use (``ADMIN_REFUSES_EVERYONE``: superusers get the answer
#: named there; everyone else the admin's login page).
ADMIN_NOBODY = Rule(
    "nobody (see ADMIN_REFUSES_EVERYONE for a superuser's answer)",
    entitled=(SUPERUSER,),
    refused_too=(ORGANISER, COORDINATOR),
)
#: The network directory (network/): a listed organisation's pages are public; one that
#: did not agree to be listed has none, for anyone. Its entry is edited by its
#: coordinators and superusers (network/selectors.py ``entries_editable_by``).
NOT_LISTED = Rule(
    "nobody: the organisation did not agree to be listed",
    refused_too=(ORGANISER, COORDINATOR, SUPERUSER),
)
#: Any other address under /api/: a JSON 404 for everyone.
NO_SUCH_ADDRESS = Rule("nobody: no such address", refused_too=(ORGANISER, COORDINATOR, SUPERUSER))
DIRECTORY_EDITORS = Rule(
    "coordinators of an organisation (their own entries) and superusers",
    open_to=frozenset({OTHER_COORDINATOR}),
    entitled=(COORDINATOR, SUPERUSER),
    refused_too=(ORGANISER, VICTIM),
)
DIRECTORY_ENTRY = Rule(
    "the organisation's coordinators and superusers",
    entitled=(COORDINATOR, SUPERUSER),
    refused_too=(ORGANISER,),
)
#: The API's and the widget's public reads answer no draft, to anyone (the draft's own
#: organisers see it in the workspace and on its page, not through the API).
PUBLIC_ONLY = Rule("nobody until it is published (public reads)", refused_too=(ORGANISER,))
#: An API token is revoked by its owner only (``world.api_token`` is the organiser's).
TOKEN_OWNER = Rule("the token's owner", entitled=(ORGANISER,), refused_too=(COORDINATOR,))
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
    #: A GET answered with a redirect is judged by the page it leads to (the admin's old
    #: object addresses, which redirect to the change page).
    follow_once: bool = False
    #: What a GET sends in its query string.
    query: Callable = lambda world: {}


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


#: Who may create an event (``setup:new``): superusers, the Organisers group and the
#: organisers of any event (``other_organiser`` too: the page offers only their own events
#: to copy); 403 for every other account.
SETUP_CREATOR = Rule(
    "superusers, members of the Organisers group and organisers of an event",
    open_to=frozenset({OTHER_ORGANISER}),
    entitled=(ORGANISER, SUPERUSER),
    refused_too=(COORDINATOR, VICTIM),
)
#: Every other setup page: the event's organisers and superusers; 404 for everyone else
#: (partner coordinators included), whatever the object.
EVENT_SETUP = Rule(
    "the event's organisers and superusers (its setup pages)",
    entitled=(ORGANISER, SUPERUSER),
    refused_too=(COORDINATOR,),
)
#: What an outsider types into event A's setup forms.
HIJACK = "Hijacked by the organiser of B"
HIJACK_URL = "https://hijacked.example.org/"


def changed(**fields) -> Callable:
    """The setup form posted back as shown, with ``fields`` changed (``Resubmitted``)."""
    return lambda world: Resubmitted(fields)


def by_item(world, role):
    return {"slug": world.event.slug, "item": world.item.pk}


def by_quota(world, role):
    return {"slug": world.event.slug, "pk": world.quota.pk}


def by_question(world, role):
    return {"slug": world.event.slug, "pk": world.question.pk}


def by_survey_question(world, role):
    return {"slug": world.event.slug, "pk": world.survey_question.pk}


def by_training_slug(world, role):
    return {"slug": world.training.slug}


def by_training_secret(world, role):
    """The victim's private link to the training (outsiders try its revoked one)."""
    return {"secret": world.training_secret if role == HOLDER else world.training_old_secret}


#: The training's mobility pages (mobility/views.py): its organisers and superusers see
#: every participant, a partner coordinator only their organisation's (and no sensitive
#: data: the training does not allow it); anonymous to the login page, anyone else 404.
MOBILITY_TEAM = Rule(
    "the training's organisers and superusers, and its partners' coordinators (their own)",
    entitled=(ORGANISER, COORDINATOR, SUPERUSER),
)
MOBILITY_ORGANISER = Rule(
    "the training's organisers and superusers",
    entitled=(ORGANISER, SUPERUSER),
    refused_too=(COORDINATOR,),
)
#: The mobility pages exist for trainings only: event A's are refused to its team too.
NOT_A_TRAINING_WORKSPACE = Rule(
    "nobody: event A is no training", refused_too=(ORGANISER, COORDINATOR, SUPERUSER)
)
NOT_A_TRAINING_LINK = Rule("nobody: event A is no training", refused_too=(HOLDER,))
#: The certificate is issued after the event to those whose attendance was recorded: the
#: training is still to come.
CERTIFICATE_BEFORE_THE_END = Rule(
    "nobody before the training ends (then the link holder, if attendance was recorded)",
    refused_too=(HOLDER,),
)
#: A project's overview and report: superusers and its coordinators see every activity but
#: drafts; an activity's organisers and its partners' coordinators their part.
PROJECT_TEAM = Rule(
    "superusers, the project's coordinators, its activities' organisers and coordinators",
    entitled=(ORGANISER, COORDINATOR, SUPERUSER),
)


def by_upload_token(world, role):
    """A speaker's upload link to event A (outsiders try a revoked one)."""
    return {"token": world.upload_token if role == HOLDER else world.revoked_upload_token}


def by_resource(world, role):
    return {"slug": world.event.slug, "pk": world.resource.pk}


#: A speaker's upload page: for the holder of an active link only.
UPLOAD_LINK_HOLDER = Rule(
    "the holder of an active upload link (outsiders try a revoked one)", entitled=(HOLDER,)
)
#: A resource's file before it is published: its event's organisers and superusers only.
UNPUBLISHED_FILE = Rule(
    "the event's organisers and superusers (a file not published yet)",
    entitled=(ORGANISER, SUPERUSER),
    refused_too=(COORDINATOR,),
)

#: Someone trying the victim's address with a password they guessed.
WRONG_LOGIN = {"login": VICTIM_DATA["email"], "password": "guessed-wrong-1"}


class Resubmitted(dict):
    """A setup form posted back as the event's page shows it to a superuser, with these
    fields changed (what an outsider would try to slip in). The dict holds the changed
    fields only: the values the sender typed."""


class _PostedForm(HTMLParser):
    """The fields of the first form of a page that posts to the page itself, as a browser
    sends them (checked boxes and radios, selected options, the first named button)."""

    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.fields: dict[str, list[str]] = {}
        self.state = "before"  # "inside" the chosen form, then "after" it
        self.select: str | None = None
        self.textarea: str | None = None
        self.button_sent = False

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value or "")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.state == "before":
            posts = (attributes.get("method") or "").lower() == "post"
            if posts and attributes.get("action") in (None, "", self.path):
                self.state = "inside"
            return
        if self.state != "inside":
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._add(name, attributes.get("value", "on"))
            elif kind == "submit":
                if not self.button_sent:
                    self._add(name, attributes.get("value"))
                    self.button_sent = True
            elif kind not in ("button", "reset", "file", "image"):
                self._add(name, attributes.get("value"))
        elif tag == "button" and name and not self.button_sent:
            if (attributes.get("type") or "submit").lower() == "submit":
                self._add(name, attributes.get("value"))
                self.button_sent = True
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attributes:
            self._add(self.select, attributes.get("value"))
        elif tag == "textarea" and name:
            self.textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form" and self.state == "inside":
            self.state = "after"
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.state == "inside" and self.textarea:
            values = self.fields[self.textarea]
            values[-1] += data if values[-1] else data.removeprefix("\n")


def _form_as_shown(world, url: str) -> dict[str, list[str]]:
    """What the setup form at ``url`` posts when sent back unchanged by a superuser."""
    browser = Client()
    browser.force_login(world.users[SUPERUSER])
    response = browser.get(url)
    assert response.status_code == 200, f"the form at {url} answers {response.status_code}"
    parser = _PostedForm(urlparse(url).path)
    parser.feed(response.content.decode())
    assert parser.fields, f"no form posting to {url}"
    return parser.fields


def _network_with_logo(world) -> dict:
    """The network's identity with a logo (in this test's transaction), for its address."""
    from django.core.files.storage import default_storage

    name = "network/permission-matrix.png"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(PNG_PIXEL))
    NetworkIdentity.objects.update_or_create(pk=1, defaults={"logo": name})
    return {}


#: A 1x1 PNG.
PNG_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


ROWS = [
    # health and languages
    Row("healthz", PUBLIC),
    # the network's look: its colours and logo (set by a superuser in the admin)
    Row("network_css", PUBLIC),
    Row("network_logo", PUBLIC, query=_network_with_logo),
    Row("set_language", PUBLIC, methods=("POST",), data=lambda world: {"language": "fr"}),
    # public pages and feeds
    Row("events:list", PUBLIC),
    Row("events:past", PUBLIC),
    Row("events:detail", PUBLIC, by_slug),
    Row("events:places", PUBLIC, by_slug),
    Row("events:places", DRAFT_PAGE, by_draft_slug, variant="draft"),
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
    Row("registrations:check_email", PUBLIC, by_slug),
    Row("registrations:check_email", DRAFT_PAGE, by_draft_slug, variant="draft"),
    # the privacy notice, and the page after an erasure
    Row("registrations:privacy", PUBLIC),
    Row("registrations:data_erased", PUBLIC),
    # the private link and the personal feed
    Row("registrations:manage", LINK_HOLDER, by_secret, methods=("GET", "POST")),
    Row("registrations:cancel", LINK_HOLDER, by_secret, methods=("GET", "POST")),
    Row("registrations:reset_link", LINK_HOLDER, by_secret, methods=("POST",)),
    Row("registrations:confirm_details", LINK_HOLDER, by_secret, methods=("GET", "POST")),
    Row("registrations:attendees", LINK_HOLDER, by_secret),
    Row("registrations:reset_feed", LINK_HOLDER, by_secret, methods=("POST",)),
    Row("registrations:personal_feed", FEED_HOLDER, by_token),
    Row("registrations:reopen", LINK_HOLDER, by_secret, methods=("POST",)),
    Row(
        "registrations:my_data",
        LINK_HOLDER,
        by_secret,
        methods=("GET", "POST"),
        data=lambda world: {"confirm": "on"},
    ),
    Row("registrations:my_data_download", LINK_HOLDER, by_secret),
    # an account's own pages
    Row("registrations:mine", LOGGED_IN),
    Row("registrations:profile", LOGGED_IN),
    Row("registrations:coordinator", LOGGED_IN),
    Row("registrations:account_data", LOGGED_IN),
    Row("registrations:account_delete", LOGGED_IN),
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
    Row(
        "workspace:bulk",
        EVENT_TEAM,
        by_slug,
        methods=("POST",),
        data=lambda world: {"bulk_action": "cancel", "scope": "all"},
        variant="all",
    ),
    Row(
        "workspace:bulk",
        EVENT_TEAM,
        by_slug,
        methods=("POST",),
        data=lambda world: {"bulk_action": "cancel", "scope": "all", "confirmed": "1"},
        variant="all-confirmed",
    ),
    # the organisers' setup pages of event A (events/setup_views.py,
    # registrations/setup_views.py, notifications/setup_views.py); each form is posted
    # back as shown with a field changed by whoever tries it
    Row("setup:new", SETUP_CREATOR),
    Row(
        "setup:event",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=changed(online_url=HIJACK_URL),
    ),
    Row("setup:event", EVENT_SETUP, by_draft_slug, variant="draft"),
    Row(
        "setup:texts", EVENT_SETUP, by_slug, methods=("GET", "POST"), data=changed(title_en=HIJACK)
    ),
    Row("setup:publish", EVENT_SETUP, by_slug, methods=("GET", "POST")),
    Row("setup:publish", EVENT_SETUP, by_draft_slug, methods=("GET", "POST"), variant="draft"),
    Row("setup:unpublish", EVENT_SETUP, by_slug, methods=("GET", "POST")),
    # POST: move an item up or down (the draft's one item cannot move: refused, unchanged)
    Row(
        "setup:programme",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: {"move": f"up:{world.draft_item.pk}"},
    ),
    Row(
        "setup:programme",
        EVENT_SETUP,
        by_draft_slug,
        methods=("GET", "POST"),
        data=lambda world: {"move": f"down:{world.draft_item.pk}"},
        variant="draft",
    ),
    Row("setup:item_add", EVENT_SETUP, by_slug),
    Row(
        "setup:item",
        EVENT_SETUP,
        by_item,
        methods=("GET", "POST"),
        data=changed(title_en=HIJACK),
        event_object=True,
    ),
    Row("setup:item_cancel", EVENT_SETUP, by_item, methods=("GET", "POST"), event_object=True),
    Row("setup:item_delete", EVENT_SETUP, by_item, methods=("GET", "POST"), event_object=True),
    Row(
        "setup:item_delete",
        EVENT_SETUP,
        lambda world, role: {"slug": world.draft.slug, "item": world.draft_item.pk},
        methods=("GET", "POST"),
        event_object=True,
        variant="draft",
    ),
    Row("setup:announce", EVENT_SETUP, by_slug, methods=("GET", "POST")),
    Row("setup:venues", EVENT_SETUP, by_slug),
    Row("setup:venue_add", EVENT_SETUP, by_slug),
    Row(
        "setup:venue",
        EVENT_SETUP,
        lambda world, role: {"slug": world.event.slug, "venue": world.event.venue_id},
        methods=("GET", "POST"),
        data=changed(**{"venue-name": HIJACK}),
        event_object=True,
    ),
    Row("setup:speakers", EVENT_SETUP, by_slug),
    Row("setup:speaker_add", EVENT_SETUP, by_slug),
    Row(
        "setup:speaker",
        EVENT_SETUP,
        lambda world, role: {"slug": world.event.slug, "speaker": world.speaker.pk},
        methods=("GET", "POST"),
        data=changed(name=HIJACK),
        event_object=True,
    ),
    Row(
        "workspace:setup_registration",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=changed(capacity="500"),
    ),
    Row("workspace:setup_waiting_list", EVENT_SETUP, by_slug, methods=("GET", "POST")),
    Row(
        "workspace:setup_quotas",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: {"organisation": world.bystander.organisation_id, "places": "2"},
    ),
    Row(
        "workspace:setup_quota",
        EVENT_SETUP,
        by_quota,
        methods=("GET", "POST"),
        data=changed(places="1"),
        event_object=True,
    ),
    Row(
        "workspace:setup_quota_delete",
        EVENT_SETUP,
        by_quota,
        methods=("GET", "POST"),
        event_object=True,
    ),
    Row(
        "workspace:setup_questions",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: {"move": f"down:{world.question.pk}"},
    ),
    Row("workspace:setup_question_add", EVENT_SETUP, by_slug),
    Row(
        "workspace:setup_question",
        EVENT_SETUP,
        by_question,
        methods=("GET", "POST"),
        data=changed(label_en=HIJACK),
        event_object=True,
    ),
    Row(
        "workspace:setup_question_delete",
        EVENT_SETUP,
        by_question,
        methods=("GET", "POST"),
        event_object=True,
    ),
    Row(
        "notifications:setup_emails",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=changed(reply_to="hijacker@example.org"),
    ),
    # POST: the texts being typed in the email setup form, previewed and saved by nothing
    Row(
        "notifications:setup_email_preview",
        EVENT_SETUP,
        by_slug,
        query=lambda world: {"kind": "confirmed", "language": "en"},
        methods=("GET", "POST"),
        data=lambda world: {"confirmation_text_en": "See you soon", "typed-language": "en"},
    ),
    # the feedback survey (evaluation/urls.py): answered by the private link; set up and
    # read by the event's organisers only (partner coordinators refused)
    Row(
        "evaluation:answer",
        LINK_HOLDER,
        by_secret,
        methods=("GET", "POST"),
        data=lambda world: {f"q{world.survey_question.pk}": HIJACK},
    ),
    Row(
        "evaluation:setup",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: Resubmitted(
            closes_at=(world.event.ends_at + timedelta(days=40))
            .astimezone(world.event.tz)
            .strftime("%Y-%m-%dT%H:%M")
        ),
    ),
    Row("evaluation:question_add", EVENT_SETUP, by_slug),
    Row(
        "evaluation:question",
        EVENT_SETUP,
        by_survey_question,
        methods=("GET", "POST"),
        data=changed(label_en=HIJACK),
        event_object=True,
    ),
    Row(
        "evaluation:question_delete",
        EVENT_SETUP,
        by_survey_question,
        methods=("GET", "POST"),
        event_object=True,
    ),
    Row("evaluation:results", EVENT_SETUP, by_slug),
    Row(
        "evaluation:export",
        EVENT_SETUP,
        lambda world, role: {"slug": world.event.slug, "format": "csv"},
    ),
    Row(
        "evaluation:export",
        EVENT_SETUP,
        lambda world, role: {"slug": world.event.slug, "format": "xlsx"},
        variant="xlsx",
    ),
    # mobility (mobility/urls.py): the training's travel details, letters and certificate
    # by the victim's private link to it; event A is no training
    Row(
        "mobility:details",
        LINK_HOLDER,
        by_training_secret,
        methods=("GET", "POST"),
        data=lambda world: {"room_sharing": HIJACK},
    ),
    Row("mobility:details", NOT_A_TRAINING_LINK, by_secret, variant="not-training"),
    Row("mobility:visa_letter", LINK_HOLDER, by_training_secret),
    Row("mobility:visa_letter", NOT_A_TRAINING_LINK, by_secret, variant="not-training"),
    Row("mobility:certificate", CERTIFICATE_BEFORE_THE_END, by_training_secret),
    # the training's mobility workspace
    Row("mobility:overview", MOBILITY_TEAM, by_training_slug),
    Row("mobility:overview", NOT_A_TRAINING_WORKSPACE, by_slug, variant="not-training"),
    Row(
        "mobility:report_export",
        MOBILITY_TEAM,
        by_training_slug,
        query=lambda world: {"sensitive": "1"},
    ),
    Row("mobility:report_export", NOT_A_TRAINING_WORKSPACE, by_slug, variant="not-training"),
    Row("mobility:youthpass_export", MOBILITY_TEAM, by_training_slug),
    Row("mobility:rooming_export", MOBILITY_TEAM, by_training_slug),
    Row("mobility:arrivals_export", MOBILITY_TEAM, by_training_slug),
    Row("mobility:certificates_export", MOBILITY_TEAM, by_training_slug),
    Row("mobility:visa_letters_export", MOBILITY_TEAM, by_training_slug),
    Row(
        "mobility:setup",
        MOBILITY_ORGANISER,
        by_training_slug,
        methods=("GET", "POST"),
        data=lambda world: {
            "band_table": BandTable.objects.order_by("pk").first().pk,
            "asks_date_of_birth": "",
            "coordinators_see_fewer_opportunities": "on",
            "locked": "on",
        },
    ),
    Row(
        "mobility:lock",
        MOBILITY_ORGANISER,
        by_training_slug,
        methods=("POST",),
        data=lambda world: {"locked": "1"},
    ),
    # projects and series: public pages show published activities only; a project's
    # overview and report are for its team
    Row("mobility:project", PUBLIC, lambda world, role: {"slug": world.project.slug}),
    Row("mobility:series", PUBLIC, lambda world, role: {"slug": world.series.slug}),
    Row(
        "mobility:project_overview", PROJECT_TEAM, lambda world, role: {"slug": world.project.slug}
    ),
    Row(
        "mobility:project_report_export",
        PROJECT_TEAM,
        lambda world, role: {"slug": world.project.slug},
    ),
    # the network directory (network/): PA agreed to be listed, the bystander's
    # organisation did not
    Row("network:directory", PUBLIC),
    Row("network:map_data", PUBLIC),
    Row("network:organisation", PUBLIC, lambda world, role: {"slug": world.partner.slug}),
    Row(
        "network:organisation",
        NOT_LISTED,
        lambda world, role: {"slug": world.bystander.organisation.slug},
        variant="unlisted",
    ),
    Row("network:logo", PUBLIC, lambda world, role: {"slug": world.partner.slug}),
    Row(
        "network:logo",
        NOT_LISTED,
        lambda world, role: {"slug": world.bystander.organisation.slug},
        variant="unlisted",
    ),
    Row("network:entries", DIRECTORY_EDITORS),
    Row(
        "network:entry",
        DIRECTORY_ENTRY,
        lambda world, role: {"slug": world.partner.slug},
        methods=("GET", "POST"),
        data=changed(website=HIJACK_URL, description_en=HIJACK),
    ),
    # the REST API (api/): public reads, the schema and its documentation, and an event's
    # registrations for its team (a session here; tokens in tests/api/)
    Row("api:events", PUBLIC),
    Row("api:event", PUBLIC, by_slug),
    Row("api:event", PUBLIC_ONLY, by_draft_slug, variant="draft"),
    Row("api:event_resources", PUBLIC, by_slug),
    Row("api:event_resources", PUBLIC_ONLY, by_draft_slug, variant="draft"),
    Row("api:organisations", PUBLIC),
    Row("api:organisation", PUBLIC, lambda world, role: {"slug": world.partner.slug}),
    Row(
        "api:organisation",
        NOT_LISTED,
        lambda world, role: {"slug": world.bystander.organisation.slug},
        variant="unlisted",
    ),
    Row("api:schema", PUBLIC),
    Row("api:docs", PUBLIC),
    Row("api:event_registrations", EVENT_TEAM, by_slug),
    Row("api:event_registrations", DRAFT_PAGE, by_draft_slug, variant="draft"),
    Row(
        "api:not_found",
        NO_SUCH_ADDRESS,
        lambda world, role: {"rest": f"v1/events/{world.event.slug}/participants/"},
        methods=("GET", "POST"),
    ),
    # the widget partner sites frame, and the workspace's pages for tokens and embedding
    Row("widget:events", PUBLIC),
    Row("widget:organisation", PUBLIC, lambda world, role: {"slug": world.partner.slug}),
    Row(
        "widget:organisation",
        NOT_LISTED,
        lambda world, role: {"slug": world.bystander.organisation.slug},
        variant="unlisted",
    ),
    Row("widget:event", PUBLIC, by_slug),
    Row("widget:event", PUBLIC_ONLY, by_draft_slug, variant="draft"),
    Row(
        "api_tokens:list",
        LOGGED_IN,
        methods=("GET", "POST"),
        data=lambda world: {"name": "a script", "scopes": ["registrations:read"]},
    ),
    Row(
        "api_tokens:revoke",
        TOKEN_OWNER,
        lambda world, role: {"pk": world.api_token.pk},
        methods=("POST",),
    ),
    Row("api_tokens:embed", LOGGED_IN, query=lambda world: {"what": "network", "language": "pt"}),
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
    # resources (resources/urls.py): the setup pages of event A's resources and its
    # speakers' upload links, a speaker's upload page, and the files
    Row(
        "resources:setup",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: {"item": "", "kind": "other", "title_en": HIJACK, "url": HIJACK_URL},
    ),
    Row("resources:publish", EVENT_SETUP, by_slug, methods=("GET", "POST")),
    Row(
        "resources:edit",
        EVENT_SETUP,
        by_resource,
        methods=("GET", "POST"),
        data=changed(title_en=HIJACK),
        event_object=True,
    ),
    Row("resources:delete", EVENT_SETUP, by_resource, methods=("GET", "POST"), event_object=True),
    Row(
        "resources:withdraw",
        EVENT_SETUP,
        lambda world, role: {"slug": world.event.slug, "pk": world.published_resource.pk},
        methods=("POST",),
        event_object=True,
    ),
    Row(
        "resources:links",
        EVENT_SETUP,
        by_slug,
        methods=("GET", "POST"),
        data=lambda world: {
            "name": HIJACK,
            "email": "hijacker@example.org",
            "language": "en",
            "item": "",
            "speaker": "",
        },
    ),
    Row(
        "resources:link_revoke",
        EVENT_SETUP,
        lambda world, role: {"slug": world.event.slug, "pk": world.upload_link.pk},
        methods=("POST",),
        event_object=True,
    ),
    Row(
        "resources:speaker_upload",
        UPLOAD_LINK_HOLDER,
        by_upload_token,
        methods=("GET", "POST"),
        data=lambda world: {"kind": "other", "title_en": HIJACK, "url": HIJACK_URL},
    ),
    Row("resources:file", PUBLIC, lambda world, role: {"pk": world.published_resource.pk}),
    Row("resources:thumbnail", PUBLIC, lambda world, role: {"pk": world.published_resource.pk}),
    Row(
        "resources:file",
        UNPUBLISHED_FILE,
        lambda world, role: {"pk": world.resource.pk},
        variant="unpublished",
    ),
]


# --- the admin, classified by its namespace ---------------------------------------------

#: For each model in the admin: the object of the victim's event that its pages open.
ADMIN_OBJECTS = {
    "account.emailaddress": lambda world: world.victim_address,
    "auth.group": lambda world: world.organisers_group,
    "auth.user": lambda world: world.users[VICTIM],
    "events.event": lambda world: world.event,
    "events.networkidentity": lambda world: NetworkIdentity.objects.get_or_create(pk=1)[0],
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
    "mobility.bandtable": lambda world: BandTable.objects.order_by("pk").first(),
    "mobility.meansoftransport": lambda world: MeansOfTransport.objects.order_by("pk").first(),
    "mobility.project": lambda world: world.project,
    "mobility.series": lambda world: world.series,
    "evaluation.survey": lambda world: world.survey_question.survey,
    "evaluation.receipt": lambda world: Receipt.objects.get_or_create(
        survey=world.survey_question.survey, registration=world.bystander
    )[0],
    "resources.resource": lambda world: world.resource,
    "resources.uploadlink": lambda world: world.upload_link,
    "resources.publishbatch": lambda world: PublishBatch.objects.get_or_create(
        event=world.event, defaults={"count": 1}
    )[0],
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


#: Admin addresses that refuse even a superuser, and why: what a superuser must get there.
ADMIN_REFUSES_EVERYONE = {
    "admin:autocomplete": (403, "answers only with the field to complete in its query"),
    "admin:view_on_site": (404, "no model has get_absolute_url: nothing to view on site"),
    "admin:registrations_registration_add": (403, "registrations come from the form only"),
    "admin:notifications_outgoingmessage_add": (403, "emails are written by the services"),
    "admin:notifications_outgoingmessage_delete": (403, "the outbox keeps every email"),
    "admin:events_networkidentity_delete": (403, "the network's one row is changed, not deleted"),
    "admin:<unnamed> en/admin/(?P<url>.*)$": (404, "an unknown admin address"),
    "admin:evaluation_survey_add": (403, "surveys are set up in the event's setup pages"),
    "admin:evaluation_receipt_add": (403, "receipts are written when a survey is answered"),
    "admin:evaluation_receipt_delete": (403, "who answered is kept: answering is once only"),
    "admin:resources_resource_add": (403, "files are checked in the setup pages' upload form"),
    "admin:resources_uploadlink_add": (403, "upload links are sent from the setup pages"),
    "admin:resources_uploadlink_delete": (403, "upload links are revoked, not deleted"),
    "admin:resources_publishbatch_add": (403, "publications come from the publish page"),
    "admin:resources_publishbatch_delete": (403, "publications are kept"),
}


def admin_rule(name: str, route: str) -> Rule:
    """Who may reach an admin page: superusers only, every model's pages alike."""
    if name in ADMIN_REFUSES_EVERYONE:
        return ADMIN_NOBODY
    return ADMIN_SUPERUSER


def admin_rows() -> list[Row]:
    rows = []
    for namespace, name, route in url_patterns():
        if namespace != "admin":
            continue
        if name in ("admin:login", "admin:logout"):  # the way in and out is for anyone
            methods = ("POST",) if name == "admin:logout" else ("GET",)
            rows.append(Row(name, PUBLIC, methods=methods))
        elif name:
            rows.append(Row(name, admin_rule(name, route), _admin_kwargs(name, route)))
        elif "<path:object_id>" in route:  # the old change address, redirecting
            model = _admin_model(route)
            rows.append(
                Row(
                    f"admin:<unnamed> {route}",
                    admin_rule(f"admin:<unnamed> {route}", route),
                    path="/" + route,
                    kwargs=lambda world, role, model=model: {
                        "object_id": ADMIN_OBJECTS[model](world).pk
                    },
                    follow_once=True,
                )
            )
        else:  # the catch-all: unknown admin addresses (to the login page, or 404 for staff)
            rows.append(
                Row(
                    f"admin:<unnamed> {route}",
                    admin_rule(f"admin:<unnamed> {route}", route),
                    path="/en/admin/no-such-page/",
                )
            )
    return rows


ALL_ROWS = ROWS + admin_rows()


# --- defects of today's code, each named (strict: fixing one fails here until removed) ---

#: (URL name, method, role) -> why it fails today (the helper fixing it). Empty: the
#: takeover by a known email (path helper) is fixed; see
#: ``test_a_known_email_gets_the_answer_of_a_new_one`` below.
DEFECTS: dict[tuple[str, str, str], str] = {}
#: Private page URL name -> why it is still stored. Empty: ``PrivateLinkMiddleware`` and
#: the account pages send ``no-store`` (headers helper).
NO_STORE_DEFECTS: dict[str, str] = {}


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
    draft_item: ProgrammeItem
    speaker: Speaker
    draft_speaker: Speaker
    question: Question
    quota: Quota
    broadcast: Broadcast
    message: OutgoingMessage
    job: ExportJob
    victim_address: EmailAddress
    victim_profile: Profile
    organisers_group: Group
    training: Event
    training_secret: str
    training_old_secret: str
    project: Project
    series: Series
    resource: Resource
    published_resource: Resource
    upload_link: UploadLink
    upload_token: str
    revoked_upload_token: str
    survey_question: SurveyQuestion
    api_token: ApiToken


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


#: Partner A's logo in the network directory.
MATRIX_LOGO = _png()


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
    # Organisers are staff holding every permission of the three apps (the most a
    # superuser could give them): the admin refuses them all the same.
    organisers_group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["events", "registrations", "notifications"]
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
    partner = OrganisationFactory(name="Partner A", listed=True, description_en="We are PA.")
    partner.coordinators.add(users[COORDINATOR])
    partner.logo.save("matrix.png", ContentFile(MATRIX_LOGO))
    quota = QuotaFactory(event=event, organisation=partner, places=5)
    speaker = SpeakerFactory()
    item = ProgrammeItemFactory(event=event)
    item.speakers.add(speaker)
    question = QuestionFactory(event=event)

    draft = EventFactory(status=Event.Status.DRAFT, title_en=DRAFT_TITLE, host=partner)
    draft.organisers.add(users[ORGANISER])
    draft_item = ProgrammeItemFactory(event=draft, title_en=DRAFT_ITEM_TITLE)
    draft_speaker = SpeakerFactory(name=DRAFT_SPEAKER)
    draft_item.speakers.add(draft_speaker)

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
        accessibility_needs=VICTIM_DATA["accessibility_needs"],
        listed_publicly=True,
    )
    bystander_organisation = OrganisationFactory(name="Partner X")  # not listed
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
        event=event, subject=EVENT_A_BROADCAST, body="See you soon", created_by=users[ORGANISER]
    )
    message = OutgoingMessage.objects.create(
        kind="confirmed",
        recipient=registration.email,
        language="en",
        registration=registration,
        event=event,
        subject=EVENT_A_EMAIL,
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

    # the training: event A's team organises it, the victim (from PA) and the bystander
    # (from an organisation nobody coordinates) travel to it; coordinators do not see
    # sensitive data there either
    training = EventFactory(
        kind=Event.Kind.TRAINING,
        registration_opens_at=at(-10),
        registration_closes_at=at(15),
        coordinators_see_sensitive_data=False,
    )
    training.organisers.add(users[ORGANISER])
    QuotaFactory(event=training, organisation=partner, places=5)
    mobility_services.mobility_settings_get_or_create(event=training)
    travellers = (
        (registration, VICTIM_DATA, VICTIM_TRAVEL, partner),
        (bystander, BYSTANDER_DATA, BYSTANDER_TRAVEL, bystander_organisation),
    )
    for on_event_a, data, travel, organisation in travellers:
        on_training = _registration(
            event=training,
            user=on_event_a.user,
            organisation=organisation,
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        MobilityDetails.objects.create(
            registration=on_training,
            origin_city=travel["city of origin"],
            origin_country="RO",
            origin_latitude="46.770000",
            origin_longitude="23.590000",
            means=Means.TRAIN,
            needs_visa_letter=True,
            date_of_birth=date.fromisoformat(travel["date of birth"]),
            fewer_opportunities=True,
        )
        if on_event_a == registration:
            training_registration = on_training
    training_old_secret = training_registration.secret
    services.registration_regenerate_secret(registration=training_registration)
    project = Project.objects.create(
        slug="matrix-project",
        name="Matrix project",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 1, 1),
        coordinating_organisation=partner,
    )
    project.partners.add(partner, bystander_organisation)
    ProjectActivity.objects.create(
        project=project, event=training, type=ProjectActivity.Type.TRAINING
    )
    ProjectActivity.objects.create(
        project=project, event=draft, type=ProjectActivity.Type.MULTIPLIER
    )
    series = Series.objects.create(slug="matrix-series", name="Matrix series")
    SeriesEdition.objects.create(series=series, event=event)
    SeriesEdition.objects.create(series=series, event=draft)

    # event A's resources: slides not published yet, a published photo, and two upload
    # links for speakers (one revoked)
    resource = resource_services.resource_add(
        event=event,
        item=item,
        kind=Resource.Kind.SLIDES,
        titles={"en": UNPUBLISHED_RESOURCE},
        uploaded=SimpleUploadedFile("kappa.pdf", slides_pdf(UNPUBLISHED_RESOURCE, ["Kappa"])),
        actor=users[ORGANISER],
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (10, 120, 60)).save(buffer, "PNG")
    published_resource = resource_services.resource_add(
        event=event,
        item=None,
        kind=Resource.Kind.PHOTO,
        titles={"en": "Group photo"},
        uploaded=SimpleUploadedFile("group.png", buffer.getvalue()),
        actor=users[ORGANISER],
    )
    Resource.objects.filter(pk=published_resource.pk).update(published_at=timezone.now())
    published_resource.refresh_from_db()
    upload_tokens = {}
    for name in ("current", "revoked"):
        link = resource_services.upload_link_create(
            event=event,
            item=item,
            speaker=speaker,
            name=f"Speaker {name}",
            email=f"speaker.{name}@example.org",
            language="en",
            actor=users[ORGANISER],
        )
        message = OutgoingMessage.objects.filter(recipient=link.email).get()
        upload_tokens[name] = (link, re.search(r"/speakers/upload/([^/]+)/", message.body_text)[1])
    resource_services.upload_link_revoke(link=upload_tokens["revoked"][0])
    # event A's feedback survey, with an open answer the victim signed
    survey = Survey.objects.create(event=event, closes_at=event.ends_at + timedelta(days=30))
    survey_question = SurveyQuestion.objects.create(
        survey=survey, kind="text", label_en="What should change?"
    )
    signed = SurveyResponse.objects.create(
        survey=survey, organisation=partner, registration=registration
    )
    SurveyAnswer.objects.create(response=signed, question=survey_question, text="More breaks")
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
        draft_item=draft_item,
        speaker=speaker,
        draft_speaker=draft_speaker,
        question=question,
        quota=quota,
        broadcast=broadcast,
        message=message,
        job=job,
        victim_address=victim_address,
        victim_profile=victim_profile,
        organisers_group=organisers_group,
        training=training,
        training_secret=training_registration.secret,
        training_old_secret=training_old_secret,
        project=project,
        series=series,
        resource=resource,
        published_resource=published_resource,
        upload_link=upload_tokens["current"][0],
        upload_token=upload_tokens["current"][1],
        revoked_upload_token=upload_tokens["revoked"][1],
        survey_question=survey_question,
        api_token=api_services.api_token_create(
            user=users[ORGANISER], name="Matrix token", scopes=["registrations:read"]
        )[0],
    )


def remove_world(world: World) -> None:
    """Delete what ``build_world`` committed, so that the next test module starts from an
    empty database as usual."""
    events = [world.event.pk, world.other_event.pk, world.draft.pk, world.training.pk]
    world.project.delete()
    world.series.delete()
    hosts = list(Event.objects.filter(pk__in=events).values_list("host", "venue"))
    world.job.file.delete(save=False)
    for resource in Resource.objects.filter(event__in=events):
        resource_services.resource_delete(resource=resource)
    world.partner.logo.delete(save=False)
    Registration.objects.filter(event__in=events).delete()
    Event.objects.filter(pk__in=events).delete()
    Organisation.objects.filter(
        Q(pk__in=[host for host, _venue in hosts])
        | Q(pk=world.partner.pk)
        | Q(pk=world.bystander.organisation_id)
        | Q(coordinators__in=world.users.values())
    ).delete()
    Venue.objects.filter(pk__in=[venue for _host, venue in hosts]).delete()
    Speaker.objects.filter(pk__in=[world.speaker.pk, world.draft_speaker.pk]).delete()
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
    """The whole answer as text (the test client closes the response once it is read): a
    PDF's text and a workbook's cells, so that personal data is found in files too."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if kind.startswith(SPREADSHEET):
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for cells in sheet.iter_rows(values_only=True)
            for value in cells
            if value is not None
        )
    return content.decode("utf-8", errors="replace")


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlparse(response["Location"]).path.endswith("/login/")


def _is_refused(row: Row, response) -> bool:
    """403, 404 or a redirect to a login page; in the admin, only a redirect to the
    admin's own login page (the admin is the superusers')."""
    if row.name.startswith("admin:"):
        return response.status_code == 302 and urlparse(response["Location"]).path == reverse(
            "admin:login"
        )
    # 401: the API's answer without credentials
    return response.status_code in (401, 403, 404) or _is_login_redirect(response)


def _private_data(world: World) -> dict[str, str]:
    """What no outsider may receive: the personal data of the victim and of the
    bystander, and the draft's title."""
    return {
        **{f"the victim's {field}": value for field, value in VICTIM_DATA.items()},
        **{f"the bystander's {field}": value for field, value in BYSTANDER_DATA.items()},
        **{f"the victim's {what}": value for what, value in VICTIM_TRAVEL.items()},
        **{f"the bystander's {what}": value for what, value in BYSTANDER_TRAVEL.items()},
        "the victim's private link": world.secret,
        "the victim's private link to the training": world.training_secret,
        "the victim's calendar token": world.feed_secret,
        "the draft event's title": DRAFT_TITLE,
        "the draft's programme item": DRAFT_ITEM_TITLE,
        "the draft's speaker": DRAFT_SPEAKER,
        "event A's broadcast subject": EVENT_A_BROADCAST,
        "event A's email subject": EVENT_A_EMAIL,
        "event A's unpublished resource": UNPUBLISHED_RESOURCE,
    }


def _request(client, world: World, row: Row, method: str, role: str):
    user = world.users.get(OTHER_ORGANISER if role == OTHER_ORGANISER_OWN_EVENT else role)
    if user is not None:
        client.force_login(user)
    url = _url(row, world, role)
    if method == "POST":
        data = row.data(world)
        if isinstance(data, Resubmitted):
            data = {**_form_as_shown(world, _url(row, world, ORGANISER)), **data}
        return client.post(url, data)
    response = client.get(url, row.query(world))
    if row.follow_once and response.status_code == 302 and not _is_refused(row, response):
        return client.get(response["Location"])
    return response


def _state(world: World) -> dict[str, list]:
    """What a refused request must leave as it was: the victim's and the bystander's
    registrations, event A and its draft with their team, programme, quotas, questions
    and email settings, event A's venue and speaker, and the number of events."""
    events = [world.event.pk, world.draft.pk]
    people = [world.registration.pk, world.bystander.pk]
    in_events = {"event__in": events}
    return {
        "registrations": list(
            Registration.objects.filter(pk__in=people).order_by("pk").values("status", "secret")
        ),
        "events": list(Event.objects.filter(pk__in=events).order_by("pk").values()),
        "number of events": [Event.objects.count()],
        "organisers": list(
            Event.organisers.through.objects.filter(**in_events).order_by("pk").values()
        ),
        "programme": list(ProgrammeItem.objects.filter(**in_events).order_by("pk").values()),
        "quotas": list(Quota.objects.filter(**in_events).order_by("pk").values()),
        "questions": list(Question.objects.filter(**in_events).order_by("pk").values()),
        "email settings": list(NotificationSettings.objects.filter(**in_events).values()),
        "feedback survey": list(Survey.objects.filter(**in_events).values())
        + list(SurveyQuestion.objects.filter(survey__event__in=events).order_by("pk").values())
        + list(SurveyResponse.objects.filter(survey__event__in=events).values("pk")),
        "venue": list(Venue.objects.filter(pk=world.event.venue_id).values()),
        "speaker": list(Speaker.objects.filter(pk=world.speaker.pk).values()),
        "partner organisations": list(
            Organisation.objects.filter(
                pk__in=[world.partner.pk, world.bystander.organisation_id]
            ).values()
        ),
        "training's registrations": list(
            Registration.objects.filter(event=world.training).order_by("pk").values("status")
        ),
        "mobility settings": list(MobilitySettings.objects.filter(event=world.training).values()),
        "resources": list(Resource.objects.filter(**in_events).order_by("pk").values()),
        "upload links": list(UploadLink.objects.filter(**in_events).order_by("pk").values()),
        "travel details": list(
            MobilityDetails.objects.filter(registration__event=world.training)
            .order_by("pk")
            .values()
        ),
        "API tokens": list(ApiToken.objects.order_by("pk").values("pk", "revoked_at")),
    }


@pytest.mark.parametrize(("row", "method", "role"), list(_cases()))
def test_url_answers_each_role_as_classified(client, world, row, method, role):
    before = _state(world)
    bystander = Registration.objects.filter(pk=world.bystander.pk).values().get()
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
        if method == "POST" and isinstance(row.data(world), Resubmitted):
            # the form posted back with a field changed is accepted: what the refused
            # try, unchanged, would have done
            assert status == 302, f"the changed form should be saved: {where}"
            assert _state(world) != before, f"the changed form saved nothing: {where}"
    else:
        assert _is_refused(row, response), f"should be refused: {where}"
        after = _state(world)
        changed = [what for what in before if after[what] != before[what]]
        assert not changed, f"a refused request changed {', '.join(changed)}: {where}"
    if role == COORDINATOR:
        after = Registration.objects.filter(pk=world.bystander.pk).values().get()
        assert after == bystander, f"the coordinator changed the bystander's registration: {where}"

    if role in DATA_CHECKED or role == COORDINATOR:
        typed = row.data(world).values() if method == "POST" else ()
        for what, value in _private_data(world).items():
            sensitive = what in SENSITIVE and not world.event.coordinators_see_sensitive_data
            if role == COORDINATOR and not what.startswith("the bystander's") and not sensitive:
                continue  # the victim is of the coordinator's organisation
            if any(value.lower() in str(field).lower() for field in typed):
                continue  # the outsider typed it themselves
            assert value.lower() not in body.lower(), f"{what} in the page: {where}"
            assert value.lower() not in location.lower(), f"{what} in the redirect: {where}"


# --- a known email opens nothing ----------------------------------------------------------


@pytest.mark.parametrize("role", OUTSIDERS)
def test_a_known_email_gets_the_answer_of_a_new_one(client, world, role):
    """The public form posted with the victim's address (in capitals) answers exactly as
    with an address nobody used: a redirect to the same "check your email" page, the same
    page there, and the victim's registration unchanged."""
    if role in world.users:
        client.force_login(world.users[role])
    url = reverse("registrations:register", kwargs={"slug": world.event.slug})
    before = Registration.objects.filter(pk=world.registration.pk).values().get()
    known = client.post(url, attacker_form(world))
    new = client.post(url, {**attacker_form(world), "email": "someone.new@example.org"})
    assert known.status_code == new.status_code == 302
    sent = reverse("registrations:check_email", kwargs={"slug": world.event.slug})
    assert known["Location"] == new["Location"] == sent
    assert _body(client.get(known["Location"])) == _body(client.get(new["Location"]))
    assert Registration.objects.filter(pk=world.registration.pk).values().get() == before


# --- a new event is a copy of the team's own events only ---------------------------------


def test_another_teams_event_cannot_be_copied(client, world):
    """``setup:new`` lets ``other_organiser`` copy their own events only: posting event A
    or its draft as the source answers 400, creates nothing and names neither, while
    event A's organiser copies the same way."""
    copy = {
        "action": "copy",
        "copy-slug": "copied-by-its-team",
        "copy-first_day": (world.event.starts_at + timedelta(days=400)).date(),
    }
    url = reverse("setup:new")
    events = Event.objects.count()
    client.force_login(world.users[OTHER_ORGANISER])
    for source in (world.draft, world.event):
        response = client.post(url, {**copy, "copy-source": source.pk})
        assert response.status_code == 400
        body = _body(response)
        assert DRAFT_TITLE not in body
        assert DRAFT_ITEM_TITLE not in body
    assert Event.objects.count() == events

    client.force_login(world.users[ORGANISER])
    response = client.post(url, {**copy, "copy-source": world.draft.pk})
    assert response.status_code == 302
    assert Event.objects.count() == events + 1


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
    ("admin:registrations_registration_changelist", "", SUPERUSER, "the victim's email"),
    ("workspace:overview", "", ORGANISER, "the victim's accessibility_needs"),
    ("workspace:participants", "", COORDINATOR, "the victim's email"),
    ("events:detail", "draft", ORGANISER, "the draft event's title"),
    ("notifications:setup_email_preview", "", ORGANISER, "the victim's first_name"),
    ("notifications:setup_email_preview", "", SUPERUSER, "the victim's first_name"),
    ("setup:event", "draft", ORGANISER, "the draft event's title"),
    ("setup:programme", "draft", ORGANISER, "the draft's programme item"),
    ("setup:speakers", "", ORGANISER, "the draft's speaker"),
    ("mobility:details", "", HOLDER, "the victim's city of origin"),
    ("mobility:visa_letter", "", HOLDER, "the victim's last_name"),
    ("mobility:report_export", "", ORGANISER, "the victim's date of birth"),
    ("mobility:report_export", "", COORDINATOR, "the victim's city of origin"),
    ("mobility:rooming_export", "", ORGANISER, "the bystander's last_name"),
    ("mobility:visa_letters_export", "", COORDINATOR, "the victim's last_name"),
    ("mobility:project_overview", "", ORGANISER, "the draft event's title"),
    ("resources:setup", "", ORGANISER, "event A's unpublished resource"),
    ("resources:file", "unpublished", ORGANISER, "event A's unpublished resource"),
    ("evaluation:results", "", ORGANISER, "the victim's last_name"),
    ("evaluation:export", "", ORGANISER, "the victim's last_name"),
    ("evaluation:export", "xlsx", SUPERUSER, "the victim's last_name"),
    ("api:event_registrations", "", ORGANISER, "the victim's dietary_needs"),
    ("api:event_registrations", "", ORGANISER, "the bystander's last_name"),
    ("api:event_registrations", "", COORDINATOR, "the victim's email"),
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
    ("registrations:my_data", HOLDER),
    ("registrations:my_data_download", HOLDER),
    ("registrations:account_data", VICTIM),
    ("registrations:mine", VICTIM),
    ("registrations:profile", VICTIM),
    ("registrations:delegation", COORDINATOR),
    ("workspace:overview", ORGANISER),
    ("workspace:participants", ORGANISER),
    ("workspace:checkin_person", ORGANISER),
    ("workspace:export_download", ORGANISER),
    ("notifications:emails", ORGANISER),
    ("notifications:setup_email_preview", ORGANISER),
    ("mobility:details", HOLDER),
    ("mobility:overview", ORGANISER),
    ("mobility:report_export", ORGANISER),
    ("mobility:project_overview", ORGANISER),
    ("resources:speaker_upload", HOLDER),
    ("evaluation:answer", HOLDER),
    ("evaluation:results", ORGANISER),
    ("evaluation:export", ORGANISER),
    ("api:event_registrations", COORDINATOR),
    ("api_tokens:list", ORGANISER),
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

HOW_TO_CLASSIFY = """
How to classify a new URL: add a Row to ROWS in tests/test_permission_matrix.py, e.g.

    Row(
        "<the URL name>",
        EVENT_ORGANISER,  # who may reach it: one Rule below, or a new Rule(...)
        lambda world, role: {"slug": world.event.slug},  # its arguments: event A's objects
        methods=("GET", "POST"),  # GET, and POST for actions
        data=lambda world: {"field": "value"},  # what the form posts
        event_object=True,  # if it names event A by slug AND one of its objects by id
    ),

Rules: PUBLIC (anyone), LOGGED_IN (any account, its own data only), LINK_HOLDER (the
registration's private link; give kwargs=by_secret), FEED_HOLDER (kwargs=by_token),
EVENT_TEAM (event A's organisers and PA's coordinator), EVENT_ORGANISER (event A's
organisers only), JOB_OWNER, DECIDER, DELEGATION_COORDINATOR, DRAFT_PAGE (with
kwargs=by_draft_slug and variant="draft", for pages of an event that exist for drafts too).
The world (build_world) holds event A, its draft (with an item), its partner PA, the
victim's registration, a programme item, a speaker, a quota, a question, a broadcast, an
email and an export, and a training (``world.training``, with the victim's
``training_secret``) in a project (``world.project``) and a series (``world.series``); add
the object your URL needs there (and remove it in remove_world if it is not deleted with the
events). A page showing personal data also goes into PRIVATE_PAGES (no-store), and a page
where an entitled role must find the victim's data into WHERE_THE_DATA_BELONGS.
A setup page is EVENT_SETUP (SETUP_CREATOR for creating events); post its form with
data=changed(field="new value"): it is posted back as a superuser sees it with that field
changed, must be saved for the entitled and change nothing for the others. A GET's query
string goes in query=lambda world: {...}.
If today's code gets it wrong, add the row anyway and note the failing (name, method, role)
in DEFECTS with the reason: it is then a strict xfail until fixed.
Admin pages are classified by admin_rule: every model's pages are for superusers only;
a new model's object goes into ADMIN_OBJECTS.
"""


def _suggested_kwargs(route: str) -> str:
    """The arguments of a route, as a Row would build them from the world (a guess to
    correct)."""
    guesses = {
        "slug": "world.event.slug",
        "secret": "world.secret if role == HOLDER else world.old_secret",
        "token": "world.token if role == HOLDER else world.old_token",
        "pk": "world.registration.pk",
        "registration": "world.registration.uuid",
        "item": "world.item.pk",
        "job": "world.job.uuid",
        "organisation": "world.partner.slug",
    }
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    return ", ".join(f'"{name}": {guesses.get(name, "world.<the object>.pk")}' for name in names)


def test_every_url_is_classified():
    classified = {row.name for row in ALL_ROWS}
    missing = []
    for namespace, name, route in url_patterns():
        if namespace == "admin":
            continue  # classified by admin_rule, one row per pattern
        if name is None:
            missing.append(f"/{route} has no name: give it one, then classify it")
        elif name not in classified:
            kwargs = _suggested_kwargs(route)
            arguments = f", lambda world, role: {{{kwargs}}}" if kwargs else ""
            helpers = {"secret": "by_secret", "token": "by_token", "slug": "by_slug"}
            only = re.findall(r"<(?:\w+:)?(\w+)>", route)
            if len(only) == 1 and only[0] in helpers:
                arguments = f", {helpers[only[0]]}"
            missing.append(
                f"{name} (/{route}) is not classified; add to ROWS something like\n"
                f'    Row("{name}", <Rule>{arguments}, methods=("GET",)),'
            )
    assert not missing, "\n".join([*missing, HOW_TO_CLASSIFY])


def test_every_classified_url_exists():
    names = {name for _namespace, name, _route in url_patterns() if name}
    stale = [row.name for row in ROWS if row.name not in names]
    assert not stale, f"classified but gone: {stale}; remove them from ROWS"
    marked = [
        *(name for name, _method, _role in DEFECTS),
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
