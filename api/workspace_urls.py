"""The workspace's pages for the API and the widget (``/<lang>/workspace/...``)."""

from django.urls import path

from . import workspace_views

app_name = "api_tokens"

urlpatterns = [
    path("api-tokens/", workspace_views.tokens, name="list"),
    path("api-tokens/<int:pk>/revoke/", workspace_views.token_revoke, name="revoke"),
    path("embed/", workspace_views.embed, name="embed"),
]
