"""Reminders of programme sessions, through the reservations outbox (one row per session, maker and offset)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification
from reservations import outbox

from .models import RegistrationStatus, Session


def schedule_session_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    offsets, default = outbox.offsets_by_anchor()
    horizon = now + timedelta(minutes=max([m for v in offsets.values() for m in v] + default))
    created = 0
    sessions = Session.objects.filter(starts_at__gt=now, starts_at__lte=horizon).select_related("programme")
    for s in sessions:
        regs = s.programme.registrations.filter(status=RegistrationStatus.REGISTERED).only("user_id", "created_at")
        for reg in regs:
            for minutes in offsets.get(s.programme.anchor_id, default):
                due = s.starts_at - timedelta(minutes=minutes)
                if due > now or reg.created_at > due:
                    continue
                created += outbox.create_once(
                    key=f"session:{s.pk}:{reg.user_id}:{minutes}",
                    kind="session-reminder",
                    user_id=reg.user_id,
                    object_id=s.pk,
                    offset_minutes=minutes,
                    due_at=due,
                    anchor_id=s.programme.anchor_id,
                )
    return created


def deliver_session_reminder(row, now: datetime) -> bool:
    s = Session.objects.select_related("programme__anchor", "space").filter(pk=row.object_id).first()
    if s is None or s.starts_at <= now:
        return False
    if not s.programme.registrations.filter(user_id=row.user_id, status=RegistrationStatus.REGISTERED).exists():
        return False
    user = row.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        title = _("Reminder: %(title)s starts soon") % {"title": s.programme.title}
        when = timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M")
        body = f"{s.programme.title} · {s.programme.anchor.name} · {s.space.name} · {when}\n{settings.SITE_URL}{s.programme.get_absolute_url()}"
    send_mail(f"[{s.programme.anchor.name}] {title}", body, None, [user.email])
    Notification.objects.create(user=user, title=title, body=body.splitlines()[0], url=s.programme.get_absolute_url())
    return True
