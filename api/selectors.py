"""Reads of the API's own records."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from .models import ApiToken
from .services import TOKEN_PREFIX, token_digest


def token_by_secret(secret: str) -> ApiToken | None:
    """The token a client presents, with its user, or None when no token has that digest."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """A user's tokens, live ones first, newest first."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")
