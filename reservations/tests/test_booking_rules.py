"""Each booking rule alone, on a request built by hand: what it refuses, what it lets pass, and the order in which
`check_booking` asks them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reservations.models import BookingPolicy
from reservations.services import booking_rules as rules
from reservations.services.booking_rules import RULES, BookingRequest

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def request(resource, start, end, **kw) -> BookingRequest:
    policy = kw.pop("policy", None) or BookingPolicy(anchor=resource.anchor, is_example=False)
    return BookingRequest(resource=resource, start=start, end=end, now=kw.pop("now", NOW), policy=policy, **kw)


def test_every_rule_lets_a_good_booking_pass(world, maker):
    good = request(world["overlock"], at(3, 14), at(3, 16), user=maker)
    assert [rule.__name__ for rule in RULES if rule(good) is not None] == []


@pytest.mark.parametrize(
    "rule,start,end,kw,code",
    [
        (rules.rule_order, at(3, 16), at(3, 14), {}, "order"),
        (rules.rule_not_past, at(1, 8), at(1, 10), {}, "past"),
        (rules.rule_lead_time, at(1, 9, 30), at(1, 10, 30), {}, "lead_time"),
        (rules.rule_window, at(3, 14) + timedelta(days=200), at(3, 16) + timedelta(days=200), {}, "window"),
        (rules.rule_unit, at(3, 14, 10), at(3, 16, 10), {}, "unit"),
        (rules.rule_opening_hours, at(3, 17), at(3, 19), {}, "hours"),
        (rules.rule_open_day, at(5, 10), at(5, 12), {}, "closed_day"),
        (rules.rule_opening_hours, at(3, 20), at(4, 1), {}, "hours"),  # past midnight
    ],
)
def test_a_rule_alone_refuses_with_its_code(world, rule, start, end, kw, code):
    refused = rule(request(world["overlock"], start, end, **kw))
    assert refused is not None and refused.code == code


def test_staff_may_book_at_short_notice_and_further_ahead(world):
    soon = request(world["overlock"], at(1, 9, 30), at(1, 10, 30), as_staff=True)
    assert rules.rule_lead_time(soon) is None
    far = request(world["overlock"], at(3, 14) + timedelta(days=60), at(3, 16) + timedelta(days=60), as_staff=True)
    assert (
        rules.rule_window(far) is None and rules.rule_window(request(world["overlock"], far.start, far.end)) is not None
    )


def test_capacity_counts_only_for_rooms_with_a_party(world):
    cutting = world["cutting"]
    assert rules.rule_capacity(request(cutting, at(3, 10), at(3, 12), party_size=cutting.capacity)) is None
    too_many = rules.rule_capacity(request(cutting, at(3, 10), at(3, 12), party_size=cutting.capacity + 1))
    assert too_many is not None and too_many.code == "capacity"
    assert rules.rule_capacity(request(world["overlock"], at(3, 10), at(3, 12), party_size=99)) is None


def test_a_rule_quoting_a_confirmed_value_carries_no_example_note_and_an_example_one_does(world):
    example = BookingPolicy(anchor=world["geumcheon"], is_example=True)
    confirmed = BookingPolicy(anchor=world["geumcheon"], is_example=False)
    soon = (at(1, 9, 30), at(1, 10, 30))
    assert "예시 규정" in rules.rule_lead_time(request(world["overlock"], *soon, policy=example)).messages[0]
    assert "예시 규정" not in rules.rule_lead_time(request(world["overlock"], *soon, policy=confirmed)).messages[0]


def test_the_first_failing_rule_in_the_list_is_the_one_named(world, maker):
    from reservations import services

    # Both in the past and outside the opening hours: the past is asked first.
    with pytest.raises(services.BookingRefused) as err:
        services.check_booking(resource=world["overlock"], start=at(1, 6), end=at(1, 7), now=NOW, user=maker)
    assert err.value.code == "past"
    assert RULES.index(rules.rule_not_past) < RULES.index(rules.rule_opening_hours)
    assert len(set(RULES)) == len(RULES)
