"""How the outbox renders programme messages: session reminders, a session moved, a place from the waiting list."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.registry import Message, renderer

from .models import Programme, Registration, RegistrationStatus, Session


def _session(pk: int) -> Session | None:
    return Session.objects.select_related("programme__anchor", "space").filter(pk=pk).first()


def _registered(session: Session, user_id: int) -> bool:
    return session.programme.registrations.filter(user_id=user_id, status=RegistrationStatus.REGISTERED).exists()


def _session_line(s: Session) -> str:
    when = timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M")
    return f"{s.programme.title} · {s.programme.anchor.name} · {s.space.name} · {when}"


@renderer("session-reminder")
def render_session_reminder(row, now: datetime) -> Message | None:
    s = _session(row.object_id)
    if s is None or s.starts_at <= now or not _registered(s, row.user_id):
        return None
    title = _("Reminder: %(title)s starts soon") % {"title": s.programme.title}
    line = _session_line(s)
    return Message(
        subject=f"[{s.programme.anchor.name}] {title}",
        text=f"{line}\n{settings.SITE_URL}{s.programme.get_absolute_url()}\n",
        title=title,
        body=line,
        url=s.programme.get_absolute_url(),
    )


@renderer("session-moved")
def render_session_moved(row, now: datetime) -> Message | None:
    s = _session(row.object_id)
    if s is None or s.starts_at <= now or not _registered(s, row.user_id):
        return None
    title = _("%(title)s: a session has a new time or room") % {"title": s.programme.title}
    line = _session_line(s)
    return Message(
        subject=f"[{s.programme.anchor.name}] {title}",
        text=_("The session now takes place at: %(line)s") % {"line": line}
        + f"\n{settings.SITE_URL}{s.programme.get_absolute_url()}\n",
        title=title,
        body=line,
        url=s.programme.get_absolute_url(),
    )


@renderer("promotion")
def render_promotion(row, now: datetime) -> Message | None:
    reg = Registration.objects.select_related("user", "programme__anchor").filter(pk=row.object_id).first()
    if reg is None or reg.status != RegistrationStatus.REGISTERED:
        return None
    context = {"reg": reg, "p": reg.programme, "base_url": settings.SITE_URL}
    return Message(
        subject=render_to_string("programs/email/promoted_subject.txt", context).strip(),
        text=render_to_string("programs/email/promoted.txt", context),
        html=render_to_string("programs/email/promoted.html", context),
        title=_("A place freed up: you are registered for %(title)s") % {"title": reg.programme.title},
        url=reg.programme.get_absolute_url(),
    )


@renderer("training-scheduled")
def render_training_scheduled(row, now: datetime) -> Message | None:
    """A maker asked to be told when a training for a kind of machine is scheduled: this one is."""
    p = (
        Programme.objects.select_related("anchor", "certifies")
        .filter(pk=row.object_id, is_published=True, sessions__ends_at__gt=now)
        .first()
    )
    if p is None or p.certifies is None:
        return None
    first = p.sessions.filter(ends_at__gt=now).select_related("space").order_by("starts_at").first()
    title = _("A safety training for %(kind)s is scheduled") % {"kind": p.certifies.name}
    line = _session_line(first) if first is not None else p.title
    example = " ({})".format(_("example data")) if p.is_example else ""
    return Message(
        subject=f"[{p.anchor.name}] {title}",
        text=_("You asked to be told: %(line)s%(example)s. Register on its page:") % {"line": line, "example": example}
        + f"\n{settings.SITE_URL}{p.get_absolute_url()}\n",
        title=title,
        body=line + example,
        url=p.get_absolute_url(),
    )
