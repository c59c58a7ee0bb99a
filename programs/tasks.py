from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def programme_housekeeping() -> dict:
    """Periodic: queue the session reminders that are due; fill places freed by a larger capacity."""
    from . import reminders, services

    now = timezone.now()
    return {
        "reminders": reminders.session_reminders_schedule(now=now),
        "promoted": services.promote_waitlists(now=now),
    }
