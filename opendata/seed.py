"""`make run`: the month that has just ended is published, so the open-data page of a fresh portal has a file."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from . import selectors, services


def load(*, now: datetime) -> Counter:
    tally: Counter = Counter()
    year, month = services.previous_month(now)
    if selectors.published_month(year=year, month=month) is None:
        services.publish_month(year=year, month=month, now=now)
        tally["open-data month published"] += 1
    return tally
