"""``/healthz``: is the database answering, and is the broker reachable?"""

import os
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # raw SQL: a round trip that reads no table
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except redis.RedisError:
            return False
    if url.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        folders = [Path(options["data_folder_in"]), Path(options["control_folder"])]
        return all(folder.is_dir() and os.access(folder, os.W_OK) for folder in folders)
    return False


@never_cache
def healthz(request):
    checks = {
        "database": "ok" if database_ok() else "unavailable",
        "broker": "ok" if broker_ok() else "unavailable",
    }
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
