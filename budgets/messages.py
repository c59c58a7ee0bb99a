"""How the outbox renders a monthly report's e-mail (the PDF attached)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.registry import Message, renderer

from .models import MonthlyReport, ReportStatus


@renderer("monthly-report")
def render_monthly_report(row, now: datetime) -> Message | None:
    report = MonthlyReport.objects.select_related("anchor").filter(pk=row.object_id).first()
    if report is None or report.status != ReportStatus.DONE or not report.pdf:
        return None
    name = report.anchor.name if report.anchor_id else _("All anchors of Seoul")
    title = _("%(name)s — monthly report %(year)s-%(month)02d") % {
        "name": name,
        "year": report.year,
        "month": report.month,
    }
    url = reverse("budgets:reports")
    with report.pdf.open("rb") as f:
        pdf = f.read()
    return Message(
        subject=title,
        text=_("The monthly report is attached and on the reports page: %(url)s") % {"url": f"{settings.SITE_URL}{url}"}
        + "\n",
        attachments=((f"report-{report.year}-{report.month:02d}.pdf", pdf, "application/pdf"),),
        title=title,
        url=url,
    )
