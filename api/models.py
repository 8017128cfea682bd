"""API tokens: how a script reads what its user may read, without a password.

The key is shown once, when the token is created; only its SHA-256 digest is stored (the
key is 256 random bits, so a plain digest cannot be reversed by guessing). A token is
found by its public prefix and its digest compared in constant time. A token never gives
more than its user has at the time of each request: the same selectors as the workspace
decide what it reads, and its scopes narrow that further.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: What a token may be used for: the organiser endpoints each require one scope.
SCOPES = {
    "registrations:read": _("Read the registrations of the events you organise or coordinate"),
}


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=100)
    #: The key's public part (``rct_<prefix>_<secret>``), to find the token by.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key digest"), max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
