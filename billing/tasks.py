"""Billing's periodic jobs; each only calls services with the `now` it takes once."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def billing_daily() -> dict[str, int]:
    """Rents and lease deposits, monthly invoices, deposits to return, the sweep of reservations out of line with
    their charges, reminders of overdue invoices."""
    now = timezone.now()
    return {
        "rents": services.leases_bill(now=now),
        "monthly": services.invoices_issue_monthly(now=now),
        "deposits": services.deposits_return_due(now=now),
        "synced": services.reservations_sync_all(now=now),
        "reminders": services.overdue_remind(now=now),
    }


@shared_task
def billing_frequent() -> dict[str, int]:
    """Bookings held until paid whose invoices are paid are confirmed (normally at once, after the payment)."""
    return {"confirmed": services.paid_bookings_confirm(now=timezone.now())}
