from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=1500, time_limit=1800)
def monthly_reports(year: int | None = None, month: int | None = None) -> list[int]:
    """On the 1st (Asia/Seoul): the reports of the month before, per operating anchor and city-wide."""
    from . import reports

    now = timezone.now()
    if year is None or month is None:
        year, month = reports.previous_month(now)
    return [r.pk for r in reports.monthly_reports_run(year=year, month=month, now=now)]


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def generate_report(report_id: int) -> int:
    """Regenerate one report on demand; the same row is updated, so its files are replaced, never duplicated."""
    from . import reports
    from .models import MonthlyReport

    report = MonthlyReport.objects.select_related("anchor").get(pk=report_id)
    try:
        reports.report_generate(
            anchor=report.anchor, year=report.year, month=report.month, report=report, now=timezone.now()
        )
    except Exception as err:
        reports.report_failed(report_id=report_id, error=str(err))
        raise
    return report_id
