"""Celery application.

The broker only carries "send these rows now" messages, never the source of truth: work
that must not be lost is written to the database first (see notifications' outbox) and the
periodic tasks pick up anything a lost message left behind.

Without ``REDIS_URL`` the broker is kombu's ``filesystem://`` transport: queues are files
under ``var/broker/``, so a real worker and beat run on a machine with nothing installed.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rencontres")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(**_kwargs) -> None:
    """What Django does around a request: keep the database connection for the next task
    (CELERY_DB_REUSE_MAX stops Celery's fixup from closing it), unless it is older than
    CONN_MAX_AGE or broke."""
    from django.db import close_old_connections

    close_old_connections()


@app.task(name="rencontres.ping")
def ping(token: str) -> str:
    """Round trip through the broker: a worker writes ``token`` to the shared cache."""
    from django.core.cache import cache

    cache.set(f"rencontres:ping:{token}", "pong", timeout=300)
    return token
