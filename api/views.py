"""The REST API: public reads of events, programmes and listed organisations, and the
organisers' read of their event's registrations (tokens with a scope, or their session).

Thin views: the selectors decide what is visible (``events.selectors`` for the public,
``registrations.selectors`` for participants, exactly as in the workspace)."""

import re

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.privacy import no_store
from events import selectors as event_selectors
from events.models import Event
from registrations import selectors as registration_selectors
from registrations.models import Registration

from . import selectors
from .authentication import ApiTokenAuthentication
from .permissions import HasScope
from .serializers import (
    EventDetailSerializer,
    EventSerializer,
    OrganisationSerializer,
    RegistrationSerializer,
    ResourceSerializer,
)
from .throttling import TooManyRequests

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=LANGUAGES,
    description=(
        "The language of translated texts; without it, the Accept-Language header. A text "
        "missing in that language falls back to the event's own language."
    ),
)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


INVALID = OpenApiResponse(
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="A parameter is not valid: its name, with what is wrong.",
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Not found (or not yours to read).")
NO_PAGE = OpenApiResponse(ErrorSerializer, description="No such page of results.")
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests: wait and retry.")
REFUSED = OpenApiResponse(ErrorSerializer, description="No valid API key, or not this scope.")


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        """DRF writes ``next``/``previous`` as OpenAPI 3.0 (``nullable: true``); the
        schema is OpenAPI 3.1 (JSON Schema), where null is a type of its own."""
        paginated = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            field = dict(paginated["properties"][link])
            if field.pop("nullable", False):
                field["type"] = [field["type"], "null"]
            paginated["properties"][link] = field
        return paginated


class LanguageMixin:
    """``?lang=xx`` chooses the language of the answer (LocaleMiddleware has already read
    Accept-Language); the answer says it in Content-Language. Any other value of ``lang``
    answers 400 (after the rate limits: refused calls count too). A 429 says how long to
    wait in that language (``TooManyRequests``)."""

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language in LANGUAGES:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)
        if language is not None and language not in LANGUAGES:
            raise serializers.ValidationError(
                {"lang": [_("Unknown language: choose one of %s.") % ", ".join(LANGUAGES)]}
            )

    def throttled(self, request, wait):
        raise TooManyRequests(wait)


class PublicView(LanguageMixin):
    """The same answer for everyone: no session is read (a draft's organiser gets no
    draft here). An API token, if sent, is checked and counts its calls on its own
    (``TokenThrottle``) instead of the address's."""

    authentication_classes = (ApiTokenAuthentication,)
    permission_classes = (AllowAny,)


@extend_schema_view(
    get=extend_schema(
        summary="Public events",
        responses={
            200: EventSerializer(many=True),
            400: INVALID,
            404: NO_PAGE,
            429: THROTTLED,
        },
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter(
                "when",
                str,
                enum=["upcoming", "past", "all"],
                description="upcoming (default): not yet ended, soonest first; past: latest "
                "first; all: in time order.",
            ),
            OpenApiParameter("kind", str, enum=[kind for kind, _label in Event.Kind.choices]),
            OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code"),
            OpenApiParameter(
                "organisation",
                str,
                description="An organisation's slug: events it hosts or co-organises.",
            ),
        ],
    )
)
class EventList(PublicView, generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = Pages

    def get_queryset(self):
        query = self.request.query_params
        when = query.get("when", "upcoming")
        kind = query.get("kind", "")
        country = query.get("country", "").upper()
        errors = {}
        if when not in ("upcoming", "past", "all"):
            errors["when"] = [_("Choose upcoming, past or all.")]
        if kind and kind not in Event.Kind.values:
            errors["kind"] = [_("Unknown kind of event.")]
        if country and country not in countries:
            errors["country"] = [_("Unknown country code.")]
        organisation = query.get("organisation", "")
        if organisation and not SLUG.fullmatch(organisation):
            errors["organisation"] = [_("No such organisation.")]
        if errors:
            raise serializers.ValidationError(errors)
        return selectors.public_events(
            when=when, kind=kind, country=country, organisation=organisation
        )


@extend_schema_view(
    get=extend_schema(
        summary="One public event with its programme",
        parameters=[LANG_PARAMETER],
        responses={200: EventDetailSerializer, 400: INVALID, 404: NOT_FOUND, 429: THROTTLED},
    )
)
class EventDetail(PublicView, generics.RetrieveAPIView):
    serializer_class = EventDetailSerializer

    def get_object(self):
        try:
            event = selectors.public_event(slug=self.kwargs["slug"])
        except Event.DoesNotExist:
            raise Http404(_("No such event.")) from None
        event.days = event_selectors.programme_days(event=event)
        event.public_resources, by_item = selectors.public_resources_by_item(event=event)
        for day in event.days:
            for slot in day.slots:
                for item in slot.items:
                    item.public_resources = by_item.get(item.pk, [])
        return event


@extend_schema_view(
    get=extend_schema(
        summary="An event's published resources",
        description=(
            "Slides, reports, photos, links and other documents its organisers published "
            "(after the event), for the whole event or one programme item, in programme "
            "order. Files are downloaded from `url`. A draft or unknown event answers 404."
        ),
        parameters=[LANG_PARAMETER],
        responses={
            200: ResourceSerializer(many=True),
            400: INVALID,
            404: NOT_FOUND,
            429: THROTTLED,
        },
    )
)
class EventResources(PublicView, generics.ListAPIView):
    serializer_class = ResourceSerializer
    pagination_class = Pages

    def get_queryset(self):
        try:
            event = selectors.public_event(slug=self.kwargs["slug"])
        except Event.DoesNotExist:
            raise Http404(_("No such event.")) from None
        return selectors.public_resources(event=event)


@extend_schema_view(
    get=extend_schema(
        summary="The organisations listed in the network's directory",
        description="Only the organisations that agreed to be listed.",
        responses={
            200: OrganisationSerializer(many=True),
            400: INVALID,
            404: NO_PAGE,
            429: THROTTLED,
        },
        parameters=[LANG_PARAMETER],
    )
)
class OrganisationList(PublicView, generics.ListAPIView):
    serializer_class = OrganisationSerializer
    pagination_class = Pages

    def get_queryset(self):
        return selectors.listed_organisations()


@extend_schema_view(
    get=extend_schema(
        summary="One listed organisation",
        parameters=[LANG_PARAMETER],
        responses={200: OrganisationSerializer, 400: INVALID, 404: NOT_FOUND, 429: THROTTLED},
    )
)
class OrganisationDetail(PublicView, generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.listed_organisations()

    def get_object(self):
        organisation = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if organisation is None:
            raise Http404(_("No such organisation."))
        return organisation


@extend_schema_view(
    get=extend_schema(
        summary="An event's registrations (its organisers and partner coordinators)",
        description=(
            "The rows the workspace's participant list shows this user: everyone for the "
            "event's organisers, their own organisation's people for a partner "
            "coordinator. Dietary and accessibility needs are null unless the workspace "
            "shows them to this user. Needs a token with the scope `registrations:read` "
            "(or the user's own session). An event this user may not read answers 404."
        ),
        responses={
            200: RegistrationSerializer(many=True),
            400: INVALID,
            401: REFUSED,
            403: REFUSED,
            404: NOT_FOUND,
            429: THROTTLED,
        },
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter(
                "status",
                str,
                many=True,
                explode=True,
                enum=Registration.Status.values,
                description="Only these statuses (repeat the parameter for several).",
            ),
        ],
    )
)
class EventRegistrations(LanguageMixin, generics.ListAPIView):
    """Rate limits are checked before the permissions: refused calls count too."""

    serializer_class = RegistrationSerializer
    pagination_class = Pages
    permission_classes = (HasScope,)
    required_scope = "registrations:read"

    def check_permissions(self, request):
        self.check_throttles(request)
        self._throttled = True
        super().check_permissions(request)

    def check_throttles(self, request):
        if not getattr(self, "_throttled", False):
            super().check_throttles(request)

    def _event_and_access(self):
        if not hasattr(self, "_access"):
            event = Event.objects.select_related("venue", "host").filter(slug=self.kwargs["slug"])
            event = event.first()
            access = (
                registration_selectors.workspace_access(user=self.request.user, event=event)
                if event
                else None
            )
            if access is None:
                raise Http404(_("No such event."))
            self._event, self._access = event, access
        return self._event, self._access

    def get_queryset(self):
        event, access = self._event_and_access()
        statuses = self.request.query_params.getlist("status")
        unknown = [status for status in statuses if status not in Registration.Status.values]
        if unknown:
            raise serializers.ValidationError({"status": [_("Unknown status.")]})
        filters = registration_selectors.ParticipantFilter(statuses=statuses)
        return registration_selectors.participant_list(
            access=access, event=event, filters=filters
        ).prefetch_related("workshop_choices__item__event", "attendances")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return {**context, "sensitive": False}
        event, access = self._event_and_access()
        return {**context, "sensitive": access.sees_sensitive_data, "event": event}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return no_store(response)


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files: no CDN, no inline script
    or style (the site's Content-Security-Policy). Not rate-limited, like the schema."""

    template_name = "api/swagger_ui.html"
    authentication_classes = ()
    throttle_classes = ()


class Schema(SpectacularAPIView):
    """The published schema: no credentials read, not rate-limited."""

    authentication_classes = ()
    throttle_classes = ()


@extend_schema(exclude=True)
class NotFound(PublicView, APIView):
    """Any other address under /api/: a JSON 404, like the API's own (not the site's
    HTML page)."""

    def _answer(self, request, *args, **kwargs):
        raise Http404(_("Nothing here: the API’s addresses are listed at /api/docs/."))

    get = post = put = patch = delete = head = options = _answer
