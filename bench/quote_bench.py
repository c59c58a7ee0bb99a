"""Quotes per second of `facilities.pricing.compute_quote`, printed as ratios against a baseline from the same run.

Standalone: no Django settings, no database (the quote function is pure). Each case runs in batches for a fixed
time budget and reports the median batch; the baseline is a bare-Python function that builds one quote line's worth
of Fractions and ints. Numbers are printed, never asserted.

    .venv/bin/python bench/quote_bench.py            # about 3 seconds
    QUOTE_BENCH_SECONDS=2 .venv/bin/python bench/quote_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.time import SEOUL  # noqa: E402
from facilities.pricing import PriceRule, Tariff, compute_quote  # noqa: E402

BUDGET_S = float(os.environ.get("QUOTE_BENCH_SECONDS", "0.5"))  # per case
BATCH_S = 0.02  # a batch lasts about this long, so the median is taken over ~25 batches


def seoul(y: int, mo: int, d: int, h: int = 0) -> datetime:
    return datetime(y, mo, d, h, tzinfo=SEOUL)


def tariffs(rule: PriceRule) -> list[Tariff]:
    return [
        Tariff(effective_from=date(2025, 1, 1), rule=rule, version_id=1, discounts={"tenant_member": 50}),
        Tariff(
            effective_from=date(2026, 1, 1),
            rule=rule,
            version_id=2,
            discounts={"tenant_member": 50, "senior": 30},
            vat_included=False,
        ),
    ]


HOURLY = PriceRule(unit="hour", base_price_won=5_000, evening_surcharge_pct=20, weekend_surcharge_pct=30)
MONTHLY = PriceRule(unit="month", base_price_won=1_000_000, deposit_won=2_000_000)
HOLIDAYS = frozenset({date(2026, 12, 25), date(2027, 1, 1)})
CATEGORIES = ("tenant_member", "senior")

CASES: list[tuple[str, dict]] = [
    (
        "3 h weekday, hourly",  # Thursday 10:00-13:00
        {"tariffs": tariffs(HOURLY), "start": seoul(2026, 11, 26, 10), "end": seoul(2026, 11, 26, 13)},
    ),
    (
        "3 days Thu-Sun, hourly",  # three evenings, a Saturday and a Sunday
        {"tariffs": tariffs(HOURLY), "start": seoul(2026, 11, 26, 14), "end": seoul(2026, 11, 29, 14)},
    ),
    (
        "3 months, monthly",  # November to January
        {"tariffs": tariffs(MONTHLY), "start": seoul(2026, 11, 1), "end": seoul(2027, 2, 1)},
    ),
]


def baseline() -> tuple:
    """One quote line's worth of exact arithmetic and a small tuple, without the quote function."""
    quantity = Fraction(3)
    gross = 5_000 * quantity * Fraction(120, 100)
    net = gross * Fraction(50, 100)
    return (quantity, int(gross), int(net), int(gross - net), 0)


def measure(fn: Callable[[], object]) -> float:
    """Median seconds per call over batches run for BUDGET_S."""
    fn()
    n = 1
    while True:  # calibrate a batch size that lasts about BATCH_S
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= BATCH_S / 4:
            break
        n *= 4
    n = max(1, int(n * BATCH_S / elapsed))
    samples = []
    deadline = time.perf_counter() + BUDGET_S
    while time.perf_counter() < deadline or len(samples) < 3:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - t0) / n)
    return statistics.median(samples)


def main() -> None:
    base = measure(baseline)
    rows = [("bare Python (baseline)", base)]
    for label, kwargs in CASES:
        kwargs = {**kwargs, "categories": CATEGORIES, "holidays": HOLIDAYS}
        lines = len(compute_quote(**kwargs).lines)
        rows.append(
            (
                f"{label} ({lines} line{'s' if lines != 1 else ''})",
                measure(lambda kwargs=kwargs: compute_quote(**kwargs)),
            )
        )
    print(f"{'case':<34}{'quotes/s':>12}{'µs per quote':>15}{'vs baseline':>14}")
    for label, seconds in rows:
        print(f"{label:<34}{1 / seconds:>12,.0f}{seconds * 1e6:>15.1f}{seconds / base:>13.1f}x")
    print(f"(median of batches over {BUDGET_S:g} s per case; ratio = time per quote / baseline time per call)")


if __name__ == "__main__":
    main()
