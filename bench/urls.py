"""The application's URLs, plus the floor views the benchmarks compare with.

``config.urls`` uses ``i18n_patterns``, which only works in the root URLconf: its list is
reused here rather than ``include()``d.
"""

from django.urls import path

from config.urls import urlpatterns as application_urlpatterns

from .floor import floor, minimum, public_floor

urlpatterns = [
    path("floor/", floor, name="bench_floor"),
    path("floor/minimum/<int:event_id>/", minimum, name="bench_minimum"),
    path("floor/public/<slug:name>/", public_floor, name="bench_public_floor"),
    *application_urlpatterns,
]
