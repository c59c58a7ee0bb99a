"""Which of a reservation's figures rest on example data: the one rule every page, e-mail and export asks.

A fee is an example when a rate-table version it was computed from is an example (`facilities.selectors.
example_version_ids`); charges, holds and the cancellation terms are examples when the anchor's booking policy
is (an anchor without a saved policy runs on the portal's defaults, which are examples too).
"""

from __future__ import annotations

from collections.abc import Iterable

from facilities.selectors import example_version_ids

from .models import BookingPolicy, Reservation


def annotate_examples(reservations: Iterable[Reservation]) -> None:
    """Set `fee_is_example` and `terms_are_example` on many reservations in two queries."""
    rows = list(reservations)
    if not rows:
        return
    examples = example_version_ids({i for r in rows for i in (r.rate_version_ids or [])})
    confirmed = set(
        BookingPolicy.objects.filter(anchor_id__in={r.anchor_id for r in rows}, is_example=False).values_list(
            "anchor_id", flat=True
        )
    )
    for r in rows:
        r._fee_is_example = not r.fee_exempt and any(i in examples for i in (r.rate_version_ids or []))
        r._terms_are_example = r.anchor_id not in confirmed
