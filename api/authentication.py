"""``Authorization: Bearer rct_...``: an API token stands for its user, within its scopes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors, services
from .throttling import FailedAuthenticationThrottle, TooManyRequests


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            self._refuse(request, _("Give one API key after “Bearer”."))
        token = selectors.token_by_key(header[1]) if header[1].isascii() else None
        if token is None or not token.user.is_active:
            self._refuse(request, _("This API key is not valid."))
        if token.revoked_at is not None:
            self._refuse(request, _("This API key was revoked."))
        if not token.is_usable():
            self._refuse(request, _("This API key has expired."))
        services.api_token_mark_used(token=token)
        return token.user, token

    def _refuse(self, request, message):
        """401, counted against the address's anonymous budget: once it is spent, 429."""
        throttle = FailedAuthenticationThrottle()
        if throttle.rate and not throttle.allow_request(request, None):
            raise TooManyRequests(throttle.wait())
        raise exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token created in the workspace (Workspace > API tokens), sent as "
                "`Authorization: Bearer rct_...`. Each endpoint needs one scope."
            ),
        }
