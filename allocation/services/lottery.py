"""Lottery windows: declared by staff (slots, limits and weights fixed before the window opens, the seed committed
by its hash), applied to by makers with ranked choices, drawn once at close on a worker, published and checkable.

The draw is one transaction that locks the window's row first: a second worker waits on the lock and then finds the
window drawn; a failure anywhere rolls back every reservation of the draw and leaves the window to be drawn again.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from accounts.models import MakerCategory
from anchors.models import Anchor
from common import pagecache
from common.time import year_in_range
from facilities.models import Equipment, EquipmentKind, Resource, Space, SpaceKind
from notifications.services import outbox_enqueue
from reservations import selectors as reservation_selectors
from reservations import services as reservation_services
from reservations.services import BookingRefused, BookingRequest
from reservations.services.booking_rules import first_refusal, local_text, rule_quota, rule_training

from .. import draw as pure
from .. import selectors
from ..models import Application, Draw, LotteryWindow, WindowState
from ..rules import rule_suspended

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)
MAX_SLOTS = 600  # slots in one window (e.g. a quarter's Saturdays in 30-minute steps for one room is ~300)
MAX_PERIOD_DAYS = 120


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _check_weights(weights: Any) -> dict[str, int]:
    if not isinstance(weights, dict):
        raise _refuse(_("Weights are given as a category and a whole number from 1 to 10."), "weights")
    known = {c.value for c in MakerCategory if c.value}
    clean = {}
    for key, value in weights.items():
        if key not in known:
            raise _refuse(_("%(key)s is not a maker category.") % {"key": str(key)[:40]}, "weights")
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
            raise _refuse(_("A category's weight is a whole number from 1 to 10."), "weights")
        clean[key] = value
    return clean


def _target(anchor: Anchor, target: Resource | SpaceKind | EquipmentKind | str) -> dict[str, Any]:
    if isinstance(target, Space):
        if target.anchor_id != anchor.pk:
            raise _refuse(_("That space is at another anchor."), "target")
        return {"space": target}
    if isinstance(target, Equipment):
        if target.space.anchor_id != anchor.pk:
            raise _refuse(_("That machine is at another anchor."), "target")
        return {"equipment": target}
    if isinstance(target, EquipmentKind):
        return {"equipment_kind": target}
    if target in SpaceKind.values:
        return {"space_kind": target}
    raise _refuse(_("Choose a space, a machine, or a kind of them."), "target")


@transaction.atomic
def window_create(
    *,
    anchor: Anchor,
    by: User,
    title: str,
    target: Resource | SpaceKind | EquipmentKind | str,
    first_day: date,
    last_day: date,
    weekdays: list[int],
    day_start: time,
    day_end: time,
    slot_minutes: int,
    opens_at: datetime,
    closes_at: datetime,
    now: datetime,
    choices_per_maker: int = 3,
    wins_per_maker: int = 1,
    category_weights: dict[str, int] | None = None,
    recent_win_days: int = 0,
    is_example: bool = False,
) -> LotteryWindow:
    """Declare a window. Its slots, limits and weights are fixed from here on (shown to applicants before they
    apply); its seed is drawn now and only its hash is shown until the draw."""
    if not title.strip():
        raise _refuse(_("Give the window a title makers will recognise."), "title")
    weekdays = sorted(set(weekdays))
    if not weekdays or any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        raise _refuse(_("Choose at least one weekday."), "weekdays")
    if opens_at < now - timedelta(minutes=5):
        raise _refuse(_("Applications cannot open in the past."), "opens")
    if closes_at <= opens_at:
        raise _refuse(_("Applications must close after they open."), "closes")
    if closes_at - opens_at < timedelta(hours=1):
        raise _refuse(_("Leave makers at least an hour to apply."), "closes")
    if not all(year_in_range(d.year) for d in (first_day, last_day, opens_at, closes_at)):
        raise _refuse(_("Give dates between the years 2000 and 2100."), "period")
    if last_day < first_day:
        raise _refuse(_("The last day comes before the first."), "period")
    if (last_day - first_day).days > MAX_PERIOD_DAYS:
        raise _refuse(_("A window covers at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}, "period")
    if day_end <= day_start:
        raise _refuse(_("Slots must end after they start."), "hours")
    window = LotteryWindow(
        anchor=anchor,
        title=title.strip(),
        **_target(anchor, target),
        first_day=first_day,
        last_day=last_day,
        weekdays=weekdays,
        day_start=day_start,
        day_end=day_end,
        slot_minutes=slot_minutes,
        opens_at=opens_at,
        closes_at=closes_at,
        choices_per_maker=choices_per_maker,
        wins_per_maker=wins_per_maker,
        category_weights=_check_weights(category_weights or {}),
        recent_win_days=recent_win_days,
        is_example=is_example,
        created_by=by,
        created_at=now,
    )
    window.seed = secrets.token_hex(32)
    window.seed_hash = pure.sha256_hex(window.seed)
    window.full_clean()
    slots = selectors.slots_of(window)
    if not slots:
        raise _refuse(_("These days and hours hold no whole slot."), "slots")
    if len(slots) > MAX_SLOTS:
        raise _refuse(
            _("That is %(n)s slots; a window holds at most %(max)s.") % {"n": len(slots), "max": MAX_SLOTS}, "slots"
        )
    if slots[0][0] <= closes_at:
        raise _refuse(_("The first slot must start after applications close (the draw)."), "period")
    policy = reservation_selectors.policy_for(anchor)
    if slots[-1][0] > closes_at + timedelta(days=policy.staff_days_ahead):
        raise _refuse(
            _("The last slot is more than %(days)s days after the draw, beyond the anchor's booking window.")
            % {"days": policy.staff_days_ahead},
            "period",
        )
    if not selectors.target_resources(window):
        raise _refuse(_("Nothing bookable matches that choice."), "target")
    window.save()
    return window


@transaction.atomic
def window_cancel(*, window: LotteryWindow, by: User, reason: str, now: datetime) -> LotteryWindow:
    """Call a window off before its draw: the slots go back to ordinary booking; applicants are told."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give applicants a reason.")})
    w = LotteryWindow.objects.select_for_update().get(pk=window.pk)
    if w.state != WindowState.SCHEDULED:
        raise _refuse(_("This window was drawn or cancelled already."), "state")
    w.state, w.cancelled_reason = WindowState.CANCELLED, reason.strip()[:300]
    w.save(update_fields=["state", "cancelled_reason", "updated_at"])
    for user_id in set(w.applications.values_list("user_id", flat=True)):
        outbox_enqueue(
            key=f"lottery:cancelled:{w.pk}:{user_id}",
            kind="lottery:cancelled",
            user_id=user_id,
            object_id=w.pk,
            anchor_id=w.anchor_id,
            now=now,
        )
    return w


def _application_refusal(
    window: LotteryWindow, user: User, start: datetime, end: datetime, now: datetime
) -> str | None:
    """Whether the maker could book such a slot at all: trained for the machine, within the weekly limit, not
    suspended. (Whether it is still free is the draw's question.)"""
    resources = selectors.target_resources(window)
    if not resources:
        return _("Nothing in this window can be booked any more.")
    request = BookingRequest(
        resource=resources[0],
        start=start,
        end=end,
        now=now,
        policy=reservation_selectors.policy_for(window.anchor),
        user=user,
    )
    refused = first_refusal(request, [rule_suspended, rule_training, rule_quota])
    return None if refused is None else refused.messages[0]


def _share_window(pk: int) -> None:
    """Applications and withdrawals hold the window's row in share mode: they do not wait for each other, but the
    draw (which takes it for update) waits for those under way, and they wait for the draw and then find it drawn.
    An application sent at the closing moment is either in the draw or refused, never left out unseen. (SQLite runs
    one write transaction at a time anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM allocation_lotterywindow WHERE id = %s FOR SHARE", [pk])


@transaction.atomic
def application_submit(
    *, window: LotteryWindow, user: User, slot_starts: list[datetime], now: datetime
) -> list[Application]:
    """The maker's choices, best first, replacing any they gave before (while the window is open)."""
    _share_window(window.pk)  # lock order: the window, then the maker (as the draw takes them)
    # One submission at a time per maker (a double click, two tabs): the maker's row, as a booking does.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    w = LotteryWindow.objects.select_related("anchor", "space", "equipment__kind", "equipment_kind").get(pk=window.pk)
    if not selectors.is_open(w, now):
        if now < w.opens_at and w.state == WindowState.SCHEDULED:
            raise _refuse(_("Applications open at %(at)s.") % {"at": local_text(w.opens_at)}, "not_open")
        raise _refuse(_("Applications for this window are closed."), "closed")
    if not slot_starts:
        raise _refuse(_("Choose at least one slot."), "empty")
    if len(slot_starts) > w.choices_per_maker:
        raise _refuse(_("You may choose at most %(n)s slots in this window.") % {"n": w.choices_per_maker}, "too_many")
    keys = [selectors.slot_key(s) for s in slot_starts]
    if len(set(keys)) != len(keys):
        raise _refuse(_("You chose the same slot twice."), "duplicate")
    slots = {selectors.slot_key(s): (s, e) for s, e in selectors.slots_of(w)}
    for key in keys:
        if key not in slots:
            raise _refuse(_("%(slot)s is not one of this window's slots.") % {"slot": key[:40]}, "slot")
    for key in keys:
        refused = _application_refusal(w, user, *slots[key], now)
        if refused:
            raise _refuse(refused, "not_bookable")
    w.applications.filter(user=user).delete()
    made = Application.objects.bulk_create(
        [
            Application(window=w, user=user, slot_start=slots[key][0], rank=rank, created_at=now)
            for rank, key in enumerate(keys, start=1)
        ]
    )
    pagecache.touch(catalogue=False)  # bulk_create sends no signal: the window's counts changed
    return made


@transaction.atomic
def application_withdraw(*, window: LotteryWindow, user: User, now: datetime) -> int:
    _share_window(window.pk)
    w = LotteryWindow.objects.get(pk=window.pk)
    if not selectors.is_open(w, now):
        raise _refuse(_("Applications for this window are closed."), "closed")
    deleted, _detail = w.applications.filter(user=user).delete()
    return deleted


def weight_of(window: LotteryWindow, user: Any, wins: int) -> Fraction:
    """An entry's declared weight: the best weight among the maker's verified categories (1 without one),
    divided by 1 + their recent lottery wins at the anchor when the window says so."""
    base = max([window.category_weights.get(c, 1) for c in user.verified_categories] or [1])
    return Fraction(base, 1 + wins) if window.recent_win_days else Fraction(base)


def draw_inputs(window: LotteryWindow) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The anonymised entries (sorted by applicant) and who each label is."""
    by_user: dict[int, list[Application]] = defaultdict(list)
    for a in window.applications.select_related("user").order_by("user_id", "rank"):
        by_user[a.user_id].append(a)
    wins = selectors.recent_wins(window=window, user_ids=list(by_user))
    entries: list[dict[str, Any]] = []
    who: dict[str, int] = {}
    for user_id, applications in by_user.items():
        label = selectors.applicant_label(window, user_id)
        who[label] = user_id
        weight = weight_of(window, applications[0].user, wins.get(user_id, 0))
        entries.append(
            {
                "applicant": label,
                "weight": str(weight),
                "choices": [selectors.slot_key(a.slot_start) for a in applications],
            }
        )
    entries.sort(key=lambda e: e["applicant"])
    return entries, who


def _free_resources(window: LotteryWindow, resources: list[Resource], wanted: set[str]) -> dict[str, list[Resource]]:
    """Per slot anyone chose: the window's resources no booking holds at the draw, in order (their count is the
    slot's places)."""
    slots = {selectors.slot_key(s): (s, e) for s, e in selectors.slots_of(window)}
    return {
        key: [r for r in resources if not selectors.slot_is_held(resource=r, start=slots[key][0], end=slots[key][1])]
        for key in sorted(wanted)
    }


def _lock_for_draw(user_ids: list[int], resources: list[Resource]) -> None:
    """Every applicant's row, then every resource's row, each in id order, before the first booking: the draw then
    books in the order bookings lock (the maker, then the resource) without ever waiting for a maker while it holds
    a resource, so a maker booking at the same moment cannot deadlock with it."""
    list(
        get_user_model().objects.select_for_update().filter(pk__in=user_ids).order_by("pk").values_list("pk", flat=True)
    )
    for model in {type(r) for r in resources}:
        pks = sorted(r.pk for r in resources if type(r) is model)
        list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))


def lottery_draw(*, window_id: int, now: datetime) -> Draw | None:
    """Draw a window whose applications have closed, once. None when it is not due, or was drawn (or called off)
    already: safe to run twice, and from two workers at once."""
    with transaction.atomic():
        w = (
            LotteryWindow.objects.select_for_update(of=("self",))
            .select_related("anchor", "created_by")
            .filter(pk=window_id)
            .first()
        )
        if w is None or w.state != WindowState.SCHEDULED or now < w.closes_at:
            return None
        # Drawn from here on: the slots leave the lottery rule, so the winners' bookings pass it.
        w.state = WindowState.DRAWN
        w.save(update_fields=["state", "updated_at"])
        entries, who = draw_inputs(w)
        resources = selectors.target_resources(w)
        _lock_for_draw(sorted(who.values()), resources)
        wanted = {slot for e in entries for slot in e["choices"]}
        free = _free_resources(w, resources, wanted)
        places = {key: len(found) for key, found in free.items()}
        slots = {selectors.slot_key(s): (s, e) for s, e in selectors.slots_of(w)}
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=who.values())}
        booked: dict[tuple[str, str], Any] = {}
        reasons: dict[str, str] = {}

        def take(applicant: str, slot: str) -> bool:
            start, end = slots[slot]
            user = users[who[applicant]]
            suspension = selectors.active_suspension(user=user, anchor_id=w.anchor_id, now=now)
            if suspension is not None:
                reasons[f"{applicant} {slot}"] = "suspended"
                return False
            last: BookingRefused | None = None
            for resource in list(free[slot]):  # only those free at the draw and not yet given in it
                try:
                    with transaction.atomic():
                        booked[(applicant, slot)] = reservation_services.reservation_create(
                            resource=resource,
                            start=start,
                            end=end,
                            booked_by=w.created_by,
                            user=user,
                            as_staff=True,  # the window's terms replace the maker's notice and booking horizon
                            purpose=_("Lottery: %(title)s") % {"title": w.title},
                            notify=False,
                            now=now,
                        )
                    free[slot].remove(resource)
                    return True
                except BookingRefused as err:
                    last = err
                except IntegrityError:
                    continue
            reasons[f"{applicant} {slot}"] = last.code if last is not None and last.code else "clash"
            return False

        outcome = pure.run(seed=w.seed, entries=entries, places=places, wins_per_maker=w.wins_per_maker, may_take=take)
        digest = pure.applications_digest(entries, places, w.wins_per_maker)
        result = outcome.as_json()
        result["reasons"] = reasons
        result["booked"] = {
            f"{a} {s}": {"reservation": r.pk, "resource": reservation_selectors.resource_key(r.resource)}
            for (a, s), r in booked.items()
        }
        made = Draw.objects.create(
            window=w,
            drawn_at=now,
            algorithm=pure.ALGORITHM,
            seed=w.seed,
            seed_hash=w.seed_hash,
            applications_digest=digest,
            entries=entries,
            places=places,
            refusals=outcome.refused,
            result=result,
        )
        _tell_applicants(w, who, {a for (a, _s) in booked}, now)
        return made


def _tell_applicants(window: LotteryWindow, who: dict[str, int], winners: set[str], now: datetime) -> None:
    for label, user_id in who.items():
        kind = "lottery:won" if label in winners else "lottery:lost"
        outbox_enqueue(
            key=f"{kind}:{window.pk}:{user_id}",
            kind=kind,
            user_id=user_id,
            object_id=window.pk,
            anchor_id=window.anchor_id,
            now=now,
        )


def lottery_draw_due(*, now: datetime) -> int:
    """Draw every window whose applications have closed (the periodic job), each in its own transaction: one that
    fails is logged and left scheduled for the next run, and the others are drawn all the same."""
    drawn = 0
    for pk in LotteryWindow.objects.filter(state=WindowState.SCHEDULED, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            made = lottery_draw(window_id=pk, now=now)
        except Exception:
            logger.exception("the draw of lottery window %s failed; it is tried again at the next run", pk)
            continue
        drawn += made is not None
    return drawn


def published(draw: Draw) -> dict[str, Any]:
    """The draw as anyone may download and check it (`allocation/draw.py`): no names, no reservation ids."""
    w = draw.window
    return {
        "window": {
            "id": w.pk,
            "anchor": w.anchor.slug,
            "title": w.title,
            "opens_at": w.opens_at.isoformat(),
            "closes_at": w.closes_at.isoformat(),
            "choices_per_maker": w.choices_per_maker,
            "category_weights": w.category_weights,
            "recent_win_days": w.recent_win_days,
            "is_example": w.is_example,
        },
        "algorithm": draw.algorithm,
        "drawn_at": draw.drawn_at.isoformat(),
        "seed": draw.seed,
        "seed_hash": draw.seed_hash,
        "applications_digest": draw.applications_digest,
        "wins_per_maker": w.wins_per_maker,
        "entries": draw.entries,
        "places": draw.places,
        "refusals": draw.refusals,
        "result": {"order": draw.result["order"], "won": draw.result["won"]},
    }
