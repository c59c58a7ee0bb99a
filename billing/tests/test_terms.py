"""Rents and lease deposits, booking deposits, monthly invoicing, the sweep, overdue reminders and the PDFs."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta

import pytest

from accounts.tests.factories import UserFactory
from billing import selectors, services
from billing.models import BillingPolicy, Charge, ChargeKind, Document, DocumentKind, Invoicing, Method
from common.time import SEOUL
from notifications.models import Outbox
from reservations.models import Reservation, Status
from reservations.services import lifecycle
from tenants.models import Lease, Membership
from tenants.services import lease_activate, lease_create, lease_terminate, organisation_create

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_lease(world, maker):
    Lease.objects.filter(space=world["startup"]).delete()  # the example tenant of the room, not yet billed
    company = organisation_create(
        name="한땀", business_registration_number="124-81-00998", representative="김", created_by=UserFactory()
    )
    Membership.objects.create(organisation=company, user=maker)
    lease = lease_create(space=world["startup"], organisation=company, starts_on=date(2026, 12, 11), months=12)
    return lease_activate(lease=lease)


def test_rent_is_billed_once_a_month_pro_rata_with_the_deposit(company_lease):
    lease = company_lease
    services.leases_bill(now=NOW)
    assert Charge.objects.filter(lease=lease).count() == 2  # December's rent (from the 11th) and the deposit
    assert services.leases_bill(now=NOW + timedelta(days=3)) == 0  # the daily job again: nothing twice
    rent = Charge.objects.get(lease=lease, kind=ChargeKind.RENT)
    assert rent.amount_won == lease.monthly_fee_won * 21 // 31 and rent.period == date(2026, 12, 1)
    [invoice] = Document.objects.filter(account__organisation=lease.organisation)
    assert invoice.total_won == rent.amount_won + lease.deposit_won
    assert invoice.buyer["registration_number"] == "124-81-00998"  # the payer's business registration number
    services.leases_bill(now=datetime(2027, 1, 2, 9, tzinfo=SEOUL))
    january = Charge.objects.get(lease=lease, kind=ChargeKind.RENT, period=date(2027, 1, 1))
    assert january.amount_won == lease.monthly_fee_won


def test_a_lease_deposit_is_credited_once_the_lease_has_ended(company_lease):
    lease = company_lease
    services.leases_bill(now=NOW)
    lease_terminate(lease=lease, ends_on=date(2026, 12, 20), reason="이전", today=date(2026, 12, 21))
    services.leases_bill(now=datetime(2026, 12, 21, 9, tzinfo=SEOUL))
    credit = Document.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert credit.total_won == lease.deposit_won


def test_a_member_sees_the_company_invoices_and_its_monthly_statement(client, maker, company_lease):
    services.leases_bill(now=NOW)
    client.force_login(maker)
    page = client.get("/me/billing/").content.decode()
    invoice = Document.objects.get(account__organisation=company_lease.organisation)
    assert invoice.code in page and "한땀" in page
    account = invoice.account
    statement = client.get(f"/me/billing/{account.pk}/statement/2026-12/")
    assert statement.status_code == 200 and f"{invoice.total_won:,}" in statement.content.decode()
    pdf = client.get(f"/me/billing/{account.pk}/statement/2026-12/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    for bad in ("2026-13", "0-1", "99999-1"):
        assert client.get(f"/me/billing/{account.pk}/statement/{bad}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/me/billing/{account.pk}/statement/2026-12/").status_code == 404


def test_a_booking_deposit_is_returned_unless_damage_is_recorded_with_a_reason(book, maker, geumcheon_staff):
    r = book()
    if not r.deposit_won:
        Reservation.objects.filter(pk=r.pk).update(deposit_won=50_000)
        r.refresh_from_db()
        services.reservation_sync(reservation=r, now=NOW)
    after = r.end_at + timedelta(hours=1)
    with pytest.raises(services.BillingRefused):
        services.deposit_settle(reservation=r, kept_won=10_000, reason="", by=geumcheon_staff, now=after)
    with pytest.raises(services.BillingRefused):
        services.deposit_settle(reservation=r, kept_won=r.deposit_won + 1, reason="x", by=geumcheon_staff, now=after)
    with pytest.raises(services.BillingRefused):
        services.deposit_settle(reservation=r, kept_won=0, reason="", by=geumcheon_staff, now=r.start_at)
    assert services.deposits_return_due(now=after) == 0  # the desk still has days to record damage
    services.deposit_settle(reservation=r, kept_won=10_000, reason="바늘판 파손", by=geumcheon_staff, now=after)
    deposit = sum(c.amount_won for c in Charge.objects.filter(reservation=r, kind=ChargeKind.DEPOSIT))
    assert deposit == 10_000
    with pytest.raises(services.BillingRefused):
        services.deposit_settle(reservation=r, kept_won=0, reason="", by=geumcheon_staff, now=after)


def test_unclaimed_deposits_are_returned_by_the_daily_job(book):
    r = book()
    Reservation.objects.filter(pk=r.pk).update(deposit_won=30_000)
    r.refresh_from_db()
    services.reservation_sync(reservation=r, now=NOW)
    later = r.end_at + timedelta(days=selectors.policy_for(r.anchor_id).deposit_claim_days, minutes=1)
    assert services.deposits_return_due(now=later) == 1
    assert sum(c.amount_won for c in Charge.objects.filter(reservation=r, kind=ChargeKind.DEPOSIT)) == 0
    assert services.deposits_return_due(now=later) == 0


def test_an_anchor_that_invoices_monthly_issues_one_invoice_at_the_months_end(book, maker, world):
    BillingPolicy.objects.update_or_create(
        anchor=world["geumcheon"], defaults={"invoicing": Invoicing.MONTHLY, "created_at": NOW}
    )
    r1 = book(start=at(3, 10), end=at(3, 12))
    book(start=at(4, 10), end=at(4, 12))
    free = book(start=at(7, 10), end=at(7, 12))
    lifecycle.reservation_cancel(reservation=free, by=maker, now=NOW)  # charged and corrected before any invoice
    assert not Document.objects.exists()
    pending = selectors.pending_charges(maker.billing_account)
    assert sum(c.amount_won for c in pending) == 2 * (r1.fee_won + r1.deposit_won)
    assert services.invoices_issue_monthly(now=NOW + timedelta(days=3)) == 0  # not before the month has ended
    assert services.invoices_issue_monthly(now=datetime(2027, 1, 1, 1, tzinfo=SEOUL)) == 1
    [invoice] = Document.objects.all()
    assert invoice.total_won == r1.fee_won * 2 + r1.deposit_won * 2
    assert services.invoices_issue_monthly(now=datetime(2027, 1, 2, 1, tzinfo=SEOUL)) == 0


def test_the_sweep_bills_a_reservation_written_outside_the_services(book, maker):
    r = book()
    clone = Reservation.objects.create(
        anchor=r.anchor,
        equipment=r.equipment,
        user=maker,
        booked_by=maker,
        start_at=at(9, 10),
        end_at=at(9, 12),
        blocked_until=at(9, 12),
        status=Status.CONFIRMED,
        fee_won=12_340,
        checkin_code="sweep-test",
    )
    assert services.reservations_sync_all(now=NOW) == 1
    assert sum(c.amount_won for c in Charge.objects.filter(reservation=clone)) == 12_340
    assert services.reservations_sync_all(now=NOW) == 0


def test_overdue_invoices_are_reminded_once_per_round_until_paid(book, maker, geumcheon_staff):
    book()
    [invoice] = Document.objects.all()
    due = datetime.combine(invoice.due_on, datetime.min.time(), tzinfo=SEOUL)
    assert services.overdue_remind(now=due) == 0  # not late yet
    assert services.overdue_remind(now=due + timedelta(days=1, hours=9)) == 1
    assert services.overdue_remind(now=due + timedelta(days=2, hours=9)) == 0  # the same round
    row = Outbox.objects.get(kind="billing:overdue")
    assert row.user_id == maker.pk
    from notifications.registry import render

    message = render(row, NOW)
    assert invoice.code in message.subject and "예시" in message.subject  # example terms say so
    services.payment_record(
        document=invoice, amount_won=invoice.total_won, method=Method.CASH, by=geumcheon_staff, now=NOW
    )
    assert services.overdue_remind(now=due + timedelta(days=30)) == 0
    assert render(row, NOW) is None  # a queued reminder for a paid invoice is not sent


def test_the_invoice_pdf_prints_korean(book, maker, client):
    book()
    [invoice] = Document.objects.all()
    client.force_login(maker)
    pdf = client.get(f"/billing/{invoice.code}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "청구서" in text and invoice.code in text and f"{invoice.total_won:,}" in text
    fonts = subprocess.run(["pdffonts", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Nanum" in fonts  # the Korean font is embedded, not boxes


def test_a_reservation_page_links_its_invoice(book, maker, client):
    r = book()
    [invoice] = Document.objects.all()
    client.force_login(maker)
    assert invoice.code in client.get(r.get_absolute_url()).content.decode()


def test_the_maker_pays_no_one_elses_invoice_and_staff_of_another_anchor_record_nothing(book, changsin_staff, client):
    book()
    [invoice] = Document.objects.all()
    client.force_login(changsin_staff)
    response = client.post(f"/billing/{invoice.code}/payments/", {"amount": "1", "method": "cash", "once": "k"})
    assert response.status_code == 404 and not invoice.payments.exists()


def test_no_invoice_for_a_request_until_it_is_approved(world, maker, geumcheon_staff):
    room = world["sample"]
    assert room.requires_approval
    r = lifecycle.reservation_create(
        resource=room, start=at(8, 10), end=at(8, 12), booked_by=maker, user=maker, now=NOW
    )
    assert r.status == Status.REQUESTED and not Document.objects.exists()
    lifecycle.reservation_approve(reservation=r, by=geumcheon_staff, now=NOW)
    assert r.fee_won and Document.objects.filter(lines__reservation=r).count() == 1
