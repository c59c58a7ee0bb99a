"""The portal's time zone and the time helpers every app uses.

The portal runs in Seoul: opening hours, rate-table evenings, report months and the days of a booking are Seoul's.
A request or task takes `now` once (`timezone.now()`) and passes it down; these helpers never read the clock.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
# The years a date typed into the portal (a form, an address, the API) may fall in: far dates would overflow the
# week and slot arithmetic, and no booking or report needs them.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def start_of_day(day: date) -> datetime:
    """Midnight at the start of the day in Seoul."""
    return datetime.combine(day, time(0), tzinfo=SEOUL)
