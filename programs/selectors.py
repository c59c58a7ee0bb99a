from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from anchors.models import Anchor

from .models import Programme, Registration, RegistrationStatus, Session


def upcoming_programmes(*, anchor: Anchor | None = None, now: datetime | None = None) -> QuerySet[Programme]:
    """Published programmes with a session still to come, soonest first, with their counts (fixed queries)."""
    now = now or timezone.now()
    qs = (
        Programme.objects.filter(is_published=True, sessions__ends_at__gte=now)
        .annotate(
            first_start=Min("sessions__starts_at", filter=Q(sessions__ends_at__gte=now)),
            registered=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED), distinct=True
            ),
            waitlisted=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED), distinct=True
            ),
        )
        .select_related("anchor", "certifies")
        .order_by("first_start", "pk")
    )
    return qs.filter(anchor=anchor) if anchor is not None else qs


def programme_detail(*, pk: int) -> Programme:
    return (
        Programme.objects.select_related("anchor", "certifies")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.select_related("space").order_by("starts_at")))
        .get(pk=pk)
    )


def live_registration(*, programme: Programme, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return programme.registrations.filter(
        user=user, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    ).first()


def my_programmes(*, user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("programme__anchor")
        .annotate(first_start=Min("programme__sessions__starts_at"))
        .order_by("-first_start")
    )


def participants(*, programme: Programme) -> QuerySet[Registration]:
    return (
        programme.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("user")
        .prefetch_related("attendance")
    )
