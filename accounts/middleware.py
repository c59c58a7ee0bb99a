from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Korean first: the language is the chosen one (cookie), else the user's saved one, else Korean.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted, so a Seoul
    portal opens in Korean on any browser; English is one click away and then remembered.
    """

    supported = frozenset(code for code, _name in settings.LANGUAGES)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            user = getattr(request, "user", None)
            saved = getattr(user, "preferred_language", None) if user is not None and user.is_authenticated else None
            language = saved if saved in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
