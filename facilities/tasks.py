from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def certification_warnings() -> int:
    """Daily: warn makers whose equipment certification expires within 30 days (once each)."""
    from . import services

    return services.certifications_warn_expiring(now=timezone.now())
