"""Pages of a long list: every list page shows one page and links to the others, never a silent cut.

A page number that is not one, or past the last page, shows the nearest page (Django's `Paginator.get_page`): a
hand-typed or hostile `?page=` never gets a 404 or a 500. A page that shows two lists gives each its own parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], *, per_page: int = PER_PAGE, param: str = "page"
) -> Page[Any]:
    """The page of `items` that `?<param>=` asks for."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
