"""A request id on every request: in the logs (as JSON), in the X-Request-ID header, and on the error page."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and a Celery task id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        try:
            from celery import current_task  # only inside a worker

            if current_task and current_task.request.id:
                data["task_id"] = current_task.request.id
                data["task"] = current_task.name
        except Exception:  # outside a worker there is no task
            pass
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def server_error(request, *args, **kwargs):
    """The 500 page, with the request id to quote; a database that is unreachable (a restart) gives 503 instead.

    Django calls this inside its exception handler, so the exception is still in sys.exc_info(): that
    covers failures in middleware too (the session or the user), which process_exception never sees.
    """
    import sys  # the error path imports only what it needs

    rid = getattr(request, "request_id", request_id_var.get())
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render({"request_id": rid}), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": rid}))
