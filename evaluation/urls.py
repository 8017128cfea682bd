"""The survey's pages: setup and results under the workspace, the survey itself under
the participant's private link."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("r/<str:secret>/feedback/", views.answer, name="answer"),
    path("workspace/<slug:slug>/setup/feedback/", views.setup, name="setup"),
    path(
        "workspace/<slug:slug>/setup/feedback/questions/new/",
        views.question_add,
        name="question_add",
    ),
    path(
        "workspace/<slug:slug>/setup/feedback/questions/<int:pk>/",
        views.question_edit,
        name="question",
    ),
    path(
        "workspace/<slug:slug>/setup/feedback/questions/<int:pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("workspace/<slug:slug>/feedback/", views.results, name="results"),
    path(
        "workspace/<slug:slug>/feedback/results.<str:format>",
        views.export,
        name="export",
    ),
]
