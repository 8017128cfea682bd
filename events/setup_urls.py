"""The events app's setup pages, under the workspace (``/<lang>/workspace/...``)."""

from django.urls import path

from . import setup_views as views

app_name = "setup"
VENUE, SPEAKER = {"shared": views.VENUE}, {"shared": views.SPEAKER}

urlpatterns = [
    path("new/", views.event_new, name="new"),
    path("<slug:slug>/setup/", views.event_settings, name="event"),
    path("<slug:slug>/setup/texts/", views.event_texts, name="texts"),
    path("<slug:slug>/setup/publish/", views.event_publish, name="publish"),
    path("<slug:slug>/setup/unpublish/", views.event_unpublish, name="unpublish"),
    path("<slug:slug>/setup/programme/", views.programme, name="programme"),
    path("<slug:slug>/setup/programme/add/", views.item_edit, name="item_add"),
    path("<slug:slug>/setup/programme/<int:item>/", views.item_edit, name="item"),
    path("<slug:slug>/setup/programme/<int:item>/cancel/", views.item_cancel, name="item_cancel"),
    path("<slug:slug>/setup/programme/<int:item>/delete/", views.item_delete, name="item_delete"),
    path("<slug:slug>/setup/programme/announce/", views.changes_announce, name="announce"),
    path("<slug:slug>/setup/venues/", views.shared_list, VENUE, name="venues"),
    path("<slug:slug>/setup/venues/add/", views.shared_edit, VENUE, name="venue_add"),
    path("<slug:slug>/setup/venues/<int:venue>/", views.shared_edit, VENUE, name="venue"),
    path("<slug:slug>/setup/speakers/", views.shared_list, SPEAKER, name="speakers"),
    path("<slug:slug>/setup/speakers/add/", views.shared_edit, SPEAKER, name="speaker_add"),
    path("<slug:slug>/setup/speakers/<int:speaker>/", views.shared_edit, SPEAKER, name="speaker"),
]
