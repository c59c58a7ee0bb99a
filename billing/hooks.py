"""What billing hears of bookings (reservations/hooks.py): every change of a reservation brings its charges in
line, inside the same transaction, so a booking and what it costs are written, or refused, together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reservations import hooks as reservation_hooks


def _changed(*, reservation: Any, start: datetime, end: datetime, now: datetime) -> None:
    from .services import reservation_sync

    reservation_sync(reservation=reservation, now=now)


def register() -> None:
    reservation_hooks.listen("changed", _changed)
