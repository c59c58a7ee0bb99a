"""Reminders of programme sessions: one outbox row per session, maker and offset, never twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from notifications.services import outbox_enqueue
from reservations.reminders import reminder_offsets

from .models import RegistrationStatus, Session


def session_reminders_schedule(*, now: datetime) -> int:
    offsets, default = reminder_offsets()
    horizon = now + timedelta(minutes=max([m for v in offsets.values() for m in v] + default))
    created = 0
    sessions = Session.objects.filter(starts_at__gt=now, starts_at__lte=horizon).select_related("programme")
    for s in sessions:
        regs = s.programme.registrations.filter(status=RegistrationStatus.REGISTERED).only("user_id", "created_at")
        for reg in regs:
            for minutes in offsets.get(s.programme.anchor_id, default):
                due = s.starts_at - timedelta(minutes=minutes)
                if due > now or reg.created_at > due:
                    continue
                row = outbox_enqueue(
                    key=f"session:{s.pk}:{reg.user_id}:{minutes}",
                    kind="session-reminder",
                    user_id=reg.user_id,
                    object_id=s.pk,
                    offset_minutes=minutes,
                    due_at=due,
                    anchor_id=s.programme.anchor_id,
                    now=now,
                )
                created += row is not None
    return created
