"""The rate limit holds when many requests arrive at the same instant: real HTTP requests,
each in its own thread of a live server, on the configured database and cache (Redis
when ``REDIS_URL`` is set)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.request import Request

from api import services
from api.throttling import AnonymousThrottle

from ..factories import UserFactory
from ..http import Browser

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 30
RATE = 10


@pytest.fixture
def shared_cache(settings):
    """The configured cache for rate limits, as it is: Redis when ``REDIS_URL`` is set,
    else the embedded default's (the local-memory cache, atomic between the threads of
    one process, such as the live server's)."""
    # A window of a day: the burst cannot straddle two windows (unless run at midnight).
    seconds_to_midnight = 86400 - time.time() % 86400
    if seconds_to_midnight < 60:
        time.sleep(seconds_to_midnight + 1)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": f"{RATE}/day", "token": f"{RATE}/day"},
    }


def burst(live_server, path, headers=None) -> list[int]:
    """Every client sends the same request at the same instant; their status codes."""
    barrier = threading.Barrier(CLIENTS)

    def one(_n):
        browser = Browser(live_server.url)
        browser.opener.addheaders = list((headers or {}).items())
        barrier.wait(timeout=60)
        return browser.get(path)[0]

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(CLIENTS)))


def test_parallel_anonymous_requests_get_exactly_the_rate(live_server, shared_cache):
    statuses = burst(live_server, "/api/v1/events/")
    assert sorted(statuses) == [200] * RATE + [429] * (CLIENTS - RATE)
    # and the address stays refused
    assert Browser(live_server.url).get("/api/v1/events/")[0] == 429


def test_parallel_requests_with_one_token_get_exactly_the_rate(live_server, shared_cache):
    key = services.api_token_create(user=UserFactory(), name="script", scopes=[])[1]
    statuses = burst(live_server, "/api/v1/events/", {"Authorization": f"Bearer {key}"})
    assert sorted(statuses) == [200] * RATE + [429] * (CLIENTS - RATE)


def test_the_count_is_exact_under_contention(shared_cache, rf):
    """Many threads counting against one address as fast as they can, the way a busy
    server's workers do: exactly the rate is let through."""
    request = Request(rf.get("/api/v1/events/", REMOTE_ADDR="192.0.2.44"))
    request.user = AnonymousUser()
    threads, calls = 8, 40
    start = threading.Barrier(threads)

    def count(_n):
        start.wait(timeout=60)
        return sum(AnonymousThrottle().allow_request(request, None) for _ in range(calls))

    with ThreadPoolExecutor(threads) as pool:
        allowed = sum(pool.map(count, range(threads)))
    assert allowed == RATE
