"""Answer 503 (retry shortly) instead of 500 while the database is unreachable, e.g. during a restart; and 400 to
requests carrying NUL bytes."""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable: %s", exception)
        html = loader.get_template("503.html").render({"request_id": getattr(request, "request_id", "")})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "10"
        return response


class RejectNulMiddleware:
    """A NUL byte has no business in an address, a query or a form, and PostgreSQL refuses it in any text: such a
    request is answered 400 before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "\x00" in request.META.get("QUERY_STRING", "") or _has_nul(request.GET):
            raise SuspiciousOperation("NUL byte in the request")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if _has_nul(request.POST):
                raise SuspiciousOperation("NUL byte in a form")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
