"""What fair allocation adds to bookings, registered when the app loads (reservations/hooks.py): its booking rules,
its spans of the week grid, and what follows a freed slot, a no-show and a late cancellation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reservations import hooks as reservation_hooks
from reservations.services import booking_rules

from . import rules
from .models import StrikeKind


def _freed(*, reservation: Any, start: datetime, end: datetime, now: datetime) -> None:
    from .services.waiting import offer_after_commit

    offer_after_commit(resource=reservation.resource, start=start, end=end)


def _no_show(*, reservation: Any, start: datetime, end: datetime, now: datetime) -> None:
    from .services import strike_record

    strike_record(reservation=reservation, kind=StrikeKind.NO_SHOW, now=now)


def _late_cancellation(*, reservation: Any, start: datetime, end: datetime, now: datetime) -> None:
    from .services import strike_record

    strike_record(reservation=reservation, kind=StrikeKind.LATE_CANCELLATION, now=now)


def register() -> None:
    # The person's standing first among the rules about the person; the lottery and the offers beside the slot's.
    booking_rules.add_rule(rules.rule_suspended, before=booking_rules.rule_training)
    booking_rules.add_rule(rules.rule_lottery, before=booking_rules.rule_free)
    booking_rules.add_rule(rules.rule_offer_hold, before=booking_rules.rule_free)
    reservation_hooks.register_grid_blocks(rules.grid_blocks)
    reservation_hooks.register_desk_blocks(rules.desk_blocks)
    reservation_hooks.listen("freed", _freed)
    reservation_hooks.listen("no_show", _no_show)
    reservation_hooks.listen("late_cancellation", _late_cancellation)
