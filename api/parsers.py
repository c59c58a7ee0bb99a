"""The API's JSON parser: DRF's, refusing what would otherwise end in a 500 further in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


def _has_lone_surrogate(data: Any) -> bool:
    """A string holding half of a UTF-16 pair ("\\ud800" in JSON): valid JSON, but no UTF-8 text, so neither
    PostgreSQL nor an answer could carry it."""
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length and limit is not None and length.isdigit() and int(length) > limit:
            raise RequestDataTooBig
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The body is not valid JSON.")) from None
        if _has_lone_surrogate(data):
            raise exceptions.ParseError(_("The body holds text that is not valid Unicode."))
        return data
