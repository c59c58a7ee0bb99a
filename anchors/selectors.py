from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.roles import Role

from .models import Anchor, District, Milestone


def anchor_list() -> QuerySet[Anchor]:
    return Anchor.objects.select_related("district").order_by("sort_order", "name_en")


def anchor_detail(*, slug: str) -> Anchor:
    """One anchor with everything its public page shows, in a fixed number of queries."""
    return (
        Anchor.objects.select_related("district")
        .prefetch_related(
            "contacts",
            "contracts",
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "pk")),
        )
        .get(slug=slug)
    )


def district_list() -> QuerySet[District]:
    return District.objects.order_by("name_en")


def programme_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.filter(anchor__isnull=True).order_by("date", "pk")


def staff_ids(*, anchor: Anchor) -> list[int]:
    """The active facility-staff users assigned to an anchor (who get its staff alerts)."""

    return list(
        anchor.staff_assignments.filter(user__is_active=True, user__groups__name=Role.FACILITY_STAFF)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
