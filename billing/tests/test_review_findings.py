"""What a review of the first version found, each held by a test: a change of VAT alone, two corrections of one
invoice in one monthly batch, guests without a phone, money taken after online payment was turned off, the same
webhook delivered twice at once, two rent jobs at once, hostile statements, forms posted to the webhook address."""

from __future__ import annotations

import io
import threading
from datetime import datetime

import pytest
from django.db import connection, connections

from billing import providers, selectors, services
from billing.models import (
    Account,
    BillingPolicy,
    Charge,
    ChargeKind,
    Document,
    DocumentKind,
    Invoicing,
    Method,
    Payment,
    WebhookEvent,
)
from common.time import SEOUL
from reservations.models import Reservation
from reservations.services import lifecycle

from .conftest import NOW, at
from .test_ledger_property import check_ledger

pytestmark = pytest.mark.django_db


def test_a_change_of_vat_alone_recharges_the_fee_and_invoices_carry_signed_vat(book, maker):
    r = book()
    fee = r.fee_won
    lines = [dict(r.fee_lines[0], vat_won=fee // 11)] + [dict(x, vat_won=0) for x in r.fee_lines[1:]]
    Reservation.objects.filter(pk=r.pk).update(fee_lines=lines)
    r.refresh_from_db()
    services.reservation_sync(reservation=r, now=NOW)  # no zero-won line, no crash
    fee_charges = Charge.objects.filter(reservation=r, kind=ChargeKind.FEE)
    assert sum(c.amount_won for c in fee_charges) == fee and sum(c.vat_won for c in fee_charges) == fee // 11
    assert not fee_charges.filter(amount_won=0).exists()
    check_ledger()


def test_two_corrections_of_one_invoice_in_one_monthly_batch_never_credit_it_below_zero(book, maker, world):
    BillingPolicy.objects.update_or_create(
        anchor=world["geumcheon"], defaults={"invoicing": Invoicing.MONTHLY, "created_at": NOW}
    )
    r = book(start=at(3, 10), end=at(3, 12))
    services.invoices_issue_monthly(now=datetime(2027, 1, 1, 1, tzinfo=SEOUL))
    lifecycle.reservation_move(reservation=r, start=at(3, 10), end=at(3, 14), by=maker, now=NOW)  # dearer
    services.invoices_issue_monthly(now=datetime(2027, 2, 1, 1, tzinfo=SEOUL))
    r.refresh_from_db()
    lifecycle.reservation_move(reservation=r, start=at(3, 10), end=at(3, 12), by=maker, now=NOW)  # cheaper again
    lifecycle.reservation_cancel(reservation=r, by=maker, now=NOW)  # then cancelled free
    services.invoices_issue_monthly(now=datetime(2027, 3, 1, 1, tzinfo=SEOUL))
    assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == 2
    for invoice in selectors.with_states(Document.objects.filter(kind=DocumentKind.INVOICE)):
        assert invoice.state.net == 0 and invoice.state.received == invoice.state.refunded == 0
    check_ledger()


def test_guests_without_a_phone_never_share_an_account(book):
    a = book(guest="김민수", guest_phone="")
    b = book(guest="김민수", guest_phone="", start=at(4, 10), end=at(4, 12))
    assert a.billing_charges.first().account_id != b.billing_charges.first().account_id
    lifecycle.reservation_cancel(reservation=a, by=None, now=NOW)  # its account stays the same
    assert {c.account_id for c in Charge.objects.filter(reservation=a)} == {a.billing_charges.first().account_id}
    assert Account.objects.filter(kind="guest").count() == 2


def test_money_taken_after_online_payment_was_turned_off_is_recorded(book, maker, world):
    book()
    [invoice] = Document.objects.all()
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    BillingPolicy.objects.update_or_create(
        anchor=world["geumcheon"], defaults={"takes_online": False, "created_at": NOW}
    )
    body, headers = providers.provider("sandbox").event(intent=intent, succeeded=True, now=NOW)
    assert services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW).startswith("paid")
    assert selectors.document_states([invoice])[invoice.pk].due == 0


@pytest.mark.django_db(transaction=True)
def test_the_same_webhook_delivered_twice_at_once_pays_once_and_answers_both(seeded, world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency on PostgreSQL")
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    user = UserFactory(roles=[Role.MAKER], email="twice@example.com")
    lifecycle.reservation_create(
        resource=world["overlock"], start=at(3, 10), end=at(3, 12), booked_by=user, user=user, now=NOW
    )
    invoice = Document.objects.get(account__user=user)
    intent = services.intent_start(document=invoice, user=user, now=NOW)
    body, headers = providers.provider("sandbox").event(intent=intent, succeeded=True, now=NOW)
    barrier, outcomes, errors = threading.Barrier(2), [], []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW))
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(o.split(":")[0].split(" ")[0] for o in outcomes) == ["paid", "replay"]
    assert Payment.objects.filter(document=invoice).count() == 1 and WebhookEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_rent_jobs_at_once_charge_a_lease_once(seeded, world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency on PostgreSQL")
    from tenants.models import Lease

    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            services.leases_bill(now=NOW)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for lease in Lease.objects.filter(status__in=["active", "ending"]):
        deposit = sum(c.amount_won for c in Charge.objects.filter(lease=lease, kind=ChargeKind.LEASE_DEPOSIT))
        assert deposit == lease.deposit_won
        assert Charge.objects.filter(lease=lease, kind=ChargeKind.RENT).count() == 1


def test_a_workbook_claiming_a_million_rows_is_refused_quickly(world, geumcheon_staff):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["거래일", "입금액", "적요"])
    for i in range(3000):
        ws.append(["2026-12-01", 1000, f"x{i}"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(services.BillingRefused):
        services.bank_import(
            anchor=world["geumcheon"],
            content=out.getvalue(),
            filename="b.xlsx",
            by=geumcheon_staff,
            now=NOW,
            dry_run=True,
        )


def test_a_csv_with_a_giant_field_is_refused_not_a_server_error(world, geumcheon_staff):
    content = ('거래일,입금액,적요\n2026-12-01,1000,"' + "x" * 200_000 + '"\n').encode()
    with pytest.raises(services.BillingRefused):
        services.bank_import(
            anchor=world["geumcheon"], content=content, filename="b.csv", by=geumcheon_staff, now=NOW, dry_run=True
        )


def test_a_form_posted_to_the_webhook_address_is_answered_400(client):
    assert client.post("/billing-webhooks/sandbox/", {"a": "b"}).status_code == 400


def test_an_online_refund_never_exceeds_the_online_payment_it_refunds(book, maker, geumcheon_staff):
    r = book()
    [invoice] = Document.objects.all()
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    body, headers = providers.provider("sandbox").event(intent=intent, succeeded=True, now=NOW)
    services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW)
    lifecycle.reservation_cancel(reservation=r, by=maker, now=NOW)
    due = selectors.document_states([invoice])[invoice.pk].refund_due
    services.refund_record(document=invoice, amount_won=due - 1, method=Method.ONLINE, by=geumcheon_staff, now=NOW)
    services.refund_record(document=invoice, amount_won=1, method=Method.ONLINE, by=geumcheon_staff, now=NOW)
    with pytest.raises(services.BillingRefused):
        services.refund_record(document=invoice, amount_won=1, method=Method.ONLINE, by=geumcheon_staff, now=NOW)
    check_ledger()
