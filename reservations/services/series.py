"""Recurring bookings: every occurrence checked by the same rules, booked all at once or not at all, one message
for the whole series, and the rest of a series cancelled together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.time import SEOUL
from facilities.models import Resource
from notifications.services import outbox_enqueue

from ..models import Frequency, Reservation, Series, Status
from .booking_rules import BookingRefused, check_booking
from .fees import cancellation_charge
from .lifecycle import reservation_cancel, reservation_create

if TYPE_CHECKING:
    from accounts.models import User


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
    step = {Frequency.DAILY: 1, Frequency.WEEKLY: 7}[Frequency(frequency)]
    local_start, local_end = start.astimezone(SEOUL), end.astimezone(SEOUL)
    out: list[tuple[datetime, datetime]] = []
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
    user: User | None = None,
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
            result.append(Occurrence(s, e, " ".join(err.messages), err.code or ""))
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
    booked_by: User | None,
    skip_problems: bool,
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
    *, reservation: Reservation, by: User | None, now: datetime, accepted_charge_won: int = 0, reason: str = ""
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
