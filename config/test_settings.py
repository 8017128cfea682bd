"""Settings for the test suite: the real settings, with test-only conveniences.

``DATABASE_URL`` and ``REDIS_URL`` still choose the database and the broker, so the same
suite runs on the embedded default and against PostgreSQL and Redis.
"""

import os
from pathlib import Path

# Tests keep their files (SQLite test database, broker folders, cache) apart from a
# development server running on the same checkout.
os.environ.setdefault("VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the app folders, as runserver does; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Live-server tests speak plain HTTP on localhost: cookies cannot be HTTPS-only there.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
