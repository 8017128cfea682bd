from django.urls import path

from . import setup_views, views

app_name = "notifications"

urlpatterns = [
    path("<slug:slug>/write/", views.write, name="write"),
    path("<slug:slug>/messages/<int:pk>/", views.broadcast_progress, name="broadcast"),
    path("<slug:slug>/emails/", views.email_log, name="emails"),
    path("<slug:slug>/emails/<int:pk>/resend/", views.resend, name="resend"),
]

# Setting up the event's emails (organisers only): notifications/setup_views.py
urlpatterns += [
    path("<slug:slug>/setup/emails/", setup_views.email_setup, name="setup_emails"),
    path(
        "<slug:slug>/setup/emails/preview/",
        setup_views.email_preview,
        name="setup_email_preview",
    ),
]
