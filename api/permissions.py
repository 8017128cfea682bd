from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken


class HasScope(permissions.BasePermission):
    """A logged-in user, or a token holding the view's ``required_scope``. What the user
    may read is then decided by the workspace's own selectors, in the view."""

    message = _("This API key does not have the scope this endpoint needs.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiToken):
            return request.auth.has_scope(view.required_scope)
        return True  # the user's own session, in the browser: their workspace rights
