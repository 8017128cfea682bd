from django.urls import path

from . import setup_views, workspace

app_name = "workspace"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("<slug:slug>/", workspace.overview, name="overview"),
    path("<slug:slug>/participants/", workspace.participant_list, name="participants"),
    path("<slug:slug>/participants/bulk/", workspace.bulk, name="bulk"),
    path("<slug:slug>/workshops/<int:item>/", workspace.workshop_list, name="workshop"),
    path("<slug:slug>/export/", workspace.export, name="export"),
    path("<slug:slug>/export/presets/", workspace.presets, name="presets"),
    path("<slug:slug>/exports/<uuid:job>/", workspace.export_job, name="export_job"),
    path(
        "<slug:slug>/exports/<uuid:job>/download/",
        workspace.export_download,
        name="export_download",
    ),
    path("<slug:slug>/checkin/", workspace.checkin, name="checkin"),
    path(
        "<slug:slug>/checkin/<uuid:registration>/", workspace.checkin_person, name="checkin_person"
    ),
    # Setting up the registration (organisers only): registrations/setup_views.py
    path(
        "<slug:slug>/setup/registration/",
        setup_views.registration_settings,
        name="setup_registration",
    ),
    path(
        "<slug:slug>/setup/registration/waiting-list/",
        setup_views.waiting_list_promote,
        name="setup_waiting_list",
    ),
    path("<slug:slug>/setup/quotas/", setup_views.quotas, name="setup_quotas"),
    path("<slug:slug>/setup/quotas/<int:pk>/", setup_views.quota_edit, name="setup_quota"),
    path(
        "<slug:slug>/setup/quotas/<int:pk>/delete/",
        setup_views.quota_delete,
        name="setup_quota_delete",
    ),
    path("<slug:slug>/setup/questions/", setup_views.questions, name="setup_questions"),
    path("<slug:slug>/setup/questions/new/", setup_views.question_add, name="setup_question_add"),
    path("<slug:slug>/setup/questions/<int:pk>/", setup_views.question_edit, name="setup_question"),
    path(
        "<slug:slug>/setup/questions/<int:pk>/delete/",
        setup_views.question_delete,
        name="setup_question_delete",
    ),
]
