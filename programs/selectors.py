from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from anchors.models import Anchor
from anchors.policy import may
from facilities.models import EquipmentKind

from .models import Attendance, Outcome, Programme, Registration, RegistrationStatus, Session, TrainingAlert

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def upcoming_programmes(
    *, now: datetime, anchor: Anchor | None = None, certifies: EquipmentKind | None = None
) -> QuerySet[Programme]:
    """Published programmes with a session still to come, soonest first, with their counts (fixed queries); with
    `certifies`, only the safety trainings for that kind of machine (at any anchor: a certification counts
    city-wide)."""
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
    if certifies is not None:
        qs = qs.filter(certifies=certifies)
    return qs.filter(anchor=anchor) if anchor is not None else qs


def programme_detail(*, pk: int) -> Programme:
    return (
        Programme.objects.select_related("anchor", "certifies")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.select_related("space").order_by("starts_at")))
        .get(pk=pk)
    )


def programme_for_viewer(*, pk: int, user: User | AnonymousUser) -> Programme:
    """A programme as its page shows it: an unpublished one only to its anchor's staff (anyone else: 404)."""
    try:
        programme = programme_detail(pk=pk)
    except Programme.DoesNotExist as err:
        raise Http404 from err
    if not programme.is_published and not may(user, "programs.manage_anchor", programme.anchor):
        raise Http404
    return programme


def registration_counts(*, programme: Programme) -> tuple[int, int]:
    """(registered, waiting) of a programme: its places taken and its waiting list (1 query)."""
    counts = programme.registrations.aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
    return counts["registered"], counts["waiting"]


def live_registration(*, programme: Programme, user: User | AnonymousUser) -> Registration | None:
    if not user.is_authenticated:
        return None
    return programme.registrations.filter(
        user=user, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    ).first()


def my_programmes(*, user: User) -> QuerySet[Registration]:
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


# --- figures -------------------------------------------------------------------------------------


def attended_count(*, programme: Programme) -> int:
    """People marked as attending at least one session of the programme."""
    return (
        Attendance.objects.filter(session__programme=programme, attended=True).values("registration").distinct().count()
    )


@dataclass(frozen=True)
class ProgrammeFigures:
    programmes: int  # programmes with a session starting in the period
    sessions: int
    participants: int  # people attending at least one of those sessions, counted once per programme
    matches: int  # outcomes recorded for those programmes
    jobs_created: int


def programme_figures_by_anchor(
    *, anchor_ids: list[int], start: datetime, end: datetime
) -> dict[int, ProgrammeFigures]:
    """Per anchor, what its programmes delivered in [start, end) (3 grouped queries, whatever the data)."""
    sessions = Session.objects.filter(programme__anchor_id__in=anchor_ids, starts_at__gte=start, starts_at__lt=end)
    held = {
        r["programme__anchor_id"]: r
        for r in sessions.values("programme__anchor_id").annotate(
            programmes=Count("programme", distinct=True), sessions=Count("pk")
        )
    }
    people = dict(
        Attendance.objects.filter(session__in=sessions, attended=True)
        .values("session__programme__anchor_id")
        .annotate(n=Count("registration", distinct=True))
        .values_list("session__programme__anchor_id", "n")
    )
    outcomes = {
        r["programme__anchor_id"]: r
        for r in Outcome.objects.filter(programme__in=sessions.values("programme"))
        .values("programme__anchor_id")
        .annotate(m=Sum("matches"), j=Sum("jobs_created"))
    }
    return {
        a: ProgrammeFigures(
            programmes=held.get(a, {}).get("programmes", 0),
            sessions=held.get(a, {}).get("sessions", 0),
            participants=people.get(a, 0),
            matches=outcomes.get(a, {}).get("m") or 0,
            jobs_created=outcomes.get(a, {}).get("j") or 0,
        )
        for a in anchor_ids
    }


def waiting_training_alert(*, user: User | AnonymousUser, kind: EquipmentKind) -> TrainingAlert | None:
    """The maker's open "tell me when a training for this kind is scheduled" request, if any."""
    if not user.is_authenticated:
        return None
    return TrainingAlert.objects.filter(user=user, kind=kind, notified_at__isnull=True).first()


def training_demand() -> list[tuple[EquipmentKind, int]]:
    """Kinds of machine with makers waiting to be told of a training, and how many wait, most first (1 query)."""
    kinds = (
        EquipmentKind.objects.annotate(
            waiting=Count("training_alerts", filter=Q(training_alerts__notified_at__isnull=True))
        )
        .filter(waiting__gt=0)
        .order_by("-waiting", "name_ko")
    )
    return [(k, k.waiting) for k in kinds]
