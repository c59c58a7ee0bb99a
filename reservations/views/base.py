"""What the reservation views share: parsing days and times from links, the resource and reservation mixins."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404

from anchors.policy import may
from common import catalogue
from common.time import SEOUL
from facilities.models import Equipment, Space

from .. import selectors
from ..models import Reservation
from ..permissions import is_holder


def parse_day(value: str | None, default: date) -> date:
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if 2000 <= day.year <= 2100 else default  # far dates would overflow the week arithmetic


def parse_dt(value: str | None) -> datetime | None:
    """A time from a link or a form, in Seoul unless it says otherwise; None when it is not one, or not between the
    years 2000 and 2100 (far dates would overflow the slot arithmetic)."""
    try:
        dt = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if dt is None or not 2000 <= dt.year <= 2100:
        return None
    return dt.replace(tzinfo=SEOUL) if dt.tzinfo is None else dt


def parse_length(value: str | None, offered: list[timedelta]) -> timedelta:
    """A booking length from a link, in minutes, if it is one of those offered; else the shortest."""
    minutes = int(value) if value and value.isdigit() and len(value) <= 5 else 0
    chosen = timedelta(minutes=minutes)
    return chosen if chosen in offered else offered[0]


def _own_copy(instance: Any) -> Any:
    """A copy of a model instance and of the related instances it holds (select_related), field values shared: they
    are immutable or never changed in place. Cheaper than deepcopy, which copies every value."""
    clone = copy.copy(instance)  # Model.__getstate__ gives the copy its own _state and fields cache
    cache = clone._state.fields_cache
    for name, related in cache.items():
        if related is not None:
            cache[name] = _own_copy(related)
    return clone


def kept_resource(kind: str, pk: int) -> Space | Equipment:
    """The space or unit `kind`/`pk` with its anchor (and kind), read once per process while the catalogue stands
    still (common/catalogue.py); each call gets its own copy of it and of its related rows. Http404 when there is
    no such one. The booking pages and the API (api/views.py) both look resources up here."""
    if kind == "space":
        found = catalogue.kept(("space", pk), lambda: get_object_or_404(Space.objects.select_related("anchor"), pk=pk))
    elif kind == "equipment":
        found = catalogue.kept(
            ("equipment", pk),
            lambda: get_object_or_404(Equipment.objects.select_related("space__anchor", "kind"), pk=pk),
        )
    else:
        raise Http404
    return _own_copy(found)  # its space, anchor and kind too: nothing shared between requests


class ResourceMixin:
    """Views about one space or equipment unit, addressed as /book/<space|equipment>/<pk>/."""

    def get_resource(self) -> Space | Equipment:
        if not hasattr(self, "_resource"):
            self._resource = kept_resource(self.kwargs["kind"], self.kwargs["pk"])
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
