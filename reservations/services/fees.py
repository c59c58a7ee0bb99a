"""What a booking costs and what cancelling or not coming costs: the fee frozen onto the reservation when it is
made or moved, and the charges under the anchor's policy (example terms say so: `common.examples.refusal`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.examples import refusal
from facilities.pricing import Quote, round_half_up

from .. import selectors
from ..models import Reservation, Status


def freeze_fee(reservation: Reservation, quote: Quote | None, discount_category: str) -> None:
    """Copy the quote onto the reservation: later price changes never change what was booked."""
    if quote is None:  # a fee-exempt hold: nothing is owed and nothing counts as fee revenue
        reservation.fee_won = reservation.discount_won = reservation.deposit_won = 0
        reservation.rate_version_ids, reservation.fee_lines, reservation.discount_category = [], [], ""
        return
    reservation.fee_won = quote.total_won
    reservation.discount_won = sum(line.discount_won for line in quote.lines)
    reservation.deposit_won = quote.deposit_won
    reservation.rate_version_ids = list(quote.version_ids)
    reservation.discount_category = discount_category
    reservation.fee_lines = [
        {
            "start": line.start.isoformat(),
            "end": line.end.isoformat(),
            "unit": line.unit,
            "quantity": str(line.quantity),
            "unit_price_won": line.unit_price_won,
            "surcharges": list(line.surcharges),
            "surcharge_pct": line.surcharge_pct,
            "gross_won": line.gross_won,
            "discount_pct": line.discount_pct,
            "discount_won": line.discount_won,
            "vat_won": line.vat_won,
            "amount_won": line.amount_won,
            "version_id": line.version_id,
        }
        for line in quote.lines
    ]


def _pct(amount: int, pct: int) -> Fraction:
    return Fraction(amount * pct, 100)


def cancellation_charge(reservation: Reservation, *, now: datetime) -> int:
    """What a cancellation at `now` would cost under the anchor's policy (0 inside the free period)."""
    if reservation.status == Status.REQUESTED:
        return 0
    policy = selectors.policy_for(reservation.anchor)
    if now <= reservation.start_at - timedelta(hours=policy.free_cancellation_hours):
        return 0
    return round_half_up(_pct(reservation.fee_won, policy.late_cancellation_pct), 10)


def no_show_charge(reservation: Reservation) -> int:
    """What not coming costs under the anchor's policy."""
    return round_half_up(_pct(reservation.fee_won, selectors.policy_for(reservation.anchor).no_show_pct), 10)


class ChargeChanged(ValidationError):
    """The charge is higher than the one the person accepted; they must see the new figure and accept it."""

    def __init__(self, charge: int, accepted: int, *, is_example: bool = False):
        self.charge, self.accepted = charge, accepted
        if accepted:
            message = _("Cancelling now costs %(charge)s won, more than the %(accepted)s won you accepted.") % {
                "charge": f"{charge:,}",
                "accepted": f"{accepted:,}",
            }
        else:
            message = _("Cancelling now costs %(charge)s won: tick the box to accept it.") % {"charge": f"{charge:,}"}
        super().__init__(refusal(message, is_example), code="charge_changed")
