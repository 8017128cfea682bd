"""Creating and revoking API tokens."""

import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import SCOPES, ApiToken

KEY_START = "rct_"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user, name: str, scopes: list[str], expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token and its key: the key is returned once and never stored."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    prefix = secrets.token_hex(6)
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=key_digest(key),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False when they have no such token."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def api_token_mark_used(*, token: ApiToken) -> None:
    """Record when a token was last used, at most once a minute (no write per request)."""
    now = timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < 60:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
