"""The quote function: (tariffs, start, end, categories, holidays) -> itemised lines and a total.

Pure: no database, no clock. `facilities.selectors.quote_for` loads the tariffs of a resource and
calls `compute_quote`. Properties (tested with hypothesis): the total is the sum of the lines, never
negative, never smaller for a longer booking, and the same whether a booking is quoted in one piece
or split at any of its line boundaries. To keep the last one, every line is computed from its own
segment alone and rounded on its own; exact arithmetic uses Fractions, never floats.

Segments: hourly prices split at local midnight (weekday, holiday and rate version change there)
and at the evening start; half-day and day prices are charged per local calendar day (half days as
started 4-hour blocks); monthly prices per calendar month touched, at the dearest version in
effect that month (so a mid-month version change neither bills the month twice nor makes booking
more days cheaper).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from common.time import SEOUL, start_of_day

HALF_DAY_MINUTES = 240
VAT_PCT = 10


class QuoteError(ValueError):
    """The booking cannot be priced; `code` tells which rule refused it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PriceRule:
    unit: str  # "hour" | "half_day" | "day" | "month"
    base_price_won: int
    evening_surcharge_pct: int = 0
    weekend_surcharge_pct: int = 0
    holiday_surcharge_pct: int = 0
    deposit_won: int = 0


@dataclass(frozen=True)
class Tariff:
    """One rate-table version as it applies to one resource (rule None: the version does not price it)."""

    effective_from: date
    rule: PriceRule | None
    version_id: int | None = None
    evening_starts: time = time(18, 0)
    discounts: Mapping[str, int] = field(default_factory=dict)
    discount_rule: str = "largest"
    rounding_won: int = 10
    vat_included: bool = True


@dataclass(frozen=True)
class QuoteLine:
    start: datetime
    end: datetime
    version_id: int | None
    unit: str
    quantity: Fraction
    unit_price_won: int
    surcharges: tuple[str, ...]  # "evening", "weekend", "holiday"
    surcharge_pct: int
    gross_won: int  # price with surcharges, before discount
    discount_pct: int
    discount_won: int
    vat_won: int  # added VAT when prices exclude it; 0 when included
    amount_won: int  # gross - discount + vat


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    total_won: int
    deposit_won: int
    discount_pct: int
    version_ids: tuple[int | None, ...]
    is_example: bool = False  # computed from an example rate-table version (set by selectors.quote_for)

    @property
    def boundaries(self) -> tuple[datetime, ...]:
        return tuple(line.start for line in self.lines[1:])


def round_half_up(value: Fraction, step: int) -> int:
    """Round a non-negative exact amount to a multiple of `step` won, halves up."""
    if value < 0:
        raise ValueError("amounts are never negative")
    q, r = divmod(value, step)
    units = int(q) + (1 if r * 2 >= step else 0)
    return units * step


def combined_discount(discounts: Mapping[str, int], categories: Collection[str], rule: str) -> int:
    applicable = [discounts[c] for c in categories if c in discounts]
    if not applicable:
        return 0
    if rule == "sum_capped":
        return min(100, sum(applicable))
    return max(applicable)


def _tariff_on(tariffs: Sequence[Tariff], day: date) -> Tariff:
    current = None
    for t in tariffs:
        if t.effective_from <= day and (current is None or t.effective_from > current.effective_from):
            current = t
    if current is None:
        raise QuoteError("no_rate", f"No rate table is in effect on {day:%Y-%m-%d}.")
    if current.rule is None:
        raise QuoteError("not_priced", f"The rate table in effect on {day:%Y-%m-%d} has no price for this resource.")
    return current


def _rule(tariff: Tariff) -> PriceRule:
    """The price rule of a tariff `_tariff_on` returned (it refuses one without a rule)."""
    assert tariff.rule is not None
    return tariff.rule


def _segments(start: datetime, end: datetime, tariffs: Sequence[Tariff]) -> list[tuple[datetime, datetime]]:
    """Cut [start, end) into the pieces that are priced as separate lines, by each day's unit."""
    cuts: set[datetime] = set()
    day = start.date()
    while start_of_day(day) < end:
        midnight = start_of_day(day)
        tariff = _tariff_on(tariffs, day)
        unit = _rule(tariff).unit
        # A month is charged once even when a version changes mid-month (only a change of unit cuts
        # there); the dearest of that month's versions is charged, so booking more
        # days can never make the month cheaper.
        if start < midnight and (
            unit != "month" or day.day == 1 or _rule(_tariff_on(tariffs, day - timedelta(days=1))).unit != "month"
        ):
            cuts.add(midnight)
        if unit == "hour":
            evening = datetime.combine(day, tariff.evening_starts, tzinfo=SEOUL)
            if start < evening < end:
                cuts.add(evening)
        day += timedelta(days=1)
    points = [start, *sorted(cuts), end]
    return list(zip(points, points[1:], strict=False))


def _line(
    seg_start: datetime, seg_end: datetime, tariff: Tariff, categories: Collection[str], holidays: Collection[date]
) -> QuoteLine:
    rule = tariff.rule
    assert rule is not None
    day = seg_start.date()
    minutes = int((seg_end - seg_start).total_seconds() // 60)
    if rule.unit == "hour":
        quantity = Fraction(minutes, 60)
    elif rule.unit == "half_day":
        quantity = Fraction(-(-minutes // HALF_DAY_MINUTES))
    else:  # a day or a month is charged whole for any part of it
        quantity = Fraction(1)
    surcharges: list[str] = []
    pct = 0
    if rule.unit in ("hour", "half_day", "day"):
        if day in holidays and rule.holiday_surcharge_pct:
            surcharges.append("holiday")
            pct += rule.holiday_surcharge_pct
        elif day.weekday() >= 5 and rule.weekend_surcharge_pct:
            surcharges.append("weekend")
            pct += rule.weekend_surcharge_pct
    if (
        rule.unit == "hour"
        and seg_start.timetz().replace(tzinfo=None) >= tariff.evening_starts
        and rule.evening_surcharge_pct
    ):
        surcharges.append("evening")
        pct += rule.evening_surcharge_pct
    discount_pct = combined_discount(tariff.discounts, categories, tariff.discount_rule)
    gross_exact = rule.base_price_won * quantity * Fraction(100 + pct, 100)
    net_exact = gross_exact * Fraction(100 - discount_pct, 100)
    payable_exact = net_exact if tariff.vat_included else net_exact * Fraction(100 + VAT_PCT, 100)
    step = tariff.rounding_won
    gross = round_half_up(gross_exact, step)
    net = round_half_up(net_exact, step)
    amount = round_half_up(payable_exact, step)
    return QuoteLine(
        start=seg_start,
        end=seg_end,
        version_id=tariff.version_id,
        unit=rule.unit,
        quantity=quantity,
        unit_price_won=rule.base_price_won,
        surcharges=tuple(surcharges),
        surcharge_pct=pct,
        gross_won=gross,
        discount_pct=discount_pct,
        discount_won=gross - net,
        vat_won=amount - net,
        amount_won=amount,
    )


def _month_tariffs(tariffs: Sequence[Tariff], seg_start: datetime, seg_end: datetime) -> list[Tariff]:
    """The monthly versions in effect on any booked day of the segment; the dearest line is charged."""
    last_day = (seg_end - timedelta(microseconds=1)).date()
    later = [
        t
        for t in tariffs
        if seg_start.date() < t.effective_from <= last_day and t.rule is not None and t.rule.unit == "month"
    ]
    return [_tariff_on(tariffs, seg_start.date()), *later]


def compute_quote(
    *,
    tariffs: Sequence[Tariff],
    start: datetime,
    end: datetime,
    categories: Collection[str] = (),
    holidays: Collection[date] = (),
) -> Quote:
    if start.tzinfo is None or end.tzinfo is None:
        raise QuoteError("naive_time", "Start and end must carry a time zone.")
    if end <= start:
        raise QuoteError("empty", "The end must be after the start.")
    start, end = start.astimezone(SEOUL), end.astimezone(SEOUL)
    lines = []
    for seg_start, seg_end in _segments(start, end, tariffs):
        tariff = _tariff_on(tariffs, seg_start.date())
        if _rule(tariff).unit == "month":
            lines.append(
                max(
                    (
                        _line(seg_start, seg_end, t, categories, holidays)
                        for t in _month_tariffs(tariffs, seg_start, seg_end)
                    ),
                    key=lambda line: line.amount_won,
                )
            )
        else:
            lines.append(_line(seg_start, seg_end, tariff, categories, holidays))
    start_tariff = _tariff_on(tariffs, start.date())
    return Quote(
        lines=tuple(lines),
        total_won=sum(line.amount_won for line in lines),
        deposit_won=_rule(start_tariff).deposit_won,
        discount_pct=max((line.discount_pct for line in lines), default=0),
        version_ids=tuple(dict.fromkeys(line.version_id for line in lines)),
    )
