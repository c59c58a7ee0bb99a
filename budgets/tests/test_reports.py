"""Monthly reports: built from the same selectors as the pages, mailed once through the outbox, regenerated in place;
a request outside one's scope is refused and writes nothing."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from celery.schedules import crontab
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import reports
from budgets.models import MonthlyReport
from common.time import SEOUL
from notifications.models import Outbox
from notifications.services import outbox_deliver_due

from .conftest import at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 6, tzinfo=SEOUL)


def test_the_monthly_job_builds_every_report_and_mails_each_once_even_when_run_twice(
    november,
    geumcheon_staff,
    guro_officer,
):
    first = reports.monthly_reports_run(year=2026, month=11, now=NOW)
    again = reports.monthly_reports_run(year=2026, month=11, now=NOW)
    assert [r.pk for r in first] == [r.pk for r in again]
    geumcheon = next(r for r in first if r.anchor_id == november.pk)
    assert geumcheon.status == "done" and geumcheon.has_data and geumcheon.emailed_to == 1  # its staff only
    outbox_deliver_due(now=NOW)
    to_staff = [m for m in mail.outbox if geumcheon_staff.email in m.to]
    assert len(to_staff) == 1 and to_staff[0].attachments[0][0] == "report-2026-11.pdf"
    assert Outbox.objects.filter(kind="monthly-report", object_id=geumcheon.pk).count() == 1
    assert not any(guro_officer.email in m.to and "금천" in m.subject for m in mail.outbox)


def test_a_month_without_data_gives_a_report_that_says_so(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = reports.report_generate(anchor=seeded["changsin"], year=2026, month=2, now=NOW)
    assert report.status == "done" and not report.has_data
    text = subprocess.run(["pdftotext", report.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "Therewerenoreservations" in flat or "내역이없습니다" in flat


def test_regenerating_replaces_the_files_never_duplicates_the_report_and_never_mails(november):
    import os

    first = reports.report_generate(anchor=november, year=2026, month=11, now=NOW)
    old_path = first.xlsx.path
    second = reports.report_generate(anchor=november, year=2026, month=11, now=NOW)
    assert first.pk == second.pk and MonthlyReport.objects.filter(anchor=november, year=2026, month=11).count() == 1
    assert not os.path.exists(old_path) or old_path == second.xlsx.path
    assert not Outbox.objects.filter(kind="monthly-report").exists()


def test_the_report_runs_a_fixed_number_of_queries_whatever_the_number_of_reservations(november, maker):
    from reservations.models import Reservation

    def count():
        with CaptureQueriesContext(connection) as ctx:
            reports.build(anchor=november, year=2026, month=11)
        return len(ctx)

    small = count()
    cutting = november.spaces.get(slug="cutting-room")
    Reservation.objects.bulk_create(
        [
            Reservation(
                anchor=november,
                space=cutting,
                user=maker,
                booked_by=maker,
                start_at=at(20, 0),
                end_at=at(20, 1),
                blocked_until=at(20, 1),
                status="cancelled",
                checkin_code=f"q{i}",
            )
            for i in range(300)
        ]
    )
    assert count() == small


def test_the_monthly_job_fires_on_the_first_at_six_in_seoul_and_covers_the_month_before():
    from config.schedule import SCHEDULE

    spec = SCHEDULE["Monthly reports"]["crontab"]
    schedule = crontab(**spec)
    schedule.tz = SEOUL
    assert schedule.is_due(datetime(2026, 11, 30, 6, tzinfo=SEOUL)).next > 0
    assert reports.previous_month(datetime(2026, 12, 1, 6, tzinfo=SEOUL)) == (2026, 11)
    assert reports.previous_month(datetime(2027, 1, 1, 0, 30, tzinfo=SEOUL)) == (2026, 12)


def test_staff_regenerate_their_report_from_the_reports_page_and_download_it(
    client,
    november,
    geumcheon_staff,
    changsin_staff,
    django_capture_on_commit_callbacks,
):
    client.force_login(geumcheon_staff)
    page = client.get("/budgets/reports/")
    assert [a.slug for a in page.context["anchor_choices"]] == ["geumcheon"] and not page.context["city_choice"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/budgets/reports/", {"year": 2026, "month": 11, "anchor": "geumcheon"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get(anchor=november, year=2026, month=11)
    assert report.status == "done" and report.mailed_at is None
    assert client.get(f"/budgets/reports/{report.pk}/pdf/").status_code == 200
    client.force_login(changsin_staff)
    assert client.get(f"/budgets/reports/{report.pk}/pdf/").status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"year": 2026, "month": 11, "anchor": "geumcheon"},  # another anchor's report
        {"year": 2026, "month": 11, "anchor": ""},  # the city's report
        {"year": "abc", "month": 13, "anchor": "changsin"},
        {"year": 2026, "month": 11, "anchor": "no-such-anchor"},
        {"year": 2099, "month": 1, "anchor": "changsin"},  # a month not begun
    ],
)
def test_a_report_request_outside_ones_scope_or_malformed_is_refused_and_writes_nothing(
    client, seeded, changsin_staff, data
):
    client.force_login(changsin_staff)
    response = client.post("/budgets/reports/", data)
    assert response.status_code in (302, 403)
    assert not MonthlyReport.objects.exists()
