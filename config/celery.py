"""Celery application.

The broker is a doorbell, never the source of truth: work that must not be lost is written
to the database first (see notifications' outbox) and the periodic tasks pick up anything
a lost message left behind.

Without ``REDIS_URL`` the broker is kombu's ``filesystem://`` transport: queues are files
under ``var/broker/``, so a real worker and beat run on a machine with nothing installed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rencontres")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="rencontres.ping")
def ping(token: str) -> str:
    """Round trip through the broker: a worker writes ``token`` to the shared cache."""
    from django.core.cache import cache

    cache.set(f"rencontres:ping:{token}", "pong", timeout=300)
    return token
