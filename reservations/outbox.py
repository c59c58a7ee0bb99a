"""Reminders and notices, sent exactly once per row through the Outbox table.

Every message is a row first (a reminder's key is "reminder:<reservation>:<offset>", unique), then a
compare-and-swap claims it before anything is sent, so a job that runs twice, two workers that race, or
a retry after a crash never send a reminder twice. Mail errors are retried with backoff; after the
last attempt the row shows as failed on the staff's outbox page. Without a broker (Redis down, or the
embedded default) rows simply wait for the next periodic run.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone

from accounts.models import Notification

from . import notifications
from .models import BookingPolicy, Outbox, OutboxStatus, Reservation, Status

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "OUTBOX_STALE_SECONDS", 600))


def _kick(pk: int) -> None:
    """Ask a worker to send now; if the broker is down the row waits for the periodic run."""
    from .tasks import send_outbox_message

    try:
        send_outbox_message.delay(pk)
    except Exception as err:  # kombu/redis raise several types when the broker is unreachable
        log.warning("broker unavailable, message %s waits for the periodic run: %s", pk, err)


def enqueue_notice(reservation: Reservation, kind: str, *, now: datetime | None = None) -> Outbox | None:
    if reservation.user_id is None:
        return None
    now = now or timezone.now()
    row = Outbox.objects.create(
        key=f"notice:{reservation.pk}:{kind}:{uuid.uuid4().hex[:12]}",
        kind=f"notice:{kind}",
        user_id=reservation.user_id,
        object_id=reservation.pk,
        due_at=now,
        anchor_id=reservation.anchor_id,
    )
    transaction.on_commit(lambda: _kick(row.pk))
    return row


def schedule_due_reminders(*, now: datetime | None = None) -> int:
    """Create the reminder rows that are due now: one per confirmed booking and offset, never twice.

    A booking made after its reminder time gets no reminder for that offset.
    """
    now = now or timezone.now()
    offsets = {p.anchor_id: p.reminder_offsets or [] for p in BookingPolicy.objects.all()}
    default = BookingPolicy().reminder_offsets
    horizon = now + timedelta(minutes=max([m for v in offsets.values() for m in v] + default))
    created = 0
    upcoming = (
        Reservation.objects.filter(status=Status.CONFIRMED, user__isnull=False, start_at__gt=now, start_at__lte=horizon)
        .annotate(booked_at=Min("events__at"))
        .only("pk", "user_id", "anchor_id", "start_at")
    )
    for r in upcoming:
        # Only the nearest reminder that is due: a job that was down does not send a stale day-before one too.
        due_offsets = [
            m
            for m in offsets.get(r.anchor_id, default)
            if r.start_at - timedelta(minutes=m) <= now and (r.booked_at or now) <= r.start_at - timedelta(minutes=m)
        ]
        for minutes in sorted(due_offsets)[:1]:
            due = r.start_at - timedelta(minutes=minutes)
            created += _create_once(
                key=f"reminder:{r.pk}:{minutes}",
                kind="reminder",
                user_id=r.user_id,
                object_id=r.pk,
                offset_minutes=minutes,
                due_at=due,
                anchor_id=r.anchor_id,
            )
    return created


def offsets_by_anchor() -> tuple[dict[int, list[int]], list[int]]:
    return {
        p.anchor_id: p.reminder_offsets or [] for p in BookingPolicy.objects.all()
    }, BookingPolicy().reminder_offsets


# Apps built on reservations (programmes) register how to deliver their own kinds of row.
DELIVERERS: dict = {}


def register_deliverer(kind: str, fn) -> None:
    DELIVERERS[kind] = fn


def create_once(**fields) -> int:
    return _create_once(**fields)


def _create_once(**fields) -> int:
    try:
        with transaction.atomic():
            Outbox.objects.create(**fields)
    except IntegrityError:
        return 0
    return 1


def due_rows(*, now: datetime) -> list[int]:
    return list(
        Outbox.objects.filter(
            Q(status=OutboxStatus.PENDING, due_at__lte=now)
            | Q(status=OutboxStatus.FAILED, next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - stale_after())
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:500]
    )


def _claim(pk: int, now: datetime) -> bool:
    claimable = Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - stale_after()
    )
    return Outbox.objects.filter(claimable, pk=pk).update(status=OutboxStatus.SENDING, claimed_at=now) == 1


def send_one(pk: int, *, now: datetime | None = None) -> str:
    """Claim one row and send it; returns the row's final status."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return "not-claimed"
    row = Outbox.objects.select_related("user").get(pk=pk)
    try:
        sent = _deliver(row, now)
    except Exception as err:  # a mail server refusing, a timeout: retried with backoff, then shown to staff
        attempts = row.attempts + 1
        status = OutboxStatus.GAVE_UP if attempts >= MAX_ATTEMPTS else OutboxStatus.FAILED
        Outbox.objects.filter(pk=pk).update(
            status=status,
            attempts=attempts,
            last_error=str(err)[:300],
            next_attempt_at=now + timedelta(minutes=2**attempts),
        )
        log.warning("outbox %s attempt %s failed: %s", pk, attempts, err)
        return status
    status = OutboxStatus.SENT if sent else OutboxStatus.SKIPPED
    Outbox.objects.filter(pk=pk).update(status=status, sent_at=now if sent else None, attempts=row.attempts + 1)
    return status


def _deliver(row: Outbox, now: datetime) -> bool:
    if row.kind in DELIVERERS:
        return DELIVERERS[row.kind](row, now)
    r = (
        Reservation.objects.select_related("anchor", "space", "equipment__kind", "user")
        .filter(pk=row.object_id)
        .first()
    )
    if r is None:
        return False
    if row.kind == "reminder":
        # No reminder for a booking cancelled, rejected or moved since the row was made.
        if (
            r.status != Status.CONFIRMED
            or r.start_at <= now
            or r.start_at - timedelta(minutes=row.offset_minutes) != row.due_at
        ):
            return False
        kind = "reminder"
    else:
        kind = row.kind.split(":", 1)[1]
    title, url = notifications.send_reservation_email(reservation=r, kind=kind), r.get_absolute_url()
    if title:
        Notification.objects.create(
            user_id=row.user_id,
            title=title,
            url=url,
            body=f"{r.resource.name} · {timezone.localtime(r.start_at):%Y-%m-%d %H:%M}",
        )
    return bool(title)


def process_outbox(*, now: datetime | None = None) -> dict[str, int]:
    """What beat runs every few minutes: create due reminders, then send every due row once."""
    now = now or timezone.now()
    created = schedule_due_reminders(now=now)
    counts: dict[str, int] = {"created": created}
    for pk in due_rows(now=now):
        status = send_one(pk, now=now)
        counts[status] = counts.get(status, 0) + 1
    return counts


def outbox_for_anchor(anchor) -> list[Outbox]:
    return list(
        Outbox.objects.filter(anchor=anchor)
        .exclude(status__in=[OutboxStatus.SENT, OutboxStatus.SKIPPED])
        .select_related("user")
        .order_by("-due_at")[:100]
    )
