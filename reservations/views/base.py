"""What the reservation views share: parsing days and times from links, the resource and reservation mixins."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.mixins import LoginRequiredMixin

from anchors.policy import may
from common.time import SEOUL, year_in_range
from facilities.models import Equipment, Space

from .. import selectors
from ..models import Reservation
from ..permissions import is_holder


def parse_day(value: str | None, default: date) -> date:
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if year_in_range(day.year) else default  # far dates would overflow the week arithmetic


def parse_dt(value: str | None) -> datetime | None:
    """A time from a link or a form, in Seoul unless it says otherwise; None when it is not one, or not between the
    years 2000 and 2100 (far dates would overflow the slot arithmetic)."""
    try:
        dt = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if dt is None or not year_in_range(dt.year):
        return None
    return dt.replace(tzinfo=SEOUL) if dt.tzinfo is None else dt


def parse_length(value: str | None, offered: list[timedelta]) -> timedelta:
    """A booking length from a link, in minutes, if it is one of those offered; else the shortest."""
    minutes = int(value) if value and value.isdigit() and len(value) <= 5 else 0
    chosen = timedelta(minutes=minutes)
    return chosen if chosen in offered else offered[0]


class ResourceMixin:
    """Views about one space or equipment unit, addressed as /book/<space|equipment>/<pk>/."""

    def get_resource(self) -> Space | Equipment:
        if not hasattr(self, "_resource"):
            self._resource = selectors.kept_resource(self.kwargs["kind"], self.kwargs["pk"])
        return self._resource


class ReservationObjectMixin(LoginRequiredMixin):
    def get_reservation(self) -> Reservation:
        if not hasattr(self, "_reservation"):
            self._reservation = selectors.reservation_for_viewer(pk=self.kwargs["pk"], user=self.request.user)
        return self._reservation

    def is_desk(self) -> bool:
        return may(self.request.user, "reservations.manage_anchor", self.get_reservation().anchor)

    def is_holder(self) -> bool:
        return is_holder(self.request.user, self.get_reservation())


def accepted_charge(request) -> int:
    raw = request.POST.get("accepted_charge_won", "")
    return int(raw) if raw.isdigit() and len(raw) <= 12 else 0
