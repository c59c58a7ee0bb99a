"""Writes of the API's own records: personal tokens (made, used, revoked) and idempotency records."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .models import ApiToken, IdempotencyRecord, TokenScope

TOKEN_PREFIX = "apt_"
MAX_LIVE_TOKENS = 10
MAX_LIFETIME_DAYS = 366
LAST_USE_PRECISION = timedelta(minutes=1)  # "last used" is written at most once a minute per token


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, name: str, scope: str, now: datetime, lifetime_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new personal token for `user`: the record and the token itself, which is shown once and never kept."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the token, e.g. after the program that will use it.")})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose read only or read and act.")})
    if lifetime_days is not None and not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise ValidationError({"lifetime_days": _("A token lasts between 1 and 366 days.")})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one maker's tokens are made one at a time
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if live.filter(name=name).exists():
        raise ValidationError({"name": _("You already have a token with this name.")})
    if live.count() >= MAX_LIVE_TOKENS:
        raise ValidationError(_("You have %(n)s tokens: revoke one first.") % {"n": MAX_LIVE_TOKENS})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:10],
        digest=token_digest(secret),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days) if lifetime_days else None,
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User, now: datetime) -> ApiToken:
    """Revoke a token at once; only its owner revokes it (an administrator deactivates the account instead)."""
    locked = ApiToken.objects.select_for_update().filter(pk=token.pk, user=by).first()
    if locked is None:
        raise ValidationError(_("No such token."))
    if locked.revoked_at is None:
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
    return locked


def tokens_revoke_all(*, user: User, now: datetime) -> int:
    """Revoke every live token of a user: their password changed (or was reset), so whoever took a token with a
    stolen session or password loses it too."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


def token_mark_used(*, token: ApiToken, now: datetime) -> None:
    """Record the token's last use, to the minute (one small UPDATE a minute per token, not one per request)."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


IDEMPOTENCY_KEPT = timedelta(hours=24)  # a retry comes within minutes; a day covers a client that was offline


def idempotency_forget(*, now: datetime) -> int:
    """Delete the answers kept for idempotency keys older than a day; a key sent again after that acts anew."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now - IDEMPOTENCY_KEPT).delete()
    return deleted
