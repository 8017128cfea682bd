from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("network/", views.directory, name="directory"),
    path("network/map.json", views.map_data, name="map_data"),
    path("network/<slug:slug>/", views.organisation, name="organisation"),
    path("network/<slug:slug>/logo/", views.logo, name="logo"),
    path("workspace/organisations/", views.entries, name="entries"),
    path("workspace/organisations/<slug:slug>/", views.entry_edit, name="entry"),
]
