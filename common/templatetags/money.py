from __future__ import annotations

from django import template

from common.money import format_amount, format_won

register = template.Library()


@register.filter
def won(value: int | None, unit: str = "won") -> str:
    """{{ amount|won }} -> '200,000,000 won'; {{ amount|won:"million" }} -> '200 million won'."""
    return format_won(value, unit)


@register.filter
def amount(value: int | None, unit: str = "won") -> str:
    """The figure alone, for tables whose header states the unit."""
    return format_amount(value, unit)
