"""Each anchor that takes bookings or has start-up spaces gets the portal's example billing terms (an invoice per
booking, due in 14 days, card, cash, transfer and online; no bank account number: the sources give none,
and a made-up one could be paid into), marked as examples until the operator confirms them. Then every
reservation not yet in line with its charges is billed (a second run changes nothing). Rents are billed by the
daily job (billing.tasks.billing_daily), not by the seed: the example leases stay example records a test or an
operator may still remove."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import Q

from anchors.models import Anchor

from . import services
from .models import BillingPolicy


def load(*, now: datetime) -> Counter:
    tally: Counter = Counter()
    for anchor in (
        Anchor.objects.filter(Q(booking_policy__isnull=False) | Q(spaces__leases__isnull=False))
        .exclude(billing_policy__isnull=False)
        .distinct()
    ):
        BillingPolicy.objects.create(anchor=anchor, is_example=True, created_at=now)
        tally["Billing policy created"] += 1
    synced = services.reservations_sync_all(now=now)
    if synced:
        tally["Reservations billed"] += synced
    return tally
