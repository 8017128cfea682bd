from django.urls import path

from . import views

app_name = "mobility"

urlpatterns = [
    path("projects/<slug:slug>/", views.project_page, name="project"),
    path("series/<slug:slug>/", views.series_page, name="series"),
    path("projects/<slug:slug>/overview/", views.project_overview, name="project_overview"),
    path(
        "projects/<slug:slug>/report.xlsx",
        views.project_report_export,
        name="project_report_export",
    ),
    path("r/<str:secret>/mobility/", views.details, name="details"),
    path("r/<str:secret>/mobility/visa-letter.pdf", views.visa_letter, name="visa_letter"),
    path("r/<str:secret>/certificate.pdf", views.certificate, name="certificate"),
    path("workspace/<slug:slug>/mobility/", views.overview, name="overview"),
    path("workspace/<slug:slug>/setup/mobility/", views.setup, name="setup"),
    path("workspace/<slug:slug>/mobility/lock/", views.lock, name="lock"),
    path(
        "workspace/<slug:slug>/mobility/people/<uuid:registration>/",
        views.person_details,
        name="person",
    ),
    path("workspace/<slug:slug>/mobility/report.xlsx", views.report_export, name="report_export"),
    path(
        "workspace/<slug:slug>/mobility/youthpass.xlsx",
        views.youthpass_export,
        name="youthpass_export",
    ),
    path(
        "workspace/<slug:slug>/mobility/rooming.xlsx", views.rooming_export, name="rooming_export"
    ),
    path(
        "workspace/<slug:slug>/mobility/arrivals.xlsx",
        views.arrivals_export,
        name="arrivals_export",
    ),
    path(
        "workspace/<slug:slug>/mobility/certificates.pdf",
        views.certificates_export,
        name="certificates_export",
    ),
    path(
        "workspace/<slug:slug>/mobility/visa-letters.pdf",
        views.visa_letters_export,
        name="visa_letters_export",
    ),
]
