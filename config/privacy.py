"""Secret links stay secret: out of the logs and out of caches.

A participant's private page (``/<lang>/r/<secret>/…``), their personal calendar feed
(``/<lang>/calendar/personal/<id>.<secret>.ics``) and allauth's email confirmation and
password reset links carry the secret in the path. Whoever reads a log line or a shared
cache would otherwise hold the key to someone's registration.

- ``redact_secrets`` replaces the secret part of such paths by ``<secret>``; the logging
  filter below applies it to Django's own log lines ("Not Found: …", "Forbidden: …", the
  development server's request lines) and ``config/gunicorn.py`` to gunicorn's access log.
- ``PrivateLinkMiddleware`` marks every response to a URL that carries a secret
  ``Cache-Control: no-store``, whatever view answers (including a 404 for a wrong or
  retired secret), so a new secret-bearing URL gets the same protection without anyone
  remembering to decorate its view.

Other sites never see the secret in a Referer: the site-wide ``Referrer-Policy:
same-origin`` (config/settings.py) sends it only to this site, whose logs redact it. (Not
``no-referrer`` on these pages: browsers then send ``Origin: null`` with their forms,
which Django's CSRF protection refuses over HTTPS.)
"""

import logging
import re

from django.utils.cache import add_never_cache_headers

REDACTED = "<secret>"

# A path segment that is a secret, after the prefix that announces it.
SECRET_IN_PATH = re.compile(
    r"(?P<prefix>/r/|/calendar/personal/|/password/reset/key/|/confirm-email/|/speakers/upload/)"
    r"(?P<secret>[^/?#\s\"']+)"
)

# Names of URL parameters that hold a secret (registrations: ``secret``, ``token``;
# allauth: ``key`` and ``uidb36`` of the confirmation and password reset links).
SECRET_URL_KWARGS = frozenset({"secret", "token", "key", "uidb36"})


def no_store(response):
    """``response``, marked never to be stored by a browser or a proxy (``Cache-Control:
    no-store, private``…): for every page or file that shows personal data."""
    add_never_cache_headers(response)
    return response


def redact_secrets(text: str) -> str:
    """``/en/r/Zx9…/cancel/`` -> ``/en/r/<secret>/cancel/``, anywhere in ``text``."""
    if "/" not in text:
        return text
    return SECRET_IN_PATH.sub(lambda match: match["prefix"] + REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites a log record so that its message carries no secret of a URL.

    The message is formatted once with its arguments, redacted, and stored back without
    arguments, so every handler after this filter (console, files, error trackers,
    pytest's caplog) sees the redacted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True


class PrivateLinkMiddleware:
    """``Cache-Control: no-store`` on every response to a URL whose pattern has a secret
    parameter (see ``SECRET_URL_KWARGS``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and SECRET_URL_KWARGS.intersection(match.kwargs):
            no_store(response)
        return response
