"""Every e-mail the portal sends, and every in-portal notification, goes through here.

1. `outbox_enqueue` makes a row with a unique key: asking twice for the same message makes one row.
2. `outbox_send` claims the row with a compare-and-swap before anything is sent, renders it in the
   recipient's language, hands it to the mail server with a Message-ID derived from the key, then records
   the in-portal notification (at most one per row) and marks the row sent.
3. Mail errors are retried with backoff; after MAX_ATTEMPTS the row shows as given up on the staff's
   outbox page.

Delivery is at least once, not exactly once: if the process dies after the mail server accepted the
message and before the row is marked, the claim goes stale and the message is sent again, with the same
Message-ID. Nothing else (a job run twice, two workers racing, a retry after an error raised before the
send) sends a message twice.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from common import pagecache
from common.broker import hand_over
from common.db import insert_unless_taken

from . import registry
from .models import Notification, Outbox, OutboxStatus

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def stale_after() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_STALE_SECONDS)


def message_id(key: str) -> str:
    """The same Message-ID for every delivery of one outbox row, so a repeat can be recognised and dropped."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.MESSAGE_ID_DOMAIN}>"


def _kick(pk: int) -> None:
    """Ask a worker to send now; if the broker is down the row waits for the periodic run."""

    from .tasks import outbox_send_task  # the one real cycle: the task calls these services

    hand_over(outbox_send_task, pk)


def outbox_enqueue(
    *,
    key: str,
    kind: str,
    user_id: int,
    object_id: int,
    now: datetime,
    due_at: datetime | None = None,
    anchor_id: int | None = None,
    offset_minutes: int | None = None,
) -> Outbox | None:
    """Queue one message once: a second call with the same key makes nothing and returns None.

    A message due now is handed to a worker when the surrounding transaction commits, so a refused
    action (rolled back) never sends anything.
    """
    row = Outbox(
        key=key,
        kind=kind,
        user_id=user_id,
        object_id=object_id,
        due_at=due_at or now,
        anchor_id=anchor_id,
        offset_minutes=offset_minutes,
        created_at=now,
    )
    if not insert_unless_taken(row, unique_field="key"):
        return None
    if row.due_at <= now:
        transaction.on_commit(lambda: _kick(row.pk))
    return row


def _claimable(now: datetime) -> Q:
    return (
        Q(status=OutboxStatus.PENDING, due_at__lte=now)
        | Q(status=OutboxStatus.FAILED, next_attempt_at__lte=now)
        | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - stale_after())
    )


def due_rows(*, now: datetime, limit: int = 500) -> list[int]:
    return list(Outbox.objects.filter(_claimable(now)).order_by("due_at", "pk").values_list("pk", flat=True)[:limit])


def _claim(pk: int, now: datetime) -> bool:
    return Outbox.objects.filter(_claimable(now), pk=pk).update(status=OutboxStatus.SENDING, claimed_at=now) == 1


def _mail(row: Outbox, message: registry.Message) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[row.user.email],
        headers={"Message-ID": message_id(row.key)},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for name, content, mimetype in message.attachments:
        email.attach(name, content, mimetype)
    email.send()


@transaction.atomic
def _record(row: Outbox, message: registry.Message, now: datetime) -> None:
    if message.title:
        Notification.objects.get_or_create(
            outbox=row,
            defaults={
                "user_id": row.user_id,
                "title": message.title[:200],
                "body": message.body,
                "url": message.url,
                "created_at": now,
            },
        )
    Outbox.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENT, sent_at=now, attempts=row.attempts + 1, last_error=""
    )


def outbox_send(*, pk: int, now: datetime) -> str:
    """Claim one row and deliver it; returns what happened ("sent", "skipped", "failed", "not-claimed"...)."""
    if not _claim(pk, now):
        return "not-claimed"
    row = Outbox.objects.select_related("user").get(pk=pk)
    try:
        with translation.override(row.user.preferred_language or settings.LANGUAGE_CODE):
            message = registry.render(row, now)
        if message is None or not row.user.email or not row.user.is_active:
            Outbox.objects.filter(pk=pk).update(status=OutboxStatus.SKIPPED, attempts=row.attempts + 1)
            return OutboxStatus.SKIPPED
        _mail(row, message)
        # The dangerous moment: the mail has left; if the process dies here, the stale claim is taken up again
        # and the message goes out a second time with the same Message-ID (at least once, documented).
        _record(row, message, now)
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
    return OutboxStatus.SENT


def outbox_deliver_due(*, now: datetime) -> dict[str, int]:
    """Send every row that is due, retrying or left by a dead worker; safe to run twice or in parallel."""
    counts: dict[str, int] = {}
    for pk in due_rows(now=now):
        status = outbox_send(pk=pk, now=now)
        counts[status] = counts.get(status, 0) + 1
    return counts


@transaction.atomic
def notifications_mark_read(*, user: User, now: datetime) -> int:
    pagecache.touch(catalogue=False)  # update() sends no signal; notifications are not the catalogue
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
