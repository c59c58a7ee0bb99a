"""The quote function: worked examples with hand-computed figures, refusals, and hypothesis properties.

Pure functions only: no database, no Django settings are used here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from facilities.pricing import (
    SEOUL,
    PriceRule,
    Quote,
    QuoteError,
    Tariff,
    compute_quote,
    round_half_up,
)


def seoul(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SEOUL)


HOURLY = PriceRule(
    unit="hour",
    base_price_won=5_000,
    evening_surcharge_pct=20,
    weekend_surcharge_pct=30,
    holiday_surcharge_pct=50,
    deposit_won=30_000,
)


def hourly(**overrides) -> Tariff:
    fields = {"effective_from": date(2026, 1, 1), "rule": HOURLY, "version_id": 1, "discounts": {"tenant_member": 50}}
    return Tariff(**{**fields, **overrides})


def amounts(quote: Quote) -> list[int]:
    return [line.amount_won for line in quote.lines]


# --- worked examples -------------------------------------------------------------------------------------------


def test_a_thursday_afternoon_into_the_evening_gives_a_day_line_and_an_evening_line_at_half_price_for_members():
    quote = compute_quote(
        tariffs=[hourly()], start=seoul(2026, 11, 26, 14), end=seoul(2026, 11, 26, 19, 30), categories=["tenant_member"]
    )

    day, evening = quote.lines
    assert (day.start, day.end) == (seoul(2026, 11, 26, 14), seoul(2026, 11, 26, 18))
    assert day.quantity == Fraction(4)
    assert day.surcharges == ()
    assert (day.gross_won, day.discount_pct, day.discount_won, day.vat_won, day.amount_won) == (
        20_000,
        50,
        10_000,
        0,
        10_000,
    )
    assert (evening.start, evening.end) == (seoul(2026, 11, 26, 18), seoul(2026, 11, 26, 19, 30))
    assert evening.quantity == Fraction(3, 2)
    assert evening.surcharges == ("evening",)
    assert evening.surcharge_pct == 20
    assert (evening.gross_won, evening.discount_won, evening.vat_won, evening.amount_won) == (9_000, 4_500, 0, 4_500)
    assert quote.total_won == 14_500
    assert quote.boundaries == (seoul(2026, 11, 26, 18),)
    assert quote.deposit_won == 30_000
    assert quote.discount_pct == 50
    assert quote.version_ids == (1,)


def test_the_total_is_the_sum_of_its_lines():
    quote = compute_quote(tariffs=[hourly()], start=seoul(2026, 11, 26, 14), end=seoul(2026, 11, 26, 19, 30))

    assert amounts(quote) == [20_000, 9_000]
    assert quote.total_won == 29_000
    assert quote.discount_pct == 0


def test_a_saturday_booking_gets_the_weekend_surcharge():
    quote = compute_quote(tariffs=[hourly()], start=seoul(2026, 11, 28, 10), end=seoul(2026, 11, 28, 12))

    (line,) = quote.lines
    assert line.surcharges == ("weekend",)
    assert line.surcharge_pct == 30
    assert line.amount_won == 13_000  # 2 h x 5,000 x 1.3


def test_a_saturday_evening_adds_the_evening_surcharge_to_the_weekend_one():
    quote = compute_quote(tariffs=[hourly()], start=seoul(2026, 11, 28, 17), end=seoul(2026, 11, 28, 19))

    assert [line.surcharges for line in quote.lines] == [("weekend",), ("weekend", "evening")]
    assert amounts(quote) == [6_500, 7_500]  # 5,000 x 1.3 and 5,000 x 1.5
    assert quote.total_won == 14_000


def test_a_holiday_on_a_saturday_gets_the_holiday_surcharge_instead_of_the_weekend_one():
    quote = compute_quote(
        tariffs=[hourly()], start=seoul(2026, 10, 3, 10), end=seoul(2026, 10, 3, 12), holidays={date(2026, 10, 3)}
    )

    (line,) = quote.lines
    assert line.surcharges == ("holiday",)
    assert line.surcharge_pct == 50
    assert line.amount_won == 15_000  # 2 h x 5,000 x 1.5, not x 1.8


def test_a_weekday_holiday_gets_the_holiday_surcharge():
    quote = compute_quote(
        tariffs=[hourly()], start=seoul(2026, 12, 25, 10), end=seoul(2026, 12, 25, 12), holidays=[date(2026, 12, 25)]
    )

    assert quote.lines[0].surcharges == ("holiday",)
    assert quote.total_won == 15_000


def test_a_day_that_is_not_a_listed_holiday_is_priced_as_an_ordinary_weekday():
    quote = compute_quote(
        tariffs=[hourly()], start=seoul(2026, 12, 24, 10), end=seoul(2026, 12, 24, 12), holidays=[date(2026, 12, 25)]
    )

    assert quote.lines[0].surcharges == ()
    assert quote.total_won == 10_000


def test_a_booking_across_a_version_change_at_midnight_prices_each_side_by_its_own_version():
    old = hourly(version_id=1)
    new = hourly(effective_from=date(2026, 12, 1), version_id=2, rule=PriceRule(unit="hour", base_price_won=6_000))

    quote = compute_quote(tariffs=[new, old], start=seoul(2026, 11, 30, 22), end=seoul(2026, 12, 1, 2))

    before, after = quote.lines
    assert (before.version_id, before.unit_price_won, before.surcharges, before.amount_won) == (
        1,
        5_000,
        ("evening",),
        12_000,
    )
    assert (after.version_id, after.unit_price_won, after.surcharges, after.amount_won) == (2, 6_000, (), 12_000)
    assert quote.boundaries == (seoul(2026, 12, 1),)
    assert quote.version_ids == (1, 2)
    assert quote.total_won == 24_000
    assert quote.deposit_won == 30_000  # from the version in effect at the start


def test_a_tariff_that_excludes_vat_adds_ten_percent_vat_on_each_line():
    quote = compute_quote(
        tariffs=[hourly(vat_included=False)],
        start=seoul(2026, 11, 26, 14),
        end=seoul(2026, 11, 26, 19, 30),
        categories=["tenant_member"],
    )

    assert [(line.gross_won, line.discount_won, line.vat_won, line.amount_won) for line in quote.lines] == [
        (20_000, 10_000, 1_000, 11_000),
        (9_000, 4_500, 450, 4_950),
    ]
    assert quote.total_won == 15_950


def test_a_tariff_that_includes_vat_adds_none():
    quote = compute_quote(tariffs=[hourly()], start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 12))

    assert quote.lines[0].vat_won == 0
    assert quote.total_won == 10_000


DISCOUNTS = {"tenant_member": 50, "senior": 30, "youth": 40}


def test_the_sum_capped_rule_adds_discounts():
    tariff = hourly(discounts=DISCOUNTS, discount_rule="sum_capped")

    quote = compute_quote(
        tariffs=[tariff],
        start=seoul(2026, 11, 26, 10),
        end=seoul(2026, 11, 26, 12),
        categories=["tenant_member", "senior"],
    )

    (line,) = quote.lines
    assert (line.discount_pct, line.gross_won, line.discount_won, line.amount_won) == (80, 10_000, 8_000, 2_000)


def test_the_sum_capped_rule_never_discounts_more_than_everything():
    tariff = hourly(discounts=DISCOUNTS, discount_rule="sum_capped")

    quote = compute_quote(
        tariffs=[tariff], start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 12), categories=list(DISCOUNTS)
    )

    (line,) = quote.lines
    assert (line.discount_pct, line.discount_won, line.amount_won) == (100, 10_000, 0)
    assert quote.total_won == 0


def test_by_default_only_the_single_largest_discount_applies():
    tariff = hourly(discounts=DISCOUNTS)

    quote = compute_quote(
        tariffs=[tariff],
        start=seoul(2026, 11, 26, 10),
        end=seoul(2026, 11, 26, 12),
        categories=["senior", "tenant_member", "youth"],
    )

    (line,) = quote.lines
    assert (line.discount_pct, line.discount_won, line.amount_won) == (50, 5_000, 5_000)


def test_categories_without_a_discount_change_nothing():
    quote = compute_quote(
        tariffs=[hourly()], start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 12), categories=["visitor"]
    )

    assert quote.lines[0].discount_pct == 0
    assert quote.total_won == 10_000


@pytest.mark.parametrize(("step", "expected"), [(1, 1_667), (10, 1_670), (100, 1_700)])
def test_a_line_is_rounded_half_up_to_the_tariffs_step(step, expected):
    tariff = hourly(rule=PriceRule(unit="hour", base_price_won=3_333), rounding_won=step)

    quote = compute_quote(tariffs=[tariff], start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 10, 30))

    assert quote.total_won == expected  # 3,333 won/h x 0.5 h = 1,666.5 won


def test_rounding_goes_up_from_an_exact_half_and_down_below_it():
    assert round_half_up(Fraction(3_333, 2), 10) == 1_670
    assert round_half_up(Fraction(1_665), 10) == 1_670
    assert round_half_up(Fraction(16_649, 10), 10) == 1_660
    assert round_half_up(Fraction(0), 10) == 0
    with pytest.raises(ValueError):
        round_half_up(Fraction(-1), 10)


HALF_DAY = PriceRule(unit="half_day", base_price_won=20_000, evening_surcharge_pct=50, weekend_surcharge_pct=30)


@pytest.mark.parametrize(
    ("start", "end", "blocks"),
    [
        (seoul(2026, 11, 26, 9), seoul(2026, 11, 26, 9, 5), 1),
        (seoul(2026, 11, 26, 9), seoul(2026, 11, 26, 13), 1),
        (seoul(2026, 11, 26, 9), seoul(2026, 11, 26, 13, 5), 2),
        (seoul(2026, 11, 26, 9), seoul(2026, 11, 26, 23), 4),
    ],
)
def test_a_half_day_price_charges_each_started_four_hour_block(start, end, blocks):
    quote = compute_quote(tariffs=[hourly(rule=HALF_DAY)], start=start, end=end)

    (line,) = quote.lines
    assert line.quantity == blocks
    assert line.surcharges == ()  # no evening surcharge on half days
    assert quote.total_won == 20_000 * blocks


def test_half_day_blocks_are_counted_per_local_calendar_day():
    quote = compute_quote(tariffs=[hourly(rule=HALF_DAY)], start=seoul(2026, 11, 26, 22), end=seoul(2026, 11, 27, 3))

    assert [line.quantity for line in quote.lines] == [1, 1]  # 2 h on Thursday, 3 h on Friday
    assert quote.boundaries == (seoul(2026, 11, 27),)
    assert quote.total_won == 40_000


def test_a_half_day_on_a_saturday_gets_the_weekend_surcharge():
    quote = compute_quote(tariffs=[hourly(rule=HALF_DAY)], start=seoul(2026, 11, 27, 20), end=seoul(2026, 11, 28, 2))

    assert [line.surcharges for line in quote.lines] == [(), ("weekend",)]
    assert amounts(quote) == [20_000, 26_000]


DAY = PriceRule(unit="day", base_price_won=50_000, evening_surcharge_pct=50, weekend_surcharge_pct=30)


def test_a_day_price_charges_one_day_per_local_calendar_day_touched():
    quote = compute_quote(tariffs=[hourly(rule=DAY)], start=seoul(2026, 11, 26, 23), end=seoul(2026, 11, 28, 1))

    assert [line.start for line in quote.lines] == [seoul(2026, 11, 26, 23), seoul(2026, 11, 27), seoul(2026, 11, 28)]
    assert [line.quantity for line in quote.lines] == [1, 1, 1]
    assert [line.surcharges for line in quote.lines] == [(), (), ("weekend",)]
    assert amounts(quote) == [50_000, 50_000, 65_000]
    assert quote.total_won == 165_000


def test_a_whole_local_day_is_one_day():
    quote = compute_quote(tariffs=[hourly(rule=DAY)], start=seoul(2026, 11, 26), end=seoul(2026, 11, 27))

    assert len(quote.lines) == 1
    assert quote.total_won == 50_000


MONTH = PriceRule(unit="month", base_price_won=1_000_000, weekend_surcharge_pct=30, holiday_surcharge_pct=50)


def test_a_month_price_gives_one_line_per_calendar_month_touched():
    quote = compute_quote(
        tariffs=[hourly(rule=MONTH)],
        start=seoul(2026, 11, 15, 10),  # a Sunday: months take no weekend surcharge
        end=seoul(2027, 1, 10, 10),
        holidays=[date(2026, 12, 25)],
    )

    assert quote.boundaries == (seoul(2026, 12, 1), seoul(2027, 1, 1))
    assert [line.quantity for line in quote.lines] == [1, 1, 1]
    assert [line.surcharges for line in quote.lines] == [(), (), ()]
    assert quote.total_won == 3_000_000


def test_a_month_price_charges_a_whole_month_for_a_single_hour():
    quote = compute_quote(tariffs=[hourly(rule=MONTH)], start=seoul(2026, 11, 30, 23), end=seoul(2026, 12, 1, 0))

    assert len(quote.lines) == 1
    assert quote.total_won == 1_000_000


def test_a_booking_across_seoul_midnight_splits_there_even_when_given_in_utc():
    start = datetime(2026, 11, 26, 14, tzinfo=UTC)  # 23:00 in Seoul
    end = datetime(2026, 11, 26, 16, tzinfo=UTC)  # 01:00 next day in Seoul

    quote = compute_quote(tariffs=[hourly()], start=start, end=end)

    assert quote.boundaries == (seoul(2026, 11, 27),)
    assert quote.boundaries[0] == datetime(2026, 11, 26, 15, tzinfo=UTC)
    assert [line.surcharges for line in quote.lines] == [("evening",), ()]
    assert amounts(quote) == [6_000, 5_000]
    assert quote.total_won == 11_000


def test_a_booking_across_utc_midnight_but_not_seoul_midnight_is_not_split():
    start = datetime(2026, 11, 26, 23, tzinfo=UTC)  # 08:00 on Friday in Seoul
    end = datetime(2026, 11, 27, 1, tzinfo=UTC)  # 10:00 in Seoul

    quote = compute_quote(tariffs=[hourly()], start=start, end=end)

    assert quote.boundaries == ()
    assert quote.total_won == 10_000


def test_a_day_price_counts_seoul_calendar_days_not_utc_ones():
    start = datetime(2026, 11, 26, 16, tzinfo=UTC)  # Friday 01:00 in Seoul
    end = datetime(2026, 11, 27, 14, tzinfo=UTC)  # Friday 23:00 in Seoul

    quote = compute_quote(tariffs=[hourly(rule=DAY)], start=start, end=end)

    assert len(quote.lines) == 1
    assert quote.total_won == 50_000


# --- refusals --------------------------------------------------------------------------------------------------


def refusal(**kwargs) -> str:
    with pytest.raises(QuoteError) as caught:
        compute_quote(**{"tariffs": [hourly()], **kwargs})
    return caught.value.code


def test_an_end_at_or_before_the_start_is_refused_as_empty():
    assert refusal(start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 10)) == "empty"
    assert refusal(start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 9)) == "empty"


def test_naive_times_are_refused():
    assert refusal(start=datetime(2026, 11, 26, 10), end=seoul(2026, 11, 26, 12)) == "naive_time"
    assert refusal(start=seoul(2026, 11, 26, 10), end=datetime(2026, 11, 26, 12)) == "naive_time"
    assert refusal(start=datetime(2026, 11, 26, 10), end=datetime(2026, 11, 26, 12)) == "naive_time"


def test_a_booking_before_any_version_is_in_effect_is_refused_as_no_rate():
    assert refusal(start=seoul(2025, 12, 31, 10), end=seoul(2025, 12, 31, 12)) == "no_rate"
    assert refusal(tariffs=[], start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 12)) == "no_rate"


def test_a_booking_that_starts_before_the_first_version_is_refused_even_if_it_ends_inside_it():
    assert refusal(start=seoul(2025, 12, 31, 22), end=seoul(2026, 1, 1, 2)) == "no_rate"


def test_a_version_without_a_rule_for_the_resource_is_refused_as_not_priced():
    assert refusal(tariffs=[hourly(rule=None)], start=seoul(2026, 11, 26, 10), end=seoul(2026, 11, 26, 12)) == (
        "not_priced"
    )


def test_a_booking_running_into_a_version_that_does_not_price_the_resource_is_refused():
    tariffs = [hourly(), hourly(effective_from=date(2026, 12, 1), version_id=2, rule=None)]

    assert refusal(tariffs=tariffs, start=seoul(2026, 11, 30, 22), end=seoul(2026, 12, 1, 2)) == "not_priced"


def test_a_quote_error_is_a_value_error_with_a_message():
    with pytest.raises(ValueError, match="time zone"):
        compute_quote(tariffs=[hourly()], start=datetime(2026, 11, 26, 10), end=datetime(2026, 11, 26, 12))


# --- properties ------------------------------------------------------------------------------------------------

UNITS = ("hour", "half_day", "day", "month")
CATEGORIES = ("tenant_member", "senior", "youth", "disabled")
FIRST_DAY = date(2026, 1, 1)
LAST_DAY = date(2027, 12, 31)
GRID = 5  # minutes
EPOCH = seoul(2026, 1, 1)
SLOTS = ((LAST_DAY - FIRST_DAY).days + 1) * 24 * 60 // GRID  # 5-minute slots in 2026-2027
MAX_SLOTS = 3 * 24 * 60 // GRID  # 3 days


@dataclass(frozen=True)
class Case:
    tariffs: tuple[Tariff, ...]
    start: datetime
    end: datetime
    categories: tuple[str, ...]
    holidays: frozenset[date]

    def quote(self, start: datetime | None = None, end: datetime | None = None) -> Quote:
        return compute_quote(
            tariffs=self.tariffs,
            start=self.start if start is None else start,
            end=self.end if end is None else end,
            categories=self.categories,
            holidays=self.holidays,
        )

    @property
    def earliest(self) -> date:
        return min(t.effective_from for t in self.tariffs)


pct = st.integers(0, 100)


@st.composite
def tariff(draw, unit: str, effective_from: date, version_id: int) -> Tariff:
    rule = PriceRule(
        unit=unit,
        base_price_won=draw(st.integers(0, 200_000)),
        evening_surcharge_pct=draw(pct),
        weekend_surcharge_pct=draw(pct),
        holiday_surcharge_pct=draw(pct),
        deposit_won=draw(st.integers(0, 100_000)),
    )
    return Tariff(
        effective_from=effective_from,
        rule=rule,
        version_id=version_id,
        evening_starts=time(draw(st.integers(12, 22))),
        discounts=draw(st.dictionaries(st.sampled_from(CATEGORIES), pct, max_size=len(CATEGORIES))),
        discount_rule=draw(st.sampled_from(["largest", "sum_capped"])),
        rounding_won=draw(st.sampled_from([1, 10, 100])),
        vat_included=draw(st.booleans()),
    )


@st.composite
def cases(draw) -> Case:
    start = EPOCH + timedelta(minutes=GRID * draw(st.integers(0, SLOTS - 1)))
    end = start + timedelta(minutes=GRID * draw(st.integers(1, MAX_SLOTS)))
    unit = draw(st.sampled_from(UNITS))
    # The earliest version is in effect at the start; the others anywhere later in 2026-2027, all on distinct
    # days. Half of the draws keep the version changes within a few days of the booking, so that they fall inside it.
    start_day, end_day = start.date(), end.date()
    earliest = draw(st.dates(FIRST_DAY, start_day) | st.dates(max(FIRST_DAY, start_day - timedelta(days=3)), start_day))
    later = []
    if earliest < LAST_DAY:
        later_dates = st.dates(earliest + timedelta(days=1), LAST_DAY)
        near_from = max(earliest, start_day - timedelta(days=1)) + timedelta(days=1)
        near_to = min(end_day + timedelta(days=1), LAST_DAY)
        if near_from <= near_to:
            later_dates |= st.dates(near_from, near_to)
        later = draw(st.lists(later_dates, max_size=2, unique=True))
    days = [earliest, *later]
    tariffs = tuple(draw(tariff(unit, day, version_id)) for version_id, day in enumerate(days, start=1))
    holidays = draw(
        st.frozensets(st.dates(start.date() - timedelta(days=3), end.date() + timedelta(days=3)), max_size=3)
    )
    categories = tuple(draw(st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True)))
    return Case(
        tariffs=tuple(draw(st.permutations(tariffs))), start=start, end=end, categories=categories, holidays=holidays
    )


PROPERTY = settings(max_examples=200, deadline=None)


@PROPERTY
@given(cases())
def test_the_total_is_always_the_sum_of_the_line_amounts(case):
    quote = case.quote()

    assert quote.total_won == sum(line.amount_won for line in quote.lines)


@PROPERTY
@given(cases())
def test_no_amount_is_ever_negative_and_each_line_adds_up(case):
    quote = case.quote()

    assert quote.total_won >= 0
    for line in quote.lines:
        assert line.amount_won >= 0
        assert line.gross_won >= 0 and line.discount_won >= 0 and line.vat_won >= 0
        assert line.amount_won == line.gross_won - line.discount_won + line.vat_won


@PROPERTY
@given(cases())
def test_the_lines_cover_the_booking_end_to_end(case):
    quote = case.quote()

    assert quote.lines[0].start == case.start
    assert quote.lines[-1].end == case.end
    assert all(a.end == b.start for a, b in zip(quote.lines, quote.lines[1:], strict=False))
    assert all(line.start < line.end for line in quote.lines)


@PROPERTY
@given(cases(), st.integers(1, 3 * 24 * 60))
def test_extending_the_end_never_lowers_the_total(case, extra_minutes):
    longer = case.quote(end=case.end + timedelta(minutes=extra_minutes))

    assert longer.total_won >= case.quote().total_won


@PROPERTY
@given(cases())
def test_splitting_at_any_line_boundary_keeps_the_total(case):
    whole = case.quote()

    for boundary in whole.boundaries:
        before = case.quote(end=boundary)
        after = case.quote(start=boundary)
        assert before.total_won + after.total_won == whole.total_won, boundary


@PROPERTY
@given(cases(), st.data())
def test_starting_earlier_never_lowers_the_total(case, data):
    # The earlier start must still fall inside a version's effect (the earliest one starts at its local midnight).
    room = int((case.start - datetime.combine(case.earliest, time(0), tzinfo=SEOUL)).total_seconds()) // 60
    assume(room >= 1)
    earlier_minutes = data.draw(st.integers(1, min(room, 3 * 24 * 60)), label="earlier_minutes")

    longer = case.quote(start=case.start - timedelta(minutes=earlier_minutes))

    assert longer.total_won >= case.quote().total_won


def test_a_mid_month_version_change_bills_that_month_once_at_the_dearer_price():
    from datetime import date, datetime

    from common.time import SEOUL
    from facilities.pricing import PriceRule, Tariff, compute_quote

    tariffs = [
        Tariff(effective_from=date(2026, 1, 1), rule=PriceRule("month", 300_000), version_id=1),
        Tariff(effective_from=date(2026, 3, 15), rule=PriceRule("month", 330_000), version_id=2),
    ]
    q = compute_quote(tariffs=tariffs, start=datetime(2026, 3, 1, tzinfo=SEOUL), end=datetime(2026, 5, 1, tzinfo=SEOUL))
    assert [(line.start.month, line.amount_won) for line in q.lines] == [(3, 330_000), (4, 330_000)]
    assert q.total_won == 660_000
