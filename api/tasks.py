from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def api_housekeeping() -> dict:
    """Periodic: forget the answers kept for idempotency keys once they are a day old."""
    from . import services

    return {"idempotency_forgotten": services.idempotency_forget(now=timezone.now())}
