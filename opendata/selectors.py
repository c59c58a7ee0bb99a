"""The open-data rows of a month: per operating anchor and per space or machine kind, from the selectors the
monthly report and the per-anchor pages use (budgets.selectors.delivery_by_anchor, reservations.figures): one
source of every figure. No personal data is read into a row; small counts are then suppressed (`suppress`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import translation

from anchors.models import Anchor, AnchorStatus
from budgets import selectors as budget_selectors
from common.numbers import percent
from facilities.models import DiscountCategory, Equipment, EquipmentKind, EquipmentStatus, Space, SpaceKind
from reservations import figures
from reservations.models import Status

from .columns import category_key, columns
from .models import OpenDataMonth

ANCHOR, SPACE_KIND, EQUIPMENT_KIND = "anchor", "space_kind", "equipment_kind"
# The cells a kind's rows add up to on their anchor's row (a booking is of one space or one machine).
ADDITIVE = ("booked_hours", "bookings", "cancellations", "no_shows", "fee_revenue_won")


def _number(value: Decimal | None) -> float | None:
    """Hours and percentages with one decimal, as the pages print them."""
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _label(choice: object, language: str) -> str:
    with translation.override(language):
        return str(choice)


def category_keys() -> list[str]:
    """The fee-revenue columns by user category (the standard price first), as columns() lists them."""
    return [category_key("")] + [category_key(value) for value in DiscountCategory.values]


def operating_anchors() -> list[Anchor]:
    return list(Anchor.objects.filter(status=AnchorStatus.OPERATING).select_related("district").order_by("sort_order"))


def _kinds(anchor_ids: list[int]) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]]:
    """Bookable spaces per (anchor, space kind) and machines (not retired) per (anchor, machine kind): 2 queries."""
    spaces = {
        (r["anchor_id"], r["kind"]): r["n"]
        for r in Space.objects.filter(anchor_id__in=anchor_ids, bookable=True)
        .values("anchor_id", "kind")
        .annotate(n=Count("pk"))
    }
    machines = {
        (r["space__anchor_id"], str(r["kind_id"])): r["n"]
        for r in Equipment.objects.filter(space__anchor_id__in=anchor_ids, bookable=True)
        .exclude(status=EquipmentStatus.RETIRED)
        .values("space__anchor_id", "kind_id")
        .annotate(n=Count("pk"))
    }
    return spaces, machines


def month_rows(*, year: int, month: int) -> list[dict[str, Any]]:
    """Every row of the month, before suppression: each anchor's row, then its space kinds and machine kinds."""
    first, last = budget_selectors.period(year, month)
    anchors = operating_anchors()
    ids = [a.pk for a in anchors]
    deliveries = budget_selectors.delivery_by_anchor(anchors=anchors, first=first, last=last)
    res = figures.reservations_in(anchor_ids=ids, first=first, last=last)
    by_kind = figures.usage_by_kind(res)
    spaces, machines = _kinds(ids)
    kind_names = {str(k.pk): k for k in EquipmentKind.objects.filter(pk__in={int(k) for _a, k in machines})}
    label = f"{year}-{month:02d}"
    rows: list[dict[str, Any]] = []
    for a in anchors:
        d = deliveries[a.pk]
        mine = res.filter(anchor_id=a.pk)
        by_status = figures.count_by_status(mine)
        categories, charges = figures.fee_revenue_by_category(mine)
        examples = sorted(d.examples & {"hours", "fees", "programmes"})
        common = {
            "month": label,
            "anchor": a.slug,
            "anchor_name_ko": a.name_ko,
            "anchor_name_en": a.name_en,
            "district": a.district.name_ko,
        }
        # Blank, not 0, where the portal has nothing to count (docs/figures.md): Delivery says where.
        counted = d.takes_bookings
        row = {
            **common,
            "level": ANCHOR,
            "kind": "",
            "kind_name_ko": "",
            "kind_name_en": "",
            "resources": d.usage.resources,
            "open_hours": _number(d.open_hours),
            "booked_hours": _number(d.booked_hours),
            "utilisation_pct": _number(d.utilisation),
            "bookings": d.usage.reservations if counted else None,
            "cancellations": by_status.get(Status.CANCELLED, 0) if counted else None,
            "no_shows": by_status.get(Status.NO_SHOW, 0) if counted else None,
            "programme_sessions": d.programme_figures.sessions if d.programmes is not None else None,
            "programme_participants": d.participants,
            "fee_revenue_won": d.fee_revenue,
            **{key: 0 if counted else None for key in category_keys()},  # a category nobody booked under took 0
            **({category_key(c.category): c.fees_won for c in categories} if counted else {}),
            "charges_won": charges if counted else None,
            "example_data": ";".join(examples),
            "_counts": {category_key(c.category): c.reservations for c in categories},
        }
        rows.append(row)
        kind_rows = [
            (SPACE_KIND, "space", kind, n) for (anchor_id, kind), n in sorted(spaces.items()) if anchor_id == a.pk
        ]
        kind_rows += [
            (EQUIPMENT_KIND, "equipment", kind, n)
            for (anchor_id, kind), n in sorted(machines.items(), key=lambda x: kind_names[x[0][1]].name_ko)
            if anchor_id == a.pk
        ]
        for level, prefix, kind, count in kind_rows:
            usage = by_kind.get((a.pk, prefix, kind)) or figures.KindUsage(0, Decimal(0), 0, 0, 0, 0)
            open_hours = d.usage.open_hours * count
            if level == SPACE_KIND:
                code, name_ko, name_en = kind, _label(SpaceKind(kind).label, "ko"), _label(SpaceKind(kind).label, "en")
            else:
                machine = kind_names[kind]
                code, name_ko, name_en = machine.slug, machine.name_ko, machine.name_en
            figures_of_kind = {
                "open_hours": _number(open_hours),
                "booked_hours": _number(usage.booked_hours),
                "utilisation_pct": _number(percent(usage.booked_hours, open_hours)),
                "bookings": usage.reservations,
                "cancellations": usage.cancellations,
                "no_shows": usage.no_shows,
                "fee_revenue_won": usage.fee_revenue_won,
            }
            rows.append(
                {
                    **common,
                    "level": level,
                    "kind": code,
                    "kind_name_ko": name_ko,
                    "kind_name_en": name_en,
                    "resources": count,
                    **{k: v if counted else None for k, v in figures_of_kind.items()},
                    "example_data": ";".join(e for e in examples if e != "programmes"),
                }
            )
    return rows


@dataclass(frozen=True)
class Suppression:
    threshold: int

    def small(self, value: Any) -> bool:
        return isinstance(value, int | float) and 0 < value < self.threshold


def suppress(rows: list[dict[str, Any]], *, threshold: int) -> list[dict[str, Any]]:
    """The rows as published: every cell counted from fewer than `threshold` (but at least one) people's bookings
    or attendances is left blank, with what it reveals, and, where a blank could be worked out from its row's
    total, a second cell with it (complementary suppression). Cells that are 0 stay: they single no one out.

    - A row with 1 to threshold−1 bookings: its bookings, booked hours, utilisation and fee revenue (and its fee
      categories) are blank. Cancellations, no-shows and programme participants likewise, each on its own count.
    - A fee category paid by 1 to threshold−1 bookings is blank; the charges are blank when the cancellations and
      no-shows they come from are.
    - Within an anchor's month, a cell blanked on exactly one kind row is joined by the smallest other non-zero kind
      cell of that column (or, when there is none, by the anchor's own cell), so the anchor's total minus the
      other kinds cannot give it back; the same within an anchor row's fee categories.
    """
    s = Suppression(threshold)
    out = [dict(r) for r in rows]
    for row in out:
        blank: set[str] = set()
        if s.small(row.get("bookings")):
            blank |= {"bookings", "booked_hours", "utilisation_pct", "fee_revenue_won"}
            blank |= set(category_keys()) | {"charges_won"}
        for key in ("cancellations", "no_shows", "programme_participants"):
            if s.small(row.get(key)):
                blank.add(key)
        counts = row.get("_counts", {})
        blank |= {key for key, n in counts.items() if s.small(n)}
        if row["level"] == ANCHOR and s.small((row.get("cancellations") or 0) + (row.get("no_shows") or 0)):
            blank.add("charges_won")
        row["_blank"] = blank
    for anchor_rows in _by_anchor(out):
        head, kinds = anchor_rows[0], anchor_rows[1:]
        for key in ADDITIVE:
            _complement(head, kinds, key)
        _complement_within(head, [*category_keys(), "charges_won"])
    for row in out:
        blank = row.pop("_blank")
        if "booked_hours" in blank:
            blank.add("utilisation_pct")  # booked hours ÷ the published open hours would give it back
        for key in blank:
            if key in row:
                row[key] = None
        row.pop("_counts", None)
        row["suppressed"] = ";".join(k for k in (c.key for c in columns()) if k in blank and k in row)
    return out


def _by_anchor(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    group: list[dict[str, Any]] = []
    for row in rows:
        if row["level"] == ANCHOR and group:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def _complement(head: dict[str, Any], kinds: list[dict[str, Any]], key: str) -> None:
    hidden = [r for r in kinds if key in r["_blank"]]
    if len(hidden) != 1 or key in head["_blank"]:
        return
    others = [r for r in kinds if key not in r["_blank"] and (r.get(key) or 0) > 0]
    if others:
        min(others, key=lambda r: r[key])["_blank"].add(key)
    else:
        head["_blank"].add(key)


def _complement_within(row: dict[str, Any], keys: list[str]) -> None:
    """One blank among cells that add up to a published total: blank the smallest other non-zero one too."""
    hidden = [k for k in keys if k in row["_blank"]]
    if len(hidden) != 1 or "fee_revenue_won" in row["_blank"]:
        return
    others = [k for k in keys if k not in row["_blank"] and (row.get(k) or 0) > 0]
    if others:
        row["_blank"].add(min(others, key=lambda k: row[k]))
    else:
        row["_blank"].add("fee_revenue_won")


def published_months() -> QuerySet[OpenDataMonth]:
    return OpenDataMonth.objects.order_by("-year", "-month")


def published_month(*, year: int, month: int) -> OpenDataMonth | None:
    return OpenDataMonth.objects.filter(year=year, month=month).first()


def series_rows() -> list[dict[str, Any]]:
    """Every published month's rows, oldest month first (the whole-series file)."""
    return [row for m in OpenDataMonth.objects.order_by("year", "month") for row in m.rows]


def utilisation_series() -> dict[str, list[tuple[str, float | None]]]:
    """Per anchor (its name in the request's language), (month, utilisation %) of the published months: the
    dashboard's line chart, from the published rows (what the files say)."""
    out: dict[str, list[tuple[str, float | None]]] = {}
    english = translation.get_language() == "en"
    for row in series_rows():
        if row["level"] == ANCHOR:
            name = row["anchor_name_en"] if english else row["anchor_name_ko"]
            out.setdefault(name, []).append((row["month"], row["utilisation_pct"]))
    return out
