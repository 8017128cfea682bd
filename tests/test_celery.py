import uuid

import pytest
from django.core.cache import cache

from config.celery import app, ping

from .workers import celery_worker, purge_broker, wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_travels_through_the_configured_broker_to_a_real_worker():
    purge_broker()
    token = uuid.uuid4().hex
    key = f"rencontres:ping:{token}"
    cache.delete(key)
    assert not app.conf.task_always_eager
    with celery_worker() as worker:
        ping.delay(token)
        assert wait_for(lambda: cache.get(key), timeout=60, what="the worker's pong") == "pong"
        assert worker.poll() is None, "the worker must still be running"


def test_the_broker_is_the_one_the_environment_asks_for(settings):
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
    else:
        assert app.conf.broker_url.startswith("filesystem://")


def test_publishing_a_task_logs_no_warning_about_the_brokers_host(caplog):
    """kombu warned "No hostname was supplied" after every registration on the embedded
    broker (the URL had no host): publishing says nothing now."""
    with app.connection_for_write() as connection:
        connection.clone().info()
    assert not [record for record in caplog.records if record.levelname == "WARNING"]
