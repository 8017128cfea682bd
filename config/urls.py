from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from events.views import network_css, network_logo

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("network.css", network_css, name="network_css"),
    path("network/logo", network_logo, name="network_logo"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # before the workspace's "<slug>/" pages: "workspace/organisations/" is the network's
    path("", include("network.urls")),
    path("", include("registrations.urls")),
    # before the workspace's <slug>/ pages: "api-tokens" and "embed" are no event
    path("workspace/", include("api.workspace_urls")),
    path("", include("api.widget_urls")),
    path("workspace/", include("events.setup_urls")),
    path("", include("mobility.urls")),
    path("workspace/", include("registrations.workspace_urls")),
    path("workspace/", include("notifications.urls")),
    path("", include("resources.urls")),
    path("", include("evaluation.urls")),
    path("", include("events.urls")),
)
