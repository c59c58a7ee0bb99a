"""The booking rules fair allocation adds (registered into `reservations.services.booking_rules.RULES` by
`hooks.register`), and the same rules said in the week grid's cells (`grid_blocks`), so a cell shown as free is
bookable by the person looking:

- `rule_suspended`: a maker whose online booking is suspended (strikes) books at the desk only;
- `rule_lottery`: slots of a lottery window not yet drawn are applied for, not booked (staff may still book them);
- `rule_offer_hold`: a freed slot offered to the first maker waiting is held for them until the offer lapses.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from common.examples import refusal
from facilities.models import Resource, Space
from reservations.hooks import GridBlock
from reservations.selectors import resource_key
from reservations.services import BookingRefused, BookingRequest
from reservations.services.booking_rules import local_text

from . import selectors


def anchor_id_of(resource: Resource) -> int:
    return resource.anchor_id if isinstance(resource, Space) else resource.space.anchor_id


def _gate(r: BookingRequest) -> selectors.Gate:
    """Read once per booking check (and its suggestions, which share the memo)."""
    key = ("allocation-gate", r.user.pk if r.user is not None else None, type(r.resource).__name__, r.resource.pk)
    if key not in r.memo:
        r.memo[key] = selectors.gate(
            user_id=r.user.pk if r.user is not None and not r.as_staff else None,
            anchor_id=anchor_id_of(r.resource),
            resource=r.resource,
            now=r.now,
        )
    return r.memo[key]  # type: ignore[return-value]


def _suspension(r: BookingRequest) -> Any:
    key = ("suspension", r.user.pk if r.user is not None else None)
    if key not in r.memo:
        found = _gate(r).suspension_id
        r.memo[key] = selectors.suspension_by_id(found) if found is not None else None
    return r.memo[key]


def suspension_message(suspension: Any) -> str:
    message = _(
        "Your online booking at %(where)s is suspended until %(until)s: %(reason)s. The desk can still book for "
        "you, and you can appeal a strike on your page of strikes and appeals."
    ) % {
        "where": suspension.anchor.name if suspension.anchor_id else _("every anchor"),
        "until": local_text(suspension.ends_at),
        "reason": suspension.reason,
    }
    return refusal(message, selectors.policy_for(suspension.imposed_by_id).is_example)


def rule_suspended(r: BookingRequest) -> BookingRefused | None:
    if r.as_staff or r.user is None:
        return None
    suspension = _suspension(r)
    if suspension is None:
        return None
    return BookingRefused(suspension_message(suspension), "suspended")


def lottery_message(window: Any) -> str:
    message = _(
        "%(title)s: these slots are allocated by lottery. Apply by %(closes)s; after the draw, slots left free can "
        "be booked as usual."
    ) % {"title": window.title, "closes": local_text(window.closes_at)}
    return refusal(message, window.is_example)


def rule_lottery(r: BookingRequest) -> BookingRefused | None:
    if r.as_staff:
        return None
    spans = selectors.lottery_spans(resource=r.resource, start=r.start, end=r.end)
    if not spans:
        return None
    return BookingRefused(lottery_message(spans[0][2]), "lottery")


def _offers(r: BookingRequest) -> list[Any]:
    key = ("offers", type(r.resource).__name__, r.resource.pk)
    if key not in r.memo:
        r.memo[key] = (
            list(selectors.live_offers(resource=r.resource, start=r.now, end=r.now + timedelta(days=3660), now=r.now))
            if _gate(r).any_offer
            else []
        )
    return r.memo[key]  # type: ignore[return-value]


def rule_offer_hold(r: BookingRequest) -> BookingRefused | None:
    buffer = timedelta(minutes=r.resource.buffer_minutes)
    for offer in _offers(r):
        if offer.user_id == (r.user.pk if r.user is not None else None):
            continue
        if r.start < offer.end_at + buffer and r.end + buffer > offer.start_at:
            return BookingRefused(
                _("This time is offered to a maker from the waiting list until %(until)s.")
                % {"until": local_text(offer.offer_expires_at)},
                "offered",
            )
    return None


def grid_blocks(
    *, resource: Resource, start: datetime, end: datetime, user: Any, as_staff: bool, now: datetime
) -> list[GridBlock]:
    """The spans of a week grid these rules refuse for the person looking."""
    viewer = user.pk if user is not None and user.is_authenticated else None
    found = selectors.gate(
        user_id=None if as_staff else viewer, anchor_id=anchor_id_of(resource), resource=resource, now=now
    )
    if found.suspension_id is not None:
        return [GridBlock(start, end, "suspended")]
    blocks = []
    if not as_staff:
        blocks += [
            GridBlock(s, e, "lottery") for s, e, _w in selectors.lottery_spans(resource=resource, start=start, end=end)
        ]
    if not found.any_offer:
        return blocks
    buffer = timedelta(minutes=resource.buffer_minutes)
    for offer in selectors.live_offers(resource=resource, start=start - buffer, end=end + buffer, now=now):
        if offer.user_id != viewer:
            blocks.append(_held(offer, resource))
    return blocks


def _held(offer: Any, resource: Resource) -> GridBlock:
    """The span an offer keeps anyone else from booking: its slot and the resource's buffer on either side."""
    buffer = timedelta(minutes=resource.buffer_minutes)
    return GridBlock(offer.start_at - buffer, offer.end_at + buffer, "offered")


def desk_blocks(*, anchor: Any, start: datetime, end: datetime, now: datetime) -> dict[str, list[GridBlock]]:
    """The desk's day grid: freed slots held for a maker waiting (the desk may not book them either)."""
    found: dict[str, list[GridBlock]] = {}
    for offer in selectors.live_offers_at(anchor=anchor, start=start, end=end, now=now):
        found.setdefault(resource_key(offer.resource), []).append(_held(offer, offer.resource))
    return found
