"""Waiting lists for busy slots. When a slot frees (a cancellation, a rejection, an expired request, a move), the
first maker waiting for it who could book it is offered it for a while, and the slot is held for them
(`rules.rule_offer_hold`); if they decline or let it lapse, the next one is offered it.

Offers for one resource are made under the same row lock as its bookings (the resource's row), and a slot is
offered only while no booking and no other open offer holds it: two cancellations at once never give one slot to
two people.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common import pagecache
from facilities.models import Equipment, Resource, Space
from notifications.services import outbox_enqueue
from reservations import selectors as reservation_selectors
from reservations import services as reservation_services
from reservations.models import Reservation
from reservations.services import BookingRequest
from reservations.services.booking_rules import RULES, first_refusal, rule_free

from .. import selectors
from ..models import LIVE_WAITS, LotteryWindow, SlotWait, WaitStatus
from ..rules import rule_lottery, rule_offer_hold

if TYPE_CHECKING:
    from accounts.models import User

MAX_LIVE_WAITS = 10


def lock_resource(resource: Resource) -> None:
    """The resource's row, as a booking locks it (reservations' lock order: maker, resource, reservation)."""
    list(type(resource).objects.select_for_update().filter(pk=resource.pk).order_by().values_list("pk", flat=True))


def _request(resource: Resource, user: User, start: datetime, end: datetime, now: datetime) -> BookingRequest:
    return BookingRequest(
        resource=resource,
        start=start,
        end=end,
        now=now,
        policy=reservation_selectors.policy_for(resource.anchor),
        user=user,
    )


@transaction.atomic
def wait_join(
    *,
    user: User,
    resource: Resource,
    start: datetime,
    end: datetime,
    now: datetime,
    window: LotteryWindow | None = None,
) -> SlotWait:
    """Wait for a busy slot. Refused when it is free (book it instead), when the maker could not book it anyway
    (notice, hours, training, weekly limit...), and once they wait for too many."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    if end <= start:
        raise ValidationError(_("The end must be after the start."), code="order")
    if start <= now:
        raise ValidationError(_("That time has already passed."), code="past")
    request = _request(resource, user, start, end, now)
    if rule_lottery(request) is not None:
        raise ValidationError(_("This slot is allocated by lottery: apply in its window."), code="lottery")
    refused = first_refusal(request, [r for r in RULES if r not in (rule_free, rule_offer_hold, rule_lottery)])
    if refused is not None:
        raise ValidationError(refused.messages[0], code=refused.code)
    held = selectors.slot_is_held(resource=resource, start=start, end=end)
    offered = selectors.live_offers(resource=resource, start=start, end=end, now=now).exclude(user=user).exists()
    if not held and not offered:
        raise ValidationError(_("This slot is free: book it instead of waiting."), code="free")
    if reservation_selectors.holding_overlapping(resource=resource, start=start, until=end).filter(user=user).exists():
        raise ValidationError(_("You hold this slot already."), code="yours")
    if SlotWait.objects.filter(user=user, status__in=LIVE_WAITS).count() >= MAX_LIVE_WAITS:
        raise ValidationError(
            _("You are waiting for %(n)s slots already; withdraw one first.") % {"n": MAX_LIVE_WAITS}, code="too_many"
        )
    wait = SlotWait(
        user=user,
        anchor=resource.anchor,
        space=resource if isinstance(resource, Space) else None,
        equipment=resource if isinstance(resource, Equipment) else None,
        start_at=start,
        end_at=end,
        window=window,
        created_at=now,
    )
    try:
        with transaction.atomic():
            wait.save()
    except IntegrityError as err:
        raise ValidationError(_("You are already waiting for this slot."), code="duplicate") from err
    return wait


def _locked_wait(wait: SlotWait, user: User) -> SlotWait:
    found = (
        SlotWait.objects.select_for_update(of=("self",))
        .select_related("space__anchor", "equipment__space__anchor", "equipment__kind")
        .filter(pk=wait.pk, user=user)
        .first()
    )
    if found is None:
        raise ValidationError(_("This is not one of your waiting list places."), code="not_yours")
    return found


def offer_after_commit(*, resource: Resource, start: datetime, end: datetime) -> None:
    """Offer what freed to those waiting, by a task, once the transaction that freed it has committed."""
    from ..tasks import offer_freed_slot

    key = reservation_selectors.resource_key(resource)
    first, last = start.isoformat(), end.isoformat()
    transaction.on_commit(lambda: offer_freed_slot.delay(key, first, last))


@transaction.atomic
def wait_withdraw(*, wait: SlotWait, user: User, now: datetime) -> SlotWait:
    w = _locked_wait(wait, user)
    if w.status not in LIVE_WAITS:
        raise ValidationError(_("You are no longer waiting for this slot."), code="state")
    was_offered = w.status == WaitStatus.OFFERED
    w.status, w.closed_at = WaitStatus.WITHDRAWN if not was_offered else WaitStatus.DECLINED, now
    w.save(update_fields=["status", "closed_at", "updated_at"])
    if was_offered:
        offer_after_commit(resource=w.resource, start=w.start_at, end=w.end_at)
    return w


@transaction.atomic
def wait_accept(*, wait: SlotWait, user: User, now: datetime, fee_shown_won: int | None = None) -> Reservation:
    """Take the slot offered: booked under every booking rule, at today's fee (the one shown, or refused)."""
    holder = SlotWait.objects.filter(pk=wait.pk, user=user).select_related("space", "equipment").first()
    if holder is None:
        raise ValidationError(_("This is not one of your waiting list places."), code="not_yours")
    # The lock order of a booking: the maker, the resource, then the row.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    lock_resource(holder.resource)
    w = _locked_wait(wait, user)
    if w.status != WaitStatus.OFFERED:
        raise ValidationError(_("This slot is not offered to you now."), code="state")
    if w.offer_expires_at is None or w.offer_expires_at <= now:
        raise ValidationError(_("The offer lapsed; the slot went to the next maker waiting."), code="lapsed")
    reservation = reservation_services.reservation_create(
        resource=w.resource,
        start=w.start_at,
        end=w.end_at,
        booked_by=user,
        user=user,
        fee_shown_won=fee_shown_won,
        now=now,
    )
    w.status, w.reservation, w.closed_at = WaitStatus.BOOKED, reservation, now
    w.save(update_fields=["status", "reservation", "closed_at", "updated_at"])
    return reservation


def wait_offer_freed(*, resource: Resource, start: datetime, end: datetime, now: datetime) -> list[SlotWait]:
    """Offer what freed between `start` and `end` to those waiting, first come first, each only if the slot they
    wait for is free of bookings and open offers and they could book it now. Safe to run twice, and at once."""
    offered = []
    with transaction.atomic():
        lock_resource(resource)
        policy = selectors.policy_for(resource.anchor)
        # What freed may complete a slot that was held only by the buffer after (or before) it.
        buffer = timedelta(minutes=resource.buffer_minutes)
        start, end = start - buffer, end + buffer
        _lapse_stale(resource, start, end, now)
        for wait in selectors.waiting_for(resource=resource, start=start, end=end).select_related("user"):
            if wait.start_at <= now:
                continue
            if selectors.slot_is_held(resource=resource, start=wait.start_at, end=wait.end_at):
                continue
            if selectors.live_offers(resource=resource, start=wait.start_at, end=wait.end_at, now=now).exists():
                continue
            request = _request(resource, wait.user, wait.start_at, wait.end_at, now)
            if first_refusal(request, RULES) is not None:
                continue  # they could not book it now (notice, quota, suspension...): the next one may
            lead = timedelta(minutes=request.policy.lead_time_minutes)
            wait.status = WaitStatus.OFFERED
            wait.offered_at = now
            wait.offer_expires_at = max(
                min(now + timedelta(minutes=policy.offer_minutes), wait.start_at - lead), now + timedelta(minutes=5)
            )
            wait.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
            outbox_enqueue(
                key=f"wait:offered:{wait.pk}:{now.isoformat()}",
                kind="wait:offered",
                user_id=wait.user_id,
                object_id=wait.pk,
                anchor_id=wait.anchor_id,
                now=now,
            )
            offered.append(wait)
    return offered


def _lapse(wait: SlotWait, now: datetime) -> bool:
    """An offer not taken in time lapses (compare-and-swap), and its maker is told."""
    if not SlotWait.objects.filter(pk=wait.pk, status=WaitStatus.OFFERED).update(
        status=WaitStatus.LAPSED, closed_at=now, updated_at=now
    ):
        return False
    pagecache.touch(catalogue=False)
    outbox_enqueue(
        key=f"wait:lapsed:{wait.pk}",
        kind="wait:lapsed",
        user_id=wait.user_id,
        object_id=wait.pk,
        anchor_id=wait.anchor_id,
        now=now,
    )
    return True


def _lapse_stale(resource: Resource, start: datetime, end: datetime, now: datetime) -> None:
    """Offers of this span whose time ran out before the periodic job saw them: lapsed before the next offer."""
    for wait in SlotWait.objects.filter(
        selectors.resource_q(resource),
        status=WaitStatus.OFFERED,
        offer_expires_at__lte=now,
        start_at__lt=end,
        end_at__gt=start,
    ):
        _lapse(wait, now)


def waits_housekeeping(*, now: datetime) -> dict[str, int]:
    """Offers not taken in time lapse and go to the next maker; waits for slots that have begun end. Safe to run
    twice (compare-and-swap per row)."""
    lapsed = 0
    for wait in SlotWait.objects.filter(status=WaitStatus.OFFERED, offer_expires_at__lte=now).select_related(
        "space__anchor", "equipment__space__anchor", "equipment__kind"
    ):
        with transaction.atomic():
            lapsed += _lapse(wait, now)
        wait_offer_freed(resource=wait.resource, start=wait.start_at, end=wait.end_at, now=now)
    ended = SlotWait.objects.filter(status=WaitStatus.WAITING, start_at__lte=now).update(
        status=WaitStatus.ENDED, closed_at=now, updated_at=now
    )
    if ended:
        pagecache.touch(catalogue=False)
    return {"lapsed": lapsed, "ended": ended}
