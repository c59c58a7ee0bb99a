"""Billing's figures, each computed here and nowhere else: what each invoice still asks for, what an account owes,
what the anchors are owed by age, what the desk took in on a day, what is to be refunded, and the fee revenue the
budget pages report (docs/billing.md).

- An invoice's **net** is its total less the credit notes that correct it; **paid** is what was received for it less
  what was paid back; **due** is net less paid. A due below zero is money to give back (`refund_due`).
- **Fee revenue** of a period: the net charges (fees, late cancellation and no-show charges, VAT included as the
  rate tables charge it; not deposits)
  of the reservations that start in it, the same rule as `reservations.figures` (a test holds them equal).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from anchors.models import Anchor
from common import catalogue
from common.time import SEOUL
from reservations.figures import BOOKED, period_bounds
from reservations.models import Reservation, Status

from .models import (
    REVENUE_KINDS,
    Account,
    BillingPolicy,
    Charge,
    ChargeKind,
    DepositSettlement,
    Document,
    DocumentKind,
    Method,
    Payment,
)

POLICY_FIELDS = tuple(
    f.attname for f in BillingPolicy._meta.concrete_fields if f.attname not in ("created_at", "updated_at")
)


def policy_for(anchor_id: int) -> BillingPolicy:
    """The anchor's billing terms (the example defaults, not saved, for an anchor without a row); kept in the
    process while the catalogue stands still."""

    def load() -> tuple[Any, ...] | None:
        row = BillingPolicy.objects.filter(anchor_id=anchor_id).values_list(*POLICY_FIELDS).first()
        return tuple(row) if row is not None else None

    row = catalogue.kept(("billing_policy", anchor_id), load)
    if row is None:
        return BillingPolicy(anchor_id=anchor_id)
    return BillingPolicy.from_db(DEFAULT_DB_ALIAS, POLICY_FIELDS, copy.deepcopy(row))


def takes_online(anchor_id: int) -> bool:
    """The anchor takes online payments and a provider is configured (the page's button and the service agree)."""
    from django.conf import settings

    provider = settings.BILLING_ONLINE_PROVIDER
    return (
        Method.ONLINE in policy_for(anchor_id).methods() and bool(provider) and provider in settings.BILLING_PROVIDERS
    )


def desired_for_reservation(r: Reservation, settlement: DepositSettlement | None) -> dict[str, tuple[int, int]]:
    """What a reservation should have cost its payer so far, per kind of charge, as (amount, of which VAT): the fee
    while it is booked (its VAT as the rate table's fee lines computed it), the charge kept after a late
    cancellation or a no-show (after any waiver), the deposit while it is held and, once settled, what was kept of
    it for damage. A booking held until paid owes its fee and deposit from the start."""
    # A booking held until it is paid is invoiced at once (that is what it waits for).
    booked = r.status in BOOKED or (r.status == Status.REQUESTED and r.awaiting_payment)
    if settlement is not None:
        deposit = settlement.kept_won
    else:
        deposit = r.deposit_won if booked else 0
    fee = r.fee_won if booked and not r.fee_exempt else 0
    fee_vat = sum(int(line.get("vat_won") or 0) for line in (r.fee_lines or [])) if fee else 0
    return {
        ChargeKind.FEE: (fee, fee_vat),
        ChargeKind.CANCELLATION: (r.charge_won if r.status == Status.CANCELLED else 0, 0),
        ChargeKind.NO_SHOW: (r.charge_won if r.status == Status.NO_SHOW else 0, 0),
        ChargeKind.DEPOSIT: (deposit, 0),
    }


@dataclass
class DocumentState:
    net: int  # the total less the credit notes that correct it (a credit note: what it credits)
    received: int  # payments in
    refunded: int  # payments out (positive)

    @property
    def paid(self) -> int:
        return self.received - self.refunded

    @property
    def due(self) -> int:
        return self.net - self.paid

    @property
    def refund_due(self) -> int:
        return max(0, -self.due)

    @property
    def settled(self) -> bool:
        return self.due == 0


def document_states(docs: Iterable[Document]) -> dict[int, DocumentState]:
    """Net, received and refunded of each invoice (2 queries, whatever their number). Credit notes are listed with
    what they credit and nothing to pay."""
    docs = list(docs)
    ids = [d.pk for d in docs if d.kind == DocumentKind.INVOICE]
    credited = dict(
        Document.objects.filter(corrects_id__in=ids)
        .values("corrects_id")
        .annotate(s=Sum("total_won"))
        .values_list("corrects_id", "s")
    )
    money: dict[int, dict[str, int]] = {}
    for row in (
        Payment.objects.filter(document_id__in=ids)
        .values("document_id")
        .annotate(
            received=Coalesce(Sum("amount_won", filter=Q(amount_won__gt=0)), 0),
            refunded=Coalesce(Sum("amount_won", filter=Q(amount_won__lt=0)), 0),
        )
    ):
        money[row["document_id"]] = row
    out = {}
    for d in docs:
        if d.kind == DocumentKind.CREDIT_NOTE:
            out[d.pk] = DocumentState(net=d.total_won, received=0, refunded=0)
            continue
        m = money.get(d.pk, {})
        out[d.pk] = DocumentState(
            net=d.total_won - (credited.get(d.pk) or 0),
            received=m.get("received", 0),
            refunded=-m.get("refunded", 0),
        )
    return out


def with_states(docs: Iterable[Document]) -> list[Document]:
    """The documents, each with `.state` (a DocumentState)."""
    docs = list(docs)
    states = document_states(docs)
    for d in docs:
        d.state = states[d.pk]
    return docs


def documents_of(account: Account) -> list[Document]:
    return with_states(account.documents.select_related("anchor", "corrects").order_by("-issued_at", "-pk"))


def account_of_user(user: Any) -> Account | None:
    if not user.is_authenticated:
        return None
    return Account.objects.filter(user=user).first()


def accounts_of_user(user: Any) -> list[Account]:
    """The accounts a person may see: their own and those of the companies they belong to."""
    if not user.is_authenticated:
        return []
    return list(
        Account.objects.filter(Q(user=user) | Q(organisation__members=user))
        .select_related("user", "organisation")
        .distinct()
        .order_by("kind", "pk")
    )


def may_see_account(user: Any, account: Account) -> bool:
    return any(a.pk == account.pk for a in accounts_of_user(user))


def pending_charges(account: Account) -> list[Charge]:
    """Charges not yet on an invoice (an anchor that invoices monthly issues them at the month's end)."""
    return list(account.charges.filter(document__isnull=True).select_related("anchor", "reservation"))


def account_balance(account: Account) -> int:
    """What the account owes now: its invoices less its credit notes, plus the charges not yet invoiced, less every
    payment net of refunds (3 queries)."""
    docs = Document.objects.filter(account=account).aggregate(
        inv=Coalesce(Sum("total_won", filter=Q(kind=DocumentKind.INVOICE)), 0),
        cn=Coalesce(Sum("total_won", filter=Q(kind=DocumentKind.CREDIT_NOTE)), 0),
    )
    pending = Charge.objects.filter(account=account, document__isnull=True).aggregate(s=Coalesce(Sum("amount_won"), 0))
    paid = Payment.objects.filter(account=account).aggregate(s=Coalesce(Sum("amount_won"), 0))["s"]
    return int(docs["inv"] - docs["cn"] + pending["s"] - paid)


AGEING = (
    ("current", 0, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
)


@dataclass
class Owed:
    """What an anchor is owed, by how long past due; the invoices behind it and the refunds it is to make."""

    buckets: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _a, _b in AGEING})
    open_invoices: list[Document] = field(default_factory=list)
    refunds: list[Document] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.buckets.values())


def bucket_of(days_late: int) -> str:
    for key, low, high in AGEING:
        if days_late >= low and (high is None or days_late <= high):
            return key
    return "current"


def owed_by_anchor(anchor: Anchor, *, today: date) -> Owed:
    """Open invoices of the anchor (due > 0) by days past due, and invoices with money to give back (3 queries)."""
    mine = Document.objects.filter(anchor=anchor, kind=DocumentKind.INVOICE)
    invoices = with_states(
        mine.exclude(pk__in=settled_among(mine))
        .select_related("account__user", "account__organisation")
        .order_by("due_on", "pk")
    )
    owed = Owed()
    for d in invoices:
        if d.state.due > 0:
            d.days_late = max(0, (today - d.due_on).days) if d.due_on else 0
            d.bucket = bucket_of(d.days_late)
            owed.buckets[d.bucket] += d.state.due
            owed.open_invoices.append(d)
        elif d.state.due < 0:
            owed.refunds.append(d)
    return owed


def settled_among(invoices: QuerySet[Document]) -> QuerySet[Any, dict[str, Any]]:
    """Of these invoices, those paid exactly their total with no credit note (a subquery): the bulk of the history,
    left out of the reads that look for what is still owed or to refund."""
    return (
        invoices.filter(credit_notes__isnull=True)
        .annotate(paid=Coalesce(Sum("payments__amount_won"), 0))
        .filter(paid=F("total_won"))
        .values("pk")
    )


@dataclass
class Closing:
    day: date
    payments: list[Payment]
    by_method: dict[str, int]
    refunds_by_method: dict[str, int]

    @property
    def desk_total(self) -> int:
        return sum(self.by_method.get(m, 0) + self.refunds_by_method.get(m, 0) for m in (Method.CARD, Method.CASH))

    @property
    def total(self) -> int:
        return sum(self.by_method.values()) + sum(self.refunds_by_method.values())


def closing_of(anchor: Anchor, *, day: date) -> Closing:
    """What the anchor took in and paid back on a day (Seoul), by method; moves between a payer's own invoices are
    not money and are left out."""
    start, end = period_bounds(day, day)
    payments = list(
        Payment.objects.filter(anchor=anchor, at__gte=start, at__lt=end)
        .exclude(method=Method.CREDIT)
        .select_related("document", "account__user", "account__organisation", "recorded_by")
        .order_by("at", "pk")
    )
    by_method: dict[str, int] = {m: 0 for m in Method.values if m != Method.CREDIT}
    refunds: dict[str, int] = {m: 0 for m in Method.values if m != Method.CREDIT}
    for p in payments:
        (by_method if p.amount_won > 0 else refunds)[p.method] += p.amount_won
    return Closing(day=day, payments=payments, by_method=by_method, refunds_by_method=refunds)


@dataclass(frozen=True)
class Revenue:
    charged_won: int  # net fees and charges of the reservations that start in the period (VAT included)
    invoiced_won: int  # the part of it already on invoices and credit notes
    received_won: int  # money received at the anchor in the period, less refunds (every kind of charge)


def revenue_by_anchor(*, anchor_ids: list[int], first: date, last: date) -> dict[int, Revenue]:
    """The ledger's fee revenue per anchor: what the budget pages and the monthly report show (2 queries)."""
    start, end = period_bounds(first, last)
    rows = {
        r["anchor_id"]: r
        for r in Charge.objects.filter(
            anchor_id__in=anchor_ids,
            kind__in=REVENUE_KINDS,
            reservation__start_at__gte=start,
            reservation__start_at__lt=end,
        )
        .values("anchor_id")
        .annotate(
            charged=Coalesce(Sum("amount_won"), 0),
            invoiced=Coalesce(Sum("amount_won", filter=Q(document__isnull=False)), 0),
        )
    }
    received = dict(
        Payment.objects.filter(anchor_id__in=anchor_ids, at__gte=start, at__lt=end)
        .exclude(method=Method.CREDIT)
        .values("anchor_id")
        .annotate(s=Sum("amount_won"))
        .values_list("anchor_id", "s")
    )
    return {
        a: Revenue(
            charged_won=int(rows.get(a, {}).get("charged", 0)),
            invoiced_won=int(rows.get(a, {}).get("invoiced", 0)),
            received_won=int(received.get(a) or 0),
        )
        for a in anchor_ids
    }


def deposits_to_settle(anchor: Anchor, *, now: datetime) -> list[Reservation]:
    """Bookings that ended with a deposit held and nothing yet recorded of it: the desk returns it or records
    damage; after the anchor's days to do so, the daily job returns it."""
    return list(
        Reservation.objects.filter(
            anchor=anchor,
            status__in=BOOKED,
            deposit_won__gt=0,
            end_at__lte=now,
            deposit_settlement__isnull=True,
        )
        .select_related("space", "equipment", "user")
        .order_by("end_at", "pk")
    )


def local_day(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date()


def overdue_invoices(*, today: date) -> list[Document]:
    """Invoices past their due date with something still to pay (every anchor)."""
    late = Document.objects.filter(kind=DocumentKind.INVOICE, due_on__lt=today)
    candidates = with_states(
        late.exclude(pk__in=settled_among(late))  # the paid history is left out of the daily read
        .select_related("anchor", "account__user", "account__organisation")
        .order_by("due_on", "pk")
    )
    return [d for d in candidates if d.state.due > 0]


def statement_of(account: Account, *, first: date, last: date) -> dict[str, Any]:
    """A month's statement of an account: the balance before, each document and payment of the month, the
    balance after (every amount from the ledger's rows)."""
    start, end = period_bounds(first, last)

    def balance_at(moment: datetime) -> int:
        docs = Document.objects.filter(account=account, issued_at__lt=moment)
        inv = docs.filter(kind=DocumentKind.INVOICE).aggregate(s=Coalesce(Sum("total_won"), 0))["s"]
        cn = docs.filter(kind=DocumentKind.CREDIT_NOTE).aggregate(s=Coalesce(Sum("total_won"), 0))["s"]
        paid = Payment.objects.filter(account=account, at__lt=moment).aggregate(s=Coalesce(Sum("amount_won"), 0))["s"]
        return int(inv - cn - paid)

    rows: list[dict[str, Any]] = []
    for d in Document.objects.filter(account=account, issued_at__gte=start, issued_at__lt=end).select_related("anchor"):
        sign = 1 if d.kind == DocumentKind.INVOICE else -1
        rows.append({"at": d.issued_at, "what": d.get_kind_display(), "ref": d.code, "amount": sign * d.total_won})
    for p in Payment.objects.filter(account=account, at__gte=start, at__lt=end).select_related("document"):
        rows.append(
            {"at": p.at, "what": p.get_method_display(), "ref": p.document.code, "amount": -p.amount_won, "payment": p}
        )
    rows.sort(key=lambda r: r["at"])
    return {
        "opening": balance_at(start),
        "rows": rows,
        "closing": balance_at(end),
        "first": first,
        "last": last,
    }


def one_day(day: date) -> tuple[datetime, datetime]:
    return period_bounds(day, day)
