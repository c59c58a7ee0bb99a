"""Fixtures and tools lent at the desk, and their loans."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel, localized

from .spaces import Space


class ItemCondition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    BROKEN = "broken", _("Broken")


class InventoryItem(TimeStampedModel):
    """A fixture or supply (비품) of an anchor."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="inventory", verbose_name=_("anchor"))
    name_ko = models.CharField(_("name (Korean)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    asset_tag = models.CharField(_("asset tag"), max_length=40, unique=True)
    space = models.ForeignKey(
        Space,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inventory",
        verbose_name=_("location (space)"),
    )
    location_note = models.CharField(_("location note"), max_length=150, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    acquisition_cost_won = models.PositiveBigIntegerField(_("acquisition cost (won)"), null=True, blank=True)
    budget_reference = models.CharField(
        _("bought from budget line"),
        max_length=200,
        blank=True,
        help_text=_("The budget line it was paid from, as text until budget lines are recorded in the portal."),
    )
    condition = models.CharField(_("condition"), max_length=10, choices=ItemCondition.choices, default="good")
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    disposal_reason = models.CharField(_("disposal reason"), max_length=200, blank=True)
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inventory item")
        verbose_name_plural = _("inventory")
        ordering = ["anchor", "asset_tag"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disposed_on__isnull=True) | ~Q(disposal_reason=""), name="inventory_disposal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_tag} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        super().clean()
        if self.space_id and self.anchor_id and self.space.anchor_id != self.anchor_id:
            raise ValidationError({"space": _("The space must belong to the same anchor.")})


class InventoryLoan(TimeStampedModel):
    item = models.ForeignKey(InventoryItem, on_delete=models.CASCADE, related_name="loans", verbose_name=_("item"))
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("borrower (account)"),
    )
    borrower_name = models.CharField(_("borrower"), max_length=100)
    borrower_phone = models.CharField(_("borrower phone"), max_length=30, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"))
    due_on = models.DateField(_("due on"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked out by"),
    )
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned to"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-checked_out_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(returned_at__isnull=True), name="one_open_loan_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.borrower_name}"
