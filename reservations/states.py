"""What a reservation's state allows, asked in one place by the services (after they lock the row), by the
actions offered on its page and by the desk. Each function returns None when the action is allowed, else the
reason, in the user's language, why it is not.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.examples import refusal
from common.time import SEOUL

from .models import BookingPolicy, Reservation, Status

OPEN = (Status.REQUESTED, Status.CONFIRMED)


def _local(dt: datetime) -> str:
    return date_format(dt.astimezone(SEOUL), "Y-m-d H:i")


def why_not_cancel(r: Reservation, *, now: datetime) -> str | None:
    if r.status not in OPEN:
        return _("Only a requested or confirmed reservation can be cancelled; this one is %(status)s.") % {
            "status": r.get_status_display()
        }
    if r.start_at <= now:
        return _("This reservation has started; ask the staff at the desk.")
    return None


def why_not_move(r: Reservation, *, now: datetime, policy: BookingPolicy, as_staff: bool) -> str | None:
    if r.status not in OPEN:
        return _("Only a requested or confirmed reservation can be moved.")
    if r.start_at <= now:
        return _("This reservation has started; ask the staff at the desk.")
    if not as_staff and now > r.start_at - timedelta(hours=policy.free_cancellation_hours):
        return refusal(
            _("It can be moved until %(hours)s hours before the start; after that, cancel it or ask the staff.")
            % {"hours": policy.free_cancellation_hours},
            policy.is_example,
        )
    return None


def why_not_approve(r: Reservation, *, now: datetime) -> str | None:
    if r.status != Status.REQUESTED:
        return _("Only a request can be approved; this one is %(status)s.") % {"status": r.get_status_display()}
    if r.start_at <= now:
        return _("This request started already; it can no longer be approved.")
    return None


def why_not_reject(r: Reservation, *, now: datetime) -> str | None:
    if r.status != Status.REQUESTED:
        return _("Only a request can be rejected; this one is %(status)s.") % {"status": r.get_status_display()}
    return None


def why_not_check_in(r: Reservation, *, now: datetime) -> str | None:
    if r.status != Status.CONFIRMED:
        return _("Only a confirmed reservation can be checked in; this one is %(status)s.") % {
            "status": r.get_status_display()
        }
    if r.start_at - timedelta(hours=1) > now:
        return _("Check-in opens at %(time)s, an hour before the start.") % {
            "time": _local(r.start_at - timedelta(hours=1))
        }
    if r.end_at <= now:
        return _("This reservation has already ended.")
    return None


def why_not_no_show(r: Reservation, *, now: datetime, policy: BookingPolicy) -> str | None:
    if r.status != Status.CONFIRMED:
        return _("Only a confirmed reservation can be marked as a no-show; this one is %(status)s.") % {
            "status": r.get_status_display()
        }
    if now < r.start_at + timedelta(minutes=policy.no_show_grace_minutes):
        return refusal(
            _("A no-show can be marked %(minutes)s minutes after the start.")
            % {"minutes": policy.no_show_grace_minutes},
            policy.is_example,
        )
    return None


def why_not_complete(r: Reservation, *, now: datetime) -> str | None:
    if r.status != Status.CHECKED_IN:
        return _("Only a checked-in reservation can be completed; this one is %(status)s.") % {
            "status": r.get_status_display()
        }
    return None


def why_not_waive(r: Reservation, *, now: datetime) -> str | None:
    if r.charge_won == 0:
        return _("Nothing is owed on this reservation.")
    return None
