"""Bookings a closure overlaps: the desk tells their holders, or cancels them free of charge, together."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from facilities.models import Closure
from notifications.services import outbox_enqueue

from .. import selectors
from ..models import Reservation
from .lifecycle import reservation_cancel

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class ClosureOutcome:
    done: list[Reservation] = field(default_factory=list)
    guests: list[Reservation] = field(default_factory=list)  # no account to tell: the desk calls them
    refused: list[tuple[Reservation, str]] = field(default_factory=list)


def _chosen(closure: Closure, ids: Collection[int]) -> list[Reservation]:
    """Of the bookings the closure overlaps now, the ones chosen (an id that is not one of them is ignored)."""
    return list(selectors.affected_by_closure(closure=closure).filter(pk__in=list(ids)))


@transaction.atomic
def closure_notify(*, closure: Closure, reservation_ids: Collection[int], now: datetime) -> ClosureOutcome:
    """Tell the holders of the chosen affected bookings about the closure, each once per closure."""
    outcome = ClosureOutcome()
    for r in _chosen(closure, reservation_ids):
        if r.user_id is None:
            outcome.guests.append(r)
            continue
        outbox_enqueue(
            key=f"closure:{closure.pk}:{r.pk}",
            kind="notice:closure",
            user_id=r.user_id,
            object_id=r.pk,
            anchor_id=r.anchor_id,
            now=now,
        )
        outcome.done.append(r)
    return outcome


def closure_cancel(
    *, closure: Closure, reservation_ids: Collection[int], by: User | None, now: datetime
) -> ClosureOutcome:
    """Cancel the chosen affected bookings free of charge, giving the closure's reason; each holder with an account
    is told. One that cannot be cancelled (it has started) is left as it is and listed with why; the rest go on."""
    outcome = ClosureOutcome()
    reason = _("Closed: %(reason)s") % {"reason": closure.reason}
    for r in _chosen(closure, reservation_ids):
        try:
            with transaction.atomic():
                reservation_cancel(reservation=r, by=by, now=now, reason=reason, by_anchor=True)
        except ValidationError as err:
            outcome.refused.append((r, " ".join(err.messages)))
            continue
        (outcome.guests if r.user_id is None else outcome.done).append(r)
    return outcome
