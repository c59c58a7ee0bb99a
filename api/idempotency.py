"""`Idempotency-Key`: a POST retried with the same key gets the first answer again instead of acting twice.

The key's record is inserted first, in the same transaction as the action (`INSERT … ON CONFLICT DO NOTHING`):
a concurrent retry's insert waits on PostgreSQL's unique index until the first transaction ends, then finds the
record and answers with what it holds. Only a successful answer is kept (for a day: the `api_housekeeping` job); a refusal rolls the record back with
everything else, so a retry is asked again (and may succeed once the slot is free). The same key with another
body is refused (`idempotency_key_reused`), never answered with the other request's result.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from common.db import insert_unless_taken

from .models import IdempotencyRecord
from .problems import problem

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Location",)  # what a replay repeats besides the body and the status
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as RFC 9110 tokens and UUIDs are


def fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)  # ASCII: a lone surrogate in a string is escaped
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def respond_once(request: Request, *, now: datetime, act: Callable[[], Response]) -> Response:
    """`act()` once per (user, key); without the header, `act()` as it is."""
    key = request.headers.get(HEADER)
    if key is None:
        return act()
    if not KEY_PATTERN.fullmatch(key):
        return problem(
            request,
            status_code=400,
            code="invalid",
            title=_("Some of what was sent is not valid."),
            detail=_("An Idempotency-Key is 1 to 255 visible ASCII characters, e.g. a UUID."),
        )
    if not request.user.is_authenticated:
        return act()  # refused by the view's own permission check; nothing to remember
    print_ = fingerprint(request)
    with transaction.atomic():
        record = IdempotencyRecord(user=request.user, key=key, fingerprint=print_, created_at=now)
        if not insert_unless_taken(record, unique_field=("user", "key")):
            kept = IdempotencyRecord.objects.get(user=request.user, key=key)
            if kept.fingerprint != print_:
                return problem(
                    request,
                    status_code=422,
                    code="idempotency_key_reused",
                    title=_("This Idempotency-Key was used for another request."),
                    detail=_("Send a new key for a new request."),
                )
            replay = Response(kept.body, status=kept.status_code, headers=kept.headers or None)
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = act()
        if response.status_code >= 400:
            transaction.set_rollback(True)  # nothing of a refused request is kept, its key neither
            return response
        record.status_code, record.body = response.status_code, _plain(response.data)
        record.headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        record.save(update_fields=["status_code", "body", "headers"])
        return response


def _plain(data: Any) -> Any:
    """The response's data as JSON keeps it (dates as the API writes them)."""
    from rest_framework.utils.encoders import JSONEncoder

    return json.loads(json.dumps(data, cls=JSONEncoder))
