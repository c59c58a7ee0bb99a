from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor
from anchors.policy import may
from common.files import private_file_response
from common.money import to_unit, unit_label

from . import selectors
from .models import BudgetLine, ExecutionRecord, ExpenseItem, PlanRow, Project, SettlementRow
from .tables import Table, csv_response, xlsx_response


def _national(value: int) -> str:
    return f"(x{value:,})" if value else "(x-)"


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


class SummaryView(ExportMixin, ProjectMixin, TemplateView):
    """예산 총괄: each item, prior year against this year, with the change and the national share."""

    template_name = "budgets/summary.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year_or_404(ctx["years"], self.kwargs["year"])
        total, rows = selectors.year_summary(self.project, year)
        unit = "thousand"

        def cells(r, label):
            return [
                label,
                to_unit(r.prior, unit),
                _national(to_unit(r.prior_national, unit)),
                to_unit(r.current, unit),
                _national(to_unit(r.current_national, unit)),
                to_unit(r.change, unit),
                r.pct,
            ]

        table = Table(
            title=_("Budget summary %(year)s") % {"year": year},
            unit=f"{unit_label(unit)}, %",
            headers=[
                pgettext("budget", "Item"),
                _("%(y)s budget (A)") % {"y": year - 1},
                _("national"),
                _("%(y)s budget (B)") % {"y": year},
                _("national"),
                _("Change (B−A)"),
                _("Change %"),
            ],
            rows=[cells(total, _("Total")), *[cells(r, r.item.name) for r in rows]],
            links=[None, *[f"/budgets/{year}/items/{r.item.code}/" for r in rows]],
            emphasis={0},
        )
        ctx.update(
            year=year,
            total=total,
            rows=rows,
            tables=[table],
            export_name=f"budget-summary-{year}",
            schedule=self.project.schedule.filter(year=year),
            lines=BudgetLine.objects.filter(project=self.project, year=year)
            .select_related("item", "anchor")
            .order_by("item__sort_order", "sort_order"),
        )
        return ctx


class ExecutionView(ExportMixin, ProjectMixin, TemplateView):
    """Execution per item and per line, with the monthly cumulative curve against the plan."""

    template_name = "budgets/execution.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year_or_404(ctx["years"], self.kwargs["year"])
        total, items = selectors.execution_table(self.project, year)
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
        table = Table(
            title=_("Budget execution %(year)s") % {"year": year},
            unit=f"{unit_label(unit)}, %",
            headers=[
                _("Item or line"),
                _("Code"),
                _("Available"),
                _("Executed to date"),
                _("Execution rate %"),
                _("Remaining"),
            ],
            rows=rows,
            links=links,
            emphasis=emphasis,
        )
        curve = selectors.monthly_curve(self.project, year)
        curve_table = Table(
            title=_("Cumulative execution by month %(year)s") % {"year": year},
            unit=unit_label(unit),
            headers=[_("Month"), _("Executed (cumulative)"), _("Planned (cumulative)")],
            rows=[[c["month"], to_unit(c["executed"], unit), to_unit(c["planned"], unit)] for c in curve],
        )
        ctx.update(
            year=year,
            total=total,
            items=items,
            tables=[table, curve_table],
            export_name=f"budget-execution-{year}",
            chart=_chart(curve, total.available),
            has_example_records=ExecutionRecord.objects.filter(line__year=year, is_example=True).exists(),
        )
        return ctx


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

    template_name = "budgets/item.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year_or_404(ctx["years"], self.kwargs["year"])
        item = get_object_or_404(ExpenseItem, code=self.kwargs["code"])
        lines = selectors.lines_with_execution(self.project, year, item=item)
        ctx.update(year=year, item=item, lines=lines)
        return ctx


class LineView(ProjectMixin, TemplateView):
    """A budget line; its execution records (payees, evidence) only for the officers concerned and the city."""

    template_name = "budgets/line.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        line = get_object_or_404(
            BudgetLine.objects.select_related("item", "anchor__district", "project"), pk=self.kwargs["pk"]
        )
        lines = selectors.lines_with_execution(line.project, line.year, item=line.item)
        line = next(ln for ln in lines if ln.pk == line.pk)
        can_see = may(self.request.user, "budgets.view_records", line)
        ctx.update(
            line=line,
            year=line.year,
            can_see_records=can_see,
            records=selectors.records_for(line=line) if can_see else [],
            changes=line.changes.all(),
        )
        return ctx


class RecordEvidenceView(PolicyRequiredMixin, View):
    policy_action = "budgets.view_records"

    def get_policy_object(self):
        self.record = get_object_or_404(ExecutionRecord.objects.select_related("line__anchor"), pk=self.kwargs["pk"])
        return self.record.line

    def get(self, request, pk: int):
        if not self.record.evidence:
            raise Http404
        extension = self.record.evidence.name.rsplit(".", 1)[-1] if "." in self.record.evidence.name else "bin"
        return private_file_response(self.record.evidence, download_name=f"evidence-{self.record.pk}.{extension}")


class PlanView(ExportMixin, ProjectMixin, TemplateView):
    template_name = "budgets/plan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        total, rows = selectors.plan_rows(self.project)
        unit = "million"

        def cells(r: PlanRow, label: str):
            return [
                label,
                to_unit(r.total_won, unit),
                _national(to_unit(r.total_national_won, unit)),
                to_unit(r.before_won, unit),
                to_unit(r.year1_won, unit),
                to_unit(r.year2_won, unit),
                to_unit(r.after_won, unit),
            ]

        first = total or (rows[0] if rows else None)
        headers = [
            pgettext("budget", "Item"),
            _("Total"),
            _("national"),
            first.before_label if first else "",
            str(first.year1) if first else "",
            str(first.year1 + 1) if first else "",
            pgettext("budget", "Later"),
        ]
        table = Table(
            title=_("Multi-year investment plan"),
            unit=unit_label(unit),
            headers=headers,
            rows=([cells(total, _("Total"))] if total else []) + [cells(r, r.item.name) for r in rows],
            emphasis={0},
        )
        ctx.update(
            tables=[table],
            problems=selectors.plan_problems(total, rows),
            export_name="multi-year-plan",
            notes=[r for r in rows if r.source_note],
        )
        return ctx


class SettlementView(ExportMixin, ProjectMixin, TemplateView):
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
            rows=[[c.row.year, *[to_unit(getattr(c.row, f), unit) for f in SettlementRow.FIGURES]] for c in checks],
        )
        ctx.update(tables=[table], checks=checks, export_name="settlement")
        return ctx


def delivery_tables(d: selectors.Delivery, when: str, anchor: Anchor) -> list[Table]:
    """The budget-and-delivery figures of one anchor and period, as the page and its exports show them (the
    monthly report and the dashboard read the same Delivery). Two tables, so that each has one unit."""
    unit = "thousand"
    budget = Table(
        title=_("%(anchor)s: budget %(when)s") % {"anchor": anchor.name, "when": when},
        unit=unit_label(unit),
        headers=[_("Measure"), _("Value")],
        rows=[[_("Budgeted"), to_unit(d.budgeted, unit)], [_("Spent"), to_unit(d.spent, unit)]],
    )
    delivery = Table(
        title=_("%(anchor)s: delivery %(when)s") % {"anchor": anchor.name, "when": when},
        unit=_("as named in each row"),
        headers=[_("Measure"), _("Value")],
        rows=[
            [_("Booked hours"), None if d.booked_hours is None else float(round(d.booked_hours, 1))],
            [_("Utilisation %"), None if d.utilisation is None else float(d.utilisation)],
            [_("Fee revenue (won)"), d.fee_revenue],
            [_("Occupancy of start-up spaces %"), None if d.occupancy is None else float(d.occupancy)],
            [_("Tenant companies"), d.tenants],
            [_("Programmes"), d.programmes],
            [_("Participants"), d.participants],
            [_("Cost per booked hour (won)"), d.cost_per_booked_hour],
            [_("Cost per participant (won)"), d.cost_per_participant],
        ],
    )
    return [budget, delivery]


def _year_month(request, years: list[int], today) -> tuple[int, int | None]:
    raw_year, raw_month = request.GET.get("year") or "", request.GET.get("month") or ""
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) <= 4 else (years[-1] if years else today.year)
    if not 2000 <= year <= 2100:
        raise Http404
    month = int(raw_month) if raw_month.isdigit() and len(raw_month) <= 2 else None
    if month is not None and not 1 <= month <= 12:
        raise Http404
    return year, month


class AnchorBudgetView(ExportMixin, ProjectMixin, TemplateView):
    """What was budgeted and spent for an anchor beside what it delivered, with unit costs, for a year or a month."""

    template_name = "budgets/anchor.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = get_object_or_404(Anchor.objects.select_related("district"), slug=self.kwargs["slug"])
        year, month = _year_month(self.request, ctx["years"], timezone.localdate())
        d = selectors.anchor_delivery(anchor=anchor, year=year, month=month)
        lines = selectors.lines_with_execution(self.project, year, anchor=anchor)
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

    template_name = "budgets/history.html"
    policy_action = "budgets.view_history"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        entries = []
        user = self.request.user
        for model in (BudgetLine, PlanRow, SettlementRow, ExecutionRecord):
            rows = list(model.history.select_related("history_user").order_by("-history_date")[:100])
            if model is ExecutionRecord:
                # Payees and evidence follow the rule of the records themselves: only the officers of the funded
                # anchor's district and the city see them, here as on the line's page.
                lines = BudgetLine.objects.select_related("anchor").in_bulk({r.line_id for r in rows})
                rows = [r for r in rows if r.line_id in lines and may(user, "budgets.view_records", lines[r.line_id])]
            for rec in rows:
                prev = rec.prev_record
                changes = rec.diff_against(prev).changes if prev is not None and rec.history_type == "~" else []
                entries.append(
                    {
                        "when": rec.history_date,
                        "who": rec.history_user,
                        "what": str(rec.instance),
                        "type": rec.get_history_type_display(),
                        "model": model._meta.verbose_name,
                        "changes": [(model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in changes],
                    }
                )
        entries.sort(key=lambda e: e["when"], reverse=True)
        ctx["entries"] = entries[:200]
        return ctx


class ReportsView(PolicyRequiredMixin, TemplateView):
    """Monthly reports the user may see, to download or regenerate; the page follows a regeneration's progress."""

    template_name = "budgets/reports.html"
    policy_action = "budgets.view_reports_page"

    def get_template_names(self):
        if self.request.htmx:
            return ["budgets/_reports_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        from . import reports as report_service
        from .models import MonthlyReport

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
            busy=any(r.status in ("queued", "running") for r in reports),
            # Only what this user may ask for is offered.
            anchor_choices=[
                a
                for a in Anchor.objects.filter(status="operating").select_related("district").order_by("sort_order")
                if report_service.may_request(user, a)
            ],
            city_choice=report_service.may_request(user, None),
            default_year=last_month.year,
            default_month=last_month.month,
        )
        return ctx

    def post(self, request):
        from django.contrib import messages

        from . import reports as report_service

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
        from .models import MonthlyReport

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

    template_name = "budgets/figures.html"
