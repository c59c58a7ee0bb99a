"""Reads of the budget book: every figure is aggregated in the database, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anchors.models import Anchor
from billing.selectors import Revenue, revenue_by_anchor
from common.money import to_unit
from facilities.models import OpeningHours, RateTableVersion
from programs.models import Programme, Session
from programs.selectors import programme_figures_by_anchor
from reservations.figures import period_bounds, usage_by_anchor
from reservations.models import Reservation
from tenants.models import Lease
from tenants.selectors import occupancy_by_anchor

from .models import (
    BudgetChange,
    BudgetLine,
    ExecutionRecord,
    ExpenseItem,
    LineShare,
    PlannedExecution,
    PlanRow,
    Project,
    SettlementRow,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from programs.selectors import ProgrammeFigures
    from reservations.figures import Usage
    from tenants.selectors import OccupancyFigures

PROJECT_CODE = "smart-anchor-operation"


def project() -> Project:
    return Project.objects.get(code=PROJECT_CODE)


def budget_years(p: Project) -> list[int]:
    return sorted(set(p.lines.values_list("year", flat=True)))


def pct_change(prior: int | None, current: int | None) -> int | None:
    """(B - A) * 100 / A, rounded half away from zero, as the book prints it. An item new this year (A = 0) is
    printed as 100, and a share that is nil in both years as "-" (0 here); no A at all gives no figure."""
    if prior is None or current is None:
        return None
    if prior == 0:
        return 0 if current == 0 else 100
    return int((Decimal(current - prior) * 100 / Decimal(prior)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class SummaryRow:
    """A row of the summary (예산 총괄). `prior` and `prior_national` are None when the portal holds no budget of
    the year before: then the book's comparison cannot be made, and the cells stay blank."""

    item: ExpenseItem | None
    prior: int | None
    prior_national: int | None
    current: int
    current_national: int

    @property
    def change(self) -> int | None:
        return None if self.prior is None else self.current - self.prior

    @property
    def change_national(self) -> int | None:
        return None if self.prior_national is None else self.current_national - self.prior_national

    @property
    def pct(self) -> int | None:
        return pct_change(self.prior, self.current)

    @property
    def pct_national(self) -> int | None:
        return pct_change(self.prior_national, self.current_national)


def year_summary(p: Project, year: int) -> tuple[SummaryRow, list[SummaryRow]]:
    """예산 총괄: items × prior year and this year, with the national share (2 queries).

    When the portal holds lines of the year before, an item absent from it is 0 there, as the book prints a new
    item; when it holds none, every prior cell is None (blank), never 0."""
    sums = (
        BudgetLine.objects.filter(project=p, year__in=[year - 1, year])
        .values("item_id", "year")
        .annotate(amount=Sum("amount_won"), national=Sum("national_won"))
    )
    by = {(r["item_id"], r["year"]): r for r in sums}
    has_prior = any(y == year - 1 for _i, y in by)
    items = [i for i in ExpenseItem.objects.order_by("sort_order") if (i.pk, year) in by or (i.pk, year - 1) in by]
    rows = []
    for i in items:
        a, b = by.get((i.pk, year - 1), {}), by.get((i.pk, year), {})
        prior = (a.get("amount") or 0) if has_prior else None
        prior_national = (a.get("national") or 0) if has_prior else None
        rows.append(SummaryRow(i, prior, prior_national, b.get("amount") or 0, b.get("national") or 0))
    total = SummaryRow(
        None,
        sum(r.prior or 0 for r in rows) if has_prior else None,  # each row's prior is a number when has_prior
        sum(r.prior_national or 0 for r in rows) if has_prior else None,
        sum(r.current for r in rows),
        sum(r.current_national for r in rows),
    )
    return total, rows


def prior_year_settlement(p: Project, year: int) -> SettlementRow | None:
    """What the sources say of the year before when the portal holds no budget lines for it: its settlement."""
    return SettlementRow.objects.filter(project=p, year=year - 1).first()


@dataclass
class ExecutionRow:
    label: str
    available: int
    executed: int
    item: ExpenseItem | None = None
    line: BudgetLine | None = None
    lines: list[ExecutionRow] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.available - self.executed

    @property
    def rate(self) -> Decimal | None:
        if not self.available:
            return None
        return (Decimal(self.executed) * 100 / Decimal(self.available)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class LineFigures(TypedDict):
    """What `lines_with_execution` adds to each budget line."""

    executed: int
    record_count: int
    available: int
    allocated: int


def lines_with_execution(
    p: Project, year: int, *, until: date | None = None, item: ExpenseItem | None = None
) -> list[WithAnnotations[BudgetLine, LineFigures]]:
    """Budget lines with available (amount + changes), executed-to-date and their shares (3 queries)."""
    record_filter = Q(records__date__lte=until) if until else Q()
    qs = BudgetLine.objects.filter(project=p, year=year)
    if item is not None:
        qs = qs.filter(item=item)
    changes = {
        r["line_id"]: r["total"]
        for r in BudgetChange.objects.filter(line__in=qs).values("line_id").annotate(total=Sum("amount_won"))
    }
    # Typed with the figures set below, as well as the two the query annotates.
    lines = cast(
        "list[WithAnnotations[BudgetLine, LineFigures]]",
        list(
            qs.select_related("item")
            .prefetch_related(Prefetch("shares", queryset=LineShare.objects.select_related("anchor")))
            .annotate(
                executed=Coalesce(Sum("records__amount_won", filter=record_filter), 0),
                record_count=Count("records", filter=record_filter),
            )
            .order_by("item__sort_order", "sort_order", "pk")
        ),
    )
    for line in lines:
        line.available = line.amount_won + (changes.get(line.pk) or 0)
        line.allocated = sum(s.amount_won for s in line.shares.all())
    return lines


@dataclass
class AnchorLine:
    """A budget line as one anchor sees it: its share of the line and the payments recorded for it."""

    line: BudgetLine
    share: LineShare
    executed: int


def anchor_lines(*, anchor: Anchor, year: int) -> list[AnchorLine]:
    """The lines of a year that fund an anchor, each with the anchor's share and its payments (2 queries)."""
    shares = list(
        LineShare.objects.filter(anchor=anchor, line__year=year)
        .select_related("line__item")
        .order_by("line__item__sort_order", "line__sort_order")
    )
    executed = dict(
        ExecutionRecord.objects.filter(anchor=anchor, line_id__in=[s.line_id for s in shares])
        .values("line_id")
        .annotate(s=Sum("amount_won"))
        .values_list("line_id", "s")
    )
    return [AnchorLine(s.line, s, executed.get(s.line_id) or 0) for s in shares]


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


def monthly_curve(p: Project, year: int) -> list[dict[str, int | None]]:
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
    return list(line.records.select_related("anchor__district").order_by("date", "pk"))


def plan_rows(p: Project) -> tuple[PlanRow | None, list[PlanRow]]:
    """The plan's rows in the book's order (its own, not the summary's); the total row apart."""
    rows = list(PlanRow.objects.filter(project=p).select_related("item").order_by("sort_order", "pk"))
    total = next((r for r in rows if r.item_id is None), None)
    return total, [r for r in rows if r.item_id is not None]


@dataclass
class Problem:
    where: str
    expected: int | None
    found: int | None


def _item(row: PlanRow) -> ExpenseItem:
    """The item of a plan row: `plan_rows` keeps the total row, which has none, apart."""
    assert row.item is not None
    return row.item


def plan_problems(total: PlanRow | None, rows: list[PlanRow]) -> list[Problem]:
    """Each row's total must equal the sum of its years, and each column of the total row the sum of the items
    (a blank cell adds nothing)."""

    problems = [
        Problem(str(_item(r).name), r.years_sum_won, r.total_won) for r in rows if r.years_sum_won != r.total_won
    ]
    if total is not None and not problems:  # a misprinted row already explains a total that does not add up
        for attr, label in zip(PlanRow.FIGURES, plan_headers(total)[1:], strict=True):
            column = sum(getattr(r, attr) or 0 for r in rows)
            if column != (getattr(total, attr) or 0):
                problems.append(Problem(_("Total") + f" / {label}", column, getattr(total, attr)))
    return problems


def plan_headers(first: PlanRow | None) -> list[str]:
    """The plan's column headings as the book prints them: 계, 기투자 (~2019), 2020, 2021, 2022 이후."""

    if first is None:
        return [pgettext("budget", "Category"), pgettext("budget", "Total")]
    return [
        pgettext("budget", "Category"),
        pgettext("budget", "Total"),
        _("Invested before (%(label)s)") % {"label": first.before_label},
        str(first.year1),
        str(first.year1 + 1),
        _("%(year)s and after") % {"year": first.year1 + 2},
    ]


def _to_million(won: int | None) -> int | None:

    return to_unit(won, "million")


def plan_against_budget(p: Project, total: PlanRow | None, rows: list[PlanRow]) -> list[Problem]:
    """The plan's year columns against the budget lines of those years, in the plan's unit (million won,
    rounded): where the two parts of the book disagree, e.g. the plan's 227 of facilities cost in 2020 against
    the summary's 0. Only years the portal holds lines for are compared."""

    first = total or (rows[0] if rows else None)
    if first is None:
        return []
    columns = {first.year1: "year1_won", first.year1 + 1: "year2_won"}
    sums = {
        (r["item_id"], r["year"]): r["amount"]
        for r in BudgetLine.objects.filter(project=p, year__in=list(columns))
        .values("item_id", "year")
        .annotate(amount=Sum("amount_won"))
    }
    years = sorted({y for _i, y in sums})
    planned_items = {r.item_id for r in rows}
    extra_items = {i for i, _y in sums if i not in planned_items}
    problems = []
    for year in years:
        attr = columns[year]
        for r in rows:
            budget = sums.get((r.item_id, year), 0)
            if (_to_million(getattr(r, attr)) or 0) != _to_million(budget):
                problems.append(
                    Problem(f"{year} · {_item(r).name}", _to_million(budget), _to_million(getattr(r, attr)))
                )
        for item in ExpenseItem.objects.filter(pk__in=extra_items):
            budget = sums.get((item.pk, year), 0)
            if budget:
                problems.append(Problem(f"{year} · {item.name}", _to_million(budget), None))
        if total is not None:
            budget = sum(v for (_i, y), v in sums.items() if y == year)
            if (_to_million(getattr(total, attr)) or 0) != _to_million(budget):
                problems.append(
                    Problem(
                        f"{year} · " + pgettext("budget", "Total"),
                        _to_million(budget),
                        _to_million(getattr(total, attr)),
                    )
                )
    return problems


@dataclass
class SettlementCheck:
    row: SettlementRow
    problems: list[str]
    checked: bool


def settlement_checks(p: Project) -> list[SettlementCheck]:
    """available = final + carried in ± change = executed + carried out + unexecuted, where the source is complete."""

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
class CostBasis:
    """What an anchor's unit costs rest on: its shares of the running (non-capital) budget lines of one year.

    That is the period's own budget year when the portal holds one, otherwise the latest earlier year (the
    page says which). `is_example` when any share used is an example allocation."""

    years: tuple[int, ...]  # one year for an anchor; the city's sum may rest on several
    annual_won: int
    is_example: bool

    @property
    def label(self) -> str:
        return ", ".join(str(y) for y in self.years)


@dataclass
class Delivery:
    """What an anchor cost and delivered in a period; each figure comes from the one selector that computes it
    (reservations.figures, facilities.tenancy, programs). A figure is None (shown blank) only where the portal
    has nothing to count: no bookable space or machine, no start-up space, an anchor not yet operating. Where it
    could count and found nothing, it is 0."""

    first: date
    last: date
    operating: bool
    budgeted: int  # the anchor's shares of the budget lines of the year the period falls in
    budgeted_is_example: bool
    spent: int  # payments recorded for the anchor, dated in the period
    cost_basis: CostBasis | None
    usage: Usage
    occupancy_figures: OccupancyFigures
    programme_figures: ProgrammeFigures
    # Which delivery figures rest on example data (hours, prices, tenants, programmes the sources do not give).
    examples: frozenset[str] = frozenset()
    # The first day the portal holds a record of the anchor's operations (a booking, a session, a lease): before
    # it, the portal has nothing to count and the delivery figures are blank, not 0.
    recorded_from: date | None = None
    has_budget: bool = True  # some budget line of the period's year funds the anchor (else "budgeted" is blank)
    # The billing ledger's fee revenue of the period (billing.selectors.revenue_by_anchor): the fees and charges
    # its payers were charged, which equal the bookings' own figures (reservations.figures; a test holds them so).
    ledger: Revenue | None = None

    @property
    def has_records(self) -> bool:
        return self.recorded_from is not None and self.recorded_from <= self.last

    @property
    def utilisation_is_example(self) -> bool:
        return "hours" in self.examples

    @property
    def fee_revenue_is_example(self) -> bool:
        return "fees" in self.examples

    @property
    def occupancy_is_example(self) -> bool:
        return "tenants" in self.examples

    @property
    def programmes_are_example(self) -> bool:
        return "programmes" in self.examples

    @property
    def takes_bookings(self) -> bool:
        return self.usage.resources > 0 and self.has_records

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
        """Fee revenue as the billing ledger holds it: what was charged for the bookings that start in the period,
        net of credit notes, VAT included as the rate tables charge it (docs/billing.md)."""
        if not self.takes_bookings:
            return None
        return self.ledger.charged_won if self.ledger is not None else 0

    @property
    def fee_received(self) -> int | None:
        """Money received at the anchor in the period, less refunds (every kind: fees, deposits, rents)."""
        if not self.has_records or self.ledger is None:
            return None
        return self.ledger.received_won

    @property
    def programmes(self) -> int | None:
        return self.programme_figures.programmes if self.operating and self.has_records else None

    @property
    def participants(self) -> int | None:
        return self.programme_figures.participants if self.operating and self.has_records else None

    @property
    def tenants(self) -> int | None:
        return self.occupancy_figures.tenants if self.occupancy_figures.startup_spaces and self.has_records else None

    @property
    def occupancy(self) -> Decimal | None:
        return self.occupancy_figures.occupancy if self.occupancy_figures.startup_spaces and self.has_records else None

    @property
    def period_days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def running_cost(self) -> int | None:
        """The cost basis's annual running budget pro-rated to the days of the period (won, rounded half up)."""
        if self.cost_basis is None:
            return None
        year_days = (date(self.first.year, 12, 31) - date(self.first.year, 1, 1)).days + 1
        q, r = divmod(self.cost_basis.annual_won * self.period_days, year_days)
        return q + (1 if r * 2 >= year_days else 0)

    @property
    def cost_per_booked_hour(self) -> int | None:
        if not self.booked_hours or not self.running_cost:
            return None
        return int((Decimal(self.running_cost) / self.booked_hours).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def cost_per_participant(self) -> int | None:
        if not self.participants or not self.running_cost:
            return None
        return int((Decimal(self.running_cost) / self.participants).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def unit_costs_are_example(self) -> bool:
        return self.cost_basis is not None and self.cost_basis.is_example


def cost_bases(*, anchor_ids: list[int], year: int) -> dict[int, CostBasis]:
    """Per anchor, its running budget of `year`, or of the latest earlier year that funds it (1 query)."""
    rows = (
        LineShare.objects.filter(anchor_id__in=anchor_ids, line__year__lte=year, line__item__is_capital=False)
        .values("anchor_id", "line__year")
        .annotate(total=Sum("amount_won"), examples=Count("pk", filter=Q(is_example=True)))
    )
    out: dict[int, CostBasis] = {}
    for r in rows:
        current = out.get(r["anchor_id"])
        if current is None or r["line__year"] > current.years[0]:
            out[r["anchor_id"]] = CostBasis((r["line__year"],), r["total"], r["examples"] > 0)
    return out


def example_figures(*, anchor_ids: list[int], first: date, last: date) -> dict[int, frozenset[str]]:
    """Per anchor, which delivery figures of the period rest on example data (4 queries): utilisation on example
    opening hours, fee revenue on example prices, occupancy on example tenants, programmes on example ones."""

    found: dict[int, set[str]] = {}

    def add(ids: Iterable[int], what: str) -> None:
        for i in ids:
            found.setdefault(i, set()).add(what)

    add(
        OpeningHours.objects.filter(anchor_id__in=anchor_ids, is_example=True).values_list("anchor_id", flat=True),
        "hours",
    )
    add(
        RateTableVersion.objects.filter(
            table__anchor_id__in=anchor_ids, is_example=True, is_draft=False, effective_from__lte=last
        ).values_list("table__anchor_id", flat=True),
        "fees",
    )
    add(
        Lease.objects.filter(
            space__anchor_id__in=anchor_ids, is_example=True, starts_on__lte=last, ends_on__gte=first
        ).values_list("space__anchor_id", flat=True),
        "tenants",
    )
    add(
        Programme.objects.filter(
            anchor_id__in=anchor_ids,
            is_example=True,
            sessions__starts_at__date__gte=first,
            sessions__starts_at__date__lte=last,
        ).values_list("anchor_id", flat=True),
        "programmes",
    )
    return {a: frozenset(v) for a, v in found.items()}


def period(year: int, month: int | None = None) -> tuple[date, date]:
    """A year, or one month of it: (first day, last day)."""
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, month, 1)
    return first, (first + relativedelta(months=1)) - timedelta(days=1)


def delivery_by_anchor(*, anchors: list[Anchor], first: date, last: date) -> dict[int, Delivery]:
    """Budget and delivery of several anchors in one period, in a fixed number of queries whatever the data."""

    ids = [a.pk for a in anchors]
    operating = {a.pk for a in anchors if a.is_operating}
    budgeted: dict[int, int] = {}
    budget_examples: set[int] = set()
    for r in (
        LineShare.objects.filter(anchor_id__in=ids, line__year=first.year)
        .values("anchor_id")
        .annotate(s=Sum("amount_won"), examples=Count("pk", filter=Q(is_example=True)))
    ):
        budgeted[r["anchor_id"]] = r["s"]
        if r["examples"]:
            budget_examples.add(r["anchor_id"])
    spent = dict(
        ExecutionRecord.objects.filter(anchor_id__in=ids, date__gte=first, date__lte=last)
        .values("anchor_id")
        .annotate(s=Sum("amount_won"))
        .values_list("anchor_id", "s")
    )
    bases = cost_bases(anchor_ids=ids, year=first.year)
    examples = example_figures(anchor_ids=ids, first=first, last=last)
    usage = usage_by_anchor(anchor_ids=ids, first=first, last=last)
    occupancy = occupancy_by_anchor(anchor_ids=ids, first=first, last=last)
    start, end = period_bounds(first, last)
    programmes = programme_figures_by_anchor(anchor_ids=ids, start=start, end=end)
    since = records_from(anchor_ids=ids)
    ledger = revenue_by_anchor(anchor_ids=ids, first=first, last=last)
    return {
        a: Delivery(
            first=first,
            last=last,
            operating=a in operating,
            budgeted=budgeted.get(a) or 0,
            budgeted_is_example=a in budget_examples,
            spent=spent.get(a) or 0,
            cost_basis=bases.get(a),
            examples=examples.get(a, frozenset()),
            usage=usage[a],
            occupancy_figures=occupancy[a],
            programme_figures=programmes[a],
            recorded_from=since.get(a),
            has_budget=a in budgeted,
            ledger=ledger[a],
        )
        for a in ids
    }


def records_from(*, anchor_ids: list[int]) -> dict[int, date]:
    """Per anchor, the first day the portal holds a record of its operations: its earliest booking, programme
    session or lease (3 queries). An anchor with none has no entry."""
    found: dict[int, date] = {}
    sources: list[tuple[QuerySet[Any], str, str]] = [
        (Reservation.objects.all(), "anchor_id", "start_at"),
        (Session.objects.all(), "programme__anchor_id", "starts_at"),
        (Lease.objects.all(), "space__anchor_id", "starts_on"),
    ]
    for qs, anchor_field, when_field in sources:
        earliest = (
            qs.filter(**{f"{anchor_field}__in": anchor_ids})
            .values(anchor_field)
            .annotate(first=Min(when_field))
            .values_list(anchor_field, "first")
        )
        for anchor_id, first in earliest:
            day = timezone.localdate(first) if isinstance(first, datetime) else first  # a lease starts on a date
            if day is not None and (anchor_id not in found or day < found[anchor_id]):
                found[anchor_id] = day
    return found


def anchor_delivery(*, anchor: Anchor, year: int, month: int | None = None) -> Delivery:
    first, last = period(year, month)
    return delivery_by_anchor(anchors=[anchor], first=first, last=last)[anchor.pk]
