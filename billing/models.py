"""Billing (issue 19): every fee the portal computes becomes a charge on the payer's account; charges are issued
on numbered, immutable invoices (corrections are credit notes); payments and refunds are recorded against an
invoice. docs/billing.md spells the rules out.

Money is integer won. A charge is signed: positive what is owed, negative a correction of what was owed. What an
invoice still asks for, what was paid and what is to be refunded are computed in `billing.selectors`, nowhere else.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel
from reservations.models import Reservation
from tenants.models import Lease, Organisation

if TYPE_CHECKING:
    from .selectors import DocumentState


class Invoicing(models.TextChoices):
    PER_BOOKING = "per_booking", _("An invoice per booking, issued when it is confirmed")
    MONTHLY = "monthly", _("One invoice per account each month")


class Method(models.TextChoices):
    CARD = "card", _("Card at the desk")
    CASH = "cash", _("Cash at the desk")
    TRANSFER = "transfer", _("Bank transfer")
    ONLINE = "online", _("Online payment")
    CREDIT = "credit", _("Moved from another invoice of the account")


DESK_METHODS = (Method.CARD, Method.CASH)


class BillingPolicy(TimeStampedModel):
    """How an anchor bills: when invoices are issued, when they fall due, which ways to pay it takes. Until the
    operator confirms them, the terms are the portal's examples (the sources give none) and say so."""

    anchor = models.OneToOneField(Anchor, on_delete=models.CASCADE, related_name="billing_policy")
    invoicing = models.CharField(
        _("invoicing"), max_length=12, choices=Invoicing.choices, default=Invoicing.PER_BOOKING
    )
    due_days = models.PositiveSmallIntegerField(
        _("invoices are due after (days)"), default=14, validators=[MinValueValidator(0), MaxValueValidator(90)]
    )
    takes_card = models.BooleanField(_("card at the desk"), default=True)
    takes_cash = models.BooleanField(_("cash at the desk"), default=True)
    takes_transfer = models.BooleanField(_("bank transfer"), default=True)
    takes_online = models.BooleanField(_("online payment"), default=True)
    bank_account = models.CharField(
        _("bank account for transfers"), max_length=120, blank=True, help_text=_("Bank, account number, holder.")
    )
    business_registration_number = models.CharField(
        _("the operator's business registration number"), max_length=12, blank=True
    )
    pay_first = models.BooleanField(
        _("makers pay before a booking is confirmed"),
        default=False,
        help_text=_(
            "A maker's booking with a fee is held until its invoice is paid (online or at the desk), then confirmed; "
            "unpaid when the hold runs out, it is released. Staff bookings are confirmed at once."
        ),
    )
    payment_hold_minutes = models.PositiveSmallIntegerField(
        _("an unpaid booking is held for (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(10080)],
    )
    deposit_claim_days = models.PositiveSmallIntegerField(
        _("days to record damage before a deposit is returned"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind of an unpaid invoice every (days) after it is due"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    is_example = models.BooleanField(_("example data"), default=True, help_text=EXAMPLE_HELP)

    class Meta:
        verbose_name = _("billing policy")
        verbose_name_plural = _("billing policies")

    def __str__(self) -> str:
        return str(self.anchor)

    def methods(self) -> list[str]:
        """The ways of paying this anchor takes, in a fixed order."""
        taken = {
            Method.CARD: self.takes_card,
            Method.CASH: self.takes_cash,
            Method.TRANSFER: self.takes_transfer,
            Method.ONLINE: self.takes_online,
        }
        return [m for m, on in taken.items() if on]


class AccountKind(models.TextChoices):
    MAKER = "maker", _("Maker")
    COMPANY = "company", _("Tenant company")
    GUEST = "guest", _("Guest")


class Account(models.Model):
    """Who pays: a maker, a tenant company, or a guest the desk booked (one account per name and phone; a guest
    booked without a phone has an account of their own)."""

    kind = models.CharField(_("kind"), max_length=10, choices=AccountKind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="billing_account"
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="billing_account"
    )
    guest_name = models.CharField(_("guest name"), max_length=100, blank=True)
    guest_phone = models.CharField(_("guest phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=AccountKind.MAKER) & Q(user__isnull=False) & Q(organisation__isnull=True))
                | (Q(kind=AccountKind.COMPANY) & Q(organisation__isnull=False) & Q(user__isnull=True))
                | (Q(kind=AccountKind.GUEST) & Q(user__isnull=True) & Q(organisation__isnull=True) & ~Q(guest_name="")),
                name="billing_account_one_payer",
            ),
            models.UniqueConstraint(
                fields=["guest_name", "guest_phone"],
                condition=Q(kind=AccountKind.GUEST) & ~Q(guest_phone=""),
                name="billing_account_one_per_guest",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        if self.organisation_id:
            return self.organisation.name
        return f"{self.guest_name} ({self.guest_phone})" if self.guest_phone else self.guest_name

    @property
    def registration_number(self) -> str:
        return self.organisation.brn_display if self.organisation_id else ""


class ChargeKind(models.TextChoices):
    FEE = "fee", _("Booking fee")
    DEPOSIT = "deposit", _("Booking deposit")
    CANCELLATION = "cancellation", _("Late cancellation charge")
    NO_SHOW = "no_show", _("No-show charge")
    RENT = "rent", _("Monthly rent")
    LEASE_DEPOSIT = "lease_deposit", _("Lease deposit")


# What the budget pages count as fee revenue (docs/billing.md, reservations/figures.py): fees and charges kept.
REVENUE_KINDS = (ChargeKind.FEE, ChargeKind.CANCELLATION, ChargeKind.NO_SHOW)


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class Document(models.Model):
    """An invoice or a credit note: numbered per anchor, year and kind without gaps, never changed once issued
    (a PostgreSQL trigger refuses any UPDATE or DELETE). Its lines are its charges; a credit note's charges are
    negative and each names the invoice it corrects."""

    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="billing_documents")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("number"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes", verbose_name=_("corrects")
    )
    # The total of the lines (VAT included, as the rate tables charge it), its VAT and the supply value before it.
    subtotal_won = models.BigIntegerField(_("supply value (won)"))
    vat_won = models.BigIntegerField(_("VAT (won)"), default=0)
    total_won = models.BigIntegerField(_("total (won)"))
    # What the document says of the two parties when issued (later edits of the anchor or the company never
    # change an issued invoice).
    seller = models.JSONField(_("issued by"), default=dict)
    buyer = models.JSONField(_("issued to"), default=dict)
    is_example = models.BooleanField(_("rests on example data"), default=False)

    # Set by billing.selectors.with_states (not columns): what it still asks for, and how late it is.
    state: DocumentState
    days_late: int
    bucket: str

    class Meta:
        verbose_name = _("invoice or credit note")
        verbose_name_plural = _("invoices and credit notes")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["account", "issued_at"]), models.Index(fields=["anchor", "issued_at"])]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "year", "kind", "number"], name="billing_document_number_once"),
            models.CheckConstraint(condition=Q(total_won__gte=0), name="billing_document_total_not_negative"),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.INVOICE, corrects__isnull=True)
                | Q(kind=DocumentKind.CREDIT_NOTE, corrects__isnull=False),
                name="billing_credit_note_corrects_an_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE

    def get_absolute_url(self) -> str:
        return reverse("billing:document", kwargs={"code": self.code})


class DocumentCounter(models.Model):
    """The last number issued per anchor, year and kind; locked while a document is issued, so numbers follow
    each other without gaps or repeats (a rolled-back issue rolls the counter back too)."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["anchor", "year", "kind"], name="billing_counter_once")]

    def __str__(self) -> str:
        return f"{self.anchor_id}-{self.year}-{self.kind}: {self.last}"


class Charge(models.Model):
    """One line of what an account owes (positive) or of a correction (negative), from one priced event."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="charges")
    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=14, choices=ChargeKind.choices)
    reservation = models.ForeignKey(
        Reservation, on_delete=models.PROTECT, null=True, blank=True, related_name="billing_charges"
    )
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="billing_charges")
    period = models.DateField(_("month"), null=True, blank=True, help_text=_("A rent's month (its first day)."))
    amount_won = models.BigIntegerField(_("amount (won)"))
    # The VAT included in the amount, as the rate table's fee lines computed it (0 where the table adds none).
    vat_won = models.BigIntegerField(_("of which VAT (won)"), default=0)
    description = models.CharField(_("description"), max_length=300)
    at = models.DateTimeField(_("at"))
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="lines", verbose_name=_("document")
    )
    corrects = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    is_example = models.BooleanField(_("rests on example data"), default=False)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["account", "document"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_won=0), name="billing_charge_not_zero"),
            models.CheckConstraint(
                condition=Q(amount_won__gt=0, corrects__isnull=True) | Q(amount_won__lt=0),
                name="billing_only_a_correction_corrects",
            ),
            # A month's rent of a lease is charged once, however often the monthly job runs.
            models.UniqueConstraint(
                fields=["lease", "period"], condition=Q(kind=ChargeKind.RENT), name="billing_rent_once_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount_won:,}"


class Payment(models.Model):
    """Money received for an invoice (positive) or paid back (negative, a refund, naming what it refunds).
    Never changed: a mistake is put right by a refund or by the next payment."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="payments")
    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount_won = models.BigIntegerField(_("amount (won)"))
    at = models.DateTimeField(_("at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    refund_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds", verbose_name=_("refund of")
    )
    # What makes a second attempt of the same payment a no-op: a form's one-time key (a double click), the
    # provider's payment id (a replayed webhook), a bank statement row's fingerprint (a file imported twice).
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    provider_ref = models.CharField(max_length=100, unique=True, null=True, blank=True)
    bank_ref = models.CharField(max_length=100, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("payment or refund")
        verbose_name_plural = _("payments and refunds")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["anchor", "at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_won=0), name="billing_payment_not_zero"),
            models.CheckConstraint(
                condition=Q(amount_won__gt=0, refund_of__isnull=True) | Q(amount_won__lt=0),
                name="billing_only_a_refund_refunds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.method} {self.amount_won:,}"

    @property
    def is_refund(self) -> bool:
        return self.amount_won < 0


class DepositSettlement(models.Model):
    """What became of a booking's deposit after it ended: returned in full, or part kept for damage (reason)."""

    reservation = models.OneToOneField(Reservation, on_delete=models.PROTECT, related_name="deposit_settlement")
    kept_won = models.PositiveBigIntegerField(_("kept for damage (won)"), default=0)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kept_won=0) | ~Q(reason=""), name="billing_damage_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.reservation_id}: {self.kept_won:,}"


class IntentStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed or abandoned")


class PaymentIntent(models.Model):
    """One online payment started for an invoice at a provider; at most one is open per invoice, so a double
    click or a second tab continues the same payment instead of starting a second one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="intents")
    provider = models.CharField(max_length=30)
    amount_won = models.PositiveBigIntegerField()
    status = models.CharField(max_length=8, choices=IntentStatus.choices, default=IntentStatus.OPEN)
    created_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=Q(status=IntentStatus.OPEN), name="billing_one_open_intent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.pk} {self.status}"


class WebhookEvent(models.Model):
    """Each provider event handled once: a replay finds its row and changes nothing."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="billing_webhook_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


AGEING_LABELS = {
    "current": _("Not yet due"),
    "1_30": _("1–30 days late"),
    "31_60": _("31–60 days late"),
    "61_90": _("61–90 days late"),
    "over_90": _("More than 90 days late"),
}
