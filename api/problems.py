"""Every API error in one shape: RFC 9457 problem details (`application/problem+json`).

    {"type": "https://…/api/v1/problems/#invalid", "title": "…", "status": 400, "detail": "…", "code": "invalid",
     "errors": {"end": ["…"]}}

`code` is the same rule code a page's refusal carries (`clash`, `quota`, `untrained`, `not_found`, …) and
`detail` the same message, in the request's language. Nothing here decides a rule: the services and selectors
refuse, this only says it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.korean import fix_particles

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Refusals because of the state of things rather than what was sent: 409 Conflict. The rest are 400.
CONFLICTS = frozenset({"clash", "state", "fee_changed", "charge_changed", "already_registered", "lottery", "offered"})
# What was sent is well formed, but the rate table prices no such booking: 422, on a quote as on a booking.
UNPROCESSABLE = frozenset({"no_price"})


def problem_type(request: Any, code: str) -> str:
    base = reverse("api:problems")
    return request.build_absolute_uri(f"{base}#{code}") if request is not None else f"{base}#{code}"


def problem(
    request: Any,
    *,
    status_code: int,
    code: str,
    title: str,
    detail: str = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": problem_type(request, code),
        "title": title,
        "status": status_code,
        # The page's message word for word: its Korean particles chosen once the names are in, as pages have them
        # (common.korean); only the message, never the user's own text elsewhere in an answer.
        "detail": fix_particles(detail or title),
        "code": code,
    }
    if errors:
        body["errors"] = {field: [fix_particles(m) for m in messages] for field, messages in errors.items()}
    body.update(extra)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _messages(detail: Any) -> list[str]:
    if isinstance(detail, list):
        return [str(x) for x in detail]
    if isinstance(detail, dict):
        return [f"{k}: {m}" for k, v in detail.items() for m in _messages(v)]
    return [str(detail)]


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering in problem details. Django's own Http404, PermissionDenied and
    ValidationError (what the selectors and services raise) become 404, 403 and 400 like DRF's."""
    request = context.get("request")
    if isinstance(exc, RequestDataTooBig):
        return problem(request, status_code=413, code="too_large", title=_("The request body is too large."))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, ValidationError):
        code = getattr(exc, "code", None) or "invalid"
        messages = list(exc.messages)
        extra: dict[str, Any] = {}
        if getattr(exc, "suggestions", None):  # a clash: the free times offered instead, as the page offers them
            extra["suggestions"] = [{"start": s.isoformat(), "end": e.isoformat()} for s, e in exc.suggestions]  # type: ignore[attr-defined]
        if hasattr(exc, "charge"):  # charge_changed: the charge to accept
            extra["charge_won"] = exc.charge
        if hasattr(exc, "error_dict"):
            extra["errors"] = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        return problem(
            request,
            status_code=(
                status.HTTP_409_CONFLICT
                if code in CONFLICTS
                else status.HTTP_422_UNPROCESSABLE_ENTITY
                if code in UNPROCESSABLE
                else status.HTTP_400_BAD_REQUEST
            ),
            code=code,
            title=_("The request was refused."),
            detail=" ".join(messages),
            **extra,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None  # a 500: Django's handler, logged with its request id
    headers = {k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = {k: _messages(v) for k, v in detail.items()} if isinstance(detail, dict) else {"": _messages(detail)}
        return problem(
            request,
            status_code=response.status_code,
            code="invalid",
            title=_("Some of what was sent is not valid."),
            detail=" ".join(m for msgs in errors.values() for m in msgs),
            errors=errors,
            headers=headers,
        )
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return problem(
            request,
            status_code=response.status_code,
            code="throttled",
            title=_("Too many requests."),
            detail=_("Try again in %(seconds)s seconds.") % {"seconds": wait},
            headers=headers,
        )
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    return problem(
        request,
        status_code=response.status_code,
        code=code if isinstance(code, str) else "error",
        title=str(detail),
        headers=headers,
    )
