from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int, param: str = "page") -> str:
    """The current address with another page number, keeping the other parameters (a search, the other list's
    page): "?q=kim&page=2"."""
    query: QueryDict = context["request"].GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()
