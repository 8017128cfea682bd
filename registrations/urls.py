from django.urls import path

from . import personal_data_views, views

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
    path("r/<str:secret>/my-data/", personal_data_views.my_data, name="my_data"),
    path(
        "r/<str:secret>/my-data.json",
        personal_data_views.my_data_download,
        name="my_data_download",
    ),
    path("privacy/", personal_data_views.privacy, name="privacy"),
    path("privacy/erased/", personal_data_views.data_erased, name="data_erased"),
    path("my/data.json", personal_data_views.account_data_download, name="account_data"),
    path("my/account/delete/", personal_data_views.account_delete, name="account_delete"),
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
