from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from anchors.models import Anchor

from .models import Notification, Outbox, OutboxStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def outbox_for_anchor(*, anchor: Anchor, limit: int = 100) -> list[Outbox]:
    """An anchor's messages that are waiting, being retried or given up (what staff need to look at)."""
    return list(
        Outbox.objects.filter(anchor=anchor)
        .exclude(status__in=[OutboxStatus.SENT, OutboxStatus.SKIPPED])
        .select_related("user")
        .order_by("-due_at", "-pk")[:limit]
    )


def notifications_for(*, user: User, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])


def unread_count(*, user: User | AnonymousUser | None) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def sent_for(*, kind_prefix: str, object_id: int) -> QuerySet[Outbox]:
    return Outbox.objects.filter(kind__startswith=kind_prefix, object_id=object_id, status=OutboxStatus.SENT)
