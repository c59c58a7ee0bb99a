"""Answer 503 (retry shortly) instead of 500 while the database is unreachable, e.g. during a restart."""

from __future__ import annotations

import logging

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
