"""The booking rules: an ordered list of small functions, each looking at one request and returning its refusal
(or None). `check_booking` runs them in order and stops at the first refusal, so a refusal names one rule and says
what the person can do; the price comes last, once every rule has passed.

A rule that quotes an example value (the shipped opening hours, notice, window, quota…) says so (`refusal`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.examples import refusal
from common.time import SEOUL, start_of_day
from facilities import selectors as facility_selectors
from facilities.models import Equipment, EquipmentStatus, Resource, Space
from facilities.pricing import Quote, QuoteError
from facilities.selectors import DayHours

from .. import hooks, selectors
from ..models import BookingPolicy, Reservation, Status

if TYPE_CHECKING:
    from accounts.models import User


class BookingRefused(ValidationError):
    """A booking rule said no. `code` names the rule; `suggestions` are free slots to offer instead."""

    def __init__(self, message: str, code: str, suggestions: list[tuple[datetime, datetime]] | None = None):
        super().__init__(message, code=code)
        self.suggestions = suggestions or []


def local_text(moment: datetime) -> str:
    """A moment as the refusals write it: "2026-12-03 14:00", Seoul time."""
    return date_format(moment.astimezone(SEOUL), "Y-m-d H:i")


def _hm(moment: datetime) -> str:
    return moment.astimezone(SEOUL).strftime("%H:%M")


@dataclass
class BookingRequest:
    """One booking to check: what, when, for whom, and under which policy."""

    resource: Resource
    start: datetime
    end: datetime
    now: datetime
    policy: BookingPolicy
    user: User | None = None
    as_staff: bool = False
    party_size: int | None = None
    exclude_pk: int | None = None
    # What a rule read once for this request, shared with the copies `clash_refusal` checks its suggestions with
    # (`replace` keeps the same dict), so a rule that reads the database reads it once for all of them.
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(SEOUL)

    @property
    def day(self) -> date:
        return self.local_start.date()

    @cached_property
    def hours(self) -> DayHours:
        """The anchor's hours on the day the booking starts (one query, shared by the rules that need it)."""
        return facility_selectors.anchor_hours(anchor=self.resource.anchor, start=self.day, end=self.day)[0]


Rule = Callable[[BookingRequest], BookingRefused | None]


def rule_order(r: BookingRequest) -> BookingRefused | None:
    if r.end <= r.start:
        return BookingRefused(_("The end must be after the start."), "order")
    return None


def rule_not_past(r: BookingRequest) -> BookingRefused | None:
    if r.start < r.now - (timedelta(minutes=15) if r.as_staff else timedelta(0)):
        return BookingRefused(_("That time has already passed."), "past")
    return None


def rule_lead_time(r: BookingRequest) -> BookingRefused | None:
    minutes = r.policy.lead_time_minutes
    if not r.as_staff and r.start < r.now + timedelta(minutes=minutes):
        message = _("Bookings must be made at least %(minutes)s minutes ahead.") % {"minutes": minutes}
        return BookingRefused(refusal(message, r.policy.is_example), "lead_time")
    return None


def rule_window(r: BookingRequest) -> BookingRefused | None:
    days = r.policy.staff_days_ahead if r.as_staff else r.policy.maker_days_ahead
    if r.start > r.now + timedelta(days=days):
        message = _("Bookings can be made at most %(days)s days ahead.") % {"days": days}
        return BookingRefused(refusal(message, r.policy.is_example), "window")
    return None


def rule_bookable(r: BookingRequest) -> BookingRefused | None:
    if not r.resource.bookable:
        message = _("%(what)s cannot be booked online.") % {"what": r.resource.name}
        return BookingRefused(refusal(message, r.resource.is_example), "not_bookable")
    return None


def rule_in_service(r: BookingRequest) -> BookingRefused | None:
    if isinstance(r.resource, Equipment) and r.resource.status != EquipmentStatus.IN_SERVICE:
        message = _("%(what)s is in maintenance and cannot be booked.") % {"what": r.resource.name}
        return BookingRefused(message, "maintenance")
    return None


def rule_unit(r: BookingRequest) -> BookingRefused | None:
    """Steps count from the day's opening time, so half-day units fall on 09:00 and 13:00, not on midnight."""
    unit = r.resource.booking_unit_minutes
    opens = r.hours.opens
    origin = opens.hour * 60 + opens.minute if opens is not None and r.hours.is_open else 0
    local = r.local_start
    if (local.hour * 60 + local.minute - origin) % unit or local.second or r.minutes % unit:
        message = _("Bookings of %(what)s go in steps of %(unit)s minutes.") % {"what": r.resource.name, "unit": unit}
        return BookingRefused(refusal(message, r.resource.is_example or r.hours.is_example), "unit")
    return None


def rule_min_duration(r: BookingRequest) -> BookingRefused | None:
    if r.minutes < r.resource.min_duration_minutes:
        message = _("The shortest booking is %(min)s minutes.") % {"min": r.resource.min_duration_minutes}
        return BookingRefused(refusal(message, r.resource.is_example), "min_duration")
    return None


def rule_max_duration(r: BookingRequest) -> BookingRefused | None:
    if r.minutes > r.resource.max_duration_minutes:
        message = _("The longest booking is %(max)s minutes.") % {"max": r.resource.max_duration_minutes}
        return BookingRefused(refusal(message, r.resource.is_example), "max_duration")
    return None


def rule_capacity(r: BookingRequest) -> BookingRefused | None:
    space = r.resource
    if isinstance(space, Space) and r.party_size and space.capacity and r.party_size > space.capacity:
        message = _("%(what)s holds at most %(n)s people.") % {"what": space.name, "n": space.capacity}
        return BookingRefused(refusal(message, space.is_example), "capacity")
    return None


def rule_open_day(r: BookingRequest) -> BookingRefused | None:
    hours = r.hours
    if hours.is_open:
        return None
    day = r.day.isoformat()
    if hours.reason:  # a public holiday or a dated exception: real, not an example
        return BookingRefused(
            _("The anchor is closed on %(day)s (%(reason)s).") % {"day": day, "reason": hours.reason}, "closed_day"
        )
    return BookingRefused(refusal(_("The anchor is closed on %(day)s.") % {"day": day}, hours.is_example), "closed_day")


def rule_opening_hours(r: BookingRequest) -> BookingRefused | None:
    local_end = r.end.astimezone(SEOUL)
    day = r.day
    ends_at_midnight = local_end.date() == day + timedelta(days=1) and local_end.hour == 0 == local_end.minute
    if local_end.date() != day and not ends_at_midnight:
        return BookingRefused(_("A booking must end on the day it starts."), "hours")
    opens, closes = r.hours.opens, r.hours.closes
    if opens is None or closes is None:
        return None  # a closed day is rule_open_day's
    end_time = local_end.time() if local_end.date() == day else None
    if r.local_start.time() < opens or end_time is None or end_time > closes:
        message = _("Open on %(day)s from %(opens)s to %(closes)s only.") % {
            "day": day.isoformat(),
            "opens": opens.strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
        }
        return BookingRefused(refusal(message, r.hours.is_example), "hours")
    return None


def rule_closure(r: BookingRequest) -> BookingRefused | None:
    resource = r.resource
    space = resource if isinstance(resource, Space) else resource.space
    closures = facility_selectors.closures_overlapping(anchor=resource.anchor, start=r.start, end=r.end, space=space)
    if not closures:
        return None
    closure = closures[0]
    return BookingRefused(
        _("%(what)s is closed from %(start)s to %(end)s: %(reason)s.")
        % {
            "what": closure.space.name if closure.space else resource.anchor.name,
            "start": local_text(closure.starts_at),
            "end": local_text(closure.ends_at),
            "reason": closure.reason,
        },
        "closure",
    )


def rule_training(r: BookingRequest) -> BookingRefused | None:
    equipment = r.resource
    if r.user is None or not isinstance(equipment, Equipment):
        return None
    if facility_selectors.user_is_certified(user=r.user, kind=equipment.kind, on=r.day):
        return None
    message = _("%(kind)s needs a safety training first. A certification from any anchor in Seoul counts.") % {
        "kind": equipment.kind.name
    }
    return BookingRefused(refusal(message, equipment.kind.is_example), "untrained")


def rule_quota(r: BookingRequest) -> BookingRefused | None:
    if r.user is None:
        return None
    week_start = start_of_day(r.day - timedelta(days=r.local_start.weekday()))
    found = selectors.quota_left(resource=r.resource, user=r.user, week_start=week_start, exclude_pk=r.exclude_pk)
    if found is None:
        return None
    quota, left = found
    if r.end - r.start <= left:
        return None
    message = _("You may book %(limit)s hours a week of this kind; %(left)s hours are left this week.") % {
        "limit": quota.hours_per_week,
        "left": f"{max(left, timedelta()).total_seconds() / 3600:g}",
    }
    return BookingRefused(refusal(message, quota.is_example), "quota")


def clash_refusal(
    resource: Resource,
    start: datetime,
    end: datetime,
    clash: Reservation,
    *,
    now: datetime,
    exclude_pk: int | None = None,
    request: BookingRequest | None = None,
) -> BookingRefused:
    """The refusal for a slot already held: who holds it is not said, what is free instead is: the nearest free
    time of the same length earlier that day, then the next ones. With the `request`, each one offered passes
    every booking rule for the same person (notice, hours, training, quota...), so a suggestion is never refused."""
    same_day = selectors.next_free_slots(
        resource=resource,
        start=start,
        duration=end - start,
        exclude_pk=exclude_pk,
        now=now,
        count=48,
        search_days=0,
        whole_day=True,
    )
    later = selectors.next_free_slots(
        resource=resource, start=start, duration=end - start, exclude_pk=exclude_pk, now=now, count=8
    )
    ordered = [c for c in same_day if c[0] < start][-1:] + later
    if request is not None:
        rules = [rule for rule in RULES if rule is not rule_free]
        ordered = [c for c in ordered if first_refusal(replace(request, start=c[0], end=c[1]), rules) is None]
    message = _("%(what)s is already booked from %(start)s to %(end)s.") % {
        "what": resource.name,
        "start": local_text(clash.start_at),
        "end": _hm(clash.end_at),
    }
    return BookingRefused(message, "clash", ordered[:3])


def rule_free(r: BookingRequest) -> BookingRefused | None:
    buffer = timedelta(minutes=r.resource.buffer_minutes)
    holding = selectors.holding_overlapping(
        resource=r.resource, start=r.start, until=r.end + buffer, exclude_pk=r.exclude_pk
    )
    # The usual answer is "free": asked with the key alone, the whole row is read only to say what is in the way.
    if holding.values_list("pk", flat=True).first() is None:
        return None
    clash = holding.first()
    if clash is None:  # freed in between
        return None
    return clash_refusal(r.resource, r.start, r.end, clash, exclude_pk=r.exclude_pk, now=r.now, request=r)


# The rules in the order they are asked: the cheap ones on the request itself first, then the anchor's calendar,
# then the person, then the other bookings.
RULES: list[Rule] = [
    rule_order,
    rule_not_past,
    rule_lead_time,
    rule_window,
    rule_bookable,
    rule_in_service,
    rule_unit,
    rule_min_duration,
    rule_max_duration,
    rule_capacity,
    rule_open_day,
    rule_opening_hours,
    rule_closure,
    rule_training,
    rule_quota,
    rule_free,
]


def add_rule(rule: Rule, *, before: Rule) -> None:
    """A later app's rule (reservations/hooks.py), asked just before `before`; adding it again changes nothing."""
    if rule not in RULES:
        RULES.insert(RULES.index(before), rule)


# What an approval asks again: the anchor may have closed the day or the room since the request.
CALENDAR_RULES: list[Rule] = [rule_open_day, rule_opening_hours, rule_closure]


def first_refusal(request: BookingRequest, rules: list[Rule]) -> BookingRefused | None:
    for rule in rules:
        refused = rule(request)
        if refused is not None:
            return refused
    return None


@dataclass(frozen=True)
class BookingCheck:
    quote: Quote | None  # None for a fee-exempt hold (a programme's room)
    status: str  # the status the reservation would be created with
    hold_expires_at: datetime | None
    awaiting_payment: bool = False  # held until paid (the anchor's billing terms), not until the staff approve

    @property
    def fee_won(self) -> int:
        return self.quote.total_won if self.quote is not None else 0


def check_booking(
    *,
    resource: Resource,
    start: datetime | None,
    end: datetime | None,
    now: datetime,
    user: User | None = None,
    as_staff: bool = False,
    party_size: int | None = None,
    discount_category: str = "",
    exclude_pk: int | None = None,
    fee_exempt: bool = False,
) -> BookingCheck:
    """Apply every booking rule in order; raise BookingRefused naming the first one that fails, else price it.

    `fee_exempt` (a programme's hold on its room) skips only the price: every other rule applies.
    """
    if start is None or end is None or start.tzinfo is None or end.tzinfo is None:
        raise BookingRefused(_("Give a date, a start and an end."), "invalid")
    policy = selectors.policy_for(resource.anchor)
    request = BookingRequest(
        resource=resource,
        start=start,
        end=end,
        now=now,
        policy=policy,
        user=user,
        as_staff=as_staff,
        party_size=party_size,
        exclude_pk=exclude_pk,
    )
    refused = first_refusal(request, RULES)
    if refused is not None:
        raise refused
    quote = None
    if not fee_exempt:
        categories = selectors.discount_categories(user=user, discount_category=discount_category)
        try:
            quote = facility_selectors.quote_for(resource=resource, start=start, end=end, categories=categories)
        except QuoteError as err:
            raise BookingRefused(facility_selectors.quote_error_message(err), "no_price") from err
    if resource.requires_approval and not as_staff:
        hold = min(now + timedelta(hours=policy.approval_hold_hours), start)
        return BookingCheck(quote=quote, status=Status.REQUESTED, hold_expires_at=hold)
    if not as_staff and quote is not None and quote.total_won > 0:
        paid_by = hooks.payment_hold(anchor_id=policy.anchor_id, start=start, now=now)
        if paid_by is not None:
            return BookingCheck(quote=quote, status=Status.REQUESTED, hold_expires_at=paid_by, awaiting_payment=True)
    return BookingCheck(quote=quote, status=Status.CONFIRMED, hold_expires_at=None)


def check_calendar(*, resource: Resource, start: datetime, end: datetime, now: datetime) -> None:
    """The anchor is open for the whole booking and nothing closed it: asked again when staff approve a request."""
    request = BookingRequest(
        resource=resource, start=start, end=end, now=now, policy=selectors.policy_for(resource.anchor)
    )
    refused = first_refusal(request, CALENDAR_RULES)
    if refused is not None:
        raise refused
