"""The open-data rows of a month: per operating anchor and per space or machine kind, from the selectors the
monthly report and the per-anchor pages use (budgets.selectors.delivery_by_anchor, reservations.figures): one
source of every figure. No personal data is read into a row; the people behind each figure are counted (never
named) so that `suppress` can leave blank what too few people stand behind."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import translation

from anchors.models import Anchor, AnchorStatus
from budgets import selectors as budget_selectors
from common.numbers import one_decimal, percent
from facilities.models import DiscountCategory, EquipmentKind, SpaceKind
from reservations import figures
from reservations.models import Status

from .columns import category_key, columns
from .models import OpenDataMonth

ANCHOR, SPACE_KIND, EQUIPMENT_KIND = "anchor", "space_kind", "equipment_kind"
# The cells counted from people's bookings on a row; a kind's add up to its anchor's (a booking is of one space
# or one machine, and every kind booked in the month has a row).
BOOKING_CELLS = ("bookings", "booked_hours", "utilisation_pct", "cancellations", "no_shows", "fee_revenue_won")
SPACE_KIND_NAMES = dict(SpaceKind.choices)


def _number(value: Decimal | None) -> float | None:
    """Hours and percentages with one decimal, as the pages print them (common.numbers.one_decimal)."""
    rounded = one_decimal(value)
    return None if rounded is None else float(rounded)


def _label(choice: object, language: str) -> str:
    with translation.override(language):
        return str(choice)


def category_keys() -> list[str]:
    """The fee-revenue columns by user category (the standard price first), as columns() lists them."""
    return [category_key("")] + [category_key(value) for value in DiscountCategory.values]


def operating_anchors() -> list[Anchor]:
    return list(Anchor.objects.filter(status=AnchorStatus.OPERATING).select_related("district").order_by("sort_order"))


def month_rows(*, year: int, month: int) -> list[dict[str, Any]]:
    """Every row of the month, before suppression: each anchor's row, then its space kinds and machine kinds (every
    kind bookable now or booked in the month). `_people` holds how many people stand behind each figure."""
    first, last = budget_selectors.period(year, month)
    anchors = operating_anchors()
    ids = [a.pk for a in anchors]
    deliveries = budget_selectors.delivery_by_anchor(anchors=anchors, first=first, last=last)
    res = figures.reservations_in(anchor_ids=ids, first=first, last=last)
    by_kind = figures.usage_by_kind(res)
    bookable = figures.bookable_by_kind(anchor_ids=ids)
    people = figures.people_by(res, "anchor_id")
    people_by_status = figures.people_by(res, "anchor_id", "status")
    people_by_kind = figures.people_by(res, "anchor_id", "space__kind", "equipment__kind_id")
    people_by_kind_status = figures.people_by(res, "anchor_id", "space__kind", "equipment__kind_id", "status")
    people_by_category = figures.people_by(res.filter(status__in=figures.BOOKED), "anchor_id", "discount_category")
    people_charged = figures.people_by(res.filter(status__in=figures.CHARGED, charge_won__gt=0), "anchor_id")
    kinds = set(bookable) | set(by_kind)
    machines = {
        str(k.pk): k for k in EquipmentKind.objects.filter(pk__in={int(k) for _a, t, k in kinds if t == "equipment"})
    }
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
        rows.append(
            {
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
                "_people": {
                    "bookings": people.get((a.pk,), 0),
                    "cancellations": people_by_status.get((a.pk, Status.CANCELLED), 0),
                    "no_shows": people_by_status.get((a.pk, Status.NO_SHOW), 0),
                    "programme_participants": d.programme_figures.participants,
                    "charges_won": people_charged.get((a.pk,), 0),
                    **{category_key(c): people_by_category.get((a.pk, c), 0) for c in ["", *DiscountCategory.values]},
                },
            }
        )
        own = sorted(
            (k for k in kinds if k[0] == a.pk),
            key=lambda k: (
                k[1] != "space",
                SPACE_KIND_NAMES.get(k[2], k[2]) if k[1] == "space" else machines[k[2]].name_ko,
            ),
        )
        for key in own:
            _a, kind_type, kind = key
            count = bookable.get(key, 0)  # 0: booked in the month, not bookable now (retired, or taken off the list)
            usage = by_kind.get(key) or figures.KindUsage(0, Decimal(0), 0, 0, 0, 0)
            open_hours = d.usage.open_hours * count
            if kind_type == "space":
                name = SPACE_KIND_NAMES.get(kind, kind)  # a kind no longer offered keeps its code
                level, code, name_ko, name_en = SPACE_KIND, kind, _label(name, "ko"), _label(name, "en")
            else:
                machine = machines[kind]
                level, code, name_ko, name_en = EQUIPMENT_KIND, machine.slug, machine.name_ko, machine.name_en
            figures_of_kind = {
                "open_hours": _number(open_hours),
                "booked_hours": _number(usage.booked_hours),
                "utilisation_pct": _number(percent(usage.booked_hours, open_hours)),
                "bookings": usage.reservations,
                "cancellations": usage.cancellations,
                "no_shows": usage.no_shows,
                "fee_revenue_won": usage.fee_revenue_won,
            }
            space_kind, machine_kind = (kind, None) if kind_type == "space" else (None, int(kind))
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
                    "_people": {
                        "bookings": people_by_kind.get((a.pk, space_kind, machine_kind), 0),
                        "cancellations": people_by_kind_status.get(
                            (a.pk, space_kind, machine_kind, Status.CANCELLED), 0
                        ),
                        "no_shows": people_by_kind_status.get((a.pk, space_kind, machine_kind, Status.NO_SHOW), 0),
                    },
                }
            )
    return rows


def suppress(rows: list[dict[str, Any]], *, threshold: int) -> list[dict[str, Any]]:
    """The rows as published. A figure that 1 to threshold−1 people stand behind is left blank, so no maker can be
    singled out; 0 stays (it singles no one out). The people are counted, never the bookings: six bookings by one
    company are one company's figures.

    - A row whose bookings come from too few people: every figure counted from bookings is blank (bookings, hours,
      utilisation, cancellations, no-shows, fee revenue, and on an anchor's row its fee categories and charges).
    - Cancellations and no-shows: blank when too few people cancelled, or did not come.
    - Programme participants: blank when too few.
    - An anchor's fee categories and charges add up to its fee revenue: one of them blank blanks them all.
    - An anchor's kinds add up to the anchor (whose totals the budget pages show): a figure blank on one kind is
      blank on every kind of that anchor and month, so no subtraction gives it back.
    """

    def small(n: int) -> bool:
        return 0 < n < threshold

    out = [dict(r) for r in rows]
    for row in out:
        people = row.get("_people", {})
        blank: set[str] = set()
        if small(people.get("bookings", 0)):
            blank |= set(BOOKING_CELLS)
            if row["level"] == ANCHOR:
                blank |= {*category_keys(), "charges_won"}
        for key in ("cancellations", "no_shows", "programme_participants"):
            if small(people.get(key, 0)):
                blank.add(key)
        if row["level"] == ANCHOR and any(small(people.get(k, 0)) for k in (*category_keys(), "charges_won")):
            blank |= {*category_keys(), "charges_won"}
        row["_blank"] = blank
    for group in _by_anchor(out):
        kinds = group[1:]
        for key in BOOKING_CELLS:
            if any(key in r["_blank"] for r in kinds):
                for r in kinds:
                    r["_blank"].add(key)
    order = [c.key for c in columns()]
    for row in out:
        blank = row.pop("_blank")
        row.pop("_people", None)
        for key in blank:
            if key in row:
                row[key] = None
        row["suppressed"] = ";".join(k for k in order if k in blank and k in row)
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


def published_months() -> list[OpenDataMonth]:
    return list(OpenDataMonth.objects.order_by("-year", "-month"))


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
        if row.get("level") == ANCHOR:
            name = row.get("anchor_name_en" if english else "anchor_name_ko") or row.get("anchor", "")
            out.setdefault(name, []).append((row.get("month", ""), row.get("utilisation_pct")))
    return out
