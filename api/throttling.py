"""Rate limits, counted in Django's cache: per token (or per logged-in user) and per IP
address for anonymous readers. The rates are read at each request (settings
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``)."""

import math

from django.utils.translation import gettext, ngettext
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _Throttle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


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
