from __future__ import annotations

from datetime import datetime

from common.time import SEOUL

# A Tuesday morning in Seoul; every service call in these tests passes it as `now`.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=SEOUL)


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL)
