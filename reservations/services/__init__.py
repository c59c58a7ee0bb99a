"""Every write to a reservation goes through here. The package is split by job:

- `booking_rules`: the rules a booking must pass, in order, each a small function returning its refusal;
- `fees`: the fee frozen onto a reservation, and the cancellation and no-show charges;
- `lifecycle`: booking, approving, rejecting, moving, cancelling, checking in, completing, no-shows;
- `series`: recurring bookings;
- `housekeeping`: what beat runs (expired requests, no-shows);
- `closures`: telling or cancelling the bookings a closure overlaps;
- `feeds`: a maker's private calendar feed.

Callers import the package (`from reservations import services`) and use the names below.
"""

from __future__ import annotations

from .booking_rules import RULES, BookingCheck, BookingRefused, BookingRequest, check_booking
from .closures import ClosureOutcome, closure_cancel, closure_notify
from .feeds import calendar_feed_reset
from .fees import ChargeChanged, cancellation_charge, no_show_charge
from .housekeeping import reservations_expire_requests, reservations_mark_no_shows
from .lifecycle import (
    check_move,
    reservation_approve,
    reservation_cancel,
    reservation_check_in,
    reservation_complete,
    reservation_confirm_paid,
    reservation_create,
    reservation_mark_no_show,
    reservation_move,
    reservation_reject,
    reservation_waive_charge,
)
from .series import (
    Occurrence,
    series_cancel_rest,
    series_cancellation_charge,
    series_create,
    series_occurrences,
    series_preview,
    series_rest,
)

__all__ = [
    "RULES",
    "BookingCheck",
    "BookingRefused",
    "BookingRequest",
    "ChargeChanged",
    "ClosureOutcome",
    "Occurrence",
    "calendar_feed_reset",
    "cancellation_charge",
    "check_booking",
    "check_move",
    "closure_cancel",
    "closure_notify",
    "no_show_charge",
    "reservation_approve",
    "reservation_confirm_paid",
    "reservation_cancel",
    "reservation_check_in",
    "reservation_complete",
    "reservation_create",
    "reservation_mark_no_show",
    "reservation_move",
    "reservation_reject",
    "reservation_waive_charge",
    "reservations_expire_requests",
    "reservations_mark_no_shows",
    "series_cancel_rest",
    "series_cancellation_charge",
    "series_create",
    "series_occurrences",
    "series_preview",
    "series_rest",
]
