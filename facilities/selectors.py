from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import holidays as holidays_lib
from django.db.models import Field, Model, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anchors.models import Anchor
from common import catalogue
from common.time import SEOUL, start_of_day

from .models import (
    CategoryDiscount,
    Certification,
    Closure,
    Equipment,
    EquipmentKind,
    EquipmentStatus,
    OpeningHours,
    OpeningHoursException,
    RateRule,
    RateTableVersion,
    Resource,
    Space,
)
from .pricing import PriceRule, Quote, QuoteError, Tariff, compute_quote

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# --- holidays and hours --------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _kr_holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays_lib.country_holidays("KR", years=year, language=language))


def public_holidays(start: date, end: date, language: str = "ko") -> dict[date, str]:
    """Korean public holidays (incl. substitute holidays) between two dates, inclusive."""
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _kr_holidays(year, "en" if language == "en" else "ko").items():
            if start <= day <= end:
                found[day] = name
    return found


@dataclass(frozen=True)
class DayHours:
    day: date
    opens: time | None
    closes: time | None
    reason: str = ""  # why closed or changed: a holiday's name or the exception's reason
    is_example: bool = False  # the weekday's hours are example data (a dated exception or a holiday is real)

    @property
    def is_open(self) -> bool:
        return self.opens is not None

    def times(self) -> tuple[time, time]:
        """The opening and closing times of an open day (a day's hours set both or neither)."""
        assert self.opens is not None and self.closes is not None
        return self.opens, self.closes


def _day_hours(
    day: date,
    regular: Mapping[int, OpeningHours],
    exceptions: Mapping[date, OpeningHoursException],
    hols: Mapping[date, str],
) -> DayHours:
    """Order of precedence: a dated exception, then a public holiday (closed), then the weekday's hours."""
    if day in exceptions:
        e = exceptions[day]
        return DayHours(day, e.opens, e.closes, e.reason)
    if day in hols:
        return DayHours(day, None, None, hols[day])
    if day.weekday() in regular:
        h = regular[day.weekday()]
        return DayHours(day, h.opens, h.closes, is_example=h.is_example)
    # A weekday without hours is closed: an example too when the rest of the week's hours are.
    return DayHours(day, None, None, is_example=any(h.is_example for h in regular.values()))


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def anchor_hours(*, anchor: Anchor, start: date, end: date, language: str = "ko") -> list[DayHours]:
    """The opening hours of each day from start to end (inclusive), in two queries at most (kept while the
    catalogue stands still: common/catalogue.py)."""
    regular = catalogue.kept(
        ("opening_hours", anchor.pk), lambda: {h.weekday: h for h in OpeningHours.objects.filter(anchor=anchor)}
    )
    exceptions = catalogue.kept(
        ("opening_exceptions", anchor.pk, start, end),
        lambda: {e.date: e for e in OpeningHoursException.objects.filter(anchor=anchor, date__range=(start, end))},
    )
    hols = public_holidays(start, end, language)
    return [_day_hours(day, regular, exceptions, hols) for day in _days(start, end)]


def hours_are_example(*, anchor: Anchor) -> bool:
    """The anchor's regular opening hours are example data (any weekday's row flagged)."""
    return catalogue.kept(
        ("hours_are_example", anchor.pk), lambda: OpeningHours.objects.filter(anchor=anchor, is_example=True).exists()
    )


def closures_overlapping(
    *, anchor: Anchor, start: datetime, end: datetime, space: Space | None = None
) -> list[Closure]:
    """Closures of the whole anchor, or of the given space, that overlap [start, end), by start. The anchor's
    closures of the days concerned are read once and kept while the catalogue stands still (read them, never
    change them)."""
    first = start.astimezone(SEOUL).date()
    last = max(first, (end - timedelta(microseconds=1)).astimezone(SEOUL).date())
    from_, until = start_of_day(first), start_of_day(last + timedelta(days=1))
    of_days = catalogue.kept(
        ("closures", anchor.pk, first, last),
        lambda: list(
            Closure.objects.filter(anchor=anchor, starts_at__lt=until, ends_at__gt=from_)
            .select_related("space")
            .order_by("starts_at", "pk")
        ),
    )
    return [
        c
        for c in of_days
        if c.starts_at < end and c.ends_at > start and (space is None or c.space_id in (None, space.pk))
    ]


# --- spaces, equipment, certifications -----------------------------------------------------------


def anchor_spaces(*, anchor: Anchor) -> QuerySet[Space]:
    return (
        Space.objects.filter(anchor=anchor)
        .select_related("anchor")
        .prefetch_related(
            "photos",
            Prefetch(
                "equipment",
                queryset=Equipment.objects.exclude(status=EquipmentStatus.RETIRED)
                .select_related("kind")
                .order_by("kind__name_en", "name_en"),
            ),
        )
        .order_by("sort_order", "name_en")
    )


def required_trainings(*, anchor: Anchor) -> QuerySet[EquipmentKind]:
    """Equipment kinds at the anchor that need a certification before a maker may book them."""
    return (
        EquipmentKind.objects.filter(requires_certification=True, units__space__anchor=anchor)
        .exclude(units__status=EquipmentStatus.RETIRED)
        .distinct()
        .order_by("name_en")
    )


def valid_certifications(*, user: User, on: date | None = None) -> QuerySet[Certification]:
    on = on or timezone.localdate()
    return Certification.objects.filter(
        user=user, revoked_at__isnull=True, granted_on__lte=on, expires_on__gte=on
    ).select_related("kind")


def user_is_certified(*, user: User | AnonymousUser | None, kind: EquipmentKind, on: date | None = None) -> bool:
    """Certifications are honoured at every anchor of the city: no anchor filter here on purpose."""
    if not kind.requires_certification:
        return True
    if user is None or not user.is_authenticated:
        return False
    return valid_certifications(user=user, on=on).filter(kind=kind).exists()


# --- rate tables and quotes ----------------------------------------------------------------------


def rate_versions(*, anchor: Anchor, include_drafts: bool = False) -> list[RateTableVersion]:
    """Every published version of the anchor's rate table (drafts too, for the admin's comparison) with its rules
    and discounts, oldest first (3 queries, kept while the catalogue stands still: read them, never change them).
    Fees and the public rate page use only published ones."""
    return list(
        catalogue.kept(("rate_versions", anchor.pk, include_drafts), lambda: _rate_versions(anchor, include_drafts))
    )


def _rate_versions(anchor: Anchor, include_drafts: bool) -> list[RateTableVersion]:
    qs = RateTableVersion.objects.filter(table__anchor=anchor)
    if not include_drafts:
        qs = qs.filter(is_draft=False)
    return list(
        qs.prefetch_related(
            Prefetch(
                "rules",
                queryset=RateRule.objects.select_related("space", "equipment_kind").order_by(
                    "space__sort_order", "equipment_kind__name_en", "pk"
                ),
            ),
            Prefetch("discounts", queryset=CategoryDiscount.objects.order_by("category")),
        ).order_by("effective_from")
    )


def current_and_next_version(
    versions: list[RateTableVersion], today: date
) -> tuple[RateTableVersion | None, RateTableVersion | None]:
    current = next_ = None
    for v in versions:
        if v.effective_from <= today:
            current = v
        elif next_ is None:
            next_ = v
    return current, next_


def _rule_for(version: RateTableVersion, resource: Resource) -> RateRule | None:
    for rule in version.rules.all():
        if isinstance(resource, Space) and rule.space_id == resource.pk:
            return rule
        if isinstance(resource, Equipment) and rule.equipment_kind_id == resource.kind_id:
            return rule
    return None


def tariffs_for(*, resource: Resource, versions: list[RateTableVersion]) -> list[Tariff]:
    tariffs = []
    for v in versions:
        rule = _rule_for(v, resource)
        tariffs.append(
            Tariff(
                effective_from=v.effective_from,
                version_id=v.pk,
                rule=None
                if rule is None
                else PriceRule(
                    unit=rule.unit,
                    base_price_won=rule.base_price_won,
                    evening_surcharge_pct=rule.evening_surcharge_pct,
                    weekend_surcharge_pct=rule.weekend_surcharge_pct,
                    holiday_surcharge_pct=rule.holiday_surcharge_pct,
                    deposit_won=rule.deposit_won,
                ),
                evening_starts=v.evening_starts,
                discounts={d.category: d.percent for d in v.discounts.all()},
                discount_rule=v.discount_rule,
                rounding_won=v.rounding_won,
                vat_included=v.vat_included,
            )
        )
    return tariffs


def resource_anchor(resource: Resource) -> Anchor:
    return resource.anchor


def quote_for(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    categories: Collection[str] = (),
    versions: list[RateTableVersion] | None = None,
) -> Quote:
    """The quote of a booking of a space or equipment unit, from its anchor's rate table (reads only)."""
    if versions is None:
        versions = rate_versions(anchor=resource_anchor(resource))
    local_start, local_end = start.astimezone(SEOUL).date(), end.astimezone(SEOUL).date()
    hols = public_holidays(local_start, local_end)
    quote = compute_quote(
        tariffs=tariffs_for(resource=resource, versions=versions),
        start=start,
        end=end,
        categories=categories,
        holidays=hols,
    )
    used = set(quote.version_ids)
    return replace(quote, is_example=any(v.is_example for v in versions if v.pk in used))


def example_version_ids(version_ids: Iterable[int | None]) -> set[int]:
    """Of these rate-table versions, the ones holding example prices: a fee computed from one is an example fee
    (the one rule for quotes, confirmations, reservations, e-mails and exports)."""
    ids = {i for i in version_ids if i}
    if not ids:
        return set()
    return set(RateTableVersion.objects.filter(pk__in=ids, is_example=True).values_list("pk", flat=True))


@dataclass(frozen=True)
class DiffRow:
    subject: str
    field: str
    old: str
    new: str


_RULE_FIELDS = [
    "unit",
    "base_price_won",
    "evening_surcharge_pct",
    "weekend_surcharge_pct",
    "holiday_surcharge_pct",
    "deposit_won",
]
_VERSION_FIELDS = ["basis_ko", "evening_starts", "discount_rule", "rounding_won", "vat_included"]


def _display(obj: object, field: str) -> str:
    value = getattr(obj, field)
    getter = getattr(obj, f"get_{field}_display", None)
    if getter is not None:
        return str(getter())
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _field_label(model: type[Model], name: str) -> str:
    """The verbose name of one of the model's own fields (named in the lists above, never a reverse relation)."""
    return str(cast("Field[Any, Any]", model._meta.get_field(name)).verbose_name)


def version_diff(older: RateTableVersion, newer: RateTableVersion) -> list[DiffRow]:
    """A readable diff between two versions (both with rules and discounts prefetched)."""
    rows: list[DiffRow] = []
    for f in _VERSION_FIELDS:
        if getattr(older, f) != getattr(newer, f):
            rows.append(
                DiffRow(
                    str(RateTableVersion._meta.verbose_name),
                    _field_label(RateTableVersion, f),
                    _display(older, f),
                    _display(newer, f),
                )
            )

    def keyed(version: RateTableVersion) -> dict[tuple[int | None, int | None], RateRule]:
        return {(r.space_id, r.equipment_kind_id): r for r in version.rules.all()}

    old_rules, new_rules = keyed(older), keyed(newer)
    for key in sorted(set(old_rules) | set(new_rules), key=lambda k: str(k)):
        o, n = old_rules.get(key), new_rules.get(key)
        rule = n or o
        assert rule is not None  # the key is in one version or the other
        subject = str(rule.target.name)
        if o is None:  # `rule` is the new version's
            rows.append(DiffRow(subject, "—", "—", f"{rule.base_price_won:,} {rule.get_unit_display()}"))
        elif n is None:
            rows.append(DiffRow(subject, "—", f"{o.base_price_won:,} {o.get_unit_display()}", "—"))
        else:
            for f in _RULE_FIELDS:
                if getattr(o, f) != getattr(n, f):
                    rows.append(DiffRow(subject, _field_label(RateRule, f), _display(o, f), _display(n, f)))
    old_d = {d.category: d for d in older.discounts.all()}
    new_d = {d.category: d for d in newer.discounts.all()}
    for cat in sorted(set(old_d) | set(new_d)):
        od, nd = old_d.get(cat), new_d.get(cat)
        if (od and od.percent) != (nd and nd.percent):
            discount = nd or od
            assert discount is not None  # a category in neither version differs in nothing
            label = discount.get_category_display()
            rows.append(
                DiffRow(
                    str(CategoryDiscount._meta.verbose_name),
                    str(label),
                    f"{od.percent} %" if od else "—",
                    f"{nd.percent} %" if nd else "—",
                )
            )
    return rows


def quotable_resources(*, anchor: Anchor) -> list[tuple[str, str, Resource]]:
    """Bookable spaces and in-service equipment of an anchor, as (form key, label, object), in 2 queries."""
    spaces = list(Space.objects.filter(anchor=anchor, bookable=True).order_by("sort_order", "name_en"))
    units = list(
        Equipment.objects.filter(space__anchor=anchor, bookable=True)
        .exclude(status=EquipmentStatus.RETIRED)
        .select_related("kind", "space__anchor")
        .order_by("kind__name_en", "name_en")
    )
    for s in spaces:
        s.anchor = anchor
    return [(f"space:{s.pk}", s.name, s) for s in spaces] + [
        (f"equipment:{e.pk}", f"{e.name} ({e.kind.name})", e) for e in units
    ]


def quote_error_message(err: QuoteError) -> str:

    messages = {
        "empty": _("The end must be after the start."),
        "naive_time": _("Give a date and times."),
        "no_rate": _("No rate table is in effect for that date yet."),
        "not_priced": _("The rate table in effect on that date has no price for this space or equipment."),
    }
    return messages.get(err.code, str(err))


def staff_anchors(*, user: User) -> list[Anchor]:
    return list(Anchor.objects.filter(staff_assignments__user=user).order_by("sort_order"))


def open_hours_by_anchor(*, anchor_ids: list[int], first: date, last: date) -> dict[int, Decimal]:
    """Hours each anchor is open from `first` to `last` (inclusive), by the same rules as `anchor_hours`, in two
    queries whatever the number of anchors."""
    regular: dict[int, dict[int, OpeningHours]] = {a: {} for a in anchor_ids}
    for h in OpeningHours.objects.filter(anchor_id__in=anchor_ids):
        regular[h.anchor_id][h.weekday] = h
    exceptions: dict[int, dict[date, OpeningHoursException]] = {a: {} for a in anchor_ids}
    for e in OpeningHoursException.objects.filter(anchor_id__in=anchor_ids, date__range=(first, last)):
        exceptions[e.anchor_id][e.date] = e
    hols = public_holidays(first, last, "ko")
    out: dict[int, Decimal] = {}
    for anchor_id in anchor_ids:
        seconds = 0
        for day in _days(first, last):
            hours = _day_hours(day, regular[anchor_id], exceptions[anchor_id], hols)
            if hours.is_open:
                opens, closes = hours.times()
                seconds += int((datetime.combine(day, closes) - datetime.combine(day, opens)).total_seconds())
        out[anchor_id] = Decimal(seconds) / 3600
    return out


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RuleChange:
    when: datetime
    who: str
    subject: str
    fields: tuple[FieldChange, ...]


def version_rule_changes(version: RateTableVersion) -> list[RuleChange]:
    """Every recorded edit to a version's prices and discounts (its rules and category discounts), newest first,
    each as field: old → new; a rule added or removed shows its price appearing or going."""
    changes: list[RuleChange] = []
    for model, fields in ((RateRule, _RULE_FIELDS), (CategoryDiscount, ["category", "percent"])):
        records = list(
            model.history.filter(version_id=version.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous: dict[int, Any] = {}
        for rec in records:
            before = previous.get(rec.id)
            instance = rec.instance
            subject = str(instance.target.name) if model is RateRule else str(instance.get_category_display())
            rows = []
            for f in fields:
                new = _display(instance, f) if rec.history_type != "-" else ""
                old = _display(before.instance, f) if before is not None else ""
                if rec.history_type == "-":
                    old = _display(instance, f)
                if old != new:
                    rows.append(FieldChange(_field_label(model, f), old, new))
            previous[rec.id] = rec
            if rows:
                who = rec.history_user.get_full_name() if rec.history_user else ""
                changes.append(RuleChange(rec.history_date, who, subject, tuple(rows)))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes
