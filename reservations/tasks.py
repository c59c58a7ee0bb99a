from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import notifications


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_reservation_email(reservation_id: int, kind: str) -> bool:
    return notifications.send_reservation_email(reservation_id=reservation_id, kind=kind)
