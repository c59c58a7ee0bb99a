from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def outbox_send_task(outbox_id: int) -> str:
    """Send one queued message now (claimed once; a second run finds it taken)."""
    from . import services

    return services.outbox_send(pk=outbox_id, now=timezone.now())


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def outbox_deliver_due_task() -> dict:
    """Periodic: send every message that is due, being retried, or left behind by a worker that died."""
    from . import services

    return services.outbox_deliver_due(now=timezone.now())
