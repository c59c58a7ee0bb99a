"""Reminders of bookings: one outbox row per booking and offset, made when it is due, never twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min

from notifications.services import outbox_enqueue

from .models import BookingPolicy, Reservation, Status


def reminder_offsets() -> tuple[dict[int, list[int]], list[int]]:
    """Each anchor's reminder offsets (minutes before the start) and the default for anchors without a policy."""
    return {
        p.anchor_id: p.reminder_offsets or [] for p in BookingPolicy.objects.all()
    }, BookingPolicy().reminder_offsets


def reminders_schedule(*, now: datetime) -> int:
    """Queue the reminders that are due now: one per confirmed booking and offset.

    A booking made after its reminder time gets no reminder for that offset, and a job that was down sends
    only the nearest reminder that is due, not a stale day-before one as well.
    """
    offsets, default = reminder_offsets()
    horizon = now + timedelta(minutes=max([m for v in offsets.values() for m in v] + default))
    created = 0
    upcoming = (
        Reservation.objects.filter(status=Status.CONFIRMED, user__isnull=False, start_at__gt=now, start_at__lte=horizon)
        .annotate(booked_at=Min("events__at"))
        .only("pk", "user_id", "anchor_id", "start_at")
    )
    for r in upcoming:
        due_offsets = [
            m
            for m in offsets.get(r.anchor_id, default)
            if r.start_at - timedelta(minutes=m) <= now and (r.booked_at or now) <= r.start_at - timedelta(minutes=m)
        ]
        for minutes in sorted(due_offsets)[:1]:
            row = outbox_enqueue(
                key=f"reminder:{r.pk}:{minutes}",
                kind="reminder",
                user_id=r.user_id,
                object_id=r.pk,
                offset_minutes=minutes,
                due_at=r.start_at - timedelta(minutes=minutes),
                anchor_id=r.anchor_id,
                now=now,
            )
            created += row is not None
    return created
