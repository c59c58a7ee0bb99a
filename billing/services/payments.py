"""Payments and refunds, each against one invoice of the payer's account, the account row locked first, then checked:
no payment above what the invoice asks for (save money a provider already took: it is recorded and left to refund),
no refund above what was paid in excess, and the same payment never twice (a form's one-time key, the provider's
payment id, a bank row's fingerprint: unique columns)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.db import insert_unless_taken
from reservations.models import Reservation, Status

from .. import providers, selectors
from ..models import Account, Document, DocumentKind, IntentStatus, Method, Payment, PaymentIntent, WebhookEvent
from .ledger import BillingRefused, _lock, credit_apply

MAX_WON = 10**12  # no payment at an anchor comes near a trillion won: a larger figure is a typing mistake


def parse_amount(value: Any) -> int:
    """An amount of won as typed ("20,000", "20000원", " 20 000 "); refused unless a whole positive number."""
    text = re.sub(r"[\s,원₩]|KRW|won", "", str(value or ""), flags=re.IGNORECASE)
    if not re.fullmatch(r"\d{1,13}", text):
        raise BillingRefused(_("Enter the amount in whole won, like 20,000."))
    amount = int(text)
    if amount <= 0 or amount > MAX_WON:
        raise BillingRefused(_("Enter an amount above 0 won."))
    return amount


def _locked_invoice(document: Document) -> tuple[Account, Document, selectors.DocumentState]:
    account = _lock(document.account)
    doc = Document.objects.select_related("anchor").get(pk=document.pk)
    if doc.kind != DocumentKind.INVOICE:
        raise BillingRefused(_("A credit note is not paid; pay the invoice it corrects."))
    return account, doc, selectors.document_states([doc])[doc.pk]


@transaction.atomic
def payment_record(
    *,
    document: Document,
    amount_won: int,
    method: str,
    by: Any,
    now: datetime,
    reference: str = "",
    idempotency_key: str | None = None,
    provider_ref: str | None = None,
    bank_ref: str | None = None,
    taken_already: bool = False,
) -> Payment:
    """Record money received for an invoice. A second call with the same key or reference returns the first
    payment and records nothing. `taken_already`: the money is in (a provider's confirmation, a bank credit), so
    more than is due is recorded and the excess is left to refund rather than lost."""
    account, doc, state = _locked_invoice(document)
    for column, value in (("idempotency_key", idempotency_key), ("provider_ref", provider_ref), ("bank_ref", bank_ref)):
        if value:
            earlier = Payment.objects.filter(**{column: value}).first()
            if earlier is not None:
                return earlier
    if method not in Method.values or method == Method.CREDIT:
        raise BillingRefused(_("Choose how it was paid."))
    if amount_won <= 0:
        raise BillingRefused(_("Enter an amount above 0 won."))
    # Money already taken is recorded whatever the anchor's terms say now (online turned off since the checkout
    # began, an unusual amount): refusing it would lose it from the ledger. Only what staff type is checked.
    if not taken_already and method not in selectors.policy_for(doc.anchor_id).methods():
        raise BillingRefused(_("This anchor does not take payments that way."))
    if not taken_already and amount_won > MAX_WON:
        raise BillingRefused(_("Enter an amount above 0 won."))
    if not taken_already and amount_won > state.due:
        if state.due <= 0:
            raise BillingRefused(_("Invoice %(code)s is already paid; nothing was recorded.") % {"code": doc.code})
        raise BillingRefused(
            _("Invoice %(code)s asks for %(due)s won; %(amount)s won is more. Nothing was recorded.")
            % {"code": doc.code, "due": f"{state.due:,}", "amount": f"{amount_won:,}"}
        )
    payment = Payment.objects.create(
        account=account,
        anchor_id=doc.anchor_id,
        document=doc,
        method=method,
        amount_won=amount_won,
        at=now,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        reference=reference.strip()[:120],
        idempotency_key=idempotency_key or None,
        provider_ref=provider_ref or None,
        bank_ref=bank_ref or None,
    )
    if taken_already:
        credit_apply(account=account, now=now)  # money above what the invoice asks for pays the account's others
    confirm_when_paid(doc, now=now)
    return payment


def confirm_when_paid(doc: Document, *, now: datetime) -> None:
    """Bookings on a fully paid invoice that were held until paid are confirmed once the payment commits (in their
    own transactions: a booking's lock comes before its payer's, never after)."""
    if selectors.document_states([doc])[doc.pk].due > 0:
        return
    held = list(
        Reservation.objects.filter(billing_charges__document=doc, status=Status.REQUESTED, awaiting_payment=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    if held:
        transaction.on_commit(lambda: paid_bookings_confirm(now=now, ids=held))


def paid_bookings_confirm(*, now: datetime, ids: list[int] | None = None) -> int:
    """Confirm the bookings held until paid whose invoices are paid (after a payment commits, and every few
    minutes for any a stopped process left behind)."""
    from reservations.services import reservation_confirm_paid

    held = Reservation.objects.filter(status=Status.REQUESTED, awaiting_payment=True)
    if ids is not None:
        held = held.filter(pk__in=ids)
    n = 0
    for r in held:
        docs = selectors.with_states(
            Document.objects.filter(lines__reservation=r, kind=DocumentKind.INVOICE).distinct()
        )
        if docs and all(d.state.due <= 0 for d in docs) and reservation_confirm_paid(reservation=r, now=now):
            n += 1
    return n


@transaction.atomic
def refund_record(
    *,
    document: Document,
    amount_won: int,
    method: str,
    by: Any,
    now: datetime,
    note: str = "",
    idempotency_key: str | None = None,
) -> Payment:
    """Pay back money received above what an invoice now asks for (a cancellation, a returned deposit). An online
    payment is refunded through its provider; the desk's and transfers are recorded as paid back by the staff."""
    account, doc, state = _locked_invoice(document)
    if idempotency_key:
        earlier = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if amount_won <= 0:
        raise BillingRefused(_("Enter an amount above 0 won."))
    if amount_won > state.refund_due:
        raise BillingRefused(
            _("Invoice %(code)s has %(due)s won to refund; %(amount)s won is more. Nothing was recorded.")
            % {"code": doc.code, "due": f"{state.refund_due:,}", "amount": f"{amount_won:,}"}
        )
    if method not in (Method.CARD, Method.CASH, Method.TRANSFER, Method.ONLINE):
        raise BillingRefused(_("Choose how it is paid back."))
    original, reference = None, ""
    if method == Method.ONLINE:
        original = refundable_online(doc, amount_won)
        if original is None:
            raise BillingRefused(_("Nothing on this invoice was paid online; refund it at the desk or by transfer."))
        # Asked last, just before the row is written under the account's lock (a payment row is never changed
        # afterwards, so the provider's reference goes in with it): a provider that refuses leaves nothing recorded.
        reference = providers.provider().refund(original.provider_ref or "", amount_won)
    return Payment.objects.create(
        account=account,
        anchor_id=doc.anchor_id,
        document=doc,
        method=method,
        amount_won=-amount_won,
        at=now,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        reference=reference,
        note=note.strip()[:300],
        refund_of=original,
        idempotency_key=idempotency_key or None,
    )


def refundable_online(doc: Document, amount_won: int) -> Payment | None:
    """The latest online payment of the invoice with at least `amount_won` not yet refunded, if any."""
    for p in doc.payments.filter(method=Method.ONLINE, amount_won__gt=0).order_by("-at", "-pk"):
        refunded = -sum(r.amount_won for r in p.refunds.all())
        if p.amount_won - refunded >= amount_won:
            return p
    return None


@transaction.atomic
def intent_start(*, document: Document, user: Any, now: datetime) -> PaymentIntent:
    """Start (or continue) paying an invoice online: one open payment per invoice, so a double click or a second
    tab goes on with the same one. Refused when nothing is due or the anchor takes no online payment."""
    _account, doc, state = _locked_invoice(document)
    if not selectors.may_see_account(user, doc.account):
        raise BillingRefused(_("This invoice is not yours."))
    if not selectors.takes_online(doc.anchor_id):
        raise BillingRefused(_("This anchor does not take online payments; pay at the desk or by transfer."))
    if state.due <= 0:
        raise BillingRefused(_("Invoice %(code)s is already paid; nothing was recorded.") % {"code": doc.code})
    open_intent = PaymentIntent.objects.filter(document=doc, status=IntentStatus.OPEN).first()
    if open_intent is not None:
        if open_intent.amount_won == state.due:
            return open_intent
        open_intent.status = IntentStatus.FAILED  # the invoice changed since: that checkout is void
        open_intent.save(update_fields=["status"])
    return PaymentIntent.objects.create(
        document=doc,
        provider=providers.provider().name,
        amount_won=state.due,
        created_at=now,
        started_by=user,
    )


def webhook_receive(*, provider_name: str, body: bytes, headers: dict[str, str], now: datetime) -> str:
    """Handle one provider event: verified (else providers.WebhookRejected), then handled once; a replay, however
    often, finds its first handling and changes nothing. Returns what was done."""
    provider = providers.provider(provider_name)
    event = provider.verify(body, headers, now=now)
    with transaction.atomic():
        # The event is claimed first (INSERT … ON CONFLICT DO NOTHING): of two deliveries at once, the second waits
        # for the first's commit, finds the row and is a replay; if the first fails, its claim goes with it.
        claim = WebhookEvent(provider=provider.name, event_id=event.event_id, received_at=now, outcome="")
        if not insert_unless_taken(claim, unique_field=("provider", "event_id")):
            seen = WebhookEvent.objects.get(provider=provider.name, event_id=event.event_id)
            return f"replay: {seen.outcome}"
        intent_id = _uuid(event.intent_id)
        intent = (
            PaymentIntent.objects.filter(pk=intent_id, provider=provider.name).first()
            if intent_id is not None
            else None
        )
        outcome = "unknown payment" if intent is None else _handle(intent, event, now)
        WebhookEvent.objects.filter(pk=claim.pk).update(outcome=outcome[:200])
    return outcome


@transaction.atomic
def sandbox_checkout(*, intent: PaymentIntent, succeeded: bool, now: datetime) -> str:
    """The sandbox's checkout: the payer pays (or gives up) and the sandbox sends its signed event to the same
    handler as the webhook address. The account is locked first and the payment re-read, so two clicks of "pay"
    send one event: the second finds it handled."""
    _lock(intent.document.account)
    intent = PaymentIntent.objects.get(pk=intent.pk)
    if intent.status != IntentStatus.OPEN:
        return "handled already"
    body, headers = providers.provider("sandbox").event(intent=intent, succeeded=succeeded, now=now)
    return webhook_receive(provider_name="sandbox", body=body, headers=headers, now=now)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _handle(intent: PaymentIntent, event: providers.ProviderEvent, now: datetime) -> str:
    account = _lock(intent.document.account)
    intent = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
    if event.type == "payment.failed":
        if intent.status == IntentStatus.OPEN:
            intent.status = IntentStatus.FAILED
            intent.save(update_fields=["status"])
        return "failed"
    if event.type != "payment.succeeded":
        return f"ignored {event.type[:40]}"
    # The money is taken: it is recorded even if the intent was given up or the invoice paid meanwhile (then it is
    # left to refund), never dropped.
    payment = payment_record(
        document=intent.document,
        amount_won=event.amount_won,
        method=Method.ONLINE,
        by=None,
        now=now,
        reference=event.payment_ref,
        provider_ref=event.payment_ref or f"{intent.provider}:{event.event_id}",
        taken_already=True,
    )
    intent.status = IntentStatus.PAID
    intent.save(update_fields=["status"])
    return f"paid {payment.amount_won} on {intent.document.code} ({account.pk})"


# --- Bank statements -------------------------------------------------------------------------------------------


@dataclass
class BankRow:
    line: int
    day: date | None
    amount_won: int | None
    memo: str
    fingerprint: str
    document: Document | None = None
    problem: str = ""
    payment: Payment | None = None

    @property
    def matched(self) -> bool:
        return self.document is not None and not self.problem


@dataclass
class BankImport:
    rows: list[BankRow] = field(default_factory=list)
    error: str = ""
    dry_run: bool = True

    @property
    def matched(self) -> list[BankRow]:
        return [r for r in self.rows if r.matched]

    @property
    def left(self) -> list[BankRow]:
        return [r for r in self.rows if not r.matched]


CODE_RE = re.compile(r"A\d{1,6}-\d{4}-I\d{5,7}")
DATE_HEADERS = ("date", "거래일", "거래일자", "거래일시", "일자")
AMOUNT_HEADERS = ("amount", "입금액", "입금", "금액")
MEMO_HEADERS = ("memo", "적요", "내용", "입금자", "기재내용", "reference")


MAX_ROWS = 2000
MAX_CELL = 500  # characters kept of a cell: a statement's memo is short


def _read_table(content: bytes, filename: str) -> list[list[str]]:
    """The rows of a CSV or XLSX statement, at most the header, MAX_ROWS and one more (to tell there are too many),
    20 columns each, cells cut to MAX_CELL characters: a hostile file cannot make the worker read a million rows."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            rows = islice(sheet.iter_rows(values_only=True, max_col=20), MAX_ROWS + 2)
            return [["" if v is None else str(v)[:MAX_CELL] for v in row] for row in rows]
        except Exception:  # noqa: BLE001  openpyxl raises many kinds for a file that is not a workbook
            raise BillingRefused(_("The file is not a readable XLSX workbook.")) from None
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BillingRefused(_("The file is neither UTF-8 nor CP949 text."))
    try:
        return [[c[:MAX_CELL] for c in row[:20]] for row in islice(csv.reader(io.StringIO(text)), MAX_ROWS + 2)]
    except csv.Error:
        raise BillingRefused(_("The file is not a readable CSV file.")) from None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [h.strip().lower() for h in header]
    for name in names:
        if name in cleaned:
            return cleaned.index(name)
    return None


def _day(value: str) -> date | None:
    m = re.match(r"\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})", value or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def bank_import(*, anchor: Any, content: bytes, filename: str, by: Any, now: datetime, dry_run: bool) -> BankImport:
    """Match a bank statement's credits (CSV or XLSX: a date, an amount, a memo column) to the anchor's invoices by
    the invoice number in the memo. A dry run writes nothing; an import records each matched row once (its
    fingerprint), however often the file is imported. Rows with no known number, another anchor's invoice or more
    than is due are left for the staff with the reason."""
    result = BankImport(dry_run=dry_run)
    if len(content) > 2 * 1024 * 1024:
        raise BillingRefused(_("The file is larger than 2 MB."))
    table = [r for r in _read_table(content, filename) if any(c.strip() for c in r)]
    if not table:
        raise BillingRefused(_("The file has no rows."))
    header, body = table[0], table[1:]
    cols = [_column(header, names) for names in (DATE_HEADERS, AMOUNT_HEADERS, MEMO_HEADERS)]
    if any(c is None for c in cols):
        raise BillingRefused(
            _("The first row must name a date, an amount and a memo column (for example 거래일, 입금액, 적요).")
        )
    date_col, amount_col, memo_col = (int(c) for c in cols)  # type: ignore[arg-type]
    if len(body) > MAX_ROWS:
        raise BillingRefused(_("At most 2,000 rows at a time."))
    occurrences: dict[tuple[str, str, str], int] = {}
    planned: dict[int, int] = {}  # what earlier rows of this file pay each invoice (a dry run records nothing)
    for i, row in enumerate(body, start=2):
        day_text, amount_text, memo = (row[c].strip() if c < len(row) else "" for c in (date_col, amount_col, memo_col))
        memo = memo[:200]
        key = (day_text, amount_text, memo)
        occurrences[key] = occurrences.get(key, 0) + 1  # two equal transfers on one day are two payments
        fingerprint = hashlib.sha256(f"{anchor.pk}|{'|'.join(key)}|{occurrences[key]}".encode()).hexdigest()[:64]
        item = BankRow(line=i, day=_day(day_text), amount_won=None, memo=memo, fingerprint=fingerprint)
        result.rows.append(item)
        try:
            item.amount_won = parse_amount(amount_text)
        except BillingRefused:
            item.problem = _("The amount is not a whole number of won.")
            continue
        if item.day is None:
            item.problem = _("The date is not a date.")
            continue
        codes = CODE_RE.findall(memo.upper())
        if not codes:
            item.problem = _("No invoice number in the memo.")
            continue
        doc = Document.objects.filter(code=codes[0], kind=DocumentKind.INVOICE).first()
        if doc is None or doc.anchor_id != anchor.pk:
            item.problem = _("No invoice %(code)s at this anchor.") % {"code": codes[0]}
            continue
        item.document = doc
        earlier = Payment.objects.filter(bank_ref=fingerprint).first()
        if earlier is not None:
            item.payment = earlier
            item.problem = _("Already recorded.")
            continue
        due = selectors.document_states([doc])[doc.pk].due - (planned.get(doc.pk, 0) if dry_run else 0)
        if item.amount_won > due:
            item.problem = _("More than the %(due)s won the invoice asks for: check it and record it by hand.") % {
                "due": f"{due:,}"
            }
            continue
        planned[doc.pk] = planned.get(doc.pk, 0) + item.amount_won
        if not dry_run:
            try:
                item.payment = payment_record(
                    document=doc,
                    amount_won=item.amount_won,
                    method=Method.TRANSFER,
                    by=by,
                    now=now,
                    reference=f"{item.day:%Y-%m-%d} {memo}"[:120],
                    bank_ref=fingerprint,
                )
            except BillingRefused as e:
                item.problem = " ".join(e.messages)
    return result
