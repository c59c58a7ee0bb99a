"""Charges, invoices and credit notes: what a reservation or a lease should cost is compared with what its payer
was charged, and the difference is charged (or corrected); pending charges are issued on numbered invoices, and
corrections on credit notes naming the invoice they correct. Money already paid on an invoice that a credit note
brought below it is moved to the account's other open invoices, and what is left is to be refunded."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from anchors.models import Anchor
from common.db import insert_unless_taken
from common.time import SEOUL
from reservations.figures import BOOKED
from reservations.models import Reservation
from tenants.models import Organisation

from .. import selectors
from ..models import (
    Account,
    AccountKind,
    BillingPolicy,
    Charge,
    DepositSettlement,
    Document,
    DocumentCounter,
    DocumentKind,
    Invoicing,
    Method,
    Payment,
)


class BillingRefused(ValidationError):
    """A billing write refused, with the reason in the user's language; nothing was written."""


def _lock(account: Account) -> Account:
    return Account.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=account.pk)


def _account(lookup: dict[str, Any], defaults: dict[str, Any], unique: str | tuple[str, ...], now: datetime) -> Account:
    """The account found by `lookup`, locked (one query when it exists; made first when it does not)."""
    locked = Account.objects.select_for_update(of=("self",)).select_related("user", "organisation")
    found = locked.filter(**lookup).first()
    if found is None:
        insert_unless_taken(Account(**lookup, **defaults, created_at=now), unique_field=unique)
        found = locked.get(**lookup)
    return found


def account_for_reservation(r: Reservation, *, now: datetime, has_charges: bool = True) -> Account:
    """The payer of a reservation, locked: the account its charges are already on; else the maker, or the guest the
    desk booked (by name and phone; a guest without a phone gets an account of their own, so two walk-ins of the
    same name never share money)."""
    charged_to = (
        Charge.objects.filter(reservation_id=r.pk).values_list("account_id", flat=True).first() if has_charges else None
    )
    if charged_to is not None:
        return _lock(Account(pk=charged_to))
    if r.user_id:
        return _account({"user_id": r.user_id}, {"kind": AccountKind.MAKER}, "user", now)
    if not r.guest_phone:
        return _lock(Account.objects.create(kind=AccountKind.GUEST, guest_name=r.guest_name, created_at=now))
    # By name and phone (a partial unique constraint: looked up, then inserted).
    lookup = {"kind": AccountKind.GUEST, "guest_name": r.guest_name, "guest_phone": r.guest_phone}
    found = Account.objects.filter(**lookup).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Account.objects.create(**lookup, created_at=now)
        except IntegrityError:  # another transaction made it first
            found = Account.objects.get(**lookup)
    return _lock(found)


def account_for_organisation(organisation: Organisation, *, now: datetime) -> Account:
    return _account({"organisation_id": organisation.pk}, {"kind": AccountKind.COMPANY}, "organisation", now)


def _when(r: Reservation) -> str:
    start, end = r.start_at.astimezone(SEOUL), r.end_at.astimezone(SEOUL)
    return f"{r.resource} {start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _charge_for_differences(
    account: Account,
    *,
    desired: dict[str, tuple[int, int]],
    current: dict[str, tuple[int, int]],
    now: datetime,
    **source: Any,
) -> list[Charge]:
    """A charge (or a correction) per kind whose amount or VAT differs from what was charged so far. A change of
    the VAT alone (the same fee under a rate that adds VAT and one that includes it) corrects the whole earlier
    charge and charges it anew: a line is never of 0 won."""
    made = []
    for kind, (want, want_vat) in desired.items():
        have, have_vat = current.get(kind, (0, 0))
        if want == have and want_vat == have_vat:
            continue
        if want != have:
            steps = [(want - have, want_vat - have_vat)]
        elif have:
            steps = [(-have, -have_vat), (want, want_vat)]
        else:
            continue  # VAT without an amount: nothing to charge
        for amount, vat in steps:
            made.append(
                Charge.objects.create(account=account, amount_won=amount, vat_won=vat, at=now, kind=kind, **source)
            )
    return made


def _charged(**source: Any) -> dict[str, tuple[int, int]]:
    """What was charged so far per kind, as (amount, of which VAT)."""
    return {
        row["kind"]: (row["s"], row["v"])
        for row in Charge.objects.filter(**source).values("kind").annotate(s=Sum("amount_won"), v=Sum("vat_won"))
    }


@transaction.atomic(savepoint=False)  # inside a booking's transaction it is part of it: no savepoint of its own
def reservation_sync(*, reservation: Reservation, now: datetime) -> list[Charge]:
    """Bring a reservation's charges in line with what it should cost now (selectors.desired_for_reservation),
    then issue them where the anchor invoices per booking. Safe to run any number of times: a second run finds
    nothing to change. Called inside every reservation write (reservations.hooks "changed") and by the sweep."""
    r = reservation
    current = _charged(reservation_id=r.pk)
    settlement = DepositSettlement.objects.filter(reservation_id=r.pk).first() if r.deposit_won else None
    desired = selectors.desired_for_reservation(r, settlement)
    if all(desired.get(k, (0, 0)) == current.get(k, (0, 0)) for k in set(desired) | set(current)):
        return []
    account = account_for_reservation(r, now=now, has_charges=bool(current))
    made = _charge_for_differences(
        account,
        desired=desired,
        current=current,
        now=now,
        anchor_id=r.anchor_id,
        reservation=r,
        description=_when(r),
        is_example=r.fee_is_example,
    )
    policy = selectors.policy_for(r.anchor_id)
    if policy.invoicing == Invoicing.PER_BOOKING or account.kind == AccountKind.GUEST:
        anchor = r.anchor if Reservation.anchor.is_cached(r) else None
        documents_issue(account=account, anchor_id=r.anchor_id, now=now, policy=policy, anchor=anchor)
    return made


def reservations_sync_all(*, now: datetime) -> int:
    """The sweep: every reservation whose charges differ from what it should cost (a reservation from before
    billing, or one written outside the services) is brought in line, each in its own transaction."""
    n = 0
    for pk in _out_of_line(now):
        with transaction.atomic():
            r = Reservation.objects.select_for_update(of=("self",)).select_related("space", "equipment").get(pk=pk)
            if reservation_sync(reservation=r, now=now):
                n += 1
    return n


def _out_of_line(now: datetime) -> list[int]:
    """Reservations whose charges are not what they should be (one query over the charges, one over the
    reservations)."""
    charged: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (
        Charge.objects.filter(reservation__isnull=False)
        .values("reservation_id", "kind")
        .annotate(s=Sum("amount_won"), v=Sum("vat_won"))
        .order_by()
    ):
        charged[row["reservation_id"]][row["kind"]] = (row["s"], row["v"])
    settled = {s.reservation_id: s for s in DepositSettlement.objects.all()}
    out = []
    for r in Reservation.objects.only(
        "pk", "status", "fee_won", "fee_lines", "deposit_won", "charge_won", "fee_exempt", "anchor_id"
    ).iterator():
        desired = selectors.desired_for_reservation(r, settled.get(r.pk))
        have = charged.get(r.pk, {})
        if any(desired.get(k, (0, 0)) != have.get(k, (0, 0)) for k in set(desired) | set(have)):
            out.append(r.pk)
    return out


def _next_number(anchor_id: int, year: int, kind: str) -> int:
    """The next number of the anchor's series in one statement (an upsert that adds one and returns it): the
    counter row stays locked until the transaction ends, so a concurrent issue waits, and a rolled-back one gives
    its number back. PostgreSQL, and SQLite from 3.35."""
    table = connection.ops.quote_name(DocumentCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (anchor_id, year, kind, last) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (anchor_id, year, kind) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [anchor_id, year, kind],
        )
        return int(cursor.fetchone()[0])


def _parties(account: Account, anchor: Any, policy: BillingPolicy) -> tuple[dict[str, str], dict[str, str]]:
    seller = {
        "name_ko": anchor.official_name_ko or anchor.name_ko,
        "name_en": anchor.official_name_en or anchor.name_en,
        "address_ko": anchor.address_ko,
        "address_en": anchor.address_en,
        "phone": anchor.phone,
        "registration_number": policy.business_registration_number,
        "bank_account": policy.bank_account,
    }
    buyer = {"name": account.name, "registration_number": account.registration_number}
    return seller, buyer


def _anchor(anchor_id: int) -> Anchor:
    return Anchor.objects.get(pk=anchor_id)


def _issue(
    *,
    account: Account,
    anchor_id: int,
    kind: str,
    lines: list[Charge],
    corrects: Document | None,
    policy: BillingPolicy,
    now: datetime,
    anchor: Any = None,
) -> Document:
    local = now.astimezone(SEOUL)
    number = _next_number(anchor_id, local.year, kind)
    anchor = anchor if anchor is not None and anchor.pk == anchor_id else _anchor(anchor_id)
    prefix = "I" if kind == DocumentKind.INVOICE else "C"
    sign = 1 if kind == DocumentKind.INVOICE else -1  # a credit note's lines are negative; its figures are not
    total = sign * sum(c.amount_won for c in lines)
    vat = sign * sum(c.vat_won for c in lines)
    seller, buyer = _parties(account, anchor, policy)
    doc = Document.objects.create(
        anchor_id=anchor_id,
        account=account,
        kind=kind,
        year=local.year,
        number=number,
        # Short enough for a bank transfer's memo: the anchor's key, the year, the kind and the number.
        code=f"A{anchor_id}-{local.year}-{prefix}{number:05d}",
        issued_at=now,
        due_on=(local.date() + timedelta(days=policy.due_days)) if kind == DocumentKind.INVOICE else None,
        corrects=corrects,
        subtotal_won=total - vat,
        vat_won=vat,
        total_won=total,
        seller=seller,
        buyer=buyer,
        is_example=policy.is_example or any(c.is_example for c in lines),
    )
    Charge.objects.filter(pk__in=[c.pk for c in lines]).update(document=doc, corrects=corrects)
    for c in lines:
        c.document, c.corrects = doc, corrects
    return doc


def _source(c: Charge) -> tuple[Any, ...]:
    return (c.reservation_id, c.lease_id, c.period, c.kind)


def documents_issue(
    *,
    account: Account,
    anchor_id: int,
    now: datetime,
    policy: BillingPolicy | None = None,
    anchor: Any = None,
    before: datetime | None = None,
) -> list[Document]:
    """Issue the account's pending charges at one anchor (the account locked by the caller): the positive ones,
    with corrections of charges in the same batch, on one invoice; every other correction on a credit note of the
    invoice it corrects (split across invoices where it must). Then money paid above what an invoice now asks for
    goes to the account's other open invoices."""
    policy = policy or selectors.policy_for(anchor_id)
    pending_qs = Charge.objects.filter(account=account, anchor_id=anchor_id, document__isnull=True)
    if before is not None:
        pending_qs = pending_qs.filter(at__lt=before)  # the monthly job: what was charged before the month began
    pending = list(pending_qs.order_by("pk"))
    if not pending:
        return []
    left: dict[tuple[Any, ...], int] = defaultdict(int)
    left_vat: dict[tuple[Any, ...], int] = defaultdict(int)
    for c in pending:
        if c.amount_won > 0:
            left[_source(c)] += c.amount_won
            left_vat[_source(c)] += c.vat_won
    invoice_lines = [c for c in pending if c.amount_won > 0]
    credits: dict[int, list[Charge]] = defaultdict(list)
    used: dict[tuple[int, tuple[Any, ...]], tuple[int, int]] = {}  # what this batch already credits per invoice
    for c in (c for c in pending if c.amount_won < 0):
        need, need_vat = -c.amount_won, -c.vat_won
        # A correction nets against this batch's charges of the same source only at the same VAT rate (a change of
        # VAT alone corrects the invoiced charge on a credit note and charges it anew on an invoice).
        same_rate = need_vat * left[_source(c)] == left_vat[_source(c)] * need
        netted = min(need, left[_source(c)]) if same_rate else 0
        left[_source(c)] -= netted
        # (the invoice corrected, or None: this batch's invoice; amount; VAT). The VAT goes with each part in
        # proportion, never more than the invoice holds; the last part takes what is left, so the parts add up.
        parts: list[tuple[int | None, int, int]] = []
        rest, vat_rest = need, need_vat
        if netted:
            vat = need_vat if netted == need else (need_vat * netted) // need
            parts.append((None, netted, vat))
            rest, vat_rest = rest - netted, vat_rest - vat
        for doc_id, room, vat_room in _credit_room(c, used) if rest else []:
            take = min(rest, room)
            vat = vat_rest if take == rest else max(0, min(vat_room, (vat_rest * take) // rest))
            parts.append((doc_id, take, vat))
            key = (doc_id, _source(c))
            used[key] = (used.get(key, (0, 0))[0] + take, used.get(key, (0, 0))[1] + vat)
            rest, vat_rest = rest - take, vat_rest - vat
            if not rest:
                break
        if rest:
            raise BillingRefused(_("A correction is larger than what was charged; nothing was changed."))
        for i, (where, amount, vat) in enumerate(parts):
            line = c if i == 0 else Charge(**{f.attname: getattr(c, f.attname) for f in Charge._meta.concrete_fields})
            if i:
                line.pk = None
            line.amount_won, line.vat_won = -amount, -vat
            line.save()
            if where is None:
                invoice_lines.append(line)
            else:
                credits[where].append(line)
    issued: list[Document] = []
    subtotal = sum(c.amount_won for c in invoice_lines)
    if invoice_lines and subtotal == 0 and sum(c.vat_won for c in invoice_lines) == 0:
        # Charged and corrected before any invoice (an anchor that invoices monthly): nothing was ever asked for.
        Charge.objects.filter(pk__in=[c.pk for c in invoice_lines]).delete()
    elif invoice_lines:
        issued.append(
            _issue(
                account=account,
                anchor_id=anchor_id,
                kind=DocumentKind.INVOICE,
                lines=invoice_lines,
                corrects=None,
                policy=policy,
                now=now,
                anchor=anchor,
            )
        )
    for doc_id, lines in sorted(credits.items()):
        corrected = Document.objects.get(pk=doc_id)
        issued.append(
            _issue(
                account=account,
                anchor_id=anchor_id,
                kind=DocumentKind.CREDIT_NOTE,
                lines=lines,
                corrects=corrected,
                policy=policy,
                now=now,
                anchor=anchor,
            )
        )
    if credits:
        credit_apply(account=account, now=now)  # only a credit note can leave money paid above what is asked
    return issued


def _credit_room(c: Charge, used: dict[tuple[int, tuple[Any, ...]], tuple[int, int]]) -> list[tuple[int, int, int]]:
    """The account's issued invoices holding charges of the same source as the correction `c`, newest first, each
    with how much of that source (amount, VAT) it still holds: its lines less the corrections already credited
    against it, less what this batch credits it already (`used`)."""
    source = {"reservation_id": c.reservation_id, "lease_id": c.lease_id, "period": c.period, "kind": c.kind}
    mine = Charge.objects.filter(account_id=c.account_id, **source)
    held: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        mine.filter(document__kind=DocumentKind.INVOICE)
        .values("document_id")
        .annotate(s=Sum("amount_won"), v=Sum("vat_won"))
    ):
        held[row["document_id"]][0] += row["s"]
        held[row["document_id"]][1] += row["v"]
    for row in (
        mine.filter(corrects__isnull=False).values("corrects_id").annotate(s=Sum("amount_won"), v=Sum("vat_won"))
    ):
        held[row["corrects_id"]][0] += row["s"]
        held[row["corrects_id"]][1] += row["v"]
    for (doc_id, src), (amount, vat) in used.items():
        if src == _source(c):
            held[doc_id][0] -= amount
            held[doc_id][1] -= vat
    return sorted(((d, a, v) for d, (a, v) in held.items() if a > 0), key=lambda x: -x[0])


def credit_apply(*, account: Account, now: datetime) -> list[Payment]:
    """Money paid on an invoice above what it now asks for pays the account's open invoices at the same anchor,
    oldest first (a pair of moves, never cash); what is left is to be refunded (selectors.owed_by_anchor)."""
    docs = selectors.with_states(account.documents.filter(kind=DocumentKind.INVOICE).order_by("issued_at", "pk"))
    moved: list[Payment] = []
    for over in (d for d in docs if d.state.due < 0):
        for owing in (d for d in docs if d.state.due > 0 and d.anchor_id == over.anchor_id):
            amount = min(-over.state.due, owing.state.due)
            if amount <= 0:
                continue
            moved.append(
                Payment.objects.create(
                    account=account,
                    anchor_id=over.anchor_id,
                    document=over,
                    method=Method.CREDIT,
                    amount_won=-amount,
                    at=now,
                    note=owing.code,
                )
            )
            moved.append(
                Payment.objects.create(
                    account=account,
                    anchor_id=owing.anchor_id,
                    document=owing,
                    method=Method.CREDIT,
                    amount_won=amount,
                    at=now,
                    note=over.code,
                )
            )
            over.state.refunded += amount
            owing.state.received += amount
    return moved


def invoices_issue_monthly(*, now: datetime) -> int:
    """At anchors that invoice monthly, the charges made before this month are issued (one invoice per account and
    anchor, and credit notes); safe to run any day and twice."""
    month_start = now.astimezone(SEOUL).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    n = 0
    pairs = (
        Charge.objects.filter(document__isnull=True, at__lt=month_start)
        .values_list("account_id", "anchor_id")
        .distinct()
        .order_by("account_id", "anchor_id")
    )
    for account_id, anchor_id in list(pairs):
        with transaction.atomic():
            account = _lock(Account(pk=account_id))
            n += len(documents_issue(account=account, anchor_id=anchor_id, now=now, before=month_start))
    return n


@transaction.atomic
def deposit_settle(
    *, reservation: Reservation, kept_won: int, reason: str, by: Any, now: datetime
) -> DepositSettlement:
    """Record what becomes of a booking's deposit after it ended: returned in full, or `kept_won` of it kept for
    damage with a reason. Once per booking."""
    r = Reservation.objects.select_for_update(of=("self",)).select_related("space", "equipment").get(pk=reservation.pk)
    if r.status not in BOOKED or not r.deposit_won:
        raise BillingRefused(_("This booking holds no deposit."))
    if r.end_at > now:
        raise BillingRefused(_("The deposit is settled after the booking ends."))
    if DepositSettlement.objects.filter(reservation=r).exists():
        raise BillingRefused(_("This deposit has already been settled."))
    if kept_won < 0 or kept_won > r.deposit_won:
        raise BillingRefused(
            _("What is kept must be between 0 and the deposit, %(deposit)s won.") % {"deposit": f"{r.deposit_won:,}"}
        )
    if kept_won and not reason.strip():
        raise BillingRefused(_("Say what was damaged: the maker is shown the reason."))
    settlement = DepositSettlement.objects.create(
        reservation=r, kept_won=kept_won, reason=reason.strip(), by=by, at=now
    )
    reservation_sync(reservation=r, now=now)
    return settlement


def deposits_return_due(*, now: datetime) -> int:
    """Deposits of bookings that ended more than the anchor's days ago with nothing recorded are returned."""
    n = 0
    for r in Reservation.objects.filter(
        status__in=BOOKED, deposit_won__gt=0, end_at__lte=now, deposit_settlement__isnull=True
    ).only("pk", "anchor_id", "end_at"):
        if r.end_at + timedelta(days=selectors.policy_for(r.anchor_id).deposit_claim_days) > now:
            continue
        try:
            deposit_settle(reservation=r, kept_won=0, reason="", by=None, now=now)
            n += 1
        except BillingRefused:
            continue  # settled meanwhile
    return n
