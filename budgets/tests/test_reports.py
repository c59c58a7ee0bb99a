"""Monthly reports from a hand-computed fixture: the XLSX and the PDF show the expected figures."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime

import openpyxl
import pytest
from celery.schedules import crontab
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import reports
from budgets.models import MonthlyReport
from facilities.pricing import SEOUL

pytestmark = pytest.mark.django_db


def at(day, hour, month=11):
    return datetime(2026, month, day, hour, tzinfo=SEOUL)


@pytest.fixture
def november(seeded, maker, other_maker, geumcheon_staff, guro_officer, settings, tmp_path):
    """At Geumcheon in November 2026: cutting room 2 h + 3 h (30,000 + 45,000 won), one overlock no-show, one cancellation."""
    settings.MEDIA_ROOT = tmp_path
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed
    from reservations import services

    facilities_seed.load()
    reservations_seed.load()
    g = seeded["geumcheon"]
    cutting = g.spaces.get(slug="cutting-room")
    overlock = g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-OVL-01")
    now = at(2, 8)
    a = services.reservation_create(
        resource=cutting, start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=now
    )
    b = services.reservation_create(
        resource=cutting, start=at(4, 13), end=at(4, 16), booked_by=other_maker, user=other_maker, now=now
    )
    c = services.reservation_create(
        resource=overlock, start=at(5, 10), end=at(5, 12), booked_by=maker, user=maker, now=now
    )
    d = services.reservation_create(
        resource=overlock, start=at(6, 10), end=at(6, 12), booked_by=maker, user=maker, now=now
    )
    services.reservation_check_in(reservation=a, by=geumcheon_staff, now=at(3, 10))
    services.reservation_complete(reservation=a, by=geumcheon_staff, now=at(3, 12))
    services.reservation_mark_no_show(
        reservation=c, by=geumcheon_staff, now=datetime(2026, 11, 5, 10, 20, tzinfo=SEOUL)
    )
    services.reservation_cancel(reservation=d, by=maker, now=at(2, 9))
    return {"g": g, "a": a, "b": b, "c": c}


def test_the_anchor_report_shows_the_hand_computed_figures_in_xlsx_and_pdf(november):
    mail.outbox.clear()
    report = reports.generate(anchor=november["g"], year=2026, month=11)
    assert (
        report.status == "done" and report.has_data and report.emailed_to == 1
    )  # Geumcheon's staff; the Guro officer is not concerned
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx.read()))
    util = {r[0]: r for r in book.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert util["재단실"][1] == 5.0  # booked hours
    statuses = {r[0]: r[1] for r in book.worksheets[1].iter_rows(min_row=4, values_only=True)}
    assert (statuses["이용 완료"], statuses["확정"], statuses["노쇼"], statuses["취소"]) == (1, 1, 1, 1)
    fees = list(book.worksheets[2].iter_rows(min_row=4, values_only=True))
    total = fees[-1]
    assert total[2] == 30_000 + 45_000 + 4_000 + 4_000  # fees of the used bookings plus the 100 % no-show charge
    report.pdf.open("rb")
    text = subprocess.run(
        ["pdftotext", "-layout", report.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "금천 스마트솔루션앵커" in text and "83,000" in text and "5.0" in text
    assert mail.outbox and mail.outbox[0].attachments[0][0].endswith(".pdf")


def test_a_month_without_data_gives_a_report_that_says_so(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = reports.generate(anchor=seeded["changsin"], year=2026, month=2, email=False)
    assert report.status == "done" and not report.has_data
    text = subprocess.run(["pdftotext", report.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "Therewerenoreservations" in flat or "내역이없습니다" in flat


def test_regenerating_replaces_the_files_and_never_duplicates_the_report(november):
    first = reports.generate(anchor=november["g"], year=2026, month=11, email=False)
    old_path = first.xlsx.path
    second = reports.generate(anchor=november["g"], year=2026, month=11, email=False)
    assert (
        first.pk == second.pk and MonthlyReport.objects.filter(anchor=november["g"], year=2026, month=11).count() == 1
    )
    import os

    assert not os.path.exists(old_path) or old_path == second.xlsx.path


def test_the_report_runs_a_fixed_number_of_queries_whatever_the_number_of_reservations(november, maker):
    from reservations.models import Reservation

    def count():
        with CaptureQueriesContext(connection) as ctx:
            reports.build(anchor=november["g"], year=2026, month=11)
        return len(ctx)

    small = count()
    base = november["a"]
    Reservation.objects.bulk_create(
        [
            Reservation(
                anchor=base.anchor,
                space=base.space,
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


def test_staff_regenerate_a_report_from_the_reports_page_and_download_it(
    client, november, geumcheon_staff, changsin_staff
):
    client.force_login(geumcheon_staff)
    response = client.post("/budgets/reports/", {"year": 2026, "month": 11, "anchor": "geumcheon"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get(anchor=november["g"], year=2026, month=11)
    assert report.status == "done"
    assert client.get(f"/budgets/reports/{report.pk}/pdf/").status_code == 200
    client.force_login(changsin_staff)
    assert client.get(f"/budgets/reports/{report.pk}/pdf/").status_code == 403
    assert client.post("/budgets/reports/", {"year": "abc", "month": 13}).status_code == 302
