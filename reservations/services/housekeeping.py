"""What beat runs: requests whose hold ran out expire, confirmed bookings nobody came to become no-shows. Each is
safe to run twice (a compare-and-swap per row, or the state machine's refusal)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common import pagecache

from .. import hooks
from ..models import BookingPolicy, Reservation, ReservationEvent, Status
from .lifecycle import notify_maker, reservation_mark_no_show


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
                pagecache.touch(catalogue=False)  # update() sends no signal; bookings are not the catalogue
                event = ReservationEvent.objects.create(
                    reservation_id=pk,
                    at=now,
                    from_status=Status.REQUESTED,
                    to_status=Status.EXPIRED,
                    reason=_("not approved in time"),
                )
                expired = Reservation.objects.select_related("space", "equipment").get(pk=pk)
                notify_maker(expired, "expired", event, now)
                hooks.emit("freed", reservation=expired, start=expired.start_at, end=expired.end_at, now=now)
                hooks.emit("changed", reservation=expired, start=expired.start_at, end=expired.end_at, now=now)
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
