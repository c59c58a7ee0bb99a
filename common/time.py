"""The portal's time zone and the time helpers every app uses.

The portal runs in Seoul: opening hours, rate-table evenings, report months and the days of a booking are Seoul's.
A request or task takes `now` once (`timezone.now()`) and passes it down; these helpers never read the clock.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def start_of_day(day: date) -> datetime:
    """Midnight at the start of the day in Seoul."""
    return datetime.combine(day, time(0), tzinfo=SEOUL)
