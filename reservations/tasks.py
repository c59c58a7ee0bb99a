from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def booking_housekeeping() -> dict:
    """Periodic: expire unapproved requests past their hold, mark no-shows, queue the reminders that are due."""
    from . import reminders, services

    now = timezone.now()
    return {
        "expired": services.reservations_expire_requests(now=now),
        "no_shows": services.reservations_mark_no_shows(now=now),
        "reminders": reminders.reminders_schedule(now=now),
    }
