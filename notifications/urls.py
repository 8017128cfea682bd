from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("<slug:slug>/write/", views.write, name="write"),
    path("<slug:slug>/messages/<int:pk>/", views.broadcast_progress, name="broadcast"),
    path("<slug:slug>/emails/", views.email_log, name="emails"),
    path("<slug:slug>/emails/<int:pk>/resend/", views.resend, name="resend"),
]
