from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from events.views import network_css, network_logo

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("network.css", network_css, name="network_css"),
    path("network/logo", network_logo, name="network_logo"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("registrations.urls")),
    path("workspace/", include("events.setup_urls")),
    path("", include("mobility.urls")),
    path("workspace/", include("registrations.workspace_urls")),
    path("workspace/", include("notifications.urls")),
    path("", include("events.urls")),
)
