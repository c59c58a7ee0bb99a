"""Publishing a month of open data: computed from the selectors, small counts suppressed, stored as published."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.time import year_in_range

from . import selectors
from .models import OpenDataMonth


def threshold() -> int:
    """The smallest count published (OPEN_DATA_MIN_COUNT): 1 to this minus one is suppressed."""
    return max(2, int(getattr(settings, "OPEN_DATA_MIN_COUNT", 3)))


def previous_month(now: datetime) -> tuple[int, int]:
    first = timezone.localdate(now).replace(day=1)
    last_month = date(first.year - 1, 12, 1) if first.month == 1 else first.replace(month=first.month - 1)
    return last_month.year, last_month.month


def why_not_publish(*, year: int, month: int, now: datetime) -> str | None:
    """Why a month cannot be published now, or None."""
    if not (year_in_range(year) and 1 <= month <= 12):
        return _("Choose a month between 2000 and 2100.")
    if (year, month) > previous_month(now):
        return _("Only a month that has ended can be published.")
    return None


@transaction.atomic
def publish_month(*, year: int, month: int, now: datetime) -> OpenDataMonth:
    """Compute and publish a month (or publish it again: its files are replaced at the same addresses). Only a
    month that has ended in Seoul is published: a month under way would be read as a finished one."""
    reason = why_not_publish(year=year, month=month, now=now)
    if reason:
        raise ValidationError(reason)
    limit = threshold()
    rows = selectors.suppress(selectors.month_rows(year=year, month=month), threshold=limit)
    published, _created = OpenDataMonth.objects.select_for_update().update_or_create(
        year=year, month=month, defaults={"rows": rows, "generated_at": now, "threshold": limit}
    )
    return published
