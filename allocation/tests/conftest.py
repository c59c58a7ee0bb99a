from __future__ import annotations

from datetime import time

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import services
from reservations.tests.conftest import NOW, at

__all__ = ["NOW", "at"]


@pytest.fixture
def makers(db):
    return [UserFactory(roles=[Role.MAKER], email=f"lottery.maker{i}@example.com") for i in range(6)]


@pytest.fixture
def window_for(world, geumcheon_staff):
    """A window for one target at Geumcheon: Thursdays 3 and 10 December 2026, 10:00–14:00 in 2-hour slots,
    applications open at NOW (Tuesday 1 December, 09:00) and close on Wednesday 2 December at 18:00."""

    def make(target, **kw):
        args = dict(
            anchor=world["geumcheon"],
            by=geumcheon_staff,
            title="오버록 목요일 추첨",
            target=target,
            first_day=at(3, 0).date(),
            last_day=at(10, 0).date(),
            weekdays=[3],
            day_start=time(10),
            day_end=time(14),
            slot_minutes=120,
            opens_at=NOW,
            closes_at=at(2, 18),
            now=NOW,
        )
        args.update(kw)
        return services.window_create(**args)

    return make
