"""Monthly reports: per operating anchor and city-wide, as XLSX and PDF.

Every figure comes from the selectors the pages use (reservations.figures, facilities.tenancy, programs,
budgets.selectors.delivery_by_anchor), so a month shows the same numbers in the report as on the
per-anchor page and the dashboard. Each section is a grouped query: 50,000 reservations cost the same
number of queries as 5. A month without data still gives a report, which says so.

Mailing is claimed once per report (compare-and-swap on `mailed_at`) and goes through the outbox; a
regeneration replaces the files and never mails again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from anchors.models import Anchor, AnchorStatus
from anchors.policy import may
from common import pagecache
from common.broker import hand_over
from common.money import to_unit, unit_label
from common.numbers import percent
from facilities.models import DiscountCategory, Equipment, EquipmentStatus, Space
from notifications.services import outbox_enqueue
from programs.selectors import ProgrammeFigures
from reservations import figures
from reservations.models import Status
from tenants.selectors import OccupancyFigures

from . import selectors
from .models import IN_PROGRESS, MonthlyReport, ReportStatus
from .tables import Table, xlsx_bytes


def previous_month(now: datetime) -> tuple[int, int]:
    first = timezone.localdate(now).replace(day=1)
    prev = first - relativedelta(months=1)
    return prev.year, prev.month


@dataclass
class ReportData:
    title: str
    tables: list[Table]
    has_data: bool
    chart: list[tuple[str, float]]  # utilisation % per space, for the PDF's bar chart
    delivery: selectors.Delivery  # the totals, as every other page shows them


def _num(value) -> float | None:
    return None if value is None else float(value)


def _sum_bases(bases: list[selectors.CostBasis]) -> selectors.CostBasis | None:
    if not bases:
        return None
    return selectors.CostBasis(
        years=tuple(sorted({y for b in bases for y in b.years})),
        annual_won=sum(b.annual_won for b in bases),
        is_example=any(b.is_example for b in bases),
    )


def _sum_deliveries(parts: list[selectors.Delivery], first: date, last: date) -> selectors.Delivery:
    """The city: the anchors' figures added up (the same selectors, summed, never computed a second way)."""

    def total(attr_path: str):
        out = 0
        for d in parts:
            obj = d
            for name in attr_path.split("."):
                obj = getattr(obj, name)
            out += obj
        return out

    usage = figures.Usage(
        reservations=total("usage.reservations"),
        booked_hours=total("usage.booked_hours"),
        open_hours=sum((d.usage.capacity_hours for d in parts), 0),
        resources=1,  # capacity_hours already summed across anchors
        fees_won=total("usage.fees_won"),
        charges_won=total("usage.charges_won"),
    )
    return selectors.Delivery(
        first=first,
        last=last,
        operating=True,
        budgeted=total("budgeted"),
        budgeted_is_example=any(d.budgeted_is_example for d in parts),
        spent=total("spent"),
        cost_basis=_sum_bases([d.cost_basis for d in parts if d.cost_basis is not None]),
        examples=frozenset().union(*(d.examples for d in parts)),
        usage=usage,
        occupancy_figures=OccupancyFigures(
            startup_spaces=total("occupancy_figures.startup_spaces"),
            occupied_spaces=total("occupancy_figures.occupied_spaces"),
            tenants=total("occupancy_figures.tenants"),
        ),
        programme_figures=ProgrammeFigures(
            programmes=total("programme_figures.programmes"),
            sessions=total("programme_figures.sessions"),
            participants=total("programme_figures.participants"),
            matches=total("programme_figures.matches"),
            jobs_created=total("programme_figures.jobs_created"),
        ),
    )


def _example_rows(flag: bool, rows: list, note: str) -> dict:
    """Table arguments marking every row of a table built on example data, with the note saying which."""
    return {"examples": set(range(len(rows))), "notes": [note]} if flag else {}


def build(*, anchor: Anchor | None, year: int, month: int) -> ReportData:
    first, last = selectors.period(year, month)
    anchors = [anchor] if anchor else list(Anchor.objects.filter(status=AnchorStatus.OPERATING).order_by("sort_order"))
    ids = [a.pk for a in anchors]
    deliveries = selectors.delivery_by_anchor(anchors=anchors, first=first, last=last)
    d = deliveries[anchor.pk] if anchor else _sum_deliveries(list(deliveries.values()), first, last)
    res = figures.reservations_in(anchor_ids=ids, first=first, last=last)
    tables: list[Table] = []

    # Utilisation: booked hours over open hours, per space, per equipment kind, and in total.
    spaces = list(
        Space.objects.filter(anchor_id__in=ids, bookable=True)
        .select_related("anchor")
        .order_by("anchor__sort_order", "sort_order")
    )
    kinds = list(
        Equipment.objects.filter(space__anchor_id__in=ids, bookable=True)
        .exclude(status=EquipmentStatus.RETIRED)
        .values("kind_id", "kind__name_ko", "space__anchor_id")
        .annotate(units=Count("pk"))
        .order_by("kind__name_ko")
    )
    by_space = figures.booked_hours_by_space(res)
    by_kind = figures.booked_hours_by_equipment_kind(res)
    util_rows, chart = [], []
    for s in spaces:
        booked, open_hours = by_space.get(s.pk, 0), deliveries[s.anchor_id].usage.open_hours
        rate = percent(booked, open_hours)
        util_rows.append(
            [s.name if anchor else f"{s.anchor.name} · {s.name}", float(booked), float(open_hours), _num(rate)]
        )
        chart.append((s.name, float(rate or 0)))
    for k in kinds:
        booked = by_kind.get((k["kind_id"], k["space__anchor_id"]), 0)
        available = deliveries[k["space__anchor_id"]].usage.open_hours * k["units"]
        util_rows.append(
            [f"{k['kind__name_ko']} ×{k['units']}", float(booked), float(available), _num(percent(booked, available))]
        )
    util_rows.append(
        [_("Total"), float(d.usage.booked_hours), float(d.usage.capacity_hours), _num(d.usage.utilisation)]
    )
    tables.append(
        Table(
            _("Utilisation"),
            _("hours, %"),
            [_("Space or equipment kind"), _("Booked hours"), _("Open hours"), _("Utilisation %")],
            util_rows,
            emphasis={len(util_rows) - 1},
            **_example_rows(
                d.utilisation_is_example,
                util_rows,
                _("Open hours rest on example opening hours: the sources give none."),
            ),
        )
    )

    # Reservations by status, no-show and cancellation rates.
    by_status = figures.count_by_status(res)
    total = sum(by_status.values())
    status_rows = [[str(Status(s).label), by_status.get(s, 0)] for s in Status.values]
    attended = sum(by_status.get(s, 0) for s in (Status.COMPLETED, Status.CHECKED_IN, Status.NO_SHOW))
    status_rows += [
        [_("Total"), total],
        [_("No-show rate %"), _num(percent(by_status.get(Status.NO_SHOW, 0), attended))],
        [_("Cancellation rate %"), _num(percent(by_status.get(Status.CANCELLED, 0), total))],
    ]
    tables.append(
        Table(
            _("Reservations by status"),
            _("count, %"),
            [_("Status"), _("Reservations")],
            status_rows,
            emphasis={len(Status.values)},
        )
    )

    # Fee revenue by user category, the discounts given, and the charges kept.
    categories, charges = figures.fee_revenue_by_category(res)
    labels = {k: str(v) for k, v in DiscountCategory.choices}
    fee_rows = [
        [labels.get(c.category, _("Standard price")), c.reservations, c.fees_won, c.discounts_won] for c in categories
    ]
    fee_rows.append([_("Cancellation and no-show charges"), None, charges, None])
    fee_rows.append(
        [
            _("Fee revenue"),
            sum(c.reservations for c in categories),
            d.fee_revenue,
            sum(c.discounts_won for c in categories),
        ]
    )
    tables.append(
        Table(
            _("Fee revenue by user category"),
            unit_label("won"),
            [_("Category"), _("Reservations"), _("Fees"), _("Discounts given")],
            fee_rows,
            emphasis={len(fee_rows) - 1},
            **_example_rows(
                d.fee_revenue_is_example, fee_rows, _("Fees rest on example prices: the sources give none.")
            ),
        )
    )

    # Tenant occupancy of the start-up spaces.
    occ = d.occupancy_figures
    tables.append(
        Table(
            _("Tenant occupancy"),
            _("spaces, %"),
            [_("Measure"), _("Value")],
            [
                [_("Start-up spaces"), occ.startup_spaces],
                [_("Occupied during the month"), occ.occupied_spaces],
                [_("Occupancy %"), _num(occ.occupancy)],
                [_("Tenant companies"), occ.tenants],
            ],
            **_example_rows(
                d.occupancy_is_example, [1, 2, 3, 4], _("Some tenants are example companies: replace them.")
            ),
        )
    )

    # Programmes held, participants and outcomes.
    pf = d.programme_figures
    tables.append(
        Table(
            _("Programmes"),
            _("count"),
            [_("Measure"), _("Value")],
            [
                [_("Programmes held"), pf.programmes],
                [_("Sessions"), pf.sessions],
                [_("Participants"), pf.participants],
                [_("Matches or contracts made"), pf.matches],
                [_("Jobs created"), pf.jobs_created],
            ],
            **_example_rows(
                d.programmes_are_example, [1, 2, 3, 4, 5], _("Some programmes are examples: replace them.")
            ),
        )
    )

    # Budget execution for the month and the year to date.
    year_first, _year_last = selectors.period(year)
    ytd = selectors.delivery_by_anchor(anchors=anchors, first=year_first, last=last)
    ytd_spent = sum(x.spent for x in ytd.values())
    tables.append(
        Table(
            _("Budget execution"),
            unit_label("thousand"),
            [_("Measure"), _("Value")],
            [
                [_("Budget of the year"), to_unit(d.budgeted, "thousand")],
                [_("Executed this month"), to_unit(d.spent, "thousand")],
                [_("Executed, year to date"), to_unit(ytd_spent, "thousand")],
                [_("Execution rate %"), _num(percent(ytd_spent, d.budgeted))],
            ],
        )
    )

    has_data = bool(total or pf.programmes or d.spent)
    name = anchor.name if anchor else _("All anchors of Seoul")
    return ReportData(
        title=_("%(name)s — monthly report %(year)s-%(month)02d") % {"name": name, "year": year, "month": month},
        tables=tables,
        has_data=has_data,
        chart=chart,
        delivery=d,
    )


def render_pdf(data: ReportData, *, now: datetime) -> bytes:
    from weasyprint import HTML  # heavy (Pango, fonts): loaded only when a PDF is made

    html = render_to_string("budgets/report_pdf.html", {"data": data, "generated": timezone.localtime(now)})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def recipients(anchor: Anchor | None) -> list[User]:
    if anchor is None:
        return list(
            User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.CITY_ADMIN), is_active=True)
            .distinct()
            .order_by("pk")
        )
    return list(
        User.objects.filter(
            Q(staff_assignments__anchor=anchor) | Q(officer_assignments__district=anchor.district_id), is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def _report_set(pk: int, **fields: object) -> None:
    """Progress and status of a report as it is built: a plain UPDATE (no signal), so the cached pages are told."""
    MonthlyReport.objects.filter(pk=pk).update(**fields)
    pagecache.touch(catalogue=False)  # reports are not the catalogue


def report_failed(*, report_id: int, error: str) -> None:
    _report_set(report_id, status=ReportStatus.FAILED, error=error[:300])


def report_generate(
    *, anchor: Anchor | None, year: int, month: int, now: datetime, report: MonthlyReport | None = None
) -> MonthlyReport:
    """Build the report's XLSX and PDF and store them on its one row (regeneration replaces the files)."""
    if report is None:
        with transaction.atomic():
            report, _created = MonthlyReport.objects.get_or_create(anchor=anchor, year=year, month=month)
    _report_set(report.pk, status=ReportStatus.RUNNING, progress=10, error="")
    with translation.override(settings.LANGUAGE_CODE):
        data = build(anchor=anchor, year=year, month=month)
        _report_set(report.pk, progress=50)
        xlsx = xlsx_bytes(data.tables)
        pdf = render_pdf(data, now=now)
    report.refresh_from_db()
    for f in (report.xlsx, report.pdf):
        if f:
            f.delete(save=False)
    report.xlsx.save("report.xlsx", ContentFile(xlsx), save=False)
    report.pdf.save("report.pdf", ContentFile(pdf), save=False)
    report.has_data, report.generated_at, report.status, report.progress = data.has_data, now, ReportStatus.DONE, 100
    report.save()
    return report


@transaction.atomic
def report_mail(*, report: MonthlyReport, now: datetime) -> int:
    """E-mail a finished report to its recipients once: the first caller claims it (compare-and-swap on
    `mailed_at`), any later one (a second run of the monthly job, a regeneration) mails nothing."""
    if (
        MonthlyReport.objects.filter(pk=report.pk, mailed_at__isnull=True, status=ReportStatus.DONE).update(
            mailed_at=now
        )
        != 1
    ):
        return 0
    pagecache.touch(catalogue=False)  # update() sends no signal; reports are not the catalogue
    people = recipients(report.anchor)
    for user in people:
        outbox_enqueue(
            key=f"monthly-report:{report.pk}:{user.pk}",
            kind="monthly-report",
            user_id=user.pk,
            object_id=report.pk,
            anchor_id=report.anchor_id,
            now=now,
        )
    _report_set(report.pk, emailed_to=len(people))
    return len(people)


def monthly_reports_run(*, year: int, month: int, now: datetime) -> list[MonthlyReport]:
    """The monthly job: every operating anchor's report and the city's, each built and then mailed once."""
    out = []
    for anchor in [*Anchor.objects.filter(status=AnchorStatus.OPERATING).order_by("sort_order"), None]:
        report = report_generate(anchor=anchor, year=year, month=month, now=now)
        report_mail(report=report, now=now)
        report.refresh_from_db()
        out.append(report)
    return out


def may_request(user, anchor: Anchor | None) -> bool:
    return may(user, "budgets.request_report", anchor)


@transaction.atomic
def monthly_report_request(*, user, anchor: Anchor | None, year: int, month: int, now: datetime) -> MonthlyReport:
    """Someone asks for a report to be prepared or regenerated: refused (and nothing written) outside their scope,
    for a month not yet over, or before the programme began."""
    if not may_request(user, anchor):
        raise PermissionDenied
    if not (2018 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(_("Choose a valid month and anchor."))
    if date(year, month, 1) > timezone.localdate(now).replace(day=1):
        raise ValidationError(
            _("A report covers a month that has begun; %(year)s-%(month)02d has not.") % {"year": year, "month": month}
        )
    report, created = MonthlyReport.objects.select_for_update().get_or_create(anchor=anchor, year=year, month=month)
    if not created and report.status in IN_PROGRESS:
        return report  # already on its way: asking twice starts one job
    _report_set(report.pk, status=ReportStatus.QUEUED, progress=0, error="")

    def start():

        from .tasks import generate_report  # the task calls this module's services (a cycle)

        if not hand_over(generate_report, report.pk):  # broker down: build it here rather than leave it queued
            report_generate(anchor=anchor, year=year, month=month, report=report, now=now)

    transaction.on_commit(start)
    return report
