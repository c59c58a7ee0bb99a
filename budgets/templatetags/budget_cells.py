from __future__ import annotations

from decimal import Decimal

from django import template

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
def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
