"""The reads of fair allocation used by its pages, its services and the booking rules it adds."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from anchors.models import Anchor
from common import catalogue
from common.time import SEOUL
from facilities.models import Equipment, EquipmentStatus, Resource, Space, SpaceKind
from reservations import selectors as reservation_selectors

from .models import (
    LIVE_WAITS,
    AllocationPolicy,
    Appeal,
    AppealStatus,
    Application,
    LotteryWindow,
    SlotWait,
    StandingEvent,
    Strike,
    Suspension,
    WaitStatus,
    WindowState,
)

if TYPE_CHECKING:
    from accounts.models import User


def policy_for(anchor: Anchor | int) -> AllocationPolicy:
    """The anchor's allocation terms; the portal's example terms (unsaved) where it has none yet."""
    anchor_id = anchor if isinstance(anchor, int) else anchor.pk
    found = catalogue.kept(
        ("allocation-policy", anchor_id), lambda: AllocationPolicy.objects.filter(anchor_id=anchor_id).first()
    )
    return found if found is not None else AllocationPolicy(anchor_id=anchor_id)


# --- lottery windows ------------------------------------------------------------------------------


def target_resources(window: LotteryWindow) -> list[Resource]:
    """The spaces or machines a window allocates, bookable and in service, in a fixed order (by id)."""
    if window.space_id:
        return list(Space.objects.filter(pk=window.space_id, bookable=True).select_related("anchor"))
    if window.equipment_id:
        return list(
            Equipment.objects.filter(
                pk=window.equipment_id, bookable=True, status=EquipmentStatus.IN_SERVICE
            ).select_related("kind", "space__anchor")
        )
    if window.space_kind:
        return list(
            Space.objects.filter(anchor_id=window.anchor_id, kind=window.space_kind, bookable=True)
            .select_related("anchor")
            .order_by("pk")
        )
    return list(
        Equipment.objects.filter(
            space__anchor_id=window.anchor_id,
            kind_id=window.equipment_kind_id,
            bookable=True,
            status=EquipmentStatus.IN_SERVICE,
        )
        .select_related("kind", "space__anchor")
        .order_by("pk")
    )


def covers(window: LotteryWindow, resource: Resource) -> bool:
    """The window allocates this resource (itself or its kind at the window's anchor)."""
    if isinstance(resource, Space):
        return window.space_id == resource.pk or (
            bool(window.space_kind) and window.space_kind == resource.kind and window.anchor_id == resource.anchor_id
        )
    return window.equipment_id == resource.pk or (
        window.equipment_kind_id is not None
        and window.equipment_kind_id == resource.kind_id
        and window.anchor_id == resource.space.anchor_id
    )


def target_name(window: LotteryWindow) -> str:
    if window.space is not None:
        return window.space.name
    if window.equipment is not None:
        return window.equipment.name
    if window.equipment_kind is not None:
        return window.equipment_kind.name
    return str(SpaceKind(window.space_kind).label)


def days_of(window: LotteryWindow) -> list[date]:
    days, day = [], window.first_day
    while day <= window.last_day:
        if day.weekday() in window.weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def slots_of(window: LotteryWindow) -> list[tuple[datetime, datetime]]:
    """Every slot the window allocates, in order: on each of its days, from `day_start` in steps of
    `slot_minutes` while a whole slot fits before `day_end`."""
    step = timedelta(minutes=window.slot_minutes)
    out = []
    for day in days_of(window):
        start = datetime.combine(day, window.day_start, tzinfo=SEOUL)
        end_of_day = datetime.combine(day, window.day_end, tzinfo=SEOUL)
        while start + step <= end_of_day:
            out.append((start, start + step))
            start += step
    return out


def slot_key(start: datetime) -> str:
    """How a slot is named in applications and the published draw: its start in Seoul time, ISO 8601."""
    return start.astimezone(SEOUL).isoformat()


def span_of(window: LotteryWindow, day: date) -> tuple[datetime, datetime]:
    return datetime.combine(day, window.day_start, tzinfo=SEOUL), datetime.combine(day, window.day_end, tzinfo=SEOUL)


def scheduled_windows(anchor_id: int) -> list[LotteryWindow]:
    """The anchor's windows not yet drawn (nor cancelled), kept while the catalogue stands still: the booking rule
    and the week grid read them on every request. Read them, never change them."""
    return catalogue.kept(
        ("lottery-windows", anchor_id),
        lambda: list(LotteryWindow.objects.filter(anchor_id=anchor_id, state=WindowState.SCHEDULED)),
    )


def lottery_spans(
    *, resource: Resource, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, LotteryWindow]]:
    """The spans between `start` and `end` that a window not yet drawn allocates for this resource."""
    anchor_id = resource.anchor_id if isinstance(resource, Space) else resource.space.anchor_id
    found = []
    for window in scheduled_windows(anchor_id):
        if not covers(window, resource):
            continue
        day = max(window.first_day, (start.astimezone(SEOUL) - timedelta(days=1)).date())
        last = min(window.last_day, end.astimezone(SEOUL).date())
        while day <= last:
            if day.weekday() in window.weekdays:
                s, e = span_of(window, day)
                if s < end and e > start:
                    found.append((s, e, window))
            day += timedelta(days=1)
    return found


def is_open(window: LotteryWindow, now: datetime) -> bool:
    return window.state == WindowState.SCHEDULED and window.opens_at <= now < window.closes_at


def phase(window: LotteryWindow, now: datetime) -> str:
    """ "upcoming", "open", "closed" (waiting for its draw), "drawn" or "cancelled"."""
    if window.state != WindowState.SCHEDULED:
        return window.state
    if now < window.opens_at:
        return "upcoming"
    return "open" if now < window.closes_at else "closed"


def applicant_label(window: LotteryWindow | int, user_id: int) -> str:
    """The applicant's name in the published draw: a keyed hash, the same for one maker throughout one window and
    unlinkable across windows without the portal's secret."""
    window_id = window if isinstance(window, int) else window.pk
    message = f"lottery:{window_id}:{user_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:12]


@dataclass(frozen=True)
class DrawOutcome:
    """One maker's result in a drawn window: their code, the slots they won (start, rank), and the choices they did
    not win (slot key, start, rank, the rule that refused it at the draw if one did)."""

    label: str
    won: list[tuple[datetime, int]]
    lost: list[tuple[str, datetime, int, str]]


def draw_outcome(*, window: LotteryWindow, draw: Any, user_id: int) -> DrawOutcome:
    label = applicant_label(window, user_id)
    won = [w for w in draw.result["won"] if w["applicant"] == label]
    won_slots = {w["slot"] for w in won}
    reasons = draw.result.get("reasons", {})
    ranks = {
        slot_key(start): rank
        for start, rank in window.applications.filter(user_id=user_id).values_list("slot_start", "rank")
    }
    return DrawOutcome(
        label=label,
        won=[(datetime.fromisoformat(w["slot"]), w["rank"]) for w in won],
        lost=[
            (key, datetime.fromisoformat(key), rank, reasons.get(f"{label} {key}", ""))
            for key, rank in sorted(ranks.items(), key=lambda kv: kv[1])
            if key not in won_slots
        ],
    )


def windows_for_public(*, now: datetime) -> dict[str, list[LotteryWindow]]:
    """Windows to show makers: open now, opening soon, and drawn or closed in the last 60 days."""
    recent = now - timedelta(days=60)
    windows = list(
        LotteryWindow.objects.filter(Q(state=WindowState.SCHEDULED) | Q(closes_at__gte=recent))
        .exclude(state=WindowState.CANCELLED)
        .select_related("anchor", "space", "equipment", "equipment_kind")
        .order_by("closes_at", "pk")
    )
    grouped: dict[str, list[LotteryWindow]] = {"open": [], "upcoming": [], "closed": [], "drawn": []}
    for w in windows:
        grouped[phase(w, now)].append(w)
    grouped["drawn"].reverse()
    return grouped


def windows_of_anchor(*, anchor: Anchor) -> QuerySet[LotteryWindow]:
    return (
        LotteryWindow.objects.filter(anchor=anchor)
        .select_related("anchor", "space", "equipment", "equipment_kind")
        .order_by("-closes_at", "-pk")
    )


def window_detail(pk: int) -> LotteryWindow | None:
    return (
        LotteryWindow.objects.select_related("anchor", "space", "equipment", "equipment_kind", "created_by")
        .filter(pk=pk)
        .first()
    )


def applications_per_slot(window: LotteryWindow) -> Counter[str]:
    """How many makers chose each slot (at any rank)."""
    return Counter(slot_key(s) for s in window.applications.values_list("slot_start", flat=True))


def applicant_count(window: LotteryWindow) -> int:
    return window.applications.values("user_id").distinct().count()


def choices_of(window: LotteryWindow, user: Any) -> list[Application]:
    if not user.is_authenticated:
        return []
    return list(window.applications.filter(user=user).order_by("rank"))


def recent_wins(*, window: LotteryWindow, user_ids: list[int]) -> Counter[int]:
    """Each maker's lottery wins at the window's anchor in the `recent_win_days` before it opened."""
    if not window.recent_win_days or not user_ids:
        return Counter()
    since = window.opens_at - timedelta(days=window.recent_win_days)
    wins: Counter[int] = Counter()
    for draw_result in (
        LotteryWindow.objects.filter(
            anchor_id=window.anchor_id,
            state=WindowState.DRAWN,
            draw__drawn_at__gte=since,
            draw__drawn_at__lt=window.opens_at,
        )
        .exclude(pk=window.pk)
        .values_list("pk", "draw__result")
    ):
        window_id, result = draw_result
        labels = {applicant_label(window_id, uid): uid for uid in user_ids}
        for w in result.get("won", []):
            if w["applicant"] in labels:
                wins[labels[w["applicant"]]] += 1
    return wins


# --- what every booking asks: is the maker suspended, is a freed slot of this resource held? ----------


@dataclass(frozen=True)
class Gate:
    """What fair allocation's rules need of every booking check, in one cheap statement: the id of the maker's
    suspension at the anchor (None for none), and whether any freed slot of the resource is held for someone now.
    The rows themselves are read only when there is one (rarely)."""

    suspension_id: int | None
    any_offer: bool


def gate(*, user_id: int | None, anchor_id: int, resource: Resource, now: datetime) -> Gate:
    """One plain SQL statement of two indexed lookups (through the ORM, the two queries cost about ten thousand
    Python calls per booking: bench/bookings.py)."""
    column = "space_id" if isinstance(resource, Space) else "equipment_id"
    moment = connection.ops.adapt_datetimefield_value(now)
    sql = (
        "SELECT (SELECT id FROM allocation_suspension WHERE user_id = %s AND lifted_at IS NULL AND starts_at <= %s "
        "AND ends_at > %s AND (anchor_id = %s OR anchor_id IS NULL) ORDER BY ends_at DESC LIMIT 1), "
        f"(SELECT id FROM allocation_slotwait WHERE {column} = %s AND status = %s AND offer_expires_at > %s LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id or 0, moment, moment, anchor_id, resource.pk, WaitStatus.OFFERED.value, moment])
        suspension_id, offer_id = cursor.fetchone()
    return Gate(suspension_id=suspension_id, any_offer=offer_id is not None)


def suspension_by_id(pk: int) -> Suspension | None:
    return Suspension.objects.select_related("anchor", "imposed_by").filter(pk=pk).first()


# --- waiting lists --------------------------------------------------------------------------------


def resource_q(resource: Resource) -> Q:
    return Q(space_id=resource.pk) if isinstance(resource, Space) else Q(equipment_id=resource.pk)


def live_offers(*, resource: Resource, start: datetime, end: datetime, now: datetime) -> QuerySet[SlotWait]:
    """Offers of freed slots still open that overlap the span: the slot is held for the maker offered it."""
    return SlotWait.objects.filter(
        resource_q(resource),
        status=WaitStatus.OFFERED,
        offer_expires_at__gt=now,
        start_at__lt=end,
        end_at__gt=start,
    )


def live_offers_at(*, anchor: Anchor, start: datetime, end: datetime, now: datetime) -> QuerySet[SlotWait]:
    """Open offers at an anchor overlapping the span (the desk's day), with their resources."""
    return SlotWait.objects.filter(
        anchor=anchor, status=WaitStatus.OFFERED, offer_expires_at__gt=now, start_at__lt=end, end_at__gt=start
    ).select_related("space", "equipment")


def waiting_for(*, resource: Resource, start: datetime, end: datetime) -> QuerySet[SlotWait]:
    """Makers waiting for a slot of this resource that overlaps the span, first come first."""
    return SlotWait.objects.filter(
        resource_q(resource), status=WaitStatus.WAITING, start_at__lt=end, end_at__gt=start
    ).order_by("created_at", "pk")


def slot_is_held(*, resource: Resource, start: datetime, end: datetime) -> bool:
    """A booking holds some of the slot (the resource's buffer after the slot included)."""
    until = end + timedelta(minutes=resource.buffer_minutes)
    return reservation_selectors.holding_overlapping(resource=resource, start=start, until=until).exists()


def my_waits(*, user: User, now: datetime) -> tuple[list[SlotWait], list[SlotWait]]:
    """A maker's live waits (offers first), and the last 20 that ended."""
    base = SlotWait.objects.filter(user=user).select_related("anchor", "space", "equipment__kind", "reservation")
    live = sorted(base.filter(status__in=LIVE_WAITS), key=lambda w: (w.status != WaitStatus.OFFERED, w.start_at, w.pk))
    ended = list(base.exclude(status__in=LIVE_WAITS).order_by("-updated_at", "-pk")[:20])
    return live, ended


def waits_of_anchor(*, anchor: Anchor, now: datetime) -> QuerySet[SlotWait]:
    return (
        SlotWait.objects.filter(anchor=anchor, status__in=LIVE_WAITS, end_at__gt=now)
        .select_related("user", "space", "equipment__kind")
        .order_by("start_at", "created_at", "pk")
    )


def position_in_line(wait: SlotWait) -> int:
    """1 for the first maker waiting for an overlapping slot of the same resource."""
    return (
        SlotWait.objects.filter(
            resource_q(wait.resource),
            status=WaitStatus.WAITING,
            start_at__lt=wait.end_at,
            end_at__gt=wait.start_at,
            created_at__lte=wait.created_at,
        )
        .exclude(created_at=wait.created_at, pk__gt=wait.pk)
        .count()
    )


# --- strikes, suspensions, appeals ----------------------------------------------------------------


def active_strikes(*, user: Any, anchor: Anchor | int, now: datetime) -> QuerySet[Strike]:
    anchor_id = anchor if isinstance(anchor, int) else anchor.pk
    return Strike.objects.filter(user=user, anchor_id=anchor_id, removed_at__isnull=True, expires_at__gt=now)


def active_suspension(*, user: Any, anchor_id: int, now: datetime) -> Suspension | None:
    """The suspension of the maker's online booking at this anchor (its own, or one for every anchor), if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Suspension.objects.filter(
            Q(anchor_id=anchor_id) | Q(anchor__isnull=True),
            user=user,
            lifted_at__isnull=True,
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .select_related("imposed_by")
        .order_by("-ends_at")
        .first()
    )


@dataclass
class Standing:
    strikes: list[Strike]
    suspensions: list[Suspension]
    events: list[StandingEvent]


def standing_of(*, user: User, now: datetime) -> Standing:
    """A maker's strikes (with their appeals), suspensions and every step, newest first (3 queries)."""
    strikes = list(
        Strike.objects.filter(user=user)
        .select_related("anchor", "reservation__space", "reservation__equipment", "appeal")
        .order_by("-at", "-pk")[:100]
    )
    suspensions = list(Suspension.objects.filter(user=user).select_related("anchor", "imposed_by")[:50])
    events = list(StandingEvent.objects.filter(user=user).select_related("anchor")[:200])
    return Standing(strikes=strikes, suspensions=suspensions, events=events)


def strikes_of_anchor(*, anchor: Anchor, now: datetime) -> QuerySet[Strike]:
    return (
        Strike.objects.filter(anchor=anchor, at__gte=now - timedelta(days=365))
        .select_related("user", "reservation__space", "reservation__equipment", "appeal")
        .order_by("-at", "-pk")
    )


def pending_appeals(*, anchor: Anchor) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(strike__anchor=anchor, status=AppealStatus.PENDING)
        .select_related("strike__user", "strike__reservation__space", "strike__reservation__equipment")
        .order_by("submitted_at", "pk")
    )


def suspensions_of_anchor(*, anchor: Anchor, now: datetime) -> QuerySet[Suspension]:
    return (
        Suspension.objects.filter(Q(imposed_by=anchor), lifted_at__isnull=True, ends_at__gt=now)
        .select_related("user", "anchor")
        .order_by("ends_at", "pk")
    )
