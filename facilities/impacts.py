"""What a closure would affect, asked before it is saved. The bookings live in the reservations app, which comes
after facilities and registers the question here when it loads (facilities may not import it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

_affected: list[Callable[..., Sequence[Any]]] = []


def register_closure_impact(fn: Callable[..., Sequence[Any]]) -> None:
    """`fn(anchor=, space=, start=, end=)` returns the bookings a closure of that time would overlap."""
    if fn not in _affected:
        _affected.append(fn)


def closure_impact(*, anchor: Any, space: Any, start: datetime, end: datetime) -> list[Any]:
    """Every booking a closure of the anchor (or one space) from `start` to `end` would overlap."""
    found: list[Any] = []
    for fn in _affected:
        found.extend(fn(anchor=anchor, space=space, start=start, end=end))
    return found
