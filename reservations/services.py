"""Every write to a reservation goes through here: the booking rules, the state machine and the fee.

The database is the last word against double booking: on PostgreSQL an exclusion constraint per
resource (migration 0002), on SQLite an IMMEDIATE transaction around the same check. The checks
here come first so that a refusal says which rule refused and what is free instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anchors import selectors as anchor_selectors
from common.db import is_exclusion_violation
from common.examples import refusal
from facilities import selectors as facility_selectors
from facilities.models import Equipment, EquipmentStatus, Space
from facilities.pricing import SEOUL, Quote, QuoteError, round_half_up
from notifications.services import outbox_enqueue

from . import selectors, states
from .models import (
    HOLDING,
    TRANSITIONS,
    BookingPolicy,
    CalendarFeed,
    Quota,
    Reservation,
    ReservationEvent,
    Series,
    Status,
    new_feed_token,
)

Resource = Space | Equipment


class BookingRefused(ValidationError):
    """A booking rule said no. `code` names the rule; `suggestions` are free slots to offer instead."""

    def __init__(self, message: str, code: str, suggestions: list[tuple[datetime, datetime]] | None = None):
        super().__init__(message, code=code)
        self.suggestions = suggestions or []


def _local(dt: datetime) -> str:
    return date_format(dt.astimezone(SEOUL), "Y-m-d H:i")


def _hm(dt: datetime) -> str:
    return dt.astimezone(SEOUL).strftime("%H:%M")


@dataclass(frozen=True)
class BookingCheck:
    quote: Quote | None  # None for a fee-exempt hold (a programme's room)
    status: str  # the status the reservation would be created with
    hold_expires_at: datetime | None

    @property
    def fee_won(self) -> int:
        return self.quote.total_won if self.quote is not None else 0


def check_booking(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    now: datetime,
    user=None,
    as_staff: bool = False,
    party_size: int | None = None,
    discount_category: str = "",
    exclude_pk: int | None = None,
    fee_exempt: bool = False,
) -> BookingCheck:
    """Apply every booking rule in order; raise BookingRefused naming the first one that fails.

    `fee_exempt` (a programme's hold on its room) skips only the price: every other rule applies.
    """
    anchor = resource.anchor
    policy = selectors.policy_for(anchor)
    if start is None or end is None or start.tzinfo is None or end.tzinfo is None:
        raise BookingRefused(_("Give a date, a start and an end."), "invalid")
    if end <= start:
        raise BookingRefused(_("The end must be after the start."), "order")
    if start < now - (timedelta(minutes=15) if as_staff else timedelta(0)):
        raise BookingRefused(_("That time has already passed."), "past")
    if not as_staff and start < now + timedelta(minutes=policy.lead_time_minutes):
        raise BookingRefused(
            refusal(
                _("Bookings must be made at least %(minutes)s minutes ahead.") % {"minutes": policy.lead_time_minutes},
                policy.is_example,
            ),
            "lead_time",
        )
    days_ahead = policy.staff_days_ahead if as_staff else policy.maker_days_ahead
    if start > now + timedelta(days=days_ahead):
        raise BookingRefused(
            refusal(_("Bookings can be made at most %(days)s days ahead.") % {"days": days_ahead}, policy.is_example),
            "window",
        )
    if not resource.bookable:
        raise BookingRefused(
            refusal(_("%(what)s cannot be booked online.") % {"what": resource.name}, resource.is_example),
            "not_bookable",
        )
    if isinstance(resource, Equipment) and resource.status != EquipmentStatus.IN_SERVICE:
        raise BookingRefused(
            _("%(what)s is in maintenance and cannot be booked.") % {"what": resource.name}, "maintenance"
        )
    minutes = int((end - start).total_seconds() // 60)
    unit = resource.booking_unit_minutes
    local_start = start.astimezone(SEOUL)
    # Steps count from the day's opening time, so half-day units fall on 09:00 and 13:00, not on midnight.
    day_hours = facility_selectors.anchor_hours(anchor=anchor, start=local_start.date(), end=local_start.date())[0]
    origin = day_hours.opens.hour * 60 + day_hours.opens.minute if day_hours.is_open else 0
    if (local_start.hour * 60 + local_start.minute - origin) % unit or local_start.second or minutes % unit:
        raise BookingRefused(
            refusal(
                _("Bookings of %(what)s go in steps of %(unit)s minutes.") % {"what": resource.name, "unit": unit},
                resource.is_example or day_hours.is_example,
            ),
            "unit",
        )
    if minutes < resource.min_duration_minutes:
        raise BookingRefused(
            refusal(
                _("The shortest booking is %(min)s minutes.") % {"min": resource.min_duration_minutes},
                resource.is_example,
            ),
            "min_duration",
        )
    if minutes > resource.max_duration_minutes:
        raise BookingRefused(
            refusal(
                _("The longest booking is %(max)s minutes.") % {"max": resource.max_duration_minutes},
                resource.is_example,
            ),
            "max_duration",
        )
    if isinstance(resource, Space) and party_size and resource.capacity and party_size > resource.capacity:
        raise BookingRefused(
            refusal(
                _("%(what)s holds at most %(n)s people.") % {"what": resource.name, "n": resource.capacity},
                resource.is_example,
            ),
            "capacity",
        )
    _check_hours_and_closures(resource=resource, start=start, end=end)
    if (
        user is not None
        and isinstance(resource, Equipment)
        and not facility_selectors.user_is_certified(user=user, kind=resource.kind, on=local_start.date())
    ):
        raise BookingRefused(
            refusal(
                _("%(kind)s needs a safety training first. A certification from any anchor in Seoul counts.")
                % {"kind": resource.kind.name},
                resource.kind.is_example,
            ),
            "untrained",
        )
    if user is not None:
        _check_quota(resource=resource, user=user, start=start, end=end, exclude_pk=exclude_pk)
    buffer = timedelta(minutes=resource.buffer_minutes)
    clash = selectors.holding_overlapping(
        resource=resource, start=start, until=end + buffer, exclude_pk=exclude_pk
    ).first()
    if clash is not None:
        raise _clash(resource, start, end, clash, exclude_pk=exclude_pk, now=now)
    quote = None
    if not fee_exempt:
        categories = (
            [discount_category] if discount_category else (user.verified_categories if user is not None else [])
        )
        try:
            quote = facility_selectors.quote_for(resource=resource, start=start, end=end, categories=categories)
        except QuoteError as err:
            raise BookingRefused(facility_selectors.quote_error_message(err), "no_price") from err
    if resource.requires_approval and not as_staff:
        hold = min(now + timedelta(hours=policy.approval_hold_hours), start)
        return BookingCheck(quote=quote, status=Status.REQUESTED, hold_expires_at=hold)
    return BookingCheck(quote=quote, status=Status.CONFIRMED, hold_expires_at=None)


def _check_hours_and_closures(*, resource: Resource, start: datetime, end: datetime) -> None:
    local_start, local_end = start.astimezone(SEOUL), end.astimezone(SEOUL)
    day = local_start.date()
    hours = facility_selectors.anchor_hours(anchor=resource.anchor, start=day, end=day)[0]
    if not hours.is_open:
        if hours.reason:
            raise BookingRefused(
                _("The anchor is closed on %(day)s (%(reason)s).") % {"day": day.isoformat(), "reason": hours.reason},
                "closed_day",
            )
        raise BookingRefused(
            refusal(_("The anchor is closed on %(day)s.") % {"day": day.isoformat()}, hours.is_example), "closed_day"
        )
    if local_end.date() != day and not (
        local_end.date() == day + timedelta(days=1) and local_end.time().hour == 0 == local_end.time().minute
    ):
        raise BookingRefused(_("A booking must end on the day it starts."), "hours")
    end_time = local_end.time() if local_end.date() == day else None
    if local_start.time() < hours.opens or end_time is None or end_time > hours.closes:
        raise BookingRefused(
            refusal(
                _("Open on %(day)s from %(opens)s to %(closes)s only.")
                % {
                    "day": day.isoformat(),
                    "opens": hours.opens.strftime("%H:%M"),
                    "closes": hours.closes.strftime("%H:%M"),
                },
                hours.is_example,
            ),
            "hours",
        )
    space = resource if isinstance(resource, Space) else resource.space
    closure = facility_selectors.closures_overlapping(anchor=resource.anchor, start=start, end=end, space=space).first()
    if closure is not None:
        raise BookingRefused(
            _("%(what)s is closed from %(start)s to %(end)s: %(reason)s.")
            % {
                "what": closure.space.name if closure.space else resource.anchor.name,
                "start": _local(closure.starts_at),
                "end": _local(closure.ends_at),
                "reason": closure.reason,
            },
            "closure",
        )


def _quota_for(resource: Resource) -> Quota | None:
    qs = Quota.objects.filter(anchor=resource.anchor)
    if isinstance(resource, Space):
        return qs.filter(space_kind=resource.kind).first()
    return qs.filter(equipment_kind=resource.kind).first()


def _check_quota(*, resource: Resource, user, start: datetime, end: datetime, exclude_pk: int | None) -> None:
    quota = _quota_for(resource)
    if quota is None:
        return
    local = start.astimezone(SEOUL)
    week_start = datetime.combine(local.date() - timedelta(days=local.weekday()), datetime.min.time(), tzinfo=SEOUL)
    week_end = week_start + timedelta(days=7)
    same_kind = {"space__kind": resource.kind} if isinstance(resource, Space) else {"equipment__kind": resource.kind}
    booked = Reservation.objects.filter(
        user=user,
        anchor=resource.anchor,
        status__in=HOLDING,
        start_at__gte=week_start,
        start_at__lt=week_end,
        **same_kind,
    )
    if exclude_pk is not None:
        booked = booked.exclude(pk=exclude_pk)
    used = sum(((r.end_at - r.start_at) for r in booked.only("start_at", "end_at")), timedelta())
    if used + (end - start) > timedelta(hours=quota.hours_per_week):
        left = max(timedelta(hours=quota.hours_per_week) - used, timedelta())
        raise BookingRefused(
            refusal(
                _("You may book %(limit)s hours a week of this kind; %(left)s hours are left this week.")
                % {"limit": quota.hours_per_week, "left": f"{left.total_seconds() / 3600:g}"},
                quota.is_example,
            ),
            "quota",
        )


def _clash(
    resource: Resource, start: datetime, end: datetime, clash: Reservation, *, exclude_pk=None, now=None
) -> BookingRefused:
    suggestions = selectors.next_free_slots(
        resource=resource, start=start, duration=end - start, exclude_pk=exclude_pk, now=now
    )
    return BookingRefused(
        _("%(what)s is already booked from %(start)s to %(end)s.")
        % {"what": resource.name, "start": _local(clash.start_at), "end": _hm(clash.end_at)},
        "clash",
        suggestions,
    )


def _log(
    reservation: Reservation,
    *,
    to: str,
    by,
    at: datetime,
    from_status: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> ReservationEvent:
    return ReservationEvent.objects.create(
        reservation=reservation, at=at, by=by, from_status=from_status, to_status=to, reason=reason, detail=detail or {}
    )


def _freeze_fee(reservation: Reservation, quote: Quote | None, discount_category: str) -> None:
    if quote is None:  # a fee-exempt hold: nothing is owed and nothing counts as fee revenue
        reservation.fee_won = reservation.discount_won = reservation.deposit_won = 0
        reservation.rate_version_ids, reservation.fee_lines, reservation.discount_category = [], [], ""
        return
    reservation.fee_won = quote.total_won
    reservation.discount_won = sum(line.discount_won for line in quote.lines)
    reservation.deposit_won = quote.deposit_won
    reservation.rate_version_ids = list(quote.version_ids)
    reservation.discount_category = discount_category
    reservation.fee_lines = [
        {
            "start": line.start.isoformat(),
            "end": line.end.isoformat(),
            "unit": line.unit,
            "quantity": str(line.quantity),
            "unit_price_won": line.unit_price_won,
            "surcharges": list(line.surcharges),
            "surcharge_pct": line.surcharge_pct,
            "gross_won": line.gross_won,
            "discount_pct": line.discount_pct,
            "discount_won": line.discount_won,
            "vat_won": line.vat_won,
            "amount_won": line.amount_won,
            "version_id": line.version_id,
        }
        for line in quote.lines
    ]


def _save_guarded(
    reservation: Reservation, resource: Resource, *, now: datetime, update_fields: list[str] | None = None
) -> None:
    """Save inside a savepoint; the exclusion constraint's refusal becomes the clash message."""
    try:
        with transaction.atomic():
            reservation.save(update_fields=update_fields)
    except IntegrityError as err:
        if is_exclusion_violation(err):
            clash = selectors.holding_overlapping(
                resource=resource,
                start=reservation.start_at,
                until=reservation.blocked_until,
                exclude_pk=reservation.pk,
            ).first()
            if clash is not None:
                raise _clash(
                    resource, reservation.start_at, reservation.end_at, clash, exclude_pk=reservation.pk, now=now
                ) from err
            raise BookingRefused(_("This slot was just booked by someone else."), "clash") from err
        raise


def _serialise_maker(user) -> None:
    """One booking write at a time per maker, so the weekly quota is summed and checked under a lock: two
    parallel bookings on two machines cannot both fit into the hours that were left for one."""
    if user is not None:
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _locked(reservation: Reservation) -> Reservation:
    """The row, locked: every state change reads the state it checks under this lock (two desks, one booking)."""
    return (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("anchor", "space__anchor", "equipment__space__anchor", "equipment__kind", "user")
        .get(pk=reservation.pk)
    )


def _refuse_unless(reason: str | None) -> None:
    if reason is not None:
        raise ValidationError(reason)


@transaction.atomic
def reservation_create(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    booked_by,
    now: datetime,
    user=None,
    guest_name: str = "",
    guest_phone: str = "",
    guest_organisation: str = "",
    as_staff: bool = False,
    purpose: str = "",
    party_size: int | None = None,
    notes: str = "",
    discount_category: str = "",
    series: Series | None = None,
    fee_exempt: bool = False,
    notify: bool = True,
    fee_shown_won: int | None = None,
) -> Reservation:
    """Book a slot. `fee_exempt` is for holds that are not rentals (a programme's room); `notify=False` when the
    caller sends one message for several bookings (a series). `fee_shown_won` is the fee the person confirmed:
    if the fee is different now (a new rate version, a category verified meanwhile), nothing is booked and they
    are shown the new one."""
    if user is None and not guest_name.strip():
        raise BookingRefused(_("Say who the booking is for: a maker's account or a guest's name."), "who")
    if user is None and not as_staff:
        raise BookingRefused(_("Only staff can book for a guest."), "who")
    if discount_category and not as_staff:
        discount_category = ""  # makers get the discount of their verified category, never one they pick
    _serialise_maker(user)
    check = check_booking(
        resource=resource,
        start=start,
        end=end,
        user=user,
        as_staff=as_staff,
        party_size=party_size,
        discount_category=discount_category,
        fee_exempt=fee_exempt,
        now=now,
    )
    if fee_shown_won is not None and check.fee_won != fee_shown_won:
        raise BookingRefused(
            refusal(
                _("The fee is now %(fee)s won, not the %(shown)s won you were shown. Check it and confirm again.")
                % {"fee": f"{check.fee_won:,}", "shown": f"{fee_shown_won:,}"},
                check.quote is not None and check.quote.is_example,
            ),
            "fee_changed",
        )
    reservation = Reservation(
        anchor=resource.anchor,
        space=resource if isinstance(resource, Space) else None,
        equipment=resource if isinstance(resource, Equipment) else None,
        user=user,
        guest_name=guest_name.strip(),
        guest_phone=guest_phone.strip(),
        guest_organisation=guest_organisation.strip(),
        booked_by=booked_by,
        start_at=start,
        end_at=end,
        blocked_until=end + timedelta(minutes=resource.buffer_minutes),
        status=check.status,
        hold_expires_at=check.hold_expires_at,
        purpose=purpose.strip(),
        party_size=party_size,
        notes=notes.strip(),
        series=series,
        fee_exempt=fee_exempt,
    )
    verified = user.verified_categories if user is not None else []
    _freeze_fee(reservation, check.quote, discount_category or (verified[0] if verified else ""))
    reservation.full_clean(exclude=["checkin_code"])
    _save_guarded(reservation, resource, now=now)
    event = _log(reservation, to=reservation.status, by=booked_by, at=now, detail={"fee_won": reservation.fee_won})
    if notify:
        _notify(reservation, "requested" if reservation.status == Status.REQUESTED else "confirmed", event, now)
    if reservation.status == Status.REQUESTED:
        _alert_staff(reservation, event, now)
    return reservation


def _notify(reservation: Reservation, kind: str, event: ReservationEvent, now: datetime) -> None:
    """The maker's notice of one event, queued once (its key names the event)."""
    if reservation.user_id is None:
        return
    outbox_enqueue(
        key=f"notice:{reservation.pk}:{kind}:{event.pk}",
        kind=f"notice:{kind}",
        user_id=reservation.user_id,
        object_id=reservation.pk,
        anchor_id=reservation.anchor_id,
        now=now,
    )


def _alert_staff(reservation: Reservation, event: ReservationEvent, now: datetime) -> None:
    """A request waits for approval: the anchor's staff are told once each (per request: a moved booking that
    needs approval again is a new one)."""
    for staff_id in anchor_selectors.staff_ids(anchor=reservation.anchor):
        outbox_enqueue(
            key=f"staff-alert:request:{reservation.pk}:{event.pk}:{staff_id}",
            kind="staff-alert:request",
            user_id=staff_id,
            object_id=reservation.pk,
            anchor_id=reservation.anchor_id,
            now=now,
        )


def _transition(
    current: Reservation,
    *,
    to: str,
    by,
    now: datetime,
    reason: str = "",
    detail: dict | None = None,
    extra_fields: dict | None = None,
) -> tuple[Reservation, ReservationEvent]:
    """Move a locked row along the state machine and log it."""
    old = current.status
    if to not in TRANSITIONS[old]:
        raise ValidationError(
            _("A %(from)s reservation cannot become %(to)s.")
            % {"from": current.get_status_display(), "to": Status(to).label}
        )
    fields = {"status": to, **(extra_fields or {})}
    for k, v in fields.items():
        setattr(current, k, v)
    current.save(update_fields=[*fields, "updated_at"])
    event = _log(current, to=to, by=by, at=now, from_status=old, reason=reason, detail=detail)
    return current, event


@transaction.atomic
def reservation_approve(*, reservation: Reservation, by, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_approve(r, now=now))
    _check_hours_and_closures(resource=r.resource, start=r.start_at, end=r.end_at)
    r, event = _transition(r, to=Status.CONFIRMED, by=by, now=now, extra_fields={"hold_expires_at": None})
    _notify(r, "approved", event, now)
    return r


@transaction.atomic
def reservation_reject(*, reservation: Reservation, by, reason: str, now: datetime) -> Reservation:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the maker a reason for the rejection.")})
    r = _locked(reservation)
    _refuse_unless(states.why_not_reject(r, now=now))
    r, event = _transition(
        r, to=Status.REJECTED, by=by, now=now, reason=reason.strip(), extra_fields={"hold_expires_at": None}
    )
    _notify(r, "rejected", event, now)
    return r


def cancellation_charge(reservation: Reservation, *, now: datetime) -> int:
    """What a cancellation at `now` would cost under the anchor's policy (0 inside the free period)."""
    if reservation.status == Status.REQUESTED:
        return 0
    policy = selectors.policy_for(reservation.anchor)
    if now <= reservation.start_at - timedelta(hours=policy.free_cancellation_hours):
        return 0
    return round_half_up(_pct(reservation.fee_won, policy.late_cancellation_pct), 10)


def _pct(amount: int, pct: int) -> Fraction:
    return Fraction(amount * pct, 100)


class ChargeChanged(ValidationError):
    """The charge is higher than the one the person accepted; they must see the new figure and accept it."""

    def __init__(self, charge: int, accepted: int, *, is_example: bool = False):
        self.charge, self.accepted = charge, accepted
        if accepted:
            message = _("Cancelling now costs %(charge)s won, more than the %(accepted)s won you accepted.") % {
                "charge": f"{charge:,}",
                "accepted": f"{accepted:,}",
            }
        else:
            message = _("Cancelling now costs %(charge)s won: tick the box to accept it.") % {"charge": f"{charge:,}"}
        super().__init__(refusal(message, is_example), code="charge_changed")


@transaction.atomic
def reservation_cancel(
    *,
    reservation: Reservation,
    by,
    now: datetime,
    accepted_charge_won: int = 0,
    reason: str = "",
    notify: bool = True,
) -> Reservation:
    """Cancel; the charge is computed under the lock at `now` and must not exceed the one the person accepted."""
    r = _locked(reservation)
    _refuse_unless(states.why_not_cancel(r, now=now))
    charge = cancellation_charge(r, now=now)
    if charge > accepted_charge_won:
        raise ChargeChanged(charge, accepted_charge_won, is_example=r.terms_are_example or r.fee_is_example)
    r, event = _transition(
        r,
        to=Status.CANCELLED,
        by=by,
        now=now,
        reason=reason.strip(),
        detail={"charge_won": charge},
        extra_fields={"charge_won": charge, "hold_expires_at": None},
    )
    if notify:
        _notify(r, "cancelled", event, now)
    return r


@transaction.atomic
def reservation_check_in(*, reservation: Reservation, by, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_check_in(r, now=now))
    return _transition(r, to=Status.CHECKED_IN, by=by, now=now)[0]


@transaction.atomic
def reservation_complete(*, reservation: Reservation, by, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_complete(r, now=now))
    return _transition(r, to=Status.COMPLETED, by=by, now=now)[0]


def no_show_charge(reservation: Reservation) -> int:
    return round_half_up(_pct(reservation.fee_won, selectors.policy_for(reservation.anchor).no_show_pct), 10)


@transaction.atomic
def reservation_mark_no_show(*, reservation: Reservation, by, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_no_show(r, now=now, policy=selectors.policy_for(r.anchor)))
    charge = no_show_charge(r)
    return _transition(
        r,
        to=Status.NO_SHOW,
        by=by,
        now=now,
        detail={"charge_won": charge},
        extra_fields={"charge_won": charge},
    )[0]


@transaction.atomic
def reservation_waive_charge(*, reservation: Reservation, by, reason: str, now: datetime) -> Reservation:
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for waiving the charge.")})
    r = _locked(reservation)
    _refuse_unless(states.why_not_waive(r, now=now))
    waived = r.charge_won
    r.charge_won = 0
    r.charge_waived_reason = reason.strip()
    r.save(update_fields=["charge_won", "charge_waived_reason", "updated_at"])
    _log(r, to=r.status, from_status=r.status, by=by, at=now, reason=reason.strip(), detail={"waived_won": waived})
    return r


@transaction.atomic
def reservation_move(
    *,
    reservation: Reservation,
    start: datetime,
    end: datetime,
    by,
    now: datetime,
    as_staff: bool = False,
    notify: bool = True,
) -> Reservation:
    """Move a reservation to another free slot of the same resource, re-quoted for the new time (a fee-exempt
    hold stays fee-exempt)."""
    holder = Reservation.objects.filter(pk=reservation.pk).select_related("user").only("user").first()
    if holder is None:
        raise ValidationError(_("This reservation no longer exists."))
    _serialise_maker(holder.user)  # the same lock order as a new booking: the maker, then the row
    r = _locked(reservation)
    policy = selectors.policy_for(r.anchor)
    _refuse_unless(states.why_not_move(r, now=now, policy=policy, as_staff=as_staff))
    resource = r.resource
    check = check_booking(
        resource=resource,
        start=start,
        end=end,
        user=r.user,
        as_staff=as_staff,
        party_size=r.party_size,
        discount_category=r.discount_category if as_staff else "",
        exclude_pk=r.pk,
        fee_exempt=r.fee_exempt,
        now=now,
    )
    old = {"start": r.start_at.isoformat(), "end": r.end_at.isoformat(), "fee_won": r.fee_won}
    before = r.status
    r.start_at, r.end_at = start, end
    r.blocked_until = end + timedelta(minutes=resource.buffer_minutes)
    # A room that needs the desk's approval needs it again for a new time the maker chose: the approval was for
    # the old one. The slot is held meanwhile, as for any request.
    if check.status == Status.REQUESTED:
        r.status, r.hold_expires_at = Status.REQUESTED, check.hold_expires_at
    _freeze_fee(r, check.quote, r.discount_category)
    _save_guarded(r, resource, now=now)
    event = _log(
        r,
        to=r.status,
        from_status=before,
        by=by,
        at=now,
        reason=_("moved") if r.status == before else _("moved; waits for the staff's approval again"),
        detail={"from": old, "fee_won": r.fee_won},
    )
    if notify:
        _notify(r, "moved", event, now)
    if r.status == Status.REQUESTED and before != Status.REQUESTED:
        _alert_staff(r, event, now)
    return r


# --- recurring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime
    problem: str = ""
    code: str = ""
    fee_won: int = 0


def series_occurrences(
    *, start: datetime, end: datetime, frequency: str, count: int
) -> list[tuple[datetime, datetime]]:
    """Occurrences keep their local wall-clock time (a class stays at 10:00 across any clock change)."""
    step = {"daily": 1, "weekly": 7}[frequency]
    local_start, local_end = start.astimezone(SEOUL), end.astimezone(SEOUL)
    out = []
    for i in range(count):
        s = (local_start.replace(tzinfo=None) + timedelta(days=step * i)).replace(tzinfo=SEOUL)
        e = (local_end.replace(tzinfo=None) + timedelta(days=step * i)).replace(tzinfo=SEOUL)
        out.append((s, e))
    return out


def series_preview(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    frequency: str,
    count: int,
    now: datetime,
    user=None,
    as_staff: bool = False,
    party_size: int | None = None,
    discount_category: str = "",
) -> list[Occurrence]:
    if count < 2 or count > 52:
        raise ValidationError({"count": _("A series has between 2 and 52 occurrences.")})
    result = []
    for s, e in series_occurrences(start=start, end=end, frequency=frequency, count=count):
        try:
            check = check_booking(
                resource=resource,
                start=s,
                end=e,
                user=user,
                as_staff=as_staff,
                party_size=party_size,
                discount_category=discount_category,
                now=now,
            )
        except BookingRefused as err:
            result.append(Occurrence(s, e, " ".join(err.messages), err.code))
        else:
            result.append(Occurrence(s, e, fee_won=check.fee_won))
    return result


@transaction.atomic
def series_create(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    frequency: str,
    count: int,
    booked_by,
    skip_problems: bool,
    now: datetime,
    user=None,
    guest_name: str = "",
    guest_phone: str = "",
    guest_organisation: str = "",
    as_staff: bool = False,
    purpose: str = "",
    party_size: int | None = None,
    notes: str = "",
    discount_category: str = "",
) -> Series:
    """Create every occurrence at once, or none: a clash found now (or raced in) gives up unless skipping was chosen.

    The maker gets one message for the whole series, not one per occurrence.
    """
    preview = series_preview(
        resource=resource,
        start=start,
        end=end,
        frequency=frequency,
        count=count,
        user=user,
        as_staff=as_staff,
        party_size=party_size,
        discount_category=discount_category,
        now=now,
    )
    problems = [o for o in preview if o.problem]
    if problems and not skip_problems:
        raise ValidationError(
            _("%(n)s of the %(count)s occurrences cannot be booked; skip them or give up.")
            % {"n": len(problems), "count": count}
        )
    if len(problems) == len(preview):
        raise ValidationError(_("None of the occurrences can be booked."))
    series = Series.objects.create(
        frequency=frequency,
        count=count,
        created_by=booked_by,
        skipped=[{"start": o.start.isoformat(), "reason": o.problem} for o in problems],
    )
    for o in preview:
        if o.problem:
            continue
        reservation_create(
            resource=resource,
            start=o.start,
            end=o.end,
            booked_by=booked_by,
            user=user,
            guest_name=guest_name,
            guest_phone=guest_phone,
            guest_organisation=guest_organisation,
            as_staff=as_staff,
            purpose=purpose,
            party_size=party_size,
            notes=notes,
            discount_category=discount_category,
            series=series,
            notify=False,
            now=now,
        )
    if user is not None:
        outbox_enqueue(
            key=f"series:{series.pk}:booked",
            kind="series:booked",
            user_id=user.pk,
            object_id=series.pk,
            anchor_id=resource.anchor.pk,
            now=now,
        )
    return series


def series_rest(*, reservation: Reservation, now: datetime) -> list[Reservation]:
    """This occurrence and every later one of its series that has not started and can still be cancelled."""
    if reservation.series_id is None:
        return []
    return list(
        Reservation.objects.filter(
            series_id=reservation.series_id,
            start_at__gte=reservation.start_at,
            start_at__gt=now,
            status__in=[Status.REQUESTED, Status.CONFIRMED],
        )
        .select_related("anchor")
        .order_by("start_at")
    )


def series_cancellation_charge(*, reservation: Reservation, now: datetime) -> int:
    return sum(cancellation_charge(r, now=now) for r in series_rest(reservation=reservation, now=now))


@transaction.atomic
def series_cancel_rest(
    *, reservation: Reservation, by, now: datetime, accepted_charge_won: int = 0, reason: str = ""
) -> int:
    """Cancel this occurrence and every later one not started; the charges together must not exceed the accepted
    amount. The maker gets one message."""
    if reservation.series_id is None:
        raise ValidationError(_("This reservation is not part of a series."))
    rest = series_rest(reservation=reservation, now=now)
    if not rest:
        raise ValidationError(_("No occurrence of this series is left to cancel."))
    total = 0
    for r in rest:
        total += reservation_cancel(
            reservation=r,
            by=by,
            reason=reason,
            accepted_charge_won=max(accepted_charge_won - total, 0),
            notify=False,
            now=now,
        ).charge_won
    if rest[0].user_id is not None:
        outbox_enqueue(
            key=f"series:{reservation.series_id}:cancelled:{rest[0].pk}",
            kind="series:cancelled",
            user_id=rest[0].user_id,
            object_id=reservation.series_id,
            anchor_id=rest[0].anchor_id,
            now=now,
        )
    return len(rest)


# --- housekeeping --------------------------------------------------------------------------------


def reservations_expire_requests(*, now: datetime) -> int:
    """Expire requests whose hold ran out; each row is claimed by a compare-and-swap, so running twice is safe."""
    n = 0
    for pk in Reservation.objects.filter(status=Status.REQUESTED, hold_expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if (
                Reservation.objects.filter(pk=pk, status=Status.REQUESTED).update(
                    status=Status.EXPIRED, hold_expires_at=None, updated_at=now
                )
                == 1
            ):
                event = ReservationEvent.objects.create(
                    reservation_id=pk,
                    at=now,
                    from_status=Status.REQUESTED,
                    to_status=Status.EXPIRED,
                    reason=_("not approved in time"),
                )
                _notify(Reservation.objects.get(pk=pk), "expired", event, now)
                n += 1
    return n


def reservations_mark_no_shows(*, now: datetime) -> int:
    """Mark confirmed bookings nobody checked in to, once the grace period is over (safe to run twice)."""
    n = 0
    for policy_anchor, grace in {p.anchor_id: p.no_show_grace_minutes for p in BookingPolicy.objects.all()}.items():
        late = Reservation.objects.filter(
            anchor_id=policy_anchor, status=Status.CONFIRMED, start_at__lte=now - timedelta(minutes=grace)
        )
        for r in late:
            try:
                reservation_mark_no_show(reservation=r, by=None, now=now)
                n += 1
            except ValidationError:
                continue  # someone checked them in meanwhile
    return n


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=SEOUL)
    return start, start + timedelta(days=1)


@transaction.atomic
def calendar_feed_reset(*, user, now: datetime) -> tuple[CalendarFeed, bool]:
    """Create the maker's private calendar feed, or replace its secret so the old address stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user, defaults={"created_at": now})
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token", "updated_at"])
    return feed, created
