"""What billing hears of bookings (reservations/hooks.py): every change of a reservation brings its charges in
line, inside the same transaction, so a booking and what it costs are written, or refused, together; and, where an
anchor asks to be paid first, until when a maker's booking is held unpaid."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from reservations import hooks as reservation_hooks


def _changed(*, reservation: Any, start: datetime, end: datetime, now: datetime) -> None:
    from .services import reservation_sync

    reservation_sync(reservation=reservation, now=now)


def _payment_hold(*, anchor_id: int, start: datetime, now: datetime) -> datetime | None:
    """Until when a maker's booking at the anchor is held unpaid, where the anchor asks to be paid first."""
    from .selectors import policy_for

    policy = policy_for(anchor_id)
    if not policy.pay_first:
        return None
    return min(now + timedelta(minutes=policy.payment_hold_minutes), start)


def register() -> None:
    reservation_hooks.listen("changed", _changed)
    reservation_hooks.register_payment_hold(_payment_hold)
