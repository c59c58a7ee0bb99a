"""A maker's private calendar feed: its secret address, made or replaced."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from ..models import CalendarFeed, new_feed_token

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def calendar_feed_reset(*, user: User, now: datetime) -> tuple[CalendarFeed, bool]:
    """Create the maker's private calendar feed, or replace its secret so the old address stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user, defaults={"created_at": now})
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token", "updated_at"])
    return feed, created
