"""No-show strikes, suspensions and appeals. A no-show (and a late cancellation, where the anchor chooses) is a
strike that expires after the anchor's period; at its threshold the maker's online booking is suspended (at the
anchor, or everywhere) with notice and the reason. The maker may appeal a strike; staff decide with a reason; an
upheld appeal removes the strike and waives its charge, and lifts a suspension that no longer has its strikes.
Every step is a `StandingEvent` the maker sees."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anchors import selectors as anchor_selectors
from notifications.services import outbox_enqueue
from reservations import services as reservation_services
from reservations import states as reservation_states
from reservations.models import Reservation

from .. import selectors
from ..models import (
    Appeal,
    AppealStatus,
    StandingEvent,
    StandingEventKind,
    Strike,
    StrikeKind,
    Suspension,
)

if TYPE_CHECKING:
    from accounts.models import User


def _event(
    *,
    user_id: int,
    anchor_id: int,
    at: datetime,
    kind: str,
    by: Any = None,
    reason: str = "",
    strike: Strike | None = None,
    suspension: Suspension | None = None,
) -> StandingEvent:
    return StandingEvent.objects.create(
        user_id=user_id,
        anchor_id=anchor_id,
        at=at,
        kind=kind,
        by=by,
        reason=reason[:500],
        strike=strike,
        suspension=suspension,
    )


def _tell(kind: str, *, user_id: int, object_id: int, anchor_id: int, now: datetime) -> None:
    outbox_enqueue(
        key=f"standing:{kind}:{object_id}",
        kind=f"standing:{kind}",
        user_id=user_id,
        object_id=object_id,
        anchor_id=anchor_id,
        now=now,
    )


def strike_record(*, reservation: Reservation, kind: str, now: datetime) -> Strike | None:
    """Count a no-show or a late cancellation against its maker (inside the transaction that recorded it), and
    suspend their online booking when it reaches the anchor's threshold. None when the anchor counts no such
    strikes, the booking was a guest's, or it was counted already."""
    if reservation.user_id is None:
        return None
    policy = selectors.policy_for(reservation.anchor_id)
    if not policy.strikes_enabled or (kind == StrikeKind.LATE_CANCELLATION and not policy.late_cancellation_strikes):
        return None
    if Strike.objects.filter(reservation=reservation).exists():
        return None
    strike = Strike.objects.create(
        user_id=reservation.user_id,
        anchor_id=reservation.anchor_id,
        reservation=reservation,
        kind=kind,
        at=now,
        expires_at=now + timedelta(days=policy.strike_days),
    )
    _event(user_id=strike.user_id, anchor_id=strike.anchor_id, at=now, kind=StandingEventKind.STRIKE, strike=strike)
    _tell("strike", user_id=strike.user_id, object_id=strike.pk, anchor_id=strike.anchor_id, now=now)
    active = list(selectors.active_strikes(user=strike.user_id, anchor=strike.anchor_id, now=now))
    # A suspension this anchor imposed rests on this strike too (an appeal of an earlier one must not lift it);
    # one imposed by another anchor (for every anchor) does not stand in for this anchor's own threshold.
    current = Suspension.objects.filter(
        user_id=strike.user_id,
        imposed_by_id=strike.anchor_id,
        lifted_at__isnull=True,
        starts_at__lte=now,
        ends_at__gt=now,
    ).first()
    if current is not None:
        current.strikes.add(strike)
    elif len(active) >= policy.strike_threshold:
        _suspend(strike, active, policy, now)
    return strike


def _suspend(strike: Strike, active: list[Strike], policy: Any, now: datetime) -> Suspension:
    reason = ngettext(
        "%(n)s no-show or late cancellation within %(days)s days",
        "%(n)s no-shows or late cancellations within %(days)s days",
        len(active),
    ) % {"n": len(active), "days": policy.strike_days}
    suspension = Suspension.objects.create(
        user_id=strike.user_id,
        anchor=None if policy.suspension_city_wide else strike.anchor,
        imposed_by_id=strike.anchor_id,
        starts_at=now,
        ends_at=now + timedelta(days=policy.suspension_days),
        reason=reason,
    )
    suspension.strikes.set(active)
    _event(
        user_id=strike.user_id,
        anchor_id=strike.anchor_id,
        at=now,
        kind=StandingEventKind.SUSPENDED,
        reason=reason,
        suspension=suspension,
    )
    _tell("suspended", user_id=strike.user_id, object_id=suspension.pk, anchor_id=strike.anchor_id, now=now)
    return suspension


@transaction.atomic
def appeal_submit(*, strike: Strike, user: User, reason: str, now: datetime) -> Appeal:
    """The maker's appeal against their own strike, once per strike."""
    s = Strike.objects.select_for_update().filter(pk=strike.pk, user=user).first()
    if s is None:
        raise ValidationError(_("This is not one of your strikes."), code="not_yours")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the strike should be removed.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason under 2,000 characters.")})
    if s.removed_at is not None:
        raise ValidationError(_("This strike was removed already."), code="state")
    if Appeal.objects.filter(strike=s).exists():
        raise ValidationError(_("You appealed against this strike already."), code="duplicate")
    appeal = Appeal.objects.create(strike=s, reason=reason, submitted_at=now)
    _event(
        user_id=s.user_id,
        anchor_id=s.anchor_id,
        at=now,
        kind=StandingEventKind.APPEALED,
        by=user,
        reason=reason,
        strike=s,
    )
    for staff_id in anchor_selectors.staff_ids(anchor=s.anchor):
        outbox_enqueue(
            key=f"standing:appeal-staff:{appeal.pk}:{staff_id}",
            kind="standing:appeal-staff",
            user_id=staff_id,
            object_id=appeal.pk,
            anchor_id=s.anchor_id,
            now=now,
        )
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: User, upheld: bool, reason: str, now: datetime) -> Appeal:
    """Staff decide an appeal, with a reason the maker is shown. Upheld: the strike is removed, its charge waived,
    and a suspension left with fewer strikes than the threshold is lifted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the maker the reason for the decision.")})
    a = Appeal.objects.select_for_update(of=("self",)).select_related("strike__anchor").get(pk=appeal.pk)
    if a.status != AppealStatus.PENDING:
        raise ValidationError(_("This appeal was decided already."), code="state")
    strike = Strike.objects.select_for_update().get(pk=a.strike_id)
    a.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
    a.decided_by, a.decided_at, a.decision_reason = by, now, reason[:500]
    a.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    kind = StandingEventKind.UPHELD if upheld else StandingEventKind.DISMISSED
    _event(user_id=strike.user_id, anchor_id=strike.anchor_id, at=now, kind=kind, by=by, reason=reason, strike=strike)
    if upheld:
        strike.removed_at, strike.removed_reason = now, reason[:300]
        strike.save(update_fields=["removed_at", "removed_reason"])
        reservation = strike.reservation
        if reservation.charge_won and reservation_states.why_not_waive(reservation, now=now) is None:
            reservation_services.reservation_waive_charge(
                reservation=reservation, by=by, reason=_("Appeal upheld: %(reason)s") % {"reason": reason}, now=now
            )
        _lift_after(strike, by, now)
    _tell("decided", user_id=strike.user_id, object_id=a.pk, anchor_id=strike.anchor_id, now=now)
    return a


def _lift_after(strike: Strike, by: User, now: datetime) -> None:
    policy = selectors.policy_for(strike.anchor_id)
    for suspension in Suspension.objects.select_for_update().filter(
        strikes=strike, lifted_at__isnull=True, ends_at__gt=now
    ):
        left = selectors.active_strikes(user=strike.user_id, anchor=strike.anchor_id, now=now).count()
        if left >= policy.strike_threshold:
            continue
        suspension.lifted_at = now
        suspension.lifted_reason = _("A strike it rested on was removed on appeal.")
        suspension.save(update_fields=["lifted_at", "lifted_reason"])
        _event(
            user_id=strike.user_id,
            anchor_id=strike.anchor_id,
            at=now,
            kind=StandingEventKind.LIFTED,
            by=by,
            reason=suspension.lifted_reason,
            suspension=suspension,
        )
