"""What an app after reservations adds to bookings without reservations importing it (the allocation app: lottery
windows, waiting lists, strikes), registered when that app loads:

- booking rules, put into `booking_rules.RULES` before a named rule (`add_rule`), so every path that asks the rules
  (booking, moving, series, the slots a clash suggests) asks them too;
- spans of a week grid that are not bookable for a reason of theirs (`grid_blocks`), and of the desk's day grid
  (`desk_blocks`), so a cell shown as free is bookable by the person looking;
- whether a maker's booking waits to be paid before it is confirmed (`payment_hold`: the anchor's billing terms),
  held like a request until then;
- what follows an event of a reservation's life (`listen`/`emit`): a slot freed (cancelled, rejected, expired,
  moved away), a no-show, a late cancellation, and any change at all (`changed`: made, moved, a status, a charge
  waived; what billing keeps its charges in line with). Listeners run inside the event's transaction: what they
  write stands or falls with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

EVENTS = ("freed", "no_show", "late_cancellation", "changed")

_listeners: dict[str, list[Callable[..., None]]] = {event: [] for event in EVENTS}
_grid_blocks: list[Callable[..., list[GridBlock]]] = []
_desk_blocks: list[Callable[..., dict[str, list[GridBlock]]]] = []
_payment_holds: list[Callable[..., datetime | None]] = []


@dataclass(frozen=True)
class GridBlock:
    """From `start` to `end` a booking by the person looking is refused by a later app's rule; `state` names it in
    `selectors.GRID_STATES`."""

    start: datetime
    end: datetime
    state: str


def listen(event: str, fn: Callable[..., None]) -> None:
    """`fn(reservation=, start=, end=, now=)` runs after `event` (one of EVENTS), inside its transaction."""
    if event not in _listeners:
        raise KeyError(event)
    if fn not in _listeners[event]:
        _listeners[event].append(fn)


def emit(event: str, *, reservation: Any, start: datetime, end: datetime, now: datetime) -> None:
    for fn in _listeners[event]:
        fn(reservation=reservation, start=start, end=end, now=now)


def register_grid_blocks(fn: Callable[..., list[GridBlock]]) -> None:
    """`fn(resource=, start=, end=, user=, as_staff=, now=)` returns the spans of that week it refuses."""
    if fn not in _grid_blocks:
        _grid_blocks.append(fn)


def grid_blocks(
    *, resource: Any, start: datetime, end: datetime, user: Any, as_staff: bool, now: datetime
) -> list[GridBlock]:
    found: list[GridBlock] = []
    for fn in _grid_blocks:
        found.extend(fn(resource=resource, start=start, end=end, user=user, as_staff=as_staff, now=now))
    return found


def register_desk_blocks(fn: Callable[..., dict[str, list[GridBlock]]]) -> None:
    """`fn(anchor=, start=, end=, now=)` returns, per resource key, the spans the desk may not book either."""
    if fn not in _desk_blocks:
        _desk_blocks.append(fn)


def desk_blocks(*, anchor: Any, start: datetime, end: datetime, now: datetime) -> dict[str, list[GridBlock]]:
    found: dict[str, list[GridBlock]] = {}
    for fn in _desk_blocks:
        for key, blocks in fn(anchor=anchor, start=start, end=end, now=now).items():
            found.setdefault(key, []).extend(blocks)
    return found


def register_payment_hold(fn: Callable[..., datetime | None]) -> None:
    """`fn(anchor_id=, start=, now=)` returns until when a maker's booking there is held unpaid (the anchor asks
    to be paid before it confirms), or None. Billing registers it."""
    if fn not in _payment_holds:
        _payment_holds.append(fn)


def payment_hold(*, anchor_id: int, start: datetime, now: datetime) -> datetime | None:
    for fn in _payment_holds:
        hold = fn(anchor_id=anchor_id, start=start, now=now)
        if hold is not None:
            return hold
    return None
