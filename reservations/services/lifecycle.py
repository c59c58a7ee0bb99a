"""A reservation's life: booked (confirmed, or requested and held for the desk), approved or rejected, moved,
cancelled, checked in, completed or not shown. Every change locks the row first, asks `states` whether the state
allows it, then acts and logs an event; the database's exclusion constraint is the last word against a double
booking (on SQLite an IMMEDIATE transaction around the same check)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ParamSpec

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anchors import selectors as anchor_selectors
from common import catalogue
from common.db import is_exclusion_violation
from common.examples import refusal
from facilities.models import Equipment, Resource, Space
from notifications.services import outbox_enqueue

from .. import hooks, selectors, states
from ..models import TRANSITIONS, Reservation, ReservationEvent, Series, Status
from .booking_rules import BookingCheck, BookingRefused, BookingRequest, check_booking, check_calendar, clash_refusal
from .fees import ChargeChanged, cancellation_charge, freeze_fee, no_show_charge

if TYPE_CHECKING:
    from accounts.models import User


P = ParamSpec("P")


def _log(
    reservation: Reservation,
    *,
    to: str,
    by: User | None,
    at: datetime,
    from_status: str = "",
    reason: str = "",
    detail: dict[str, object] | None = None,
) -> ReservationEvent:
    event = ReservationEvent.objects.create(
        reservation=reservation, at=at, by=by, from_status=from_status, to_status=to, reason=reason, detail=detail or {}
    )
    # Every write of a reservation is logged here, so this is where what depends on all of them hears of it.
    hooks.emit("changed", reservation=reservation, start=reservation.start_at, end=reservation.end_at, now=at)
    return event


def _clash_refusal_after(
    err: IntegrityError,
    resource: Resource,
    start: datetime,
    end: datetime,
    *,
    exclude_pk: int | None,
    now: datetime,
    request: BookingRequest | None = None,
) -> Exception:
    """The exclusion constraint's refusal as the clash message, with what is free instead (with the `request`, only
    times that pass every other rule for the same person, as on the ordinary path); the error itself when it is
    another constraint's. Asked once the failed statement is rolled back (the lookup is a query)."""
    if not is_exclusion_violation(err):
        return err
    clash = selectors.holding_overlapping(
        resource=resource, start=start, until=end + timedelta(minutes=resource.buffer_minutes), exclude_pk=exclude_pk
    ).first()
    if clash is not None:
        return clash_refusal(resource, start, end, clash, exclude_pk=exclude_pk, now=now, request=request)
    return BookingRefused(_("This slot was just booked by someone else."), "clash")


def _save_guarded(
    reservation: Reservation, resource: Resource, *, now: datetime, update_fields: list[str] | None = None
) -> None:
    """Save inside a savepoint; the exclusion constraint's refusal becomes the clash message."""
    try:
        with transaction.atomic():
            reservation.save(update_fields=update_fields)
    except IntegrityError as err:
        refusal_ = _clash_refusal_after(
            err, resource, reservation.start_at, reservation.end_at, exclude_pk=reservation.pk, now=now
        )
        if refusal_ is err:
            raise
        raise refusal_ from err


def _serialise_maker(user: User | None) -> None:
    """One booking write at a time per maker, so the weekly quota is summed and checked under a lock: two
    parallel bookings on two machines cannot both fit into the hours that were left for one."""
    if user is not None:
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _serialise_resource(resource: Resource) -> None:
    """One booking write at a time per resource: the rules check the slot under this lock, so racing bookings of
    one slot queue here and the later ones see the first and are refused with what is free instead. Without it
    they all insert, wait on each other's rows in the exclusion constraint, and PostgreSQL breaks the knot with a
    deadlock error (a 500 for all but one). Lock order everywhere: the maker, the resource, the reservation."""
    # No ordering: the default one joins the space, the anchor and the kind, and FOR UPDATE would lock their rows
    # as well, making every booking at an anchor wait for every other one.
    list(type(resource).objects.select_for_update().filter(pk=resource.pk).order_by().values_list("pk", flat=True))
    # The rules run under this lock: they read the catalogue's stamp again, so a closure or a new rate committed
    # while the request was starting is seen (common/catalogue.py).
    catalogue.forget_request_stamp()


def _locked(reservation: Reservation) -> Reservation:
    """The row, locked: every state change reads the state it checks under this lock (two desks, one booking)."""
    return (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("anchor", "space__anchor", "equipment__space__anchor", "equipment__kind", "user")
        .get(pk=reservation.pk)
    )


def _refuse_unless(reason: str | None) -> None:
    if reason is not None:
        raise ValidationError(reason, code="state")  # the state machine or the clock does not allow it now


def _clashes_refused_after_rollback(create: Callable[P, Reservation]) -> Callable[P, Reservation]:
    """A clash only the database's exclusion constraint saw (a race the resource lock did not cover, such as a
    hold inserted by other code) is refused with the clash message once the booking's transaction (or savepoint,
    when it runs inside another) is rolled back: no savepoint of its own around the insert, two statements fewer
    on every booking."""

    @functools.wraps(create)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Reservation:
        try:
            return create(*args, **kwargs)
        except IntegrityError as err:
            given: dict[str, Any] = dict(kwargs)
            resource, start, end, now = (given[k] for k in ("resource", "start", "end", "now"))
            request = BookingRequest(
                resource=resource,
                start=start,
                end=end,
                now=now,
                policy=selectors.policy_for(resource.anchor),
                user=given.get("user"),
                as_staff=bool(given.get("as_staff", False)),
                party_size=given.get("party_size"),
            )
            refusal_ = _clash_refusal_after(err, resource, start, end, exclude_pk=None, now=now, request=request)
            if refusal_ is err:
                raise
            raise refusal_ from err

    return wrapper


@_clashes_refused_after_rollback
@transaction.atomic
def reservation_create(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    booked_by: User | None,
    now: datetime,
    user: User | None = None,
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
    _serialise_resource(resource)
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
        awaiting_payment=check.awaiting_payment,
        purpose=purpose.strip(),
        party_size=party_size,
        notes=notes.strip(),
        series=series,
        fee_exempt=fee_exempt,
    )
    verified = user.verified_categories if user is not None else []
    freeze_fee(reservation, check.quote, discount_category or (verified[0] if verified else ""))
    # The fields' own limits (lengths, choices) as a clear refusal. Not re-checked here, because they are already
    # guaranteed: the related rows (locked or loaded just above; checking each cost a query) and the table's check
    # constraints (end after start, space or machine, maker or guest: the rules above refuse each with its own
    # message; each check cost a query in a savepoint). PostgreSQL still enforces every constraint on the insert.
    reservation.full_clean(
        exclude=["checkin_code", "anchor", "space", "equipment", "user", "booked_by", "series"],
        validate_constraints=False,
    )
    reservation.save()  # a clash only the exclusion constraint sees is translated by reservation_create
    event = _log(reservation, to=reservation.status, by=booked_by, at=now, detail={"fee_won": reservation.fee_won})
    if notify:
        kind = "confirmed"
        if reservation.status == Status.REQUESTED:
            kind = "awaiting_payment" if reservation.awaiting_payment else "requested"
        notify_maker(reservation, kind, event, now)
    if reservation.status == Status.REQUESTED and not reservation.awaiting_payment:
        _alert_staff(reservation, event, now)  # a booking waiting to be paid asks nothing of the staff
    return reservation


def notify_maker(reservation: Reservation, kind: str, event: ReservationEvent, now: datetime) -> None:
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
    by: User | None,
    now: datetime,
    reason: str = "",
    detail: dict[str, object] | None = None,
    extra_fields: dict[str, object] | None = None,
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
def reservation_approve(*, reservation: Reservation, by: User | None, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_approve(r, now=now))
    check_calendar(resource=r.resource, start=r.start_at, end=r.end_at, now=now)
    r, event = _transition(
        r, to=Status.CONFIRMED, by=by, now=now, extra_fields={"hold_expires_at": None, "awaiting_payment": False}
    )
    notify_maker(r, "approved", event, now)
    return r


@transaction.atomic
def reservation_confirm_paid(*, reservation: Reservation, now: datetime) -> Reservation | None:
    """Confirm a booking that was held until paid, now that it is (billing asks, after the payment commits). None
    when there is nothing to confirm: confirmed already, expired or cancelled meanwhile."""
    r = _locked(reservation)
    if r.status != Status.REQUESTED or not r.awaiting_payment:
        return None
    r, event = _transition(
        r,
        to=Status.CONFIRMED,
        by=None,
        now=now,
        reason=_("paid"),
        extra_fields={"hold_expires_at": None, "awaiting_payment": False},
    )
    notify_maker(r, "confirmed", event, now)
    return r


@transaction.atomic
def reservation_reject(*, reservation: Reservation, by: User | None, reason: str, now: datetime) -> Reservation:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the maker a reason for the rejection.")})
    r = _locked(reservation)
    _refuse_unless(states.why_not_reject(r, now=now))
    r, event = _transition(
        r, to=Status.REJECTED, by=by, now=now, reason=reason.strip(), extra_fields={"hold_expires_at": None}
    )
    notify_maker(r, "rejected", event, now)
    hooks.emit("freed", reservation=r, start=r.start_at, end=r.end_at, now=now)
    return r


@transaction.atomic
def reservation_cancel(
    *,
    reservation: Reservation,
    by: User | None,
    now: datetime,
    accepted_charge_won: int = 0,
    reason: str = "",
    notify: bool = True,
    by_anchor: bool = False,
) -> Reservation:
    """Cancel; the charge is computed under the lock at `now` and must not exceed the one the person accepted.
    `by_anchor`: the anchor cancels (a closure), so nothing is charged."""
    r = _locked(reservation)
    _refuse_unless(states.why_not_cancel(r, now=now))
    charge = 0 if by_anchor else cancellation_charge(r, now=now)
    if charge > accepted_charge_won:
        raise ChargeChanged(charge, accepted_charge_won, is_example=r.charge_is_example)
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
        notify_maker(r, "cancelled", event, now)
    if charge:
        hooks.emit("late_cancellation", reservation=r, start=r.start_at, end=r.end_at, now=now)
    hooks.emit("freed", reservation=r, start=r.start_at, end=r.end_at, now=now)
    return r


@transaction.atomic
def reservation_check_in(*, reservation: Reservation, by: User | None, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_check_in(r, now=now))
    return _transition(r, to=Status.CHECKED_IN, by=by, now=now)[0]


@transaction.atomic
def reservation_complete(*, reservation: Reservation, by: User | None, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_complete(r, now=now))
    return _transition(r, to=Status.COMPLETED, by=by, now=now)[0]


@transaction.atomic
def reservation_mark_no_show(*, reservation: Reservation, by: User | None, now: datetime) -> Reservation:
    r = _locked(reservation)
    _refuse_unless(states.why_not_no_show(r, now=now, policy=selectors.policy_for(r.anchor)))
    charge = no_show_charge(r)
    r = _transition(
        r,
        to=Status.NO_SHOW,
        by=by,
        now=now,
        detail={"charge_won": charge},
        extra_fields={"charge_won": charge},
    )[0]
    hooks.emit("no_show", reservation=r, start=r.start_at, end=r.end_at, now=now)
    return r


@transaction.atomic
def reservation_waive_charge(*, reservation: Reservation, by: User | None, reason: str, now: datetime) -> Reservation:
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


def check_move(
    *, reservation: Reservation, start: datetime, end: datetime, as_staff: bool, now: datetime
) -> BookingCheck:
    """The rules and the new fee for moving a reservation to another time (reads only): the move page shows
    this before the maker confirms, and reservation_move asks it again under the locks."""
    r = reservation
    return check_booking(
        resource=r.resource,
        start=start,
        end=end,
        user=r.user,
        as_staff=as_staff,
        party_size=r.party_size,
        discount_category=selectors.move_discount_category(reservation=r, as_staff=as_staff),
        exclude_pk=r.pk,
        fee_exempt=r.fee_exempt,
        now=now,
    )


@transaction.atomic
def reservation_move(
    *,
    reservation: Reservation,
    start: datetime,
    end: datetime,
    by: User | None,
    now: datetime,
    as_staff: bool = False,
    notify: bool = True,
) -> Reservation:
    """Move a reservation to another free slot of the same resource, re-quoted for the new time (a fee-exempt
    hold stays fee-exempt)."""
    holder = (
        Reservation.objects.filter(pk=reservation.pk)
        .select_related("user", "space", "equipment")
        .only("user", "space", "equipment")
        .first()
    )
    if holder is None:
        raise ValidationError(_("This reservation no longer exists."))
    _serialise_maker(holder.user)  # the same lock order as a new booking: the maker, the resource, then the row
    _serialise_resource(holder.resource)
    r = _locked(reservation)
    policy = selectors.policy_for(r.anchor)
    _refuse_unless(states.why_not_move(r, now=now, policy=policy, as_staff=as_staff))
    resource = r.resource
    check = check_move(reservation=r, start=start, end=end, as_staff=as_staff, now=now)
    old = {"start": r.start_at.isoformat(), "end": r.end_at.isoformat(), "fee_won": r.fee_won}
    old_start, old_end = r.start_at, r.end_at
    before = r.status
    r.start_at, r.end_at = start, end
    r.blocked_until = end + timedelta(minutes=resource.buffer_minutes)
    # A room that needs the desk's approval needs it again for a new time the maker chose: the approval was for
    # the old one. The slot is held meanwhile, as for any request.
    if check.status == Status.REQUESTED and not check.awaiting_payment:
        r.status, r.hold_expires_at = Status.REQUESTED, check.hold_expires_at
    freeze_fee(r, check.quote, r.discount_category)
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
        notify_maker(r, "moved", event, now)
    if r.status == Status.REQUESTED and before != Status.REQUESTED:
        _alert_staff(r, event, now)
    hooks.emit("freed", reservation=r, start=old_start, end=old_end, now=now)
    return r
