"""Settings for the benchmarks: the production settings, plus the floor views' URLs.

The server is reached over plain HTTP on 127.0.0.1, so cookies are not marked Secure
(the bench client sends them back either way; this only keeps the setup honest).
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_SECURE = False
