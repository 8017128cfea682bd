from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/register/sent/", views.check_email, name="check_email"),
    path("r/<str:secret>/", views.manage, name="manage"),
    path("r/<str:secret>/register-again/", views.reopen, name="reopen"),
    path("r/<str:secret>/cancel/", views.cancel, name="cancel"),
    path("r/<str:secret>/new-link/", views.reset_link, name="reset_link"),
    path("r/<str:secret>/details/", views.confirm_details, name="confirm_details"),
    path("r/<str:secret>/attendees/", views.attendee_list, name="attendees"),
    path("r/<str:secret>/new-calendar/", views.reset_feed, name="reset_feed"),
    path("calendar/personal/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("my/registrations/", views.my_registrations, name="mine"),
    path("my/profile/", views.profile, name="profile"),
    path("coordinator/", views.coordinator_home, name="coordinator"),
    path(
        "coordinator/<slug:organisation>/<slug:slug>/",
        views.delegation,
        name="delegation",
    ),
    path(
        "registrations/<int:pk>/<str:decision>/",
        views.decide,
        name="decide",
    ),
]
