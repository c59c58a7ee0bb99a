"""Reads of the budget book: every figure is aggregated in the database, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from anchors.models import Anchor

from .models import (
    BudgetChange,
    BudgetLine,
    ExecutionRecord,
    ExpenseItem,
    PlannedExecution,
    PlanRow,
    Project,
    SettlementRow,
)

if TYPE_CHECKING:
    from facilities.tenancy import OccupancyFigures
    from programs.selectors import ProgrammeFigures
    from reservations.figures import Usage

PROJECT_CODE = "smart-anchor-operation"


def project() -> Project:
    return Project.objects.get(code=PROJECT_CODE)


def budget_years(p: Project) -> list[int]:
    return sorted(set(p.lines.values_list("year", flat=True)))


def pct_change(prior: int, current: int) -> int | None:
    """(B - A) * 100 / A rounded half up as the book prints it; None when A is 0 (a new item)."""
    if not prior:
        return None
    return int((Decimal(current - prior) * 100 / Decimal(prior)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class SummaryRow:
    item: ExpenseItem | None
    prior: int
    prior_national: int
    current: int
    current_national: int

    @property
    def change(self) -> int:
        return self.current - self.prior

    @property
    def change_national(self) -> int:
        return self.current_national - self.prior_national

    @property
    def pct(self) -> int | None:
        return pct_change(self.prior, self.current)

    @property
    def pct_national(self) -> int | None:
        return pct_change(self.prior_national, self.current_national)


def year_summary(p: Project, year: int) -> tuple[SummaryRow, list[SummaryRow]]:
    """예산 총괄: items × prior year and this year, with the national share (1 query + items)."""
    sums = (
        BudgetLine.objects.filter(project=p, year__in=[year - 1, year])
        .values("item_id", "year")
        .annotate(amount=Sum("amount_won"), national=Sum("national_won"))
    )
    by = {(r["item_id"], r["year"]): r for r in sums}
    items = [i for i in ExpenseItem.objects.order_by("sort_order") if (i.pk, year) in by or (i.pk, year - 1) in by]
    rows = []
    for i in items:
        a, b = by.get((i.pk, year - 1), {}), by.get((i.pk, year), {})
        rows.append(
            SummaryRow(i, a.get("amount") or 0, a.get("national") or 0, b.get("amount") or 0, b.get("national") or 0)
        )
    total = SummaryRow(
        None,
        sum(r.prior for r in rows),
        sum(r.prior_national for r in rows),
        sum(r.current for r in rows),
        sum(r.current_national for r in rows),
    )
    return total, rows


@dataclass
class ExecutionRow:
    label: str
    available: int
    executed: int
    item: ExpenseItem | None = None
    line: BudgetLine | None = None
    lines: list = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.available - self.executed

    @property
    def rate(self) -> Decimal | None:
        if not self.available:
            return None
        return (Decimal(self.executed) * 100 / Decimal(self.available)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def lines_with_execution(
    p: Project, year: int, *, until: date | None = None, item: ExpenseItem | None = None, anchor: Anchor | None = None
):
    """Budget lines with available (amount + changes) and executed-to-date, summed by the database."""
    record_filter = Q(records__date__lte=until) if until else Q()
    qs = BudgetLine.objects.filter(project=p, year=year)
    if item is not None:
        qs = qs.filter(item=item)
    if anchor is not None:
        qs = qs.filter(anchor=anchor)
    changes = {
        r["line_id"]: r["total"]
        for r in BudgetChange.objects.filter(line__in=qs).values("line_id").annotate(total=Sum("amount_won"))
    }
    lines = list(
        qs.select_related("item", "anchor")
        .annotate(
            executed=Coalesce(Sum("records__amount_won", filter=record_filter), 0),
            record_count=Count("records", filter=record_filter),
        )
        .order_by("item__sort_order", "sort_order", "pk")
    )
    for line in lines:
        line.available = line.amount_won + (changes.get(line.pk) or 0)
    return lines


def execution_table(p: Project, year: int, *, until: date | None = None) -> tuple[ExecutionRow, list[ExecutionRow]]:
    """Per item and per line: available, executed to date, execution rate, remaining (3 queries)."""
    lines = lines_with_execution(p, year, until=until)
    rows: dict[int, ExecutionRow] = {}
    for line in lines:
        row = rows.setdefault(line.item_id, ExecutionRow(label=line.item.name, available=0, executed=0, item=line.item))
        row.available += line.available
        row.executed += line.executed
        row.lines.append(
            ExecutionRow(
                label=line.basis or line.item.name, available=line.available, executed=line.executed, line=line
            )
        )
    items = list(rows.values())
    total = ExecutionRow(label="", available=sum(r.available for r in items), executed=sum(r.executed for r in items))
    return total, items


def monthly_curve(p: Project, year: int) -> list[dict]:
    """Cumulative execution by month against the planned curve where one is entered (2 queries)."""
    executed = dict(
        ExecutionRecord.objects.filter(line__project=p, line__year=year, date__year=year)
        .annotate(m=ExtractMonth("date"))
        .values("m")
        .annotate(total=Sum("amount_won"))
        .values_list("m", "total")
    )
    planned = dict(PlannedExecution.objects.filter(project=p, year=year).values_list("month", "cumulative_won"))
    running, out = 0, []
    for m in range(1, 13):
        running += executed.get(m, 0)
        out.append({"month": m, "executed": running, "planned": planned.get(m)})
    return out


def records_for(*, line: BudgetLine) -> list[ExecutionRecord]:
    return list(line.records.order_by("date", "pk"))


def plan_rows(p: Project) -> tuple[PlanRow | None, list[PlanRow]]:
    rows = list(
        PlanRow.objects.filter(project=p).select_related("item").order_by(F("item__sort_order").asc(nulls_first=True))
    )
    total = next((r for r in rows if r.item_id is None), None)
    return total, [r for r in rows if r.item_id is not None]


@dataclass
class Problem:
    where: str
    expected: int
    found: int


def plan_problems(total: PlanRow | None, rows: list[PlanRow]) -> list[Problem]:
    """Each row's total must equal the sum of its years, and each column of the total row the sum of the items."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    problems = [Problem(str(r.item.name), r.years_sum_won, r.total_won) for r in rows if r.years_sum_won != r.total_won]
    if total is not None and not problems:  # a misprinted row already explains a total that does not add up
        for attr, label in [
            ("total_won", _("Total")),
            ("before_won", total.before_label),
            ("year1_won", str(total.year1)),
            ("year2_won", str(total.year1 + 1)),
            ("after_won", pgettext("budget", "Later")),
        ]:
            column = sum(getattr(r, attr) for r in rows)
            if column != getattr(total, attr):
                problems.append(Problem(f"{_('Total')} / {label}", column, getattr(total, attr)))
    return problems


@dataclass
class SettlementCheck:
    row: SettlementRow
    problems: list[str]
    checked: bool


def settlement_checks(p: Project) -> list[SettlementCheck]:
    """available = final + carried in ± change = executed + carried out + unexecuted, where the source is complete."""
    from django.utils.translation import gettext as _

    out = []
    for row in SettlementRow.objects.filter(project=p).order_by("year"):
        if not row.complete:
            out.append(
                SettlementCheck(row, [_("The source leaves figures out; the identities cannot be checked.")], False)
            )
            continue
        sources, available, uses = row.identity_sums()
        problems = []
        if sources != available:
            problems.append(
                _("Final + carried in ± change is %(a)s, not the available %(b)s.")
                % {"a": f"{sources:,}", "b": f"{available:,}"}
            )
        if uses != available:
            problems.append(
                _("Executed + carried out + unexecuted is %(a)s, not the available %(b)s.")
                % {"a": f"{uses:,}", "b": f"{available:,}"}
            )
        out.append(SettlementCheck(row, problems, True))
    return out


# --- what an anchor delivers beside what it cost -------------------------------------------------


@dataclass
class Delivery:
    """What an anchor cost and delivered in a period; each figure comes from the one selector that computes it
    (reservations.figures, facilities.tenancy, programs). A figure is None (shown blank) only where the portal
    has nothing to count: no bookable space or machine, no start-up space, an anchor not yet operating. Where it
    could count and found nothing, it is 0."""

    first: date
    last: date
    operating: bool
    budgeted: int  # the budget lines of the year the period falls in
    spent: int  # execution records dated in the period
    usage: Usage
    occupancy_figures: OccupancyFigures
    programme_figures: ProgrammeFigures

    @property
    def takes_bookings(self) -> bool:
        return self.usage.resources > 0

    @property
    def booked_hours(self) -> Decimal | None:
        return self.usage.booked_hours if self.takes_bookings else None

    @property
    def open_hours(self) -> Decimal | None:
        return self.usage.capacity_hours if self.takes_bookings else None

    @property
    def utilisation(self) -> Decimal | None:
        return self.usage.utilisation if self.takes_bookings else None

    @property
    def fee_revenue(self) -> int | None:
        return self.usage.fee_revenue_won if self.takes_bookings else None

    @property
    def programmes(self) -> int | None:
        return self.programme_figures.programmes if self.operating else None

    @property
    def participants(self) -> int | None:
        return self.programme_figures.participants if self.operating else None

    @property
    def tenants(self) -> int | None:
        return self.occupancy_figures.tenants if self.occupancy_figures.startup_spaces else None

    @property
    def occupancy(self) -> Decimal | None:
        return self.occupancy_figures.occupancy if self.occupancy_figures.startup_spaces else None

    @property
    def cost_per_booked_hour(self) -> int | None:
        return int(Decimal(self.spent) / self.booked_hours) if self.booked_hours and self.spent else None

    @property
    def cost_per_participant(self) -> int | None:
        return self.spent // self.participants if self.participants and self.spent else None


def period(year: int, month: int | None = None) -> tuple[date, date]:
    """A year, or one month of it: (first day, last day)."""
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, month, 1)
    return first, (first + relativedelta(months=1)) - timedelta(days=1)


def delivery_by_anchor(*, anchors: list[Anchor], first: date, last: date) -> dict[int, Delivery]:
    """Budget and delivery of several anchors in one period, in a fixed number of queries whatever the data."""
    from facilities.tenancy import occupancy_by_anchor
    from programs.selectors import programme_figures_by_anchor
    from reservations.figures import period_bounds, usage_by_anchor

    ids = [a.pk for a in anchors]
    operating = {a.pk for a in anchors if a.is_operating}
    budgeted = dict(
        BudgetLine.objects.filter(anchor_id__in=ids, year=first.year)
        .values("anchor_id")
        .annotate(s=Sum("amount_won"))
        .values_list("anchor_id", "s")
    )
    spent = dict(
        ExecutionRecord.objects.filter(line__anchor_id__in=ids, date__gte=first, date__lte=last)
        .values("line__anchor_id")
        .annotate(s=Sum("amount_won"))
        .values_list("line__anchor_id", "s")
    )
    usage = usage_by_anchor(anchor_ids=ids, first=first, last=last)
    occupancy = occupancy_by_anchor(anchor_ids=ids, first=first, last=last)
    start, end = period_bounds(first, last)
    programmes = programme_figures_by_anchor(anchor_ids=ids, start=start, end=end)
    return {
        a: Delivery(
            first=first,
            last=last,
            operating=a in operating,
            budgeted=budgeted.get(a) or 0,
            spent=spent.get(a) or 0,
            usage=usage[a],
            occupancy_figures=occupancy[a],
            programme_figures=programmes[a],
        )
        for a in ids
    }


def anchor_delivery(*, anchor: Anchor, year: int, month: int | None = None) -> Delivery:
    first, last = period(year, month)
    return delivery_by_anchor(anchors=[anchor], first=first, last=last)[anchor.pk]
