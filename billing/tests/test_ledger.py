"""Charges, invoices and credit notes follow a booking's life; payments, refunds and moves of credit."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from billing import selectors, services
from billing.models import Charge, ChargeKind, Document, DocumentKind, Method, Payment
from reservations.services import lifecycle

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def _invoices(account):
    return selectors.documents_of(account)


def test_a_confirmed_booking_is_invoiced_once_with_its_fee(book, maker):
    r = book()
    assert r.fee_won > 0
    [inv] = _invoices(maker.billing_account)
    assert inv.kind == DocumentKind.INVOICE and inv.total_won == r.fee_won + r.deposit_won
    assert inv.code.startswith(f"A{r.anchor_id}-2026-I") and inv.number == 1
    assert inv.state.due == inv.total_won
    assert services.reservation_sync(reservation=r, now=NOW) == []  # nothing left to change
    assert Document.objects.count() == 1


def test_free_cancellation_credits_the_invoice_and_a_paid_one_is_to_refund(book, maker, geumcheon_staff):
    r = book()
    [inv] = _invoices(maker.billing_account)
    services.payment_record(document=inv, amount_won=inv.total_won, method=Method.CARD, by=geumcheon_staff, now=NOW)
    lifecycle.reservation_cancel(reservation=r, by=maker, now=NOW)
    docs = _invoices(maker.billing_account)
    credit = next(d for d in docs if d.kind == DocumentKind.CREDIT_NOTE)
    inv = next(d for d in docs if d.kind == DocumentKind.INVOICE)
    assert credit.corrects_id == inv.pk and credit.total_won == inv.total_won
    assert inv.state.net == 0 and inv.state.refund_due == inv.total_won
    owed = selectors.owed_by_anchor(r.anchor, today=NOW.date())
    assert [d.pk for d in owed.refunds] == [inv.pk] and owed.total == 0
    with pytest.raises(services.BillingRefused):
        services.refund_record(
            document=inv, amount_won=inv.total_won + 1, method=Method.CARD, by=geumcheon_staff, now=NOW
        )
    services.refund_record(document=inv, amount_won=inv.total_won, method=Method.CARD, by=geumcheon_staff, now=NOW)
    assert selectors.document_states([inv])[inv.pk].due == 0
    assert selectors.account_balance(maker.billing_account) == 0


def test_late_cancellation_keeps_the_charge_and_moves_the_payment(book, maker, geumcheon_staff):
    r = book(start=at(3, 10), end=at(3, 12))
    [inv] = _invoices(maker.billing_account)
    services.payment_record(document=inv, amount_won=inv.total_won, method=Method.CASH, by=geumcheon_staff, now=NOW)
    late = at(3, 9)
    charge = lifecycle.cancellation_charge(r, now=late)
    assert charge > 0
    lifecycle.reservation_cancel(reservation=r, by=maker, now=late, accepted_charge_won=charge)
    account = maker.billing_account
    assert selectors.account_balance(account) == -(inv.total_won - charge)  # owed back: all but the charge
    by_kind = {}
    for c in Charge.objects.filter(reservation=r):
        by_kind[c.kind] = by_kind.get(c.kind, 0) + c.amount_won
    assert by_kind[ChargeKind.FEE] == 0 and by_kind[ChargeKind.CANCELLATION] == charge
    charge_invoice = Document.objects.get(kind=DocumentKind.INVOICE, lines__kind=ChargeKind.CANCELLATION)
    assert selectors.document_states([charge_invoice])[charge_invoice.pk].due == 0  # paid by the moved money
    assert Payment.objects.filter(method=Method.CREDIT).count() == 2


def test_a_payment_above_what_is_due_or_twice_is_refused(book, maker, geumcheon_staff):
    book()
    [inv] = _invoices(maker.billing_account)
    with pytest.raises(services.BillingRefused):
        services.payment_record(document=inv, amount_won=inv.total_won + 1, method=Method.CARD, by=None, now=NOW)
    first = services.payment_record(
        document=inv, amount_won=inv.total_won, method=Method.CARD, by=None, now=NOW, idempotency_key="k1"
    )
    again = services.payment_record(
        document=inv, amount_won=inv.total_won, method=Method.CARD, by=None, now=NOW, idempotency_key="k1"
    )
    assert again.pk == first.pk and Payment.objects.count() == 1
    with pytest.raises(services.BillingRefused):
        services.payment_record(document=inv, amount_won=1, method=Method.CARD, by=None, now=NOW)


def test_a_move_to_a_dearer_slot_invoices_the_difference(book, maker):
    r = book(start=at(3, 10), end=at(3, 12))
    lifecycle.reservation_move(reservation=r, start=at(3, 10), end=at(3, 14), by=maker, now=NOW)
    r.refresh_from_db()
    total = sum(c.amount_won for c in Charge.objects.filter(reservation=r, kind=ChargeKind.FEE))
    assert total == r.fee_won
    assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == 2


def test_issued_documents_and_payments_are_never_changed(book, maker, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL triggers")
    book()
    [inv] = _invoices(maker.billing_account)
    p = services.payment_record(document=inv, amount_won=1000, method=Method.CARD, by=None, now=NOW)
    for statement in (
        lambda: Document.objects.filter(pk=inv.pk).update(total_won=1),
        lambda: Document.objects.filter(pk=inv.pk).delete(),
        lambda: Payment.objects.filter(pk=p.pk).update(amount_won=5),
        lambda: Charge.objects.filter(document=inv).update(amount_won=5),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            statement()


def test_a_guest_booked_at_the_desk_gets_an_account_by_name_and_phone(book):
    r1 = book(guest="김손님")
    r2 = book(guest="김손님", start=at(4, 10), end=at(4, 12))
    assert r1.billing_charges.first().account_id == r2.billing_charges.first().account_id
