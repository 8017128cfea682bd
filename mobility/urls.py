from django.urls import path

from . import views

app_name = "mobility"

urlpatterns = [
    path("r/<str:secret>/mobility/", views.details, name="details"),
    path("workspace/<slug:slug>/mobility/", views.overview, name="overview"),
    path("workspace/<slug:slug>/mobility/settings/", views.settings_update, name="settings"),
    path("workspace/<slug:slug>/mobility/lock/", views.lock, name="lock"),
    path("workspace/<slug:slug>/mobility/report.xlsx", views.report_export, name="report_export"),
    path(
        "workspace/<slug:slug>/mobility/rooming.xlsx", views.rooming_export, name="rooming_export"
    ),
    path(
        "workspace/<slug:slug>/mobility/arrivals.xlsx",
        views.arrivals_export,
        name="arrivals_export",
    ),
]
