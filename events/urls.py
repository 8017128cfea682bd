from django.urls import path

from . import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("events/past/", views.past_event_list, name="past"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/places/", views.event_places, name="places"),
    path("calendar/rencontres.ics", feeds.network_feed, name="network_feed"),
    path("calendar/events/<slug:slug>.ics", feeds.event_feed, name="event_feed"),
    path(
        "calendar/organisations/<slug:slug>.ics",
        feeds.organisation_feed,
        name="organisation_feed",
    ),
]
