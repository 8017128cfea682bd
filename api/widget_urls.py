"""The embeddable widget, under the language prefix: ``/pt/widget/events/``."""

from django.urls import path

from . import widget_views

app_name = "widget"

urlpatterns = [
    path("widget/events/", widget_views.network_events, name="events"),
    path(
        "widget/organisations/<slug:slug>/",
        widget_views.organisation_events,
        name="organisation",
    ),
    path("widget/events/<slug:slug>/", widget_views.event_programme, name="event"),
]
