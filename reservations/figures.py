"""How the anchors are used, each figure computed here and nowhere else (the monthly report, the per-anchor
budget page, its exports and the dashboard all read these).

The rules (docs/figures.md says the same for readers of the pages):

- A reservation belongs to the period in which it starts.
- **Booked hours**: the length of reservations that are confirmed, checked in or completed. Requests not yet
  approved, cancellations, rejections, expired requests and no-shows are not booked hours. A programme's
  hold on its room counts: the room is in use.
- **Open hours**: the hours the anchor is open in the period (holidays and dated exceptions applied) times the
  number of its bookable spaces and machines (retired machines excluded).
- **Utilisation**: booked hours ÷ open hours.
- **Fee revenue**: the fees of reservations that are confirmed, checked in or completed, plus the charges kept
  on cancelled and no-show reservations (after any waiver). A no-show's fee is not revenue; its no-show
  charge is. A fee-exempt hold (a programme's room) has no fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from common.numbers import percent
from common.time import start_of_day
from facilities.models import Equipment, EquipmentStatus, Space
from facilities.selectors import open_hours_by_anchor

from .models import Reservation, Status

BOOKED = (Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED)
CHARGED = (Status.CANCELLED, Status.NO_SHOW)
DURATION = ExpressionWrapper(F("end_at") - F("start_at"), output_field=DurationField())
FEES = Coalesce(Sum("fee_won", filter=Q(status__in=BOOKED)), 0)
CHARGES = Coalesce(Sum("charge_won", filter=Q(status__in=CHARGED)), 0)
BOOKED_DURATION = Sum(DURATION, filter=Q(status__in=BOOKED))


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in Seoul."""
    return (
        start_of_day(first),
        start_of_day(last + timedelta(days=1)),
    )


def reservations_in(*, anchor_ids: list[int], first: date, last: date) -> QuerySet[Reservation]:
    start, end = period_bounds(first, last)
    return Reservation.objects.filter(anchor_id__in=anchor_ids, start_at__gte=start, start_at__lt=end)


def hours(d: timedelta | None) -> Decimal:
    return Decimal(int(d.total_seconds())) / 3600 if d else Decimal(0)


@dataclass(frozen=True)
class Usage:
    reservations: int  # every reservation that starts in the period, whatever its status
    booked_hours: Decimal
    open_hours: Decimal  # of one resource
    resources: int
    fees_won: int
    charges_won: int

    @property
    def fee_revenue_won(self) -> int:
        return self.fees_won + self.charges_won

    @property
    def capacity_hours(self) -> Decimal:
        return self.open_hours * self.resources

    @property
    def utilisation(self) -> Decimal | None:
        return percent(self.booked_hours, self.capacity_hours)


def bookable_by_kind(*, anchor_ids: list[int]) -> dict[tuple[int, str, str], int]:
    """Bookable spaces per (anchor, "space", space kind) and machines, retired ones excluded, per (anchor,
    "equipment", machine kind id as text): the resources open hours are multiplied by (2 queries)."""
    out: dict[tuple[int, str, str], int] = {}
    for row in (
        Space.objects.filter(anchor_id__in=anchor_ids, bookable=True)
        .values("anchor_id", "kind")
        .annotate(n=Count("pk"))
    ):
        out[(row["anchor_id"], "space", row["kind"])] = row["n"]
    for row in (
        Equipment.objects.filter(space__anchor_id__in=anchor_ids, bookable=True)
        .exclude(status=EquipmentStatus.RETIRED)
        .values("space__anchor_id", "kind_id")
        .annotate(n=Count("pk"))
    ):
        out[(row["space__anchor_id"], "equipment", str(row["kind_id"]))] = row["n"]
    return out


def bookable_resources(*, anchor_ids: list[int]) -> dict[int, int]:
    """Bookable spaces and machines (not retired) per anchor: what open hours are multiplied by."""
    out = {a: 0 for a in anchor_ids}
    for (anchor_id, _type, _kind), n in bookable_by_kind(anchor_ids=anchor_ids).items():
        out[anchor_id] += n
    return out


def usage_by_anchor(*, anchor_ids: list[int], first: date, last: date) -> dict[int, Usage]:
    """Each anchor's usage in the period: one grouped query for the reservations, whatever their number."""
    rows = {
        r["anchor_id"]: r
        for r in reservations_in(anchor_ids=anchor_ids, first=first, last=last)
        .values("anchor_id")
        .annotate(n=Count("pk"), booked=BOOKED_DURATION, fees=FEES, charges=CHARGES)
    }
    open_hours = open_hours_by_anchor(anchor_ids=anchor_ids, first=first, last=last)
    resources = bookable_resources(anchor_ids=anchor_ids)
    return {
        a: Usage(
            reservations=rows.get(a, {}).get("n", 0),
            booked_hours=hours(rows.get(a, {}).get("booked")),
            open_hours=open_hours[a],
            resources=resources[a],
            fees_won=rows.get(a, {}).get("fees", 0),
            charges_won=rows.get(a, {}).get("charges", 0),
        )
        for a in anchor_ids
    }


def booked_hours_by_space(qs: QuerySet[Reservation]) -> dict[int, Decimal]:
    return {
        r["space_id"]: hours(r["d"])
        for r in qs.filter(space__isnull=False).values("space_id").annotate(d=BOOKED_DURATION)
    }


def booked_hours_by_equipment_kind(qs: QuerySet[Reservation]) -> dict[tuple[int, int], Decimal]:
    """(equipment kind, anchor) → booked hours."""
    return {
        (r["equipment__kind_id"], r["anchor_id"]): hours(r["d"])
        for r in qs.filter(equipment__isnull=False)
        .values("equipment__kind_id", "anchor_id")
        .annotate(d=BOOKED_DURATION)
    }


@dataclass(frozen=True)
class CategoryRevenue:
    category: str
    reservations: int  # booked reservations of the category
    fees_won: int
    discounts_won: int


def fee_revenue_by_category(qs: QuerySet[Reservation]) -> tuple[list[CategoryRevenue], int]:
    """Fees of booked reservations by user category (with the discounts given), and the charges kept; the fees
    and the charges add up to the fee revenue of `usage_by_anchor`."""
    rows = [
        CategoryRevenue(r["discount_category"], r["n"], r["fees"], r["discounts"])
        for r in qs.filter(status__in=BOOKED)
        .values("discount_category")
        .annotate(n=Count("pk"), fees=Coalesce(Sum("fee_won"), 0), discounts=Coalesce(Sum("discount_won"), 0))
        .order_by("discount_category")
    ]
    charges = qs.aggregate(c=CHARGES)["c"]
    return rows, charges


def count_by_status(qs: QuerySet[Reservation]) -> dict[str, int]:
    return dict(qs.values("status").annotate(n=Count("pk")).values_list("status", "n"))


@dataclass(frozen=True)
class KindUsage:
    """A space kind's or machine kind's month at one anchor (the open-data file's kind rows)."""

    reservations: int  # every reservation that starts in the period, whatever its status
    booked_hours: Decimal
    cancellations: int
    no_shows: int
    fees_won: int
    charges_won: int

    @property
    def fee_revenue_won(self) -> int:
        return self.fees_won + self.charges_won


def usage_by_kind(qs: QuerySet[Reservation]) -> dict[tuple[int, str, str], KindUsage]:
    """(anchor, "space" or "equipment", the space kind or the machine kind's id as text) → its usage, in one grouped
    query, with the same rules as the anchor's figures (booked hours, fees and charges above)."""
    out = {}
    for r in qs.values("anchor_id", "space__kind", "equipment__kind_id").annotate(
        n=Count("pk"),
        booked=BOOKED_DURATION,
        fees=FEES,
        charges=CHARGES,
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        no_show=Count("pk", filter=Q(status=Status.NO_SHOW)),
    ):
        key = (
            (r["anchor_id"], "space", r["space__kind"])
            if r["space__kind"]
            else (r["anchor_id"], "equipment", str(r["equipment__kind_id"]))
        )
        out[key] = KindUsage(r["n"], hours(r["booked"]), r["cancelled"], r["no_show"], r["fees"], r["charges"])
    return out


def people_by(qs: QuerySet[Reservation], *fields: str) -> dict[tuple[Any, ...], int]:
    """The people behind reservations, grouped by `fields`: distinct makers, plus distinct guests (by name) the desk
    booked for. What the open data counts before it publishes a figure (no one may be singled out)."""
    out = {}
    for r in qs.values(*fields).annotate(
        makers=Count("user", distinct=True),
        guests=Count("guest_name", distinct=True, filter=Q(user__isnull=True)),
    ):
        out[tuple(r[f] for f in fields)] = r["makers"] + r["guests"]
    return out
