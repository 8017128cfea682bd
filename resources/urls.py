"""Resources: the organisers' setup pages (under the workspace), a speaker's upload page
(by the secret of their link) and the files."""

from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("workspace/<slug:slug>/setup/resources/", views.setup, name="setup"),
    path("workspace/<slug:slug>/setup/resources/publish/", views.publish, name="publish"),
    path("workspace/<slug:slug>/setup/resources/<int:pk>/", views.edit, name="edit"),
    path("workspace/<slug:slug>/setup/resources/<int:pk>/delete/", views.delete, name="delete"),
    path(
        "workspace/<slug:slug>/setup/resources/<int:pk>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("workspace/<slug:slug>/setup/resources/links/", views.links, name="links"),
    path(
        "workspace/<slug:slug>/setup/resources/links/<int:pk>/revoke/",
        views.link_revoke,
        name="link_revoke",
    ),
    path("speakers/upload/<str:token>/", views.speaker_upload, name="speaker_upload"),
    path("resources/<int:pk>/file/", views.resource_file, name="file"),
    path("resources/<int:pk>/thumbnail/", views.resource_thumbnail, name="thumbnail"),
]
