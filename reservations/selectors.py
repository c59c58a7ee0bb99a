from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from anchors.models import Anchor
from anchors.policy import may
from common import catalogue
from common.time import SEOUL, start_of_day
from facilities import selectors as facility_selectors
from facilities.models import Closure, Equipment, EquipmentStatus, Resource, Space
from facilities.pricing import QuoteError

from . import hooks, states
from .models import HOLDING, MAX_BLOCKED_SPAN, BookingPolicy, Quota, Reservation, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


POLICY_FIELDS = [f.attname for f in BookingPolicy._meta.concrete_fields]


def policy_for(anchor: Anchor) -> BookingPolicy:
    """The anchor's booking policy; an anchor without one gets the defaults (not saved). A fresh instance each
    call, built from the row kept in the process while the catalogue stands still (common/catalogue.py)."""

    def load() -> tuple[Any, ...] | None:
        row = BookingPolicy.objects.filter(anchor_id=anchor.pk).values_list(*POLICY_FIELDS).first()
        return tuple(row) if row is not None else None

    row = catalogue.kept(("booking_policy", anchor.pk), load)
    if row is None:
        policy = BookingPolicy(anchor_id=anchor.pk)
    else:
        policy = BookingPolicy.from_db(DEFAULT_DB_ALIAS, POLICY_FIELDS, copy.deepcopy(row))
    # The forward cache only: assigning `policy.anchor` would also write the policy onto the anchor's reverse
    # cache, and the anchor may be one several requests share (a kept resource's).
    BookingPolicy.anchor.field.set_cached_value(policy, anchor)
    return policy


def resource_filter(resource: Resource) -> Q:
    return Q(space=resource) if isinstance(resource, Space) else Q(equipment=resource)


def holding_overlapping(
    *, resource: Resource, start: datetime, until: datetime, exclude_pk: int | None = None
) -> QuerySet[Reservation]:
    """Slot-holding reservations of a resource whose blocked range [start, blocked_until) meets [start, until)."""
    qs = Reservation.objects.filter(
        resource_filter(resource),
        status__in=HOLDING,
        start_at__lt=until,
        start_at__gt=start - MAX_BLOCKED_SPAN,
        blocked_until__gt=start,
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("start_at")


def space_of(resource: Resource) -> int:
    """The space a resource is in (a space is its own): closures of that space close it."""
    return resource.pk if isinstance(resource, Space) else resource.space_id


def closed_during(closures: list[Closure], space_id: int, start: datetime, end: datetime) -> bool:
    """A closure of the whole anchor or of this space overlaps [start, end): the grids' and the suggestions' reading
    of the closure rule on preloaded closures."""
    return any(c.space_id in (None, space_id) and c.starts_at < end and c.ends_at > start for c in closures)


def held_during(holds: list[Reservation], start: datetime, end: datetime, buffer: timedelta) -> bool:
    """A booking from `start` to `end`, with the resource's buffer after it, meets a held slot of `holds`."""
    return any(r.start_at < end + buffer and r.blocked_until > start for r in holds)


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
    no such one. The booking pages (by their URL's kind and id) and the API (by key, `resource_by_key`) look resources up here."""
    found: Resource
    if kind == "space":
        found = catalogue.kept(("space", pk), lambda: get_object_or_404(Space.objects.select_related("anchor"), pk=pk))
    elif kind == "equipment":
        found = catalogue.kept(
            ("equipment", pk),
            lambda: get_object_or_404(Equipment.objects.select_related("space__anchor", "kind"), pk=pk),
        )
    else:
        raise Http404
    copied: Resource = _own_copy(found)  # its space, anchor and kind too: nothing shared between requests
    return copied


def resource_by_key(key: str) -> Resource:
    """A resource by its key ("space:<id>", "equipment:<id>", as `resource_key` writes it); Http404 for any other."""
    kind, _sep, pk = key.partition(":")
    if not (pk.isdigit() and len(pk) <= 18):
        raise Http404
    return kept_resource(kind, int(pk))


def resource_key(resource: Resource) -> str:
    return f"{'space' if isinstance(resource, Space) else 'equipment'}:{resource.pk}"


def anchor_resources(*, anchor: Anchor) -> list[Resource]:
    """Bookable spaces, then bookable in-service-or-maintenance equipment, of an anchor (2 queries)."""
    spaces = list(
        Space.objects.filter(anchor=anchor, bookable=True).select_related("anchor").order_by("sort_order", "name_en")
    )
    units = list(
        Equipment.objects.filter(space__anchor=anchor, bookable=True)
        .exclude(status=EquipmentStatus.RETIRED)
        .select_related("kind", "space__anchor")
        .order_by("space__sort_order", "kind__name_en", "name_en")
    )
    return [*spaces, *units]


# --- free and busy -------------------------------------------------------------------------------


@dataclass
class Cell:
    start: datetime
    end: datetime  # a free cell: the end of the booking its link offers (the shortest allowed)
    state: str  # "free", "busy", "closed", "past", "short" (free, but the shortest booking does not fit), "later"
    reservation: Reservation | None = None


@dataclass
class Row:
    resource: Resource
    key: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.key.partition(":")[0]


def _slot_starts(day_open: datetime, day_close: datetime, step: int) -> list[datetime]:
    out, t = [], day_open
    while t < day_close:
        out.append(t)
        t += timedelta(minutes=step)
    return out


def day_grid(
    *, anchor: Anchor, day: date, now: datetime, resources: list[Resource] | None = None, step: int = 30
) -> tuple[list[datetime], list[Row], facility_selectors.DayHours]:
    """Resources × time slots of one day, in a fixed number of queries whatever the number of reservations."""
    hours = facility_selectors.anchor_hours(anchor=anchor, start=day, end=day)[0]
    resources = resources if resources is not None else anchor_resources(anchor=anchor)
    if hours.is_open:
        opens, closes = hours.times()
        open_at = datetime.combine(day, opens, tzinfo=SEOUL)
        close_at = datetime.combine(day, closes, tzinfo=SEOUL)
    else:
        open_at = datetime.combine(day, time(9), tzinfo=SEOUL)
        close_at = datetime.combine(day, time(18), tzinfo=SEOUL)
    slots = _slot_starts(open_at, close_at, step)
    reservations = list(
        Reservation.objects.filter(
            anchor=anchor,
            status__in=HOLDING,
            start_at__lt=close_at,
            start_at__gt=open_at - MAX_BLOCKED_SPAN,
            end_at__gt=open_at,
        )
        .select_related("user")
        .order_by("start_at")
    )
    closures = list(facility_selectors.closures_overlapping(anchor=anchor, start=open_at, end=close_at))
    latest = now + timedelta(days=policy_for(anchor).staff_days_ahead)
    blocked = hooks.desk_blocks(anchor=anchor, start=open_at, end=close_at, now=now)  # e.g. a slot held for a wait
    rows = []
    for resource in resources:
        key = resource_key(resource)
        mine = [
            r for r in reservations if (r.space_id if isinstance(resource, Space) else r.equipment_id) == resource.pk
        ]
        space_id = space_of(resource)
        row = Row(resource=resource, key=key)
        for s in slots:
            e = s + timedelta(minutes=step)
            hit = next((r for r in mine if r.start_at < e and r.end_at > s), None)
            if hit is not None:
                state = "busy"  # a booking shows even where a closure came later, so staff can act on it
            elif not hours.is_open or closed_during(closures, space_id, s, e):
                state = "closed"
            elif isinstance(resource, Equipment) and resource.status == EquipmentStatus.MAINTENANCE:
                state = "closed"
            elif s < now:
                state = "past"
            elif s > latest:
                state = "later"
            else:
                # What the desk's click books: the shortest booking from here, which must pass the rules that apply
                # to staff (whole units from opening, before closing, clear of bookings and their buffer, and of
                # closures), so a "+" is never refused.
                length = booking_length(resource)
                buffer = timedelta(minutes=resource.buffer_minutes)
                e = s + length
                aligned = int((s - open_at).total_seconds() // 60) % resource.booking_unit_minutes == 0
                fits = (
                    aligned
                    and e <= close_at
                    and not held_during(mine, s, e, buffer)
                    and not closed_during(closures, space_id, s, e)
                )
                state = "free" if fits else "short"
                if fits and any(b.start < e and b.end > s for b in blocked.get(key, ())):
                    state = next(b.state for b in blocked[key] if b.start < e and b.end > s)
            row.cells.append(Cell(s, e, state, hit))
        rows.append(row)
    return slots, rows, hours


@dataclass
class DeskWeekRow:
    resource: Resource
    key: str
    cells: list[list[Reservation]]  # per day: the bookings starting that day
    closures: list[list[Closure]]  # per day: the closures of this resource's space or of the whole anchor


def desk_week(*, anchor: Anchor, days: list[date], resources: list[Resource]) -> tuple[list[Any], list[DeskWeekRow]]:
    """The desk's week: each day's opening hours (closed days say why), and per resource and day the bookings
    starting then and the closures that touch it (4 queries whatever the number of resources)."""
    start = start_of_day(days[0])
    end = start + timedelta(days=len(days))
    hours = facility_selectors.anchor_hours(anchor=anchor, start=days[0], end=days[-1])
    reservations = list(
        reservation_list_for_anchor(anchor=anchor, start=start, end=end).filter(
            status__in=[Status.REQUESTED, Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED]
        )
    )
    closures = list(facility_selectors.closures_overlapping(anchor=anchor, start=start, end=end))
    by_key: dict[tuple[str, date], list[Reservation]] = {}
    for r in reservations:
        by_key.setdefault((resource_key(r.resource), r.start_at.astimezone(SEOUL).date()), []).append(r)
    rows = []
    for res in resources:
        key = resource_key(res)
        space_id = space_of(res)
        day_closures = []
        for d in days:
            d0 = start_of_day(d)
            day_closures.append([c for c in closures if closed_during([c], space_id, d0, d0 + timedelta(days=1))])
        rows.append(
            DeskWeekRow(resource=res, key=key, cells=[by_key.get((key, d), []) for d in days], closures=day_closures)
        )
    return hours, rows


def week_days(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def grid_step(resource: Resource) -> int:
    """Minutes between two cells of a resource's week: its booking unit, in whole units of at least half an hour."""
    unit = resource.booking_unit_minutes
    return -(-30 // unit) * unit


def booking_length(resource: Resource) -> timedelta:
    """The booking a click on a free cell offers: the shortest allowed, in whole booking units."""
    unit = resource.booking_unit_minutes
    minutes = max(resource.min_duration_minutes, grid_step(resource))
    return timedelta(minutes=-(-minutes // unit) * unit)


def booking_lengths(resource: Resource) -> list[timedelta]:
    """The lengths a maker may choose on the week grid: from the shortest a click offers to the longest allowed, in
    whole booking units (at most 24 choices; a longer booking is typed on the form)."""
    unit = timedelta(minutes=resource.booking_unit_minutes)
    longest = timedelta(minutes=resource.max_duration_minutes)
    lengths: list[timedelta] = []
    length = booking_length(resource)
    while length <= longest and len(lengths) < 24:
        lengths.append(length)
        length += unit
    return lengths or [booking_length(resource)]


@dataclass
class WeekCell:
    state: str  # see GRID_STATES
    start: datetime
    end: datetime
    fee_won: int | None = None  # for a free cell, once price_free_cells has priced it
    fee_is_example: bool = False


@dataclass
class WeekRow:
    time: time
    cells: list[WeekCell]


# What a cell of a week grid can say. Only "free" is a link, and a free cell is bookable by the person looking: the
# states after "past" are the booking rules' refusals, said in the cell before anyone clicks.
GRID_STATES = {
    "free": _("free"),
    "busy": _("busy"),
    "closed": _("closed"),
    "past": _("past"),
    "short": _("does not fit"),  # free, but the booking would run into another or past closing
    "training": _("training needed"),
    "quota": _("weekly limit reached"),
    "later": _("not yet open for booking"),
    "lottery": _("by lottery: apply"),
    "offered": _("held for someone waiting"),
    "suspended": _("your online booking is suspended"),
}


def quota_for(resource: Resource) -> Quota | None:
    """The anchor's weekly quota on this kind of space or machine, if it has one (kept while the catalogue stands
    still: read it, never change it)."""
    anchor_id = resource.space.anchor_id if isinstance(resource, Equipment) else resource.anchor_id
    of_kind: dict[str, object] = (
        {"space_kind": resource.kind} if isinstance(resource, Space) else {"equipment_kind_id": resource.kind_id}
    )
    return catalogue.kept(
        ("quota", anchor_id, *of_kind.items()),
        lambda: Quota.objects.filter(anchor_id=anchor_id, **of_kind).first(),
    )


def quota_left(
    *, resource: Resource, user: Any, week_start: datetime, exclude_pk: int | None = None
) -> tuple[Quota, timedelta] | None:
    """The weekly quota on this kind and the time of it left to the user in the week from `week_start` (Monday
    00:00 in Seoul); None when the anchor sets no quota on the kind (or nobody is asking). The one count the
    booking rule and the week grid both use."""
    quota = quota_for(resource)
    if quota is None or user is None or not user.is_authenticated:
        return None
    same_kind: dict[str, object] = (
        {"space__kind": resource.kind} if isinstance(resource, Space) else {"equipment__kind": resource.kind}
    )
    booked = Reservation.objects.filter(
        user=user,
        anchor=resource.anchor,
        status__in=HOLDING,
        start_at__gte=week_start,
        start_at__lt=week_start + timedelta(days=7),
        **same_kind,
    )
    if exclude_pk is not None:
        booked = booked.exclude(pk=exclude_pk)
    used = sum(((b.end_at - b.start_at) for b in booked.only("start_at", "end_at")), timedelta())
    return quota, timedelta(hours=quota.hours_per_week) - used


def resource_week(
    *,
    resource: Resource,
    week_of: date,
    now: datetime,
    user: Any = None,
    as_staff: bool = False,
    length: timedelta | None = None,
    exclude_pk: int | None = None,
) -> tuple[list[date], list[WeekRow]]:
    """One resource's week as days × cells, in a fixed number of queries, for the person looking (`user`, at the
    desk or not): a cell is "free" only when a booking of `length` (the shortest allowed, by default) starting there
    passes every booking rule for them; otherwise it says which rule stops it (busy, closed, past, does not fit,
    training needed, weekly limit, not yet open). Who booked a busy cell is never shown."""
    anchor = resource.anchor
    policy = policy_for(anchor)
    length = length or booking_length(resource)
    unit = resource.booking_unit_minutes
    earliest = now if as_staff else now + timedelta(minutes=policy.lead_time_minutes)
    latest = now + timedelta(days=policy.staff_days_ahead if as_staff else policy.maker_days_ahead)
    days = week_days(week_of)
    hours = {h.day: h for h in facility_selectors.anchor_hours(anchor=anchor, start=days[0], end=days[-1])}
    step = grid_step(resource)
    open_times = [h.times() for h in hours.values() if h.is_open]
    first = min((opens for opens, _closes in open_times), default=time(9))
    last = max((closes for _opens, closes in open_times), default=time(18))
    times = []
    t = datetime.combine(days[0], first)
    while t.time() < last and t.date() == days[0]:
        times.append(t.time())
        t += timedelta(minutes=step)
    start = start_of_day(days[0])
    end = start + timedelta(days=7)
    buffer = timedelta(minutes=resource.buffer_minutes)
    busy = list(
        holding_overlapping(resource=resource, start=start - length, until=end + length, exclude_pk=exclude_pk).only(
            "start_at", "blocked_until", "end_at"
        )
    )
    space_id = space_of(resource)
    closures = list(facility_selectors.closures_overlapping(anchor=anchor, start=start, end=end + length))
    in_maintenance = isinstance(resource, Equipment) and resource.status == EquipmentStatus.MAINTENANCE
    untrained = (
        isinstance(resource, Equipment)
        and resource.kind.requires_certification
        and not facility_selectors.user_is_certified(user=user, kind=resource.kind, on=now.astimezone(SEOUL).date())
    )
    quota = quota_left(resource=resource, user=user, week_start=start, exclude_pk=exclude_pk)
    # Spans a later app's rule refuses (a lottery window, a freed slot held for someone waiting, a suspension).
    blocks = hooks.grid_blocks(resource=resource, start=start, end=end + length, user=user, as_staff=as_staff, now=now)

    def overlaps_closure(s: datetime, e: datetime) -> bool:
        return closed_during(closures, space_id, s, e)

    def state_of(d: date, tm: time) -> str:
        h = hours[d]
        s = datetime.combine(d, tm, tzinfo=SEOUL)
        cell_end = s + timedelta(minutes=step)
        if not h.is_open or in_maintenance:
            return "closed"
        opens, closes = h.times()
        if tm < opens or (cell_end.date() == d and cell_end.time() > closes) or overlaps_closure(s, cell_end):
            return "closed"
        if any(r.start_at < cell_end and r.blocked_until > s for r in busy):
            return "busy"
        if s < earliest:
            return "past"
        if s > latest:
            return "later"
        e = s + length
        local_end = e.astimezone(SEOUL)
        ends_in_day = local_end.date() == d and local_end.time() <= closes
        aligned = (tm.hour * 60 + tm.minute - opens.hour * 60 - opens.minute) % unit == 0
        if not ends_in_day or not aligned or overlaps_closure(s, e) or held_during(busy, s, e, buffer):
            return "short"
        if untrained:
            return "training"
        if quota is not None and quota[1] < length:
            return "quota"
        for block in blocks:
            if block.start < e and block.end > s:
                return block.state
        return "free"

    rows = [
        WeekRow(
            time=tm,
            cells=[
                WeekCell(
                    state_of(d, tm),
                    datetime.combine(d, tm, tzinfo=SEOUL),
                    datetime.combine(d, tm, tzinfo=SEOUL) + length,
                )
                for d in days
            ],
        )
        for tm in times
    ]
    return days, rows


def week_for_viewer(
    *, resource: Resource, week_of: date, now: datetime, viewer: Any, length: timedelta
) -> tuple[list[date], list[WeekRow]]:
    """A resource's week as the person looking sees it, on the booking page and through the API: at the desk
    (their anchor's staff) with the desk's reach and list prices, otherwise with their own rules and their
    verified category's discount on every free cell's fee."""
    desk = may(viewer, "reservations.manage_anchor", resource.anchor)
    days, rows = resource_week(
        resource=resource,
        week_of=week_of,
        now=now,
        user=viewer if viewer.is_authenticated else None,
        as_staff=desk,
        length=length,
    )
    price_free_cells(resource=resource, rows=rows, categories=[] if desk else discount_categories(user=viewer))
    return days, rows


def discount_categories(*, user: Any, discount_category: str = "") -> list[str]:
    """The discount categories a booking is priced with: the one the desk chose, else the maker's verified one."""
    if discount_category:
        return [discount_category]
    return list(user.verified_categories) if user is not None and user.is_authenticated else []


def move_discount_category(*, reservation: Reservation, as_staff: bool) -> str:
    """The category a moved booking is priced with: the desk's choice when the desk moves it; else the maker's own
    verified category applies (see discount_categories)."""
    return reservation.discount_category if as_staff else ""


def price_free_cells(*, resource: Resource, rows: list[WeekRow], categories: list[str]) -> None:
    """Put on every free cell the fee the booking it offers would cost (with `discount_categories`), from the same
    quote the confirmation step shows; 3 queries for the rate table, none per cell."""
    versions = facility_selectors.rate_versions(anchor=resource.anchor)
    for row in rows:
        for cell in row.cells:
            if cell.state != "free":
                continue
            try:
                quote = facility_selectors.quote_for(
                    resource=resource, start=cell.start, end=cell.end, categories=categories, versions=versions
                )
            except QuoteError:
                continue  # no price: the form says so, as it would for a typed time
            cell.fee_won, cell.fee_is_example = quote.total_won, quote.is_example


def next_free_slots(
    *,
    resource: Resource,
    start: datetime,
    duration: timedelta,
    count: int = 3,
    now: datetime,
    exclude_pk: int | None = None,
    search_days: int = 14,
    whole_day: bool = False,
) -> list[tuple[datetime, datetime]]:
    """The next free slots of the same length, from `start` on (from the start of its day with `whole_day`, so
    the ones just before it are found too), inside opening hours and clear of closures."""
    anchor = resource.anchor
    step = timedelta(minutes=resource.booking_unit_minutes)
    buffer = timedelta(minutes=resource.buffer_minutes)
    first_day = start.astimezone(SEOUL).date()
    last_day = first_day + timedelta(days=search_days)
    window_start = start_of_day(first_day)
    window_end = start_of_day(last_day + timedelta(days=1))
    busy = list(holding_overlapping(resource=resource, start=window_start, until=window_end, exclude_pk=exclude_pk))
    space_id = space_of(resource)
    closures = list(facility_selectors.closures_overlapping(anchor=anchor, start=window_start, end=window_end))
    found: list[tuple[datetime, datetime]] = []
    for h in facility_selectors.anchor_hours(anchor=anchor, start=first_day, end=last_day):
        if not h.is_open:
            continue
        opens, closes = h.times()
        s = datetime.combine(h.day, opens, tzinfo=SEOUL)
        close = datetime.combine(h.day, closes, tzinfo=SEOUL)
        while s + duration <= close:
            e = s + duration
            if (
                (s >= start or whole_day)
                and s >= now
                and not held_during(busy, s, e, buffer)
                and not closed_during(closures, space_id, s, e)
            ):
                found.append((s, e))
                if len(found) >= count:
                    return found
            s += step
    return found


# --- lists ---------------------------------------------------------------------------------------


def reservation_list_for_anchor(*, anchor: Anchor, start: datetime, end: datetime) -> QuerySet[Reservation]:
    return (
        Reservation.objects.filter(
            anchor=anchor, start_at__lt=end, start_at__gt=start - MAX_BLOCKED_SPAN, end_at__gt=start
        )
        .select_related("user", "space", "equipment__kind", "booked_by")
        .order_by("start_at")
    )


def pending_requests(*, anchor: Anchor) -> QuerySet[Reservation]:
    return (
        Reservation.objects.filter(anchor=anchor, status=Status.REQUESTED)
        .select_related("user", "space", "equipment__kind")
        .order_by("start_at")
    )


LIVE = (Status.REQUESTED, Status.CONFIRMED, Status.CHECKED_IN)


def reservations_held_by(
    *, user: User, now: datetime, upcoming: bool | None = None, status: str | None = None
) -> QuerySet[Reservation]:
    """A maker's reservations, in time order. `upcoming=True`: the coming ones that still hold their time;
    `False`: the past and the cancelled ones (what the maker's page lists under each heading)."""
    qs = Reservation.objects.filter(user=user).select_related(
        "anchor", "user", "space__anchor", "equipment__kind", "equipment__space__anchor"
    )
    if upcoming is True:
        qs = qs.filter(end_at__gte=now, status__in=LIVE)
    elif upcoming is False:
        qs = qs.filter(Q(end_at__lt=now) | ~Q(status__in=LIVE))
    if status is not None:
        qs = qs.filter(status=status)
    return qs.order_by("start_at")


def my_reservations(*, user: User, now: datetime) -> tuple[list[Reservation], QuerySet[Reservation]]:
    """A maker's coming bookings (all of them), and the past and cancelled ones, newest first (a query the page
    paginates)."""
    upcoming = list(reservations_held_by(user=user, now=now, upcoming=True))
    past = reservations_held_by(user=user, now=now, upcoming=False).order_by("-start_at", "-pk")
    return upcoming, past


def reservation_for_viewer(*, pk: int, user: User | AnonymousUser) -> Reservation:
    """A reservation its maker, its booker, its anchor's staff or a city admin may see; anyone else gets 404."""
    r = (
        Reservation.objects.select_related(
            "anchor", "user", "booked_by", "space__anchor", "equipment__kind", "equipment__space__anchor", "series"
        )
        .filter(pk=pk)
        .first()
    )
    if r is None or not user.is_authenticated or not may(user, "reservations.view", r):
        raise Http404
    return r


ACTIONS = ("cancel", "cancel_series", "move", "approve", "reject", "check_in", "no_show", "complete", "waive")


def reservation_actions(*, user: User, reservation: Reservation, now: datetime) -> dict[str, bool]:
    """What this user may do to this reservation now: the policy (who) and the state rules (what the status and
    the clock allow), asked in one place for the page's buttons; the services ask the same state rules again
    under the row lock."""

    r = reservation
    desk = may(user, "reservations.manage_anchor", r.anchor)
    policy = policy_for(r.anchor)
    allowed_by_state = {
        "cancel": states.why_not_cancel(r, now=now) is None,
        "cancel_series": r.series_id is not None and states.why_not_cancel(r, now=now) is None,
        "move": states.why_not_move(r, now=now, policy=policy, as_staff=desk) is None,
        "approve": states.why_not_approve(r, now=now) is None,
        "reject": states.why_not_reject(r, now=now) is None,
        "check_in": states.why_not_check_in(r, now=now) is None,
        "no_show": states.why_not_no_show(r, now=now, policy=policy) is None,
        "complete": states.why_not_complete(r, now=now) is None,
        "waive": states.why_not_waive(r, now=now) is None,
    }
    return {a: allowed_by_state[a] and may(user, f"reservations.{a}", r) for a in ACTIONS}


def desk_search(*, anchor: Anchor, query: str, day: date) -> QuerySet[Reservation]:
    start = start_of_day(day)
    qs = reservation_list_for_anchor(anchor=anchor, start=start, end=start + timedelta(days=1)).filter(
        status__in=[Status.CONFIRMED, Status.CHECKED_IN, Status.REQUESTED]
    )
    if query:
        qs = qs.filter(
            Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(guest_name__icontains=query)
            | Q(guest_organisation__icontains=query)
        )
    return qs


def affected_by(*, anchor: Anchor, space: Space | None, start: datetime, end: datetime) -> QuerySet[Reservation]:
    """Slot-holding reservations a closure from `start` to `end` would overlap: of the space (and that space's
    machines) or, with no space, of the whole anchor. Asked before a closure is saved and after."""
    qs = Reservation.objects.filter(
        anchor_id=anchor.pk,
        status__in=HOLDING,
        start_at__lt=end,
        start_at__gt=start - MAX_BLOCKED_SPAN,
        end_at__gt=start,
    )
    if space is not None:
        qs = qs.filter(Q(space_id=space.pk) | Q(equipment__space_id=space.pk))
    return qs.select_related("user", "space", "equipment__kind").order_by("start_at")


def affected_by_closure(*, closure: Closure) -> QuerySet[Reservation]:
    return affected_by(anchor=closure.anchor, space=closure.space, start=closure.starts_at, end=closure.ends_at)
