"""Ratios as the pages, exports and reports print them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part, whole) -> Decimal | None:
    """part ÷ whole in %, one decimal, rounded half up; None (shown blank) when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def one_decimal(value) -> Decimal | None:
    """Hours and the like with one decimal, rounded half up, as every page, export and file prints them."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
