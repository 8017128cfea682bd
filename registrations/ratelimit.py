"""Rate limits of the public registration form, per IP address and per email address.

Fixed windows counted with atomic increments: no lock, so a burst of honest people
registering at the same moment is never refused for contention (allauth's own limiter
takes a cache lock per key and refuses when it cannot get it in time, which is right for
logins but not for a form that many people send at once).

With Redis (``REDIS_URL``) every counter of an attempt is created and incremented in one
round trip (a pipeline of ``SET NX EX`` and ``INCR``); otherwise through Django's cache
(the file cache of the embedded default), which every process shares too.

While Redis does not answer, attempts are not counted and are let through (logged): the
limits keep a stranger from flooding an address, which matters less than letting people
register during an outage of a service that is not the source of truth.
"""

import hashlib
import logging
import re
import time
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^(\d+)/(\d*)([smhd])/(ip|key)$")
PREFIX = "rencontres:rl:register"
logger = logging.getLogger(__name__)


def parse(spec: str) -> list[tuple[int, int, str]]:
    """``"30/10m/ip,5/10m/key"`` -> ``[(30, 600, "ip"), (5, 600, "key")]``."""
    rates = []
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        match = _RATE.match(part)
        if not match:
            raise ValueError(f"not a rate: {part!r} (use e.g. 30/10m/ip or 5/h/key)")
        amount, count, unit, per = match.groups()
        rates.append((int(amount), int(count or 1) * _UNITS[unit], per))
    return rates


@memoize
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def _count_in_cache(key: str, duration: int) -> int:
    """Add one to the counter of this window; it is created by the first attempt."""
    for _attempt in range(3):
        try:
            return cache.incr(key)
        except ValueError:  # no counter yet in this window (or it just expired)
            if cache.add(key, 1, timeout=duration):
                return 1
    return 1


def _counts(windows: list[tuple[str, int]]) -> list[int]:
    """Count one attempt in each ``(key, duration)`` window; the new counts."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return [_count_in_cache(key, duration) for key, duration in windows]
    import redis

    pipeline = _redis(url).pipeline(transaction=False)
    for key, duration in windows:
        pipeline.set(key, 0, ex=duration, nx=True)
        pipeline.incr(key)
    try:
        return pipeline.execute()[1::2]
    except redis.RedisError:
        logger.warning("Redis unavailable: registration attempts are not counted", exc_info=True)
        return [0] * len(windows)


def client_address(request) -> str:
    """The address of the client, as allauth's rate limits see it.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each of which appends the address it
    received the request from to ``X-Forwarded-For``, the client is the entry that many
    places from the end; what comes before it was sent by the client and proves nothing.
    With no trusted proxy (or a request that did not pass through them), ``REMOTE_ADDR``.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    if trusted > 0 and len(forwarded) >= trusted and forwarded[-trusted]:
        return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "")


def allow(request, *, email: str, verified_owner: bool = False) -> bool:
    """Count this attempt; False when one of the limits is exceeded.

    The limits per address keep anyone from flooding that address with emails; they do
    not apply to the address's own verified owner (``verified_owner``), who is never sent
    one and whom strangers must not be able to keep from registering.
    """
    sources = {"ip": client_address(request), "key": email.strip().lower()}
    rates = parse(settings.REGISTRATION_RATE_LIMIT)
    if verified_owner:
        rates = [rate for rate in rates if rate[2] != "key"]
    windows = []
    for _amount, duration, per in rates:
        window = int(time.time() // duration)
        digest = hashlib.sha256(sources[per].encode()).hexdigest()[:32]
        windows.append((f"{PREFIX}:{per}:{duration}:{digest}:{window}", duration))
    counts = _counts(windows)
    return all(count <= amount for count, (amount, _d, _p) in zip(counts, rates, strict=True))
