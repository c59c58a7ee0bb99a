"""Tenant companies' rent and lease deposits: each month that has begun, an active lease is charged that month's
rent (pro rata for a month it covers in part) once (a unique constraint); its deposit is charged while it runs and
returned (a credit) once it has ended. Companies are invoiced monthly."""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from common.time import SEOUL
from tenants.models import Lease, LeaseStatus

from ..models import Charge, ChargeKind
from .ledger import _charge_for_differences, _charged, account_for_organisation, documents_issue

RUNNING = (LeaseStatus.ACTIVE, LeaseStatus.ENDING)
log = logging.getLogger(__name__)


def month_rent(lease: Lease, month: date) -> int:
    """The rent of `month` (its first day): the monthly fee times the share of the month's days the lease covers,
    rounded down to the won."""
    days = calendar.monthrange(month.year, month.month)[1]
    last = month.replace(day=days)
    first_day, last_day = max(lease.starts_on, month), min(lease.ends_on, last)
    covered = (last_day - first_day).days + 1
    if covered <= 0:
        return 0
    return lease.monthly_fee_won * covered // days


def leases_bill(*, now: datetime) -> int:
    """Charge this month's rent of every running lease and sync the deposits of every lease (each lease in its own
    transaction), then issue the month's invoices to the companies. Safe to run daily and twice."""
    today = now.astimezone(SEOUL).date()
    month = today.replace(day=1)
    n = 0
    for lease in Lease.objects.select_related("space", "organisation").order_by("pk"):
        try:
            with transaction.atomic():
                n += _bill_lease(lease, month=month, now=now)
        except Exception:  # one lease that cannot be billed is logged; it does not stop the others or the job
            log.exception("billing: lease %s could not be billed", lease.pk)
    return n


def _due(lease: Lease, month: date) -> tuple[dict[str, tuple[int, int]], int, int]:
    """What the lease was charged as deposit, the deposit it should hold, and the month's rent still to charge."""
    charged = _charged(lease=lease, kind=ChargeKind.LEASE_DEPOSIT)
    wants_deposit = lease.deposit_won if lease.status in RUNNING else 0
    rent = month_rent(lease, month) if lease.status in RUNNING else 0
    if rent and Charge.objects.filter(lease=lease, kind=ChargeKind.RENT, period=month).exists():
        rent = 0
    return charged, wants_deposit, rent


def _bill_lease(lease: Lease, *, month: date, now: datetime) -> int:
    charged, wants_deposit, rent = _due(lease, month)
    if charged.get(ChargeKind.LEASE_DEPOSIT, (0, 0))[0] == wants_deposit and not rent:
        return 0
    account = account_for_organisation(lease.organisation, now=now)
    charged, wants_deposit, rent = _due(lease, month)  # again under the company's lock: two runs never both add
    rent_due = bool(rent)
    made = _charge_for_differences(
        account,
        desired={ChargeKind.LEASE_DEPOSIT: (wants_deposit, 0)},
        current=charged,
        now=now,
        anchor_id=lease.space.anchor_id,
        lease=lease,
        description=f"{lease.space} {lease.starts_on}–{lease.ends_on}",
        is_example=lease.is_example,
    )
    if rent_due:
        made.append(
            Charge.objects.create(
                account=account,
                anchor_id=lease.space.anchor_id,
                kind=ChargeKind.RENT,
                lease=lease,
                period=month,
                amount_won=rent,
                at=now,
                description=_("%(space)s, rent of %(month)s") % {"space": lease.space, "month": f"{month:%Y-%m}"},
                is_example=lease.is_example,
            )
        )
    documents_issue(account=account, anchor_id=lease.space.anchor_id, now=now)
    return len(made)
