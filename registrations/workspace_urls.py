from django.urls import path

from . import workspace

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
]
