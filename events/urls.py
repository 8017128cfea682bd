from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("events/past/", views.past_event_list, name="past"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
]
