"""The application's URLs, plus the floor view the registration benchmark compares with.

``config.urls`` uses ``i18n_patterns``, which only works in the root URLconf: its list is
reused here rather than ``include()``d.
"""

from django.urls import path

from config.urls import urlpatterns as application_urlpatterns

from .floor import floor, minimum

urlpatterns = [
    path("floor/", floor, name="bench_floor"),
    path("floor/minimum/<int:event_id>/", minimum, name="bench_minimum"),
    *application_urlpatterns,
]
