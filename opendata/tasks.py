from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def publish_previous_month() -> str:
    """On the 1st (Asia/Seoul): the open data of the month that has just ended (published again if it was)."""
    from . import services

    now = timezone.now()
    year, month = services.previous_month(now)
    return str(services.publish_month(year=year, month=month, now=now))
