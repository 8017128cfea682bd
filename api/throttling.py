"""Rate limits, counted in Django's cache ``throttle`` (settings ``CACHES``): per token
(or per logged-in user) and per IP address for anonymous readers. The rates are read at
each request (settings ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``).

Each caller has one counter per fixed window (a minute for "120/minute"), created with
``cache.add`` and raised with ``cache.incr``: both atomic on Redis, and in the
local-memory cache (under its lock) that the embedded default uses instead, so a burst
of parallel requests gets exactly the rate, never more: for every process with Redis,
within one process without it. DRF's own ``SimpleRateThrottle`` reads the caller's
history and writes it back, and requests arriving together all read the same history.
(The file cache, the embedded default's ``default`` cache, makes neither ``add`` nor
``incr`` atomic, even between the threads of one process.)"""

import math

from django.core.cache import caches
from django.utils.translation import gettext, ngettext
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _Throttle(SimpleRateThrottle):
    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        counter = f"{self.key}:{window}"
        # Kept a little longer than the window: it is never read after it anyway.
        if self.cache.add(counter, 1, timeout=self.duration + 5):
            count = 1
        else:
            try:
                count = self.cache.incr(counter)
            except ValueError:  # evicted between add and incr: start it again
                self.cache.add(counter, 1, timeout=self.duration + 5)
                count = 1
        return count <= self.num_requests

    def wait(self):
        """Until the current window ends (the Retry-After header)."""
        return max(self.window_ends - self.timer(), 1)


class AnonymousThrottle(_Throttle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FailedAuthenticationThrottle(AnonymousThrottle):
    """A refused API key counts against the caller's address's anonymous budget (the same
    counter as ``AnonymousThrottle``): guessing keys ends in 429 like any other flood.
    Used by the authentication itself, before any user is known."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TooManyRequests(Throttled):
    """DRF's own message formats the number into its message id before translating it,
    so it is never translated ("Expected available in 12 seconds"): ours is."""

    def __init__(self, wait=None):
        seconds = math.ceil(wait) if wait is not None else None
        if seconds is None:
            detail = gettext("Too many requests: wait a moment and try again.")
        else:
            detail = ngettext(
                "Too many requests: try again in %(seconds)d second.",
                "Too many requests: try again in %(seconds)d seconds.",
                seconds,
            ) % {"seconds": seconds}
        super().__init__(detail=detail)
        self.wait = seconds  # the Retry-After header


class TokenThrottle(_Throttle):
    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
