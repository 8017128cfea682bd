"""The REST API, at ``/api/`` (no language prefix: ``?lang=`` or Accept-Language)."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("v1/events/", views.EventList.as_view(), name="events"),
    path("v1/events/<slug:slug>/", views.EventDetail.as_view(), name="event"),
    path(
        "v1/events/<slug:slug>/registrations/",
        views.EventRegistrations.as_view(),
        name="event_registrations",
    ),
    path(
        "v1/events/<slug:slug>/resources/",
        views.EventResources.as_view(),
        name="event_resources",
    ),
    path("v1/organisations/", views.OrganisationList.as_view(), name="organisations"),
    path(
        "v1/organisations/<slug:slug>/",
        views.OrganisationDetail.as_view(),
        name="organisation",
    ),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", views.ApiDocs.as_view(url_name="api:schema"), name="docs"),
    # last: any other address under /api/ answers a JSON 404
    re_path(r"^(?P<rest>.*)$", views.NotFound.as_view(), name="not_found"),
]
