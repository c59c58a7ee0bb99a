from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Registration


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, ConnectionError, TimeoutError), retry_backoff=True, max_retries=6
)
def send_promotion_email(registration_id: int) -> bool:
    """Tell a maker, in their language, that a place freed up and they moved from the waiting list."""
    reg = Registration.objects.select_related("user", "programme__anchor").filter(pk=registration_id).first()
    if reg is None or not reg.user.email:
        return False
    with translation.override(reg.user.preferred_language or settings.LANGUAGE_CODE):
        context = {"reg": reg, "p": reg.programme, "base_url": settings.SITE_URL}
        subject = render_to_string("programs/email/promoted_subject.txt", context).strip()
        body = render_to_string("programs/email/promoted.txt", context)
        html = render_to_string("programs/email/promoted.html", context)
    send_mail(subject, body, None, [reg.user.email], html_message=html)
    return True


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def programme_housekeeping() -> dict:
    """Periodic: remind registered makers of their sessions; fill places freed by a larger capacity."""
    from reservations import outbox

    from . import reminders, services

    created = reminders.schedule_session_reminders()
    sent = sum(1 for pk in outbox.due_rows(now=timezone.now()) if outbox.send_one(pk) == "sent")
    return {"reminders_created": created, "sent": sent, "promoted": services.promote_waitlists()}
