"""An anchor that is paid before it confirms: a maker's booking is held until its invoice is paid, then confirmed;
unpaid when the hold runs out, it is released and its invoice credited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from billing import providers, selectors, services
from billing.models import BillingPolicy, Document, DocumentKind, Method
from notifications.models import Outbox
from reservations.models import Status
from reservations.services import housekeeping, lifecycle

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay_first(world):
    BillingPolicy.objects.update_or_create(
        anchor=world["geumcheon"], defaults={"pay_first": True, "payment_hold_minutes": 30, "created_at": NOW}
    )


def test_a_makers_booking_is_held_until_paid_online_then_confirmed(
    pay_first, book, maker, django_capture_on_commit_callbacks
):
    r = book(start=at(3, 10), end=at(3, 12))
    assert r.status == Status.REQUESTED and r.awaiting_payment
    assert r.hold_expires_at == NOW + timedelta(minutes=30)
    [invoice] = Document.objects.filter(lines__reservation=r)
    assert invoice.total_won == r.fee_won + r.deposit_won
    assert Outbox.objects.filter(kind="notice:awaiting_payment", user=maker).exists()
    assert not Outbox.objects.filter(kind__startswith="staff-alert").exists()  # nothing for the staff to decide
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    body, headers = providers.provider("sandbox").event(intent=intent, succeeded=True, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW)
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED and not r.awaiting_payment and r.hold_expires_at is None


def test_unpaid_when_the_hold_runs_out_it_is_released_and_credited(pay_first, book, maker):
    r = book(start=at(3, 10), end=at(3, 12))
    housekeeping.reservations_expire_requests(now=NOW + timedelta(minutes=31))
    r.refresh_from_db()
    assert r.status == Status.EXPIRED
    [invoice] = selectors.with_states(Document.objects.filter(kind=DocumentKind.INVOICE))
    assert invoice.state.net == 0 and invoice.state.due == 0
    assert Document.objects.filter(kind=DocumentKind.CREDIT_NOTE, corrects=invoice).exists()


def test_money_that_arrives_after_the_release_is_to_refund(pay_first, book, maker, django_capture_on_commit_callbacks):
    r = book(start=at(3, 10), end=at(3, 12))
    [invoice] = Document.objects.all()
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    later = NOW + timedelta(minutes=31)
    housekeeping.reservations_expire_requests(now=later)
    body, headers = providers.provider("sandbox").event(intent=intent, succeeded=True, now=later)
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=later)
    r.refresh_from_db()
    assert r.status == Status.EXPIRED  # the slot was released; the money is not lost
    assert selectors.document_states([invoice])[invoice.pk].refund_due == invoice.total_won


def test_a_desk_payment_confirms_it_and_staff_bookings_are_confirmed_at_once(
    pay_first, book, maker, geumcheon_staff, django_capture_on_commit_callbacks
):
    r = book(start=at(3, 10), end=at(3, 12))
    [invoice] = Document.objects.all()
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(
            document=invoice, amount_won=invoice.total_won, method=Method.CARD, by=geumcheon_staff, now=NOW
        )
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED
    desk = lifecycle.reservation_create(
        resource=r.resource,
        start=at(4, 10),
        end=at(4, 12),
        booked_by=geumcheon_staff,
        user=maker,
        as_staff=True,
        now=NOW,
    )
    assert desk.status == Status.CONFIRMED and not desk.awaiting_payment


def test_a_paid_booking_moved_stays_confirmed(pay_first, book, maker, django_capture_on_commit_callbacks):
    r = book(start=at(3, 10), end=at(3, 12))
    [invoice] = Document.objects.all()
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(document=invoice, amount_won=invoice.total_won, method=Method.CASH, by=None, now=NOW)
    r.refresh_from_db()
    moved = lifecycle.reservation_move(reservation=r, start=at(3, 13), end=at(3, 15), by=maker, now=NOW)
    assert moved.status == Status.CONFIRMED


def test_the_periodic_job_confirms_one_a_stopped_process_left_behind(pay_first, book, maker):
    r = book(start=at(3, 10), end=at(3, 12))
    [invoice] = Document.objects.all()
    services.payment_record(document=invoice, amount_won=invoice.total_won, method=Method.CASH, by=None, now=NOW)
    r.refresh_from_db()
    assert r.status == Status.REQUESTED  # the commit's confirmation never ran (this test's transaction)
    assert services.paid_bookings_confirm(now=NOW) == 1
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED
    assert services.paid_bookings_confirm(now=NOW) == 0


def test_the_booking_page_asks_to_pay_and_says_until_when(pay_first, book, maker, client):
    r = book(start=at(3, 10), end=at(3, 12))
    [invoice] = Document.objects.all()
    client.force_login(maker)
    page = client.get(r.get_absolute_url()).content.decode()
    assert invoice.get_absolute_url() in page and "결제 대기" in page
