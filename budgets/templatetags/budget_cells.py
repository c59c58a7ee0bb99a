from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils import timezone

from budgets.selectors import delivery_by_anchor
from budgets.tables import Figure

register = template.Library()


@register.filter
def cell(value) -> str:
    """A table cell as budget books print it: thousands separators, △ for a decrease, blank for unknown."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"△{-value:,}" if value < 0 else f"{value:,}"
    if isinstance(value, Decimal | float):
        return f"△{-value:,.1f}" if value < 0 else f"{value:,.1f}"
    return str(value)


@register.filter
def is_figure(value) -> bool:

    return isinstance(value, Figure)


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@register.inclusion_tag("budgets/_delivery_overview.html", takes_context=True)
def delivery_overview(context, anchors):
    """Last month's delivery figures of the anchors on a dashboard, from the selector every page uses."""

    now = context.get("now") or timezone.now()
    last = timezone.localdate(now).replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    anchors = [a for a in anchors if a.is_operating]
    figures = delivery_by_anchor(anchors=anchors, first=first, last=last) if anchors else {}
    return {"rows": [(a, figures[a.pk]) for a in anchors], "first": first, "last": last}
