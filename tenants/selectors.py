"""Tenancy's reads: the occupancy board, the companies of an anchor, who is a tenant, an application's average score,
and the occupancy figures every page, export and report uses (`occupancy_by_anchor`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from accounts.models import User
from anchors.models import Anchor
from common.numbers import percent
from facilities.models import Space, SpaceKind

from .models import OCCUPYING, Lease, LeaseStatus, Organisation, TenantApplication


def application_average_score(application: TenantApplication) -> float | None:
    """The mean of the reviewers' scores, None before the first review."""
    avg = application.reviews.aggregate(avg=Avg("score"))["avg"]
    return None if avg is None else float(avg)


@dataclass
class Occupancy:
    space: Space
    current: Lease | None
    upcoming: Lease | None

    @property
    def vacant(self) -> bool:
        return self.current is None


def occupancy_board(*, anchor: Anchor, today: date) -> list[Occupancy]:
    """Each start-up space of an anchor: who is in and until when, who comes next, or vacant (2 queries)."""
    leases = (
        Lease.objects.filter(status__in=OCCUPYING, ends_on__gte=today)
        .select_related("organisation", "rate_version")
        .order_by("starts_on")
    )
    spaces = (
        Space.objects.filter(anchor=anchor, kind=SpaceKind.STARTUP_SPACE)
        .prefetch_related(Prefetch("leases", queryset=leases, to_attr="open_leases"))
        .order_by("sort_order", "name_en")
    )
    board = []
    for s in spaces:
        current = next((lease for lease in s.open_leases if lease.starts_on <= today), None)
        upcoming = next((lease for lease in s.open_leases if lease.starts_on > today), None)
        board.append(Occupancy(space=s, current=current, upcoming=upcoming))
    return board


def companies_of(*, anchor: Anchor) -> QuerySet[Organisation]:
    """Every company that has leased a start-up space at the anchor (who reports KPIs there)."""
    return Organisation.objects.filter(leases__space__anchor=anchor).distinct().order_by("name")


def is_tenant_member(user: User, anchor: Anchor | None = None) -> bool:
    q = Q(leases__status__in=[LeaseStatus.ACTIVE, LeaseStatus.ENDING])
    if anchor is not None:
        q &= Q(leases__space__anchor=anchor)
    return Organisation.objects.filter(q, memberships__user=user).exists()


# --- figures -------------------------------------------------------------------------------------

# A lease counts as occupancy from the day staff start it (active) to its real end, ended leases included for the
# days they ran; a lease still waiting to start (applied) does not.
IN_FORCE = (LeaseStatus.ACTIVE, LeaseStatus.ENDING, LeaseStatus.ENDED)


@dataclass(frozen=True)
class OccupancyFigures:
    startup_spaces: int
    occupied_spaces: int  # start-up spaces with a lease in force on at least one day of the period
    tenants: int  # companies with such a lease

    @property
    def occupancy(self) -> Decimal | None:
        return percent(self.occupied_spaces, self.startup_spaces)


def occupancy_by_anchor(*, anchor_ids: list[int], first: date, last: date) -> dict[int, OccupancyFigures]:
    """Start-up spaces, those occupied in the period and the tenant companies, per anchor (2 grouped queries)."""
    spaces = dict(
        Space.objects.filter(anchor_id__in=anchor_ids, kind=SpaceKind.STARTUP_SPACE)
        .values("anchor_id")
        .annotate(n=Count("pk"))
        .values_list("anchor_id", "n")
    )
    leased = {
        r["space__anchor_id"]: r
        for r in Lease.objects.filter(
            space__anchor_id__in=anchor_ids, status__in=IN_FORCE, starts_on__lte=last, ends_on__gte=first
        )
        .values("space__anchor_id")
        .annotate(spaces=Count("space", distinct=True), tenants=Count("organisation", distinct=True))
    }
    return {
        a: OccupancyFigures(
            startup_spaces=spaces.get(a, 0),
            occupied_spaces=leased.get(a, {}).get("spaces", 0),
            tenants=leased.get(a, {}).get("tenants", 0),
        )
        for a in anchor_ids
    }
