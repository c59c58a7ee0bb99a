"""Personal API tokens: `Authorization: Bearer apt_…`. A token authenticates as its user, with that user's role
and anchors (every rule is asked of the user, as on the pages); a read-only token is refused any change
(`ScopePermission`). A revoked or expired token, or one of a deactivated account, is a 401 problem."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from . import selectors, services
from .models import TokenScope


def request_now(request: Any) -> datetime:
    """The request's one clock reading, taken when the API view starts (api.views.ApiView.initial)."""
    now = getattr(request, "now", None)
    if now is None:
        now = request.now = timezone.now()
    return now


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session (or nobody) is asked next
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
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."), "token_invalid")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."), "token_revoked")
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."), "token_expired")
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
