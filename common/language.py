"""Which language a request is served in: one rule for the language middleware and the public pages' cache."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def request_language(request: HttpRequest) -> str:
    """The chosen language (cookie), else the logged-in user's saved one, else Korean.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted, so a Seoul portal opens in
    Korean on any browser; English is one click away and then remembered.
    """
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language in SUPPORTED:
        return language
    user = getattr(request, "user", None)
    saved = getattr(user, "preferred_language", None) if user is not None and user.is_authenticated else None
    return saved if saved in SUPPORTED else settings.LANGUAGE_CODE
