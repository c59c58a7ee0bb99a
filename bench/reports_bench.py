"""Monthly report of one anchor with 5,000 and with 50,000 reservations in the month: time and query count.

Prints, never asserts. Runs on a throw-away PostgreSQL database (DATABASE_URL). Only the aggregation
(`budgets.reports.build`) is timed; rendering the PDF does not depend on the number of reservations.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_anchor_portal")  # never the test suite's database

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from common.time import SEOUL  # noqa: E402


def fill(anchor, user, total: int) -> None:
    from facilities.models import Equipment
    from reservations.models import Reservation

    units = list(Equipment.objects.filter(space__anchor=anchor))
    have = Reservation.objects.filter(anchor=anchor).count()
    statuses = ["completed", "completed", "completed", "cancelled", "no_show", "confirmed"]
    rows = []
    for i in range(have, total):
        unit = units[i % len(units)]
        slot = i // len(units)
        start = datetime(2026, 11, 1, tzinfo=SEOUL) + timedelta(minutes=10 * slot)
        rows.append(
            Reservation(
                anchor=anchor,
                equipment=unit,
                user=user,
                booked_by=user,
                start_at=start,
                end_at=start + timedelta(minutes=10),
                blocked_until=start + timedelta(minutes=10),
                status=statuses[i % len(statuses)],
                fee_won=2_000,
                discount_won=200 * (i % 2),
                discount_category="small_manufacturer" if i % 2 else "",
                checkin_code=f"r{i}",
            )
        )
        if len(rows) == 5000:
            Reservation.objects.bulk_create(rows)
            rows = []
    Reservation.objects.bulk_create(rows)
    with connection.cursor() as c:
        c.execute("ANALYZE reservations_reservation")


def main() -> None:
    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accounts.tests.factories import UserFactory
        from anchors import seed as anchors_seed
        from anchors.models import Anchor
        from budgets import reports
        from budgets import seed as budgets_seed
        from facilities import seed as facilities_seed

        anchors_seed.load()
        facilities_seed.load(now=timezone.now())
        budgets_seed.load()
        anchor = Anchor.objects.get(slug="geumcheon")
        user = UserFactory()
        print(f"{'reservations in the month':<28}{'build (ms)':>12}{'queries':>9}")
        results = {}
        for total in (5_000, 50_000):
            fill(anchor, user, total)
            reports.build(anchor=anchor, year=2026, month=11)  # warm
            times = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    reports.build(anchor=anchor, year=2026, month=11)
                    times.append(time.perf_counter() - t0)
            results[total] = (min(times) * 1000, len(ctx))
            print(f"{total:<28,}{results[total][0]:>12.1f}{results[total][1]:>9}")
        print(
            f"time ratio 50,000 / 5,000: {results[50_000][0] / results[5_000][0]:.2f} (expected <= 3); "
            f"same query count: {results[50_000][1] == results[5_000][1]}"
        )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
