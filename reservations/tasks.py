from __future__ import annotations

from celery import shared_task

from . import outbox, services


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def send_outbox_message(outbox_id: int) -> str:
    """Send one queued message now (claimed once; a second run finds it taken)."""
    return outbox.send_one(outbox_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def process_outbox() -> dict:
    """Periodic: create the reminders that are due and send every due or retrying message."""
    return outbox.process_outbox()


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def housekeeping() -> dict:
    """Periodic: expire unapproved requests past their hold, mark no-shows after the grace period."""
    return {"expired": services.reservations_expire_requests(), "no_shows": services.reservations_mark_no_shows()}
