"""Personal API tokens: `Authorization: Bearer apt_…`. A token authenticates as its user, with that user's role
and anchors (every rule is asked of the user, as on the pages); a read-only token is refused any change
(`ScopePermission`). A revoked or expired token, or one of a deactivated account, is a 401 problem."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from . import selectors, services
from .models import TokenScope
from .throttles import AddressThrottle


def request_now(request: Any) -> datetime:
    """The request's one clock reading, taken when the API view starts (api.views.ApiView.initial)."""
    now = getattr(request, "now", None)
    if now is None:
        now = request.now = timezone.now()
    return now


def bad_tokens_per_minute() -> int:
    """Wrong tokens one address may send in a minute (API_BAD_TOKENS_PER_MINUTE, 30); then every token from it
    waits a minute, as the login lockout does."""
    return int(getattr(settings, "API_BAD_TOKENS_PER_MINUTE", 30))


def _bad_token_key(request: Any) -> str:
    return f"api-bad-token:{AddressThrottle().get_ident(request)}"


def _too_many_bad_tokens(request: Any) -> bool:
    try:
        return int(caches["throttle"].get(_bad_token_key(request)) or 0) >= bad_tokens_per_minute()
    except Exception:  # the cache is unreachable: tokens are still checked, one by one
        return False


def _count_bad_token(request: Any) -> None:
    try:
        cache = caches["throttle"]
        key = _bad_token_key(request)
        cache.add(key, 0, 60)
        cache.incr(key)
    except Exception:
        pass


class TokenAuthentication(authentication.BaseAuthentication):
    """Throttling runs after authentication in DRF, so wrong tokens are counted here, per address, before each
    lookup: guessing costs a 429 after `bad_tokens_per_minute()`, not a database query per guess."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session (or nobody) is asked next
        if _too_many_bad_tokens(request):
            raise exceptions.Throttled(wait=60)
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>."), "token_invalid"
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid."), "token_invalid") from None
        token = selectors.token_by_secret(secret)
        now = request_now(request)
        refusal = None
        if token is None or not token.user.is_active:
            refusal = exceptions.AuthenticationFailed(_("This token is not valid."), "token_invalid")
        elif token.revoked_at is not None:
            refusal = exceptions.AuthenticationFailed(_("This token was revoked."), "token_revoked")
        elif token.expires_at is not None and token.expires_at <= now:
            refusal = exceptions.AuthenticationFailed(_("This token has expired."), "token_expired")
        if refusal is not None:
            _count_bad_token(request)
            raise refusal
        services.token_mark_used(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'


class ScopePermission(permissions.BasePermission):
    """A read-only token reads; only a token made to act (or the browser's session) changes anything."""

    message = _("This token is read only: make a token that may act.")
    code = "token_scope"

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        if request.method in permissions.SAFE_METHODS or token is None or not hasattr(token, "scope"):
            return True
        return bool(token.scope == TokenScope.WRITE)
