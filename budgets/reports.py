"""Monthly reports: per operating anchor and city-wide, as XLSX and PDF, aggregated in the database.

Each section is one grouped query, so a month with 50,000 reservations costs the same number of
queries as a month with 5. A month without data still gives a report, which says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from anchors.models import Anchor, AnchorStatus
from common.money import to_unit, unit_label
from facilities.models import OCCUPYING, Equipment, Lease, Space
from facilities.pricing import SEOUL
from facilities.selectors import anchor_hours
from programs.models import Attendance, Outcome, Session
from reservations.models import Reservation, Status

from .models import BudgetLine, ExecutionRecord, MonthlyReport
from .tables import Table, xlsx_bytes

USED = [Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED, Status.NO_SHOW]
DURATION = ExpressionWrapper(F("end_at") - F("start_at"), output_field=DurationField())


def previous_month(now: datetime | None = None) -> tuple[int, int]:
    first = timezone.localdate(now or timezone.now()).replace(day=1)
    prev = first - relativedelta(months=1)
    return prev.year, prev.month


def _hours(d: timedelta | None) -> Decimal:
    return (Decimal(d.total_seconds()) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if d else Decimal(0)


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ReportData:
    title: str
    tables: list[Table]
    has_data: bool
    chart: list[tuple[str, float]]  # utilisation % per space, for the PDF's bar chart


def build(*, anchor: Anchor | None, year: int, month: int) -> ReportData:
    first = date(year, month, 1)
    last = first + relativedelta(months=1) - timedelta(days=1)
    start = datetime.combine(first, time(0), tzinfo=SEOUL)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=SEOUL)
    scope = Q(anchor=anchor) if anchor else Q()
    res = Reservation.objects.filter(scope, start_at__gte=start, start_at__lt=end)
    anchors = [anchor] if anchor else list(Anchor.objects.filter(status=AnchorStatus.OPERATING))
    tables: list[Table] = []

    # Utilisation: booked hours over open hours, per space and per equipment kind.
    open_hours_per_day = {}
    for a in anchors:
        total = sum(
            (
                (datetime.combine(h.day, h.closes) - datetime.combine(h.day, h.opens)).total_seconds() / 3600
                for h in anchor_hours(anchor=a, start=first, end=last)
                if h.is_open
            ),
            0.0,
        )
        open_hours_per_day[a.pk] = Decimal(str(total))
    spaces = list(
        Space.objects.filter(anchor__in=anchors, bookable=True)
        .select_related("anchor")
        .order_by("anchor__sort_order", "sort_order")
    )
    booked_space = {
        r["space_id"]: r["d"]
        for r in res.filter(status__in=USED, space__isnull=False).values("space_id").annotate(d=Sum(DURATION))
    }
    kinds = list(
        Equipment.objects.filter(space__anchor__in=anchors, bookable=True)
        .values("kind_id", "kind__name_ko", "space__anchor_id")
        .annotate(units=Count("pk"))
        .order_by("kind__name_ko")
    )
    booked_kind = {
        (r["equipment__kind_id"], r["anchor_id"]): r["d"]
        for r in res.filter(status__in=USED, equipment__isnull=False)
        .values("equipment__kind_id", "anchor_id")
        .annotate(d=Sum(DURATION))
    }
    util_rows, chart = [], []
    for s in spaces:
        booked = _hours(booked_space.get(s.pk))
        rate = _pct(booked, open_hours_per_day[s.anchor_id])
        util_rows.append(
            [
                s.name if anchor else f"{s.anchor.name} · {s.name}",
                float(booked),
                float(open_hours_per_day[s.anchor_id]),
                float(rate) if rate is not None else None,
            ]
        )
        chart.append((s.name, float(rate or 0)))
    for k in kinds:
        booked = _hours(booked_kind.get((k["kind_id"], k["space__anchor_id"])))
        available = open_hours_per_day[k["space__anchor_id"]] * k["units"]
        rate = _pct(booked, available)
        util_rows.append(
            [
                f"{k['kind__name_ko']} ×{k['units']}",
                float(booked),
                float(available),
                float(rate) if rate is not None else None,
            ]
        )
    tables.append(
        Table(
            _("Utilisation"),
            _("hours, %"),
            [_("Space or equipment kind"), _("Booked hours"), _("Open hours"), _("Utilisation %")],
            util_rows,
        )
    )

    # Reservations by status, no-show and cancellation rates.
    by_status = dict(res.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    total = sum(by_status.values())
    status_rows = [[str(Status(s).label), by_status.get(s, 0)] for s in Status.values]
    attended = (
        by_status.get(Status.COMPLETED, 0) + by_status.get(Status.CHECKED_IN, 0) + by_status.get(Status.NO_SHOW, 0)
    )
    status_rows += [
        [_("Total"), total],
        [_("No-show rate %"), _pct(by_status.get(Status.NO_SHOW, 0), attended)],
        [_("Cancellation rate %"), _pct(by_status.get(Status.CANCELLED, 0), total)],
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

    # Fee revenue by user category and the discounts given.
    fees = (
        res.filter(status__in=USED)
        .values("discount_category")
        .annotate(n=Count("pk"), fee=Coalesce(Sum("fee_won"), 0), discount=Coalesce(Sum("discount_won"), 0))
        .order_by("discount_category")
    )
    charges = res.aggregate(c=Coalesce(Sum("charge_won"), 0))["c"]
    from facilities.models import DiscountCategory

    labels = {k: str(v) for k, v in DiscountCategory.choices}
    fee_rows = [
        [labels.get(r["discount_category"], _("Standard price")), r["n"], r["fee"], r["discount"]] for r in fees
    ]
    fee_rows.append([_("Cancellation and no-show charges"), None, charges, None])
    fee_rows.append(
        [_("Total"), sum(r["n"] for r in fees), sum(r["fee"] for r in fees) + charges, sum(r["discount"] for r in fees)]
    )
    tables.append(
        Table(
            _("Fee revenue by user category"),
            unit_label("won"),
            [_("Category"), _("Reservations"), _("Fees"), _("Discounts given")],
            fee_rows,
            emphasis={len(fee_rows) - 1},
        )
    )

    # Tenant occupancy of the start-up spaces.
    startup = Space.objects.filter(anchor__in=anchors, kind="startup_space").count()
    occupied = (
        Lease.objects.filter(
            space__anchor__in=anchors, status__in=[*OCCUPYING, "ended"], starts_on__lte=last, ends_on__gte=first
        )
        .values("space")
        .distinct()
        .count()
    )
    tables.append(
        Table(
            _("Tenant occupancy"),
            _("spaces, %"),
            [_("Measure"), _("Value")],
            [
                [_("Start-up spaces"), startup],
                [_("Occupied during the month"), occupied],
                [_("Occupancy %"), _pct(occupied, startup)],
            ],
        )
    )

    # Programmes held, participants and outcomes.
    sessions = Session.objects.filter(programme__anchor__in=anchors, starts_at__gte=start, starts_at__lt=end)
    programme_ids = list(sessions.values_list("programme_id", flat=True).distinct())
    participants = (
        Attendance.objects.filter(session__in=sessions, attended=True).values("registration").distinct().count()
    )
    outcomes = Outcome.objects.filter(programme_id__in=programme_ids).aggregate(
        m=Coalesce(Sum("matches"), 0), j=Coalesce(Sum("jobs_created"), 0)
    )
    tables.append(
        Table(
            _("Programmes"),
            _("count"),
            [_("Measure"), _("Value")],
            [
                [_("Programmes held"), len(programme_ids)],
                [_("Sessions"), sessions.count()],
                [_("Participants"), participants],
                [_("Matches or contracts made"), outcomes["m"]],
                [_("Jobs created"), outcomes["j"]],
            ],
        )
    )

    # Budget execution for the month and the year to date.
    lines = BudgetLine.objects.filter(year=year)
    if anchor is not None:
        lines = lines.filter(anchor=anchor)
    budget = lines.aggregate(s=Coalesce(Sum("amount_won"), 0))["s"]
    records = ExecutionRecord.objects.filter(line__in=lines)
    month_spent = records.filter(date__gte=first, date__lte=last).aggregate(s=Coalesce(Sum("amount_won"), 0))["s"]
    ytd = records.filter(date__lte=last).aggregate(s=Coalesce(Sum("amount_won"), 0))["s"]
    tables.append(
        Table(
            _("Budget execution"),
            unit_label("thousand"),
            [_("Measure"), _("Value")],
            [
                [_("Budget of the year"), to_unit(budget, "thousand")],
                [_("Executed this month"), to_unit(month_spent, "thousand")],
                [_("Executed, year to date"), to_unit(ytd, "thousand")],
                [_("Execution rate %"), _pct(ytd, budget)],
            ],
        )
    )

    has_data = bool(total or programme_ids or month_spent)
    name = anchor.name if anchor else _("All anchors of Seoul")
    return ReportData(
        title=_("%(name)s — monthly report %(year)s-%(month)02d") % {"name": name, "year": year, "month": month},
        tables=tables,
        has_data=has_data,
        chart=chart,
    )


def render_pdf(data: ReportData) -> bytes:
    from weasyprint import HTML

    html = render_to_string("budgets/report_pdf.html", {"data": data, "generated": timezone.localtime()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def recipients(anchor: Anchor | None) -> list[User]:
    if anchor is None:
        return list(
            User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.CITY_ADMIN), is_active=True).distinct()
        )
    return list(
        User.objects.filter(
            Q(staff_assignments__anchor=anchor) | Q(officer_assignments__district=anchor.district_id), is_active=True
        ).distinct()
    )


def generate(
    *, anchor: Anchor | None, year: int, month: int, report: MonthlyReport | None = None, email: bool = True
) -> MonthlyReport:
    """Build the report's XLSX and PDF and store them on its one row (regeneration replaces the files)."""
    if report is None:
        with transaction.atomic():
            report, _created = MonthlyReport.objects.get_or_create(anchor=anchor, year=year, month=month)
    MonthlyReport.objects.filter(pk=report.pk).update(status="running", progress=10, error="")
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        data = build(anchor=anchor, year=year, month=month)
        MonthlyReport.objects.filter(pk=report.pk).update(progress=50)
        xlsx = xlsx_bytes(data.tables)
        pdf = render_pdf(data)
    report.refresh_from_db()
    for f in (report.xlsx, report.pdf):
        if f:
            f.delete(save=False)
    report.xlsx.save("report.xlsx", ContentFile(xlsx), save=False)
    report.pdf.save("report.pdf", ContentFile(pdf), save=False)
    report.has_data, report.generated_at, report.status, report.progress = data.has_data, timezone.now(), "done", 100
    people = recipients(anchor) if email else []
    report.emailed_to = len(people)
    report.save()
    if people:
        message = EmailMessage(
            subject=data.title,
            body=_("The monthly report is attached and on the reports page: %(url)s")
            % {"url": f"{settings.SITE_URL}/budgets/reports/"},
            to=[u.email for u in people],
        )
        message.attach(f"report-{year}-{month:02d}.pdf", pdf, "application/pdf")
        message.send()
    return report


def generate_all(*, year: int, month: int) -> list[MonthlyReport]:
    reports = [generate(anchor=a, year=year, month=month) for a in Anchor.objects.filter(status=AnchorStatus.OPERATING)]
    reports.append(generate(anchor=None, year=year, month=month))
    return reports
