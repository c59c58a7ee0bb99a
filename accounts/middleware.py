from __future__ import annotations

from django.utils import translation
from django.utils.cache import patch_vary_headers

from common.language import request_language


class LanguageMiddleware:
    """Korean first: the language is the chosen one (cookie), else the user's saved one, else Korean.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted, so a Seoul
    portal opens in Korean on any browser; English is one click away and then remembered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
