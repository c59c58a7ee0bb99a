from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor, AnchorStatus, Milestone
from anchors.policy import may
from anchors.seed_data import SEED_002
from common.files import private_file_response
from common.money import to_unit, unit_label
from common.numbers import one_decimal
from common.time import year_in_range

from . import history, selectors
from . import reports as report_service
from .models import (
    IN_PROGRESS,
    BudgetLine,
    ExecutionRecord,
    ExpenseItem,
    MonthlyReport,
    PlannedExecution,
    PlanRow,
    Project,
    SettlementRow,
    TextSection,
)
from .tables import Figure, Table, csv_response, xlsx_response


class ExportMixin:
    """Pages build `tables`; ?export=xlsx|csv returns the same tables as a file."""

    export_name = "budget"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "csv"):
            tables = context["tables"]
            return (xlsx_response if fmt == "xlsx" else csv_response)(
                tables, context.get("export_name", self.export_name)
            )
        return self.render_to_response(context)


class ProjectMixin:
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            ctx["project"] = self.project = selectors.project()
        except Project.DoesNotExist as err:  # a database without the budget book loaded yet
            raise Http404(_("The budget book has not been loaded yet.")) from err
        ctx["years"] = selectors.budget_years(self.project)
        year = self.kwargs.get("year")
        ctx["nav_year"] = year if year in ctx["years"] else (ctx["years"][-1] if ctx["years"] else None)
        return ctx


def _year_or_404(years: list[int], year: int) -> int:
    if year not in years:
        raise Http404(_("There is no budget for that year."))
    return year


class BudgetIndexView(View):
    def get(self, request):
        project = Project.objects.filter(code=selectors.PROJECT_CODE).first()
        years = selectors.budget_years(project) if project else []
        return redirect("budgets:summary", year=years[-1]) if years else redirect("home")


def _figure(value: int | None, national: int | None, unit: str) -> Figure:
    return Figure(to_unit(value, unit), to_unit(national, unit))


def _won_text(won: int) -> str:
    return f"{won:,}"


def summary_tables(project: Project, year: int) -> list[Table]:
    """The year's page of the budget book: summary (예산 총괄), calculation basis (산출근거) and schedule
    (추진일정), as the page shows them and the export writes them."""
    total, rows = selectors.year_summary(project, year)
    unit = "thousand"

    def cells(r: selectors.SummaryRow, label: str) -> list:
        return [
            label,
            _figure(r.prior, r.prior_national, unit),
            _figure(r.current, r.current_national, unit),
            _figure(r.change, r.change_national, unit),
            Figure(r.pct, r.pct_national),
        ]

    notes, warnings = [], []
    if total.prior is None:
        settled = selectors.prior_year_settlement(project, year)
        note = _("The budget book gives no %(prior)s budget by item, so column A and the change are blank.") % {
            "prior": year - 1
        }
        if settled is not None and settled.final_won is not None:
            note += " " + _(
                "Its settlement gives the %(prior)s final budget: %(final)s thousand won (national %(national)s); "
                "the multi-year plan gives the investment up to %(prior)s by item."
            ) % {
                "prior": year - 1,
                "final": _won_text(to_unit(settled.final_won, unit)),
                "national": _won_text(to_unit(settled.final_national_won or 0, unit)),
            }
        notes.append(note)
    plan_total, plan_rows = selectors.plan_rows(project)
    for p in selectors.plan_against_budget(project, plan_total, plan_rows):
        if p.where.startswith(f"{year} "):
            warnings.append(_plan_budget_text(p))
    notes.append(
        _(
            "(x …) is the national share; △ is a decrease. The change in per cent is (B−A)×100/A, rounded; 100 for an item new this year, as the book prints it."
        )
    )
    summary = Table(
        title=_("Budget summary %(year)s") % {"year": year},
        unit=f"{unit_label(unit)}, %",
        headers=[
            pgettext("budget", "Category"),
            _("%(y)s budget (A)") % {"y": year - 1},
            _("%(y)s budget (B)") % {"y": year},
            _("Change (B−A)"),
            _("(B−A)×100/A"),
        ],
        rows=[cells(total, pgettext("budget", "Total")), *[cells(r, r.item.name) for r in rows]],
        links=[None, *[f"/budgets/{year}/items/{r.item.code}/" for r in rows]],
        emphasis={0},
        notes=notes,
        warnings=warnings,
    )
    lines = selectors.lines_with_execution(project, year)
    basis_rows, basis_links, previous_item = [], [], None
    example = _("example allocation")  # outside the f-string, where makemessages finds it
    for line in lines:
        shares = " · ".join(
            f"{s.anchor.name} {_won_text(to_unit(s.amount_won, unit))}" + (f" ({example})" if s.is_example else "")
            for s in line.shares.all()
        )
        basis_rows.append(
            [
                line.item.name if line.item_id != previous_item else "",
                f"{line.basis} {_won_text(line.amount_won)}" if line.basis else "",
                to_unit(line.amount_won, unit),
                shares,
            ]
        )
        basis_links.append(line.get_absolute_url())
        previous_item = line.item_id
    basis = Table(
        title=_("Calculation basis %(year)s") % {"year": year},
        unit=unit_label(unit),
        headers=[
            _("Budget item"),
            _("%(year)s budget details (won)") % {"year": year},
            pgettext("budget", "Amount"),
            _("Anchors funded (portal)"),
        ],
        rows=basis_rows,
        links=basis_links,
        notes=[
            _(
                "The anchors funded are the portal's reading of each line: its shares, with their basis on the line's page."
            )
        ]
        if any(line.basis_ko for line in lines)
        else [_("The budget book gives no calculation basis for this year.")],
    )
    tables = [summary, basis]
    schedule = list(project.schedule.filter(year=year))
    if schedule:
        total_schedule = sum(e.amount_won for e in schedule)
        schedule_warnings = []
        if total_schedule != total.current:
            schedule_warnings.append(
                _("The schedule adds up to %(schedule)s, the budget to %(budget)s (thousand won).")
                % {
                    "schedule": _won_text(to_unit(total_schedule, unit)),
                    "budget": _won_text(to_unit(total.current, unit)),
                }
            )
        tables.append(
            Table(
                title=_("Execution schedule %(year)s") % {"year": year},
                unit=unit_label(unit),
                headers=[
                    pgettext("budget", "Activity"),
                    pgettext("budget", "Period"),
                    _("Budget to execute"),
                    pgettext("budget", "Details"),
                ],
                rows=[
                    [pgettext("budget", "Total"), "", to_unit(total_schedule, unit), ""],
                    *[[e.activity, e.period, to_unit(e.amount_won, unit), e.detail] for e in schedule],
                ],
                emphasis={0},
                warnings=schedule_warnings,
            )
        )
    return tables


def _plan_budget_text(p: selectors.Problem) -> str:
    if p.found is None:
        return _("%(where)s: the budget gives %(budget)s, the multi-year plan has no row for it (million won).") % {
            "where": p.where,
            "budget": _won_text(p.expected or 0),
        }
    return _(
        "%(where)s: the multi-year plan prints %(plan)s, the budget summary gives %(budget)s (million won, rounded). "
        "The two parts of the book disagree; both are shown as printed."
    ) % {"where": p.where, "plan": _won_text(p.found), "budget": _won_text(p.expected or 0)}


class SummaryView(ExportMixin, ProjectMixin, TemplateView):
    """예산 총괄, 산출근거 and 추진일정 of a year, as the budget book prints them."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "budgets/summary.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year_or_404(ctx["years"], self.kwargs["year"])
        ctx.update(year=year, tables=summary_tables(self.project, year), export_name=f"budget-summary-{year}")
        return ctx


def project_tables(project: Project) -> list[Table]:
    """The book's description of the project: outline, cost, contacts, texts, site plans and history."""

    texts = list(project.texts.all())
    by_section: dict[str, list] = {}
    for t in texts:
        by_section.setdefault(t.section, []).append(t)

    def text_rows(section: str, default_label: str) -> list[list]:
        return [[t.label or default_label, t.body] for t in by_section.get(section, [])]

    def text_notes(sections: tuple[str, ...]) -> list[str]:
        return [f"{t.label}: {t.source_note}" for s in sections for t in by_section.get(s, []) if t.source_note]

    outline = Table(
        title=_("Project outline"),
        unit=_("text"),
        headers=[_("Heading"), _("As printed")],
        rows=[
            [_("Account"), project.account],
            [_("Project period"), project.recurrence],
            *text_rows(TextSection.OVERVIEW, _("Project content")),
            *text_rows(TextSection.LOCATION, _("Project location")),
            [_("Legal basis"), project.legal_basis],
            *text_rows(TextSection.PURPOSE, pgettext("budget", "Purpose")),
        ],
        notes=text_notes((TextSection.OVERVIEW, TextSection.LOCATION)),
        text=True,
    )
    unit = "thousand"
    cost = Table(
        title=_("Project cost"),
        unit=unit_label(unit),
        headers=[
            pgettext("budget", "Category"),
            pgettext("budget", "Total"),
            _("National"),
            _("City"),
            pgettext("budget", "District"),
            _("Other (outside the budget)"),
        ],
        rows=[
            [
                _("Total project cost"),
                to_unit(project.total_cost_won, unit),
                to_unit(project.total_national_won, unit),
                to_unit(project.total_city_won, unit),
                to_unit(project.total_district_won, unit),
                to_unit(project.total_other_won, unit),
            ],
        ]
        + (
            [
                [
                    _("Project cost %(year)s") % {"year": project.year_cost_year},
                    to_unit(project.year_cost_won, unit),
                    to_unit(project.year_national_won, unit),
                    to_unit(project.year_city_won, unit),
                    to_unit(project.year_district_won, unit),
                    to_unit(project.year_other_won, unit),
                ]
            ]
            if project.year_cost_year
            else []
        ),
        notes=[_("A blank cell is blank in the book.")],
    )
    contacts = Table(
        title=_("People in charge: %(department)s") % {"department": project.owner_department},
        unit=_("text"),
        headers=[_("Role"), _("Name"), _("Phone")],
        rows=[[c.role, c.name, c.phone] for c in project.contacts.all()],
        notes=[project.department_note] if project.department_note else [],
        text=True,
    )
    description = Table(
        title=_("What the project does"),
        unit=_("text"),
        headers=[_("Heading"), _("As printed")],
        rows=[
            *text_rows(TextSection.DESCRIPTION, _("What the project does")),
            *text_rows(TextSection.ACHIEVEMENTS, _("Achievements of the last three years")),
            *text_rows(TextSection.EFFECTS, _("Expected effects")),
        ],
        text=True,
    )
    sites = list(Anchor.objects.filter(cost_won__isnull=False).order_by("sort_order"))
    site_table = Table(
        title=_("Sites of the project"),
        unit=unit_label("million"),
        headers=[_("Anchor"), _("Location"), _("Size (m²)"), _("Floors"), _("Cost")],
        rows=[
            [
                a.name,
                a.lot_address,
                _area_text(a),
                _floors_text(a),
                to_unit(a.cost_won, "million"),
            ]
            for a in sites
        ],
        links=[a.get_absolute_url() for a in sites],
        notes=[_("From each anchor's record, which holds the book's figures; a blank is not given in the sources.")],
    )
    history = Table(
        title=_("How the project came about"),
        unit=_("text"),
        headers=[_("When"), _("Anchor"), _("What")],
        rows=[
            [
                f"{m.date:%Y-%m}" if m.precision == "month" else f"{m.date:%Y-%m-%d}",
                m.anchor.name if m.anchor_id else _("All anchors"),
                m.title,
            ]
            for m in Milestone.objects.filter(source=SEED_002).select_related("anchor").order_by("date", "pk")
        ],
        text=True,
    )
    return [outline, cost, contacts, description, site_table, history]


def _area_text(anchor: Anchor) -> str:

    if anchor.floor_area_m2:
        return number_format(anchor.floor_area_m2.normalize(), force_grouping=True)
    if anchor.site_area_m2:
        return _("site %(area)s") % {"area": number_format(anchor.site_area_m2.normalize(), force_grouping=True)}
    return ""


def _floors_text(anchor: Anchor) -> str:
    if anchor.floors_above is None and anchor.floors_below is None:
        return anchor.floors_note
    return _("%(above)s above ground, %(below)s below") % {
        "above": anchor.floors_above if anchor.floors_above is not None else "–",
        "below": anchor.floors_below if anchor.floors_below is not None else "–",
    }


class ProjectView(ExportMixin, ProjectMixin, TemplateView):
    """사업개요, 사업 담당자 and 사업설명: the project as the budget book describes it."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "budgets/project.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(tables=project_tables(self.project), export_name="budget-project")
        return ctx


class ExecutionView(ExportMixin, ProjectMixin, TemplateView):
    """Execution per item and per line, with the monthly cumulative curve against the plan."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "budgets/execution.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year_or_404(ctx["years"], self.kwargs["year"])
        ctx.update(execution_page(self.project, year))
        return ctx


def execution_page(project: Project, year: int) -> dict:
    """Execution per item and per line and the monthly curve, as the page, its exports and the API show them."""
    total, items = selectors.execution_table(project, year)
    unit = "thousand"
    rows, links, emphasis = [], [], {0}
    rows.append(
        [
            _("Total"),
            "",
            to_unit(total.available, unit),
            to_unit(total.executed, unit),
            total.rate,
            to_unit(total.remaining, unit),
        ]
    )
    links.append(None)
    for it in items:
        emphasis.add(len(rows))
        rows.append(
            [
                it.item.name,
                it.item.code,
                to_unit(it.available, unit),
                to_unit(it.executed, unit),
                it.rate,
                to_unit(it.remaining, unit),
            ]
        )
        links.append(f"/budgets/{year}/items/{it.item.code}/")
        for ln in it.lines:
            rows.append(
                [
                    f"  · {ln.label}",
                    "",
                    to_unit(ln.available, unit),
                    to_unit(ln.executed, unit),
                    ln.rate,
                    to_unit(ln.remaining, unit),
                ]
            )
            links.append(ln.line.get_absolute_url())
    has_examples = ExecutionRecord.objects.filter(line__project=project, line__year=year, is_example=True).exists()
    table = Table(
        title=_("Budget execution %(year)s") % {"year": year},
        unit=f"{unit_label(unit)}, %",
        headers=[
            _("Item or line"),
            _("Portal code"),
            _("Available"),
            _("Executed to date"),
            _("Execution rate %"),
            _("Remaining"),
        ],
        rows=rows,
        links=links,
        emphasis=emphasis,
        notes=[_("The budget book names the items but prints no codes; the codes are the portal's own.")]
        + (
            [_("The budget book has no execution records; the executed figures rest on example records.")]
            if has_examples
            else []
        ),
    )
    curve = selectors.monthly_curve(project, year)
    curve_table = Table(
        title=_("Cumulative execution by month %(year)s") % {"year": year},
        unit=unit_label(unit),
        headers=[_("Month"), _("Executed (cumulative)"), _("Planned (cumulative)")],
        rows=[[c["month"], to_unit(c["executed"], unit), to_unit(c["planned"], unit)] for c in curve],
        notes=[_("The planned curve and the records behind the executed figures are example data.")]
        if has_examples or PlannedExecution.objects.filter(project=project, year=year, is_example=True).exists()
        else [],
    )
    return {
        "year": year,
        "total": total,
        "items": items,
        "tables": [table, curve_table],
        "export_name": f"budget-execution-{year}",
        "chart": _chart(curve, total.available),
        "has_example_records": has_examples,
    }


def _chart(curve: list[dict], available: int) -> dict:
    """Coordinates of an accessible inline-SVG line chart (no JavaScript needed)."""
    top = max([available] + [c["executed"] for c in curve] + [c["planned"] or 0 for c in curve]) or 1
    w, h, left, bottom = 600, 260, 50, 30

    def pt(i, v):
        return (left + i * (w - left - 10) / 11, h - bottom - v * (h - bottom - 10) / top)

    executed = " ".join(f"{x:.1f},{y:.1f}" for x, y in (pt(i, c["executed"]) for i, c in enumerate(curve)))
    planned_pts = [(i, c["planned"]) for i, c in enumerate(curve) if c["planned"] is not None]
    planned = " ".join(f"{x:.1f},{y:.1f}" for x, y in (pt(i, v) for i, v in planned_pts))
    ticks = [{"x": pt(i, 0)[0], "label": i + 1} for i in range(12)]
    levels = [{"y": pt(0, top * k / 4)[1], "label": f"{to_unit(top * k // 4, 'million'):,}"} for k in range(5)]
    return {
        "w": w,
        "h": h,
        "executed": executed,
        "planned": planned,
        "ticks": ticks,
        "levels": levels,
        "base_y": h - bottom,
        "left": left,
    }


class ItemView(ProjectMixin, TemplateView):
    """Drill-down: an expense item's lines in a year, each with its available and executed amounts."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "budgets/item.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year_or_404(ctx["years"], self.kwargs["year"])
        item = get_object_or_404(ExpenseItem, code=self.kwargs["code"])
        lines = selectors.lines_with_execution(self.project, year, item=item)
        ctx.update(year=year, item=item, lines=lines)
        return ctx


class LineView(ProjectMixin, TemplateView):
    """A budget line with its shares; its payments (payees, evidence) only for the officers concerned and the city."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "budgets/line.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        line = get_object_or_404(BudgetLine.objects.select_related("item", "project"), pk=self.kwargs["pk"])
        lines = selectors.lines_with_execution(line.project, line.year, item=line.item)
        line = next(ln for ln in lines if ln.pk == line.pk)
        user = self.request.user
        can_see = may(user, "budgets.view_records_of", line)
        records = (
            [r for r in selectors.records_for(line=line) if may(user, "budgets.view_record", r)] if can_see else []
        )
        ctx.update(
            line=line,
            year=line.year,
            shares=line.shares.all(),
            unallocated=line.amount_won - line.allocated,
            can_see_records=can_see,
            records=records,
            changes=line.changes.all(),
        )
        return ctx


class RecordEvidenceView(PolicyRequiredMixin, View):
    policy_action = "budgets.view_record"

    def get_policy_object(self):
        self.record = get_object_or_404(
            ExecutionRecord.objects.select_related("anchor__district"), pk=self.kwargs["pk"]
        )
        return self.record

    def get(self, request, pk: int):
        if not self.record.evidence:
            raise Http404
        extension = self.record.evidence.name.rsplit(".", 1)[-1] if "." in self.record.evidence.name else "bin"
        return private_file_response(self.record.evidence, download_name=f"evidence-{self.record.pk}.{extension}")


def plan_tables(project: Project) -> list[Table]:
    """연차별 투자계획 as printed: the book's row order, blanks blank, each figure with its national share."""
    total, rows = selectors.plan_rows(project)
    unit = "million"

    def cells(r: PlanRow, label: str) -> list:
        return [label] + [
            _figure(getattr(r, f), getattr(r, f.removesuffix("_won") + "_national_won"), unit) for f in PlanRow.FIGURES
        ]

    first = total or (rows[0] if rows else None)
    warnings = [
        _("%(where)s: the parts add up to %(expected)s, the book prints %(found)s (million won).")
        % {
            "where": p.where,
            "expected": _won_text(to_unit(p.expected, unit)),
            "found": _won_text(to_unit(p.found, unit)),
        }
        for p in selectors.plan_problems(total, rows)
    ]
    warnings += [_plan_budget_text(p) for p in selectors.plan_against_budget(project, total, rows)]
    return [
        Table(
            title=_("Multi-year investment plan"),
            unit=unit_label(unit),
            headers=selectors.plan_headers(first),
            rows=([cells(total, pgettext("budget", "Total"))] if total else []) + [cells(r, r.item.name) for r in rows],
            emphasis={0} if total else set(),
            notes=[f"{r.item.name}: {r.source_note}" for r in rows if r.source_note]
            + [_("(x …) is the national share; a blank cell is blank in the book.")],
            warnings=warnings,
        )
    ]


class PlanView(ExportMixin, ProjectMixin, TemplateView):
    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session
    template_name = "budgets/plan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(tables=plan_tables(self.project), export_name="multi-year-plan")
        return ctx


class SettlementView(ExportMixin, ProjectMixin, TemplateView):
    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session
    template_name = "budgets/settlement.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        checks = selectors.settlement_checks(self.project)
        unit = "thousand"
        table = Table(
            title=_("Settlement of the last years"),
            unit=unit_label(unit),
            headers=[
                _("Year"),
                _("Final budget"),
                _("Carried in"),
                pgettext("budget", "Change"),
                _("Available"),
                _("Executed"),
                _("Carried out"),
                _("Unexecuted"),
            ],
            rows=[
                [
                    str(c.row.year),
                    *[
                        _figure(getattr(c.row, f), getattr(c.row, SettlementRow.national_of(f)), unit)
                        for f in SettlementRow.FIGURES
                    ],
                ]
                for c in checks
            ],
            notes=[f"{c.row.year}: {c.row.source_note}" for c in checks if c.row.source_note]
            + [_("(x …) is the national share; a blank cell is blank in the book.")],
        )
        ctx.update(tables=[table], checks=checks, export_name="settlement")
        return ctx


def delivery_tables(d: selectors.Delivery, when: str, anchor: Anchor) -> list[Table]:
    """The budget-and-delivery figures of one anchor and period, as the page and its exports show them (the
    monthly report and the dashboard read the same Delivery). Two tables, so that each has one unit."""
    unit = "thousand"
    budget_rows = [
        [_("Budgeted %(year)s") % {"year": d.first.year}, to_unit(d.budgeted, unit) if d.has_budget else None],
        [_("Spent"), to_unit(d.spent, unit) if d.has_budget or d.spent else None],
        [
            _("Running cost of the period (budget %(years)s, pro rata)") % {"years": d.cost_basis.label}
            if d.cost_basis
            else _("Running cost of the period"),
            to_unit(d.running_cost, unit),
        ],
    ]
    budget_notes = []
    if d.cost_basis and d.cost_basis.years != (d.first.year,):
        budget_notes.append(
            _("The portal holds no %(year)s budget for this anchor; unit costs rest on its %(basis)s running budget.")
            % {"year": d.first.year, "basis": d.cost_basis.label}
        )
    budget = Table(
        title=_("%(anchor)s: budget %(when)s") % {"anchor": anchor.name, "when": when},
        unit=unit_label(unit),
        headers=[_("Measure"), _("Value")],
        rows=budget_rows,
        examples=({0} if d.budgeted_is_example else set()) | ({2} if d.unit_costs_are_example else set()),
        notes=budget_notes,
    )
    delivery = Table(
        title=_("%(anchor)s: delivery %(when)s") % {"anchor": anchor.name, "when": when},
        unit=_("as named in each row"),
        headers=[_("Measure"), _("Value")],
        rows=[
            [_("Booked hours"), None if d.booked_hours is None else float(one_decimal(d.booked_hours))],
            [_("Utilisation %"), None if d.utilisation is None else float(d.utilisation)],
            [_("Fee revenue (won)"), d.fee_revenue],
            [_("Occupancy of start-up spaces %"), None if d.occupancy is None else float(d.occupancy)],
            [_("Tenant companies"), d.tenants],
            [_("Programmes"), d.programmes],
            [_("Participants"), d.participants],
            [_("Cost per booked hour (won)"), d.cost_per_booked_hour],
            [_("Cost per participant (won)"), d.cost_per_participant],
            [_("Received at the anchor, less refunds (won)"), d.fee_received],
        ],
        examples=({1} if d.utilisation_is_example else set())
        | ({2, 9} if d.fee_revenue_is_example else set())
        | ({3, 4} if d.occupancy_is_example else set())
        | ({5, 6, 8} if d.programmes_are_example else set())
        | ({7, 8} if d.unit_costs_are_example else set()),
        notes=[
            _(
                "Rows marked as examples rest on example data (opening hours, prices, tenants, programmes or the split of a budget line) that the sources do not give."
            )
        ]
        if d.examples or d.unit_costs_are_example
        else [],
    )
    return [budget, delivery]


def _year_month(request, default: int) -> tuple[int, int | None]:
    raw_year, raw_month = request.GET.get("year") or "", request.GET.get("month") or ""
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) <= 4 else default
    if not year_in_range(year):
        raise Http404
    month = int(raw_month) if raw_month.isdigit() and len(raw_month) <= 2 else None
    if month is not None and not 1 <= month <= 12:
        raise Http404
    return year, month


class AnchorBudgetView(ExportMixin, ProjectMixin, TemplateView):
    """What was budgeted and spent for an anchor beside what it delivered, with unit costs, for a year or a month."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "budgets/anchor.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = get_object_or_404(Anchor.objects.select_related("district"), slug=self.kwargs["slug"])
        today = timezone.localdate()
        # The page opens on this year once the portal holds the anchor's records, else on the latest budget year.
        since = selectors.records_from(anchor_ids=[anchor.pk]).get(anchor.pk)
        default = today.year if since is not None and since.year <= today.year else None
        year, month = _year_month(self.request, default or (ctx["years"][-1] if ctx["years"] else today.year))
        d = selectors.anchor_delivery(anchor=anchor, year=year, month=month)
        lines = selectors.anchor_lines(anchor=anchor, year=year)
        when = f"{year}-{month:02d}" if month else str(year)
        ctx.update(
            anchor=anchor,
            year=year,
            month=month,
            months=range(1, 13),
            when=when,
            d=d,
            lines=lines,
            tables=delivery_tables(d, when, anchor),
            export_name=f"anchor-{anchor.slug}-{when}",
            can_manage=False,
        )
        return ctx


class HistoryView(PolicyRequiredMixin, ProjectMixin, TemplateView):
    """Every change to a budget figure: who, when, old → new."""

    page_cache = "session"  # common/pagecache.py: kept per logged-in browser session, retired by every write

    template_name = "budgets/history.html"
    policy_action = "budgets.view_history"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = history.history_page(user=self.request.user, page=history.page_number(self.request.GET.get("page")))
        ctx.update(page=page, entries=page.entries)
        return ctx


class ReportsView(PolicyRequiredMixin, TemplateView):
    """Monthly reports the user may see, to download or regenerate; the page follows a regeneration's progress."""

    page_cache = "session"  # common/pagecache.py: kept per logged-in browser session, retired by every write

    template_name = "budgets/reports.html"
    policy_action = "budgets.view_reports_page"

    def get_template_names(self):
        if self.request.htmx:
            return ["budgets/_reports_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        reports = [
            r
            for r in MonthlyReport.objects.select_related("anchor").order_by("-year", "-month", "anchor__sort_order")[
                :200
            ]
            if may(user, "budgets.view_report", r)
        ]
        today = timezone.localdate()
        last_month = today.replace(day=1) - timedelta(days=1)
        ctx.update(
            reports=reports,
            busy=any(r.status in IN_PROGRESS for r in reports),
            # Only what this user may ask for is offered.
            anchor_choices=[
                a
                for a in Anchor.objects.filter(status=AnchorStatus.OPERATING)
                .select_related("district")
                .order_by("sort_order")
                if report_service.may_request(user, a)
            ],
            city_choice=report_service.may_request(user, None),
            default_year=last_month.year,
            default_month=last_month.month,
        )
        return ctx

    def post(self, request):

        raw_year, raw_month = request.POST.get("year", ""), request.POST.get("month", "")
        anchor_slug = request.POST.get("anchor") or ""
        anchor = Anchor.objects.filter(slug=anchor_slug).first() if anchor_slug else None
        if not (raw_year.isdigit() and raw_month.isdigit() and len(raw_year) <= 4 and len(raw_month) <= 2) or (
            anchor_slug and anchor is None
        ):
            messages.error(request, _("Choose a valid month and anchor."))
            return redirect("budgets:reports")
        try:
            report_service.monthly_report_request(
                user=request.user, anchor=anchor, year=int(raw_year), month=int(raw_month), now=timezone.now()
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
            return redirect("budgets:reports")
        messages.success(request, _("The report is being prepared; this page shows its progress."))
        return redirect("budgets:reports")


class ReportFileView(PolicyRequiredMixin, View):
    policy_action = "budgets.view_report"

    def get_policy_object(self):

        self.report = get_object_or_404(MonthlyReport.objects.select_related("anchor"), pk=self.kwargs["pk"])
        return self.report

    def get(self, request, pk: int, fmt: str):
        f = {"xlsx": self.report.xlsx, "pdf": self.report.pdf}.get(fmt)
        if not f:
            raise Http404
        scope = self.report.anchor.slug if self.report.anchor_id else "seoul"
        return private_file_response(
            f, download_name=f"report-{scope}-{self.report.year}-{self.report.month:02d}.{fmt}"
        )


class FiguresView(TemplateView):
    """How each delivery figure is counted: the rules of reservations.figures, facilities.tenancy and programs."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "budgets/figures.html"
