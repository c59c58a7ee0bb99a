from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def offer_freed_slot(resource_key: str, start: str, end: str) -> int:
    """A slot freed: offer it to the first maker waiting for it who could book it."""
    from reservations import selectors as reservation_selectors

    from . import services

    try:
        resource = reservation_selectors.resource_by_key(resource_key)
    except Exception:  # noqa: BLE001  the resource was deleted since: nothing to offer
        return 0
    offered = services.wait_offer_freed(
        resource=resource, start=datetime.fromisoformat(start), end=datetime.fromisoformat(end), now=timezone.now()
    )
    return len(offered)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def allocation_housekeeping() -> dict:
    """Periodic: draw the windows that have closed, lapse offers not taken in time (offering the slot to the next),
    end waits for slots that have begun."""
    from . import services

    now = timezone.now()
    return {"drawn": services.lottery_draw_due(now=now), **services.waits_housekeeping(now=now)}
