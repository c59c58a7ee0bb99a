from __future__ import annotations

from celery import shared_task

from . import reports
from .models import MonthlyReport


@shared_task(acks_late=True, soft_time_limit=1500, time_limit=1800)
def monthly_reports(year: int | None = None, month: int | None = None) -> list[int]:
    """On the 1st (Asia/Seoul): the reports of the month before, per operating anchor and city-wide."""
    if year is None or month is None:
        year, month = reports.previous_month()
    return [r.pk for r in reports.generate_all(year=year, month=month)]


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def generate_report(report_id: int) -> int:
    """Regenerate one report on demand; the same row is updated, so its files are replaced, never duplicated."""
    report = MonthlyReport.objects.select_related("anchor").get(pk=report_id)
    try:
        reports.generate(anchor=report.anchor, year=report.year, month=report.month, report=report, email=False)
    except Exception as err:
        MonthlyReport.objects.filter(pk=report_id).update(status="failed", error=str(err)[:300])
        raise
    return report_id
