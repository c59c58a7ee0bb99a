"""Online payments (webhooks verified and handled once), bank statements (a dry run, then each row once), amounts
as typed, and invoice numbers under concurrent issuing."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from billing import providers, selectors, services
from billing.models import Document, IntentStatus, Method, Payment, WebhookEvent

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(book, maker):
    book(start=at(3, 10), end=at(3, 12))
    return Document.objects.get(account__user=maker)


def _signed(intent, *, succeeded=True, now=NOW):
    return providers.provider("sandbox").event(intent=intent, succeeded=succeeded, now=now)


def test_a_replayed_webhook_changes_nothing(invoice, maker):
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    body, headers = _signed(intent)
    first = services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW)
    for _ in range(3):
        again = services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW)
        assert again.startswith("replay")
    assert first.startswith("paid")
    assert Payment.objects.filter(method=Method.ONLINE).count() == 1 and WebhookEvent.objects.count() == 1
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID
    assert selectors.document_states([invoice])[invoice.pk].due == 0


def test_unsigned_tampered_or_stale_webhooks_are_refused(invoice, maker):
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    body, headers = _signed(intent)
    tampered = body.replace(str(intent.amount_won).encode(), b"1")
    for b, h, now in (
        (body, {}, NOW),
        (tampered, headers, NOW),
        (body, {providers.SIGNATURE_HEADER: headers[providers.SIGNATURE_HEADER].replace("v1=", "v1=0")}, NOW),
        (body, headers, NOW + timedelta(minutes=10)),
    ):
        with pytest.raises(providers.WebhookRejected):
            services.webhook_receive(provider_name="sandbox", body=b, headers=h, now=now)
    assert not Payment.objects.exists() and not WebhookEvent.objects.exists()


def test_the_webhook_address_answers_400_to_a_forgery_and_200_once_to_the_provider(client, invoice, maker):
    from django.utils import timezone

    intent = services.intent_start(document=invoice, user=maker, now=timezone.now())
    body, headers = _signed(intent, now=timezone.now())
    url = "/billing-webhooks/sandbox/"
    assert client.post(url, data=b"{}", content_type="application/json").status_code == 400
    h = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    ok = client.post(url, data=body, content_type="application/json", **h)
    assert ok.status_code == 200 and ok.json()["outcome"].startswith("paid")
    again = client.post(url, data=body, content_type="application/json", **h)
    assert again.status_code == 200 and again.json()["outcome"].startswith("replay")
    assert client.post("/billing-webhooks/stripe/", data=body, content_type="application/json").status_code == 404
    assert Payment.objects.count() == 1


def test_money_taken_after_the_invoice_was_paid_at_the_desk_is_kept_to_refund(invoice, maker, geumcheon_staff):
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    services.payment_record(
        document=invoice, amount_won=invoice.total_won, method=Method.CASH, by=geumcheon_staff, now=NOW
    )
    body, headers = _signed(intent)
    services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW)
    state = selectors.document_states([invoice])[invoice.pk]
    assert state.refund_due == invoice.total_won  # never lost: listed for the staff to give back
    refund = services.refund_record(
        document=invoice, amount_won=state.refund_due, method=Method.ONLINE, by=geumcheon_staff, now=NOW
    )
    assert refund.amount_won == -invoice.total_won and refund.reference.startswith("sbx_refund_")
    assert selectors.document_states([invoice])[invoice.pk].due == 0


def test_another_makers_invoice_cannot_be_paid_online(invoice, other_maker):
    with pytest.raises(services.BillingRefused):
        services.intent_start(document=invoice, user=other_maker, now=NOW)


@pytest.mark.parametrize(
    ("typed", "won"), [("20,000", 20000), ("20000원", 20000), (" 20 000 ", 20000), ("₩1,500", 1500)]
)
def test_amounts_as_people_type_them(typed, won):
    assert services.parse_amount(typed) == won


@pytest.mark.parametrize("typed", ["", "0", "-5", "1.5", "이만원", "1e6", "9" * 14, "20,000;DROP", None])
def test_amounts_that_are_not_whole_won_are_refused(typed):
    with pytest.raises(services.BillingRefused):
        services.parse_amount(typed)


def _statement(rows):
    lines = ["거래일,입금액,적요"] + [",".join(r) for r in rows]
    return "\n".join(lines).encode("utf-8")


def test_a_bank_statement_dry_run_records_nothing_and_an_import_records_each_row_once(invoice, world, geumcheon_staff):
    half = invoice.total_won // 2
    content = _statement(
        [
            ("2026-12-02", f"{half}", f"홍길동 {invoice.code}"),
            ("2026-12-02", f"{half}", f"홍길동 {invoice.code}"),  # the same transfer twice that day: two payments
            ("2026-12-02", "5000", "누군지 모름"),
            ("2026-12-02", "5000", "A999-2026-I00001"),
            ("어제", "5000", invoice.code),
            ("2026-12-02", "오천", invoice.code),
        ]
    )
    args = dict(anchor=world["geumcheon"], content=content, filename="bank.csv", by=geumcheon_staff, now=NOW)
    dry = services.bank_import(**args, dry_run=True)
    assert [r.line for r in dry.matched] == [2, 3] and len(dry.left) == 4 and not Payment.objects.exists()
    assert [bool(r.problem) for r in dry.left] == [True] * 4
    done = services.bank_import(**args, dry_run=False)
    assert len(done.matched) == 2 and Payment.objects.filter(method=Method.TRANSFER).count() == 2
    again = services.bank_import(**args, dry_run=False)
    assert not again.matched and Payment.objects.count() == 2  # a file imported twice pays nothing twice


def test_a_bank_row_for_another_anchors_invoice_or_above_what_is_due_is_left(invoice, world, geumcheon_staff):
    content = _statement([("2026-12-02", f"{invoice.total_won + 1}", invoice.code)])
    result = services.bank_import(
        anchor=world["geumcheon"], content=content, filename="b.csv", by=geumcheon_staff, now=NOW, dry_run=False
    )
    assert result.left and not Payment.objects.exists()
    result = services.bank_import(
        anchor=world["changsin"],
        content=_statement([("2026-12-02", "1000", invoice.code)]),
        filename="b.csv",
        by=geumcheon_staff,
        now=NOW,
        dry_run=False,
    )
    assert result.left and not Payment.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "a.csv"),
        (b"date,amount\n2026-12-01,5", "a.csv"),
        (b"\xff\xfe\x00junk", "a.xlsx"),
        (b"x" * 3_000_000, "a.csv"),
    ],
)
def test_unreadable_statements_are_refused_with_a_reason(content, name, world, geumcheon_staff):
    with pytest.raises(services.BillingRefused):
        services.bank_import(
            anchor=world["geumcheon"], content=content, filename=name, by=geumcheon_staff, now=NOW, dry_run=True
        )


@pytest.mark.django_db(transaction=True)
def test_invoice_numbers_have_no_gaps_or_repeats_under_concurrent_issuing(seeded, world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency on PostgreSQL")
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from reservations.services import lifecycle

    makers = [UserFactory(roles=[Role.MAKER], email=f"c{i}@example.com") for i in range(8)]
    barrier = threading.Barrier(len(makers))
    errors = []

    def book(i, user):
        try:
            barrier.wait()
            lifecycle.reservation_create(
                resource=world["overlock"] if i % 2 else world["sewing"],
                start=at(7 + i // 2, 10),
                end=at(7 + i // 2, 12),
                booked_by=user,
                user=user,
                now=NOW,
            )
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i, u)) for i, u in enumerate(makers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(
        Document.objects.filter(anchor=world["geumcheon"], year=2026, kind="invoice").values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(makers) + 1))
    assert len(set(Document.objects.values_list("code", flat=True))) == len(makers)


def test_the_sandbox_event_is_what_a_provider_sends(invoice, maker):
    intent = services.intent_start(document=invoice, user=maker, now=NOW)
    body, headers = _signed(intent, succeeded=False)
    data = json.loads(body)
    assert data["type"] == "payment.failed" and data["intent"] == str(intent.pk)
    assert services.webhook_receive(provider_name="sandbox", body=body, headers=headers, now=NOW) == "failed"
    intent.refresh_from_db()
    assert intent.status == IntentStatus.FAILED and not Payment.objects.exists()
