"""Throttling per address, per account and per personal token, counted in the "throttle" cache (Redis when there is one, so every
worker counts together). An over-the-rate request gets 429 with Retry-After, as a problem (api/problems.py).

The address is REMOTE_ADDR, or behind proxies the one PROXY_COUNT hops back in X-Forwarded-For (the setting
django-axes uses for the login lockout): a client cannot dodge the count by sending its own X-Forwarded-For.
A cache that fails lets the request through and logs it: throttling must not turn a Redis outage into 500s.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

log = logging.getLogger(__name__)


class _Throttle(SimpleRateThrottle):
    @property
    def cache(self) -> Any:  # type: ignore[override]
        return caches["throttle"]

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is unreachable: let it through
            log.warning("api throttle: the cache failed; the request is let through", exc_info=True)
            return True


class AddressThrottle(_Throttle):
    scope = "address"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_Throttle):
    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # visitors are counted by address only
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenThrottle(_Throttle):
    """Each personal token has its own rate (a script gone wrong is stopped without stopping its owner's browser)."""

    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        token = request.auth
        if token is None or not hasattr(token, "digest"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
