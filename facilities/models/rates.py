"""Rate tables: versions that take effect on a date, their rules (prices by space or machine kind) and category
discounts."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import MakerCategory
from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel, localized

from .equipment import (
    EquipmentKind,
)
from .spaces import Space


class DiscountCategory(models.TextChoices):
    TENANT_MEMBER = MakerCategory.TENANT_MEMBER.value, MakerCategory.TENANT_MEMBER.label
    DISTRICT_RESIDENT = MakerCategory.DISTRICT_RESIDENT.value, MakerCategory.DISTRICT_RESIDENT.label
    SMALL_MANUFACTURER = MakerCategory.SMALL_MANUFACTURER.value, MakerCategory.SMALL_MANUFACTURER.label
    SOCIAL_ENTERPRISE = MakerCategory.SOCIAL_ENTERPRISE.value, MakerCategory.SOCIAL_ENTERPRISE.label
    STUDENT_YOUTH = MakerCategory.STUDENT_YOUTH.value, MakerCategory.STUDENT_YOUTH.label
    PARTNER_PROGRAMME = "partner_programme", _("Partner programme")


class DiscountRule(models.TextChoices):
    LARGEST = "largest", _("The single largest discount applies")
    SUM_CAPPED = "sum_capped", _("Discounts add up, at most 100 %")


class PriceUnit(models.TextChoices):
    HOUR = "hour", _("per hour")
    HALF_DAY = "half_day", _("per half day (4 hours)")
    DAY = "day", _("per day")
    MONTH = "month", _("per month")


class RateTable(TimeStampedModel):
    """An anchor's rental-fee standards (공간 대여료 기준); its versions take effect on dates."""

    anchor = models.OneToOneField(Anchor, on_delete=models.CASCADE, related_name="rate_table", verbose_name=_("anchor"))

    class Meta:
        verbose_name = _("rate table")
        verbose_name_plural = _("rate tables")

    def __str__(self) -> str:
        return str(self.anchor)


class RateTableVersion(TimeStampedModel):
    table = models.ForeignKey(
        RateTable, on_delete=models.CASCADE, related_name="versions", verbose_name=_("rate table")
    )
    effective_from = models.DateField(
        _("takes effect on"),
        help_text=_("Runs until the next version takes effect. Versions in effect cannot be edited."),
    )
    basis_ko = models.CharField(
        _("basis (Korean)"), max_length=300, help_text=_("The operating rule or ordinance article it implements.")
    )
    basis_en = models.CharField(_("basis (English)"), max_length=300, blank=True)
    evening_starts = models.TimeField(_("evening surcharge from"), default=time(18, 0))
    discount_rule = models.CharField(
        _("combining discounts"), max_length=12, choices=DiscountRule.choices, default="largest"
    )
    rounding_won = models.PositiveIntegerField(
        _("round each line to (won)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    vat_included = models.BooleanField(_("prices include VAT"), default=True)
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)
    is_draft = models.BooleanField(
        _("draft"),
        default=False,
        help_text=_("A draft is not shown to the public nor used for fees until it is published."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rate table version")
        verbose_name_plural = _("rate table versions")
        ordering = ["table", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "effective_from"],
                name="rate_version_unique_start",
                violation_error_message=_("Another version of this rate table already takes effect on that date."),
            ),
            models.CheckConstraint(condition=Q(rounding_won__gte=1), name="rate_version_rounding_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.table.anchor} {self.effective_from:%Y-%m-%d}"

    @property
    def basis(self) -> str:
        return localized(self, "basis")


class RateRule(TimeStampedModel):
    """The price of one space, or of every unit of one equipment kind at the anchor, in one version."""

    version = models.ForeignKey(
        RateTableVersion, on_delete=models.CASCADE, related_name="rules", verbose_name=_("version")
    )
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, null=True, blank=True, related_name="rate_rules", verbose_name=_("space")
    )
    equipment_kind = models.ForeignKey(
        EquipmentKind,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rate_rules",
        verbose_name=_("equipment kind"),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=PriceUnit.choices, default="hour")
    base_price_won = models.PositiveBigIntegerField(_("base price (won)"))
    evening_surcharge_pct = models.PositiveSmallIntegerField(
        _("evening surcharge (%)"), default=0, validators=[MaxValueValidator(300)]
    )
    weekend_surcharge_pct = models.PositiveSmallIntegerField(
        _("weekend surcharge (%)"), default=0, validators=[MaxValueValidator(300)]
    )
    holiday_surcharge_pct = models.PositiveSmallIntegerField(
        _("public holiday surcharge (%)"), default=0, validators=[MaxValueValidator(300)]
    )
    deposit_won = models.PositiveBigIntegerField(_("deposit (won)"), default=0)
    note_ko = models.CharField(_("note (Korean)"), max_length=200, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rate rule")
        verbose_name_plural = _("rate rules")
        ordering = ["version", "space", "equipment_kind"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(space__isnull=False) & Q(equipment_kind__isnull=True))
                | (Q(space__isnull=True) & Q(equipment_kind__isnull=False)),
                name="rate_rule_space_xor_kind",
                violation_error_message=_("A rule prices either one space or one equipment kind."),
            ),
            models.UniqueConstraint(
                fields=["version", "space"],
                name="rate_rule_one_per_space",
                violation_error_message=_("This version already has a rule for that space."),
            ),
            models.UniqueConstraint(
                fields=["version", "equipment_kind"],
                name="rate_rule_one_per_kind",
                violation_error_message=_("This version already has a rule for that equipment kind."),
            ),
            models.CheckConstraint(condition=Q(base_price_won__gte=0), name="rate_rule_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.base_price_won:,} {self.get_unit_display()}"

    @property
    def target(self):
        return self.space or self.equipment_kind

    @property
    def note(self) -> str:
        return localized(self, "note")

    def clean(self) -> None:
        super().clean()
        if bool(self.space_id) == bool(self.equipment_kind_id):
            raise ValidationError(_("A rule prices either one space or one equipment kind."))
        if self.space_id and self.version_id and self.space.anchor_id != self.version.table.anchor_id:
            raise ValidationError({"space": _("The space must belong to the rate table's anchor.")})


class CategoryDiscount(TimeStampedModel):
    version = models.ForeignKey(
        RateTableVersion, on_delete=models.CASCADE, related_name="discounts", verbose_name=_("version")
    )
    category = models.CharField(_("user category"), max_length=30, choices=DiscountCategory.choices)
    percent = models.PositiveSmallIntegerField(
        _("discount (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category discount")
        verbose_name_plural = _("category discounts")
        ordering = ["version", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "category"],
                name="discount_one_per_category",
                violation_error_message=_("This version already has a discount for that category."),
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="discount_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} −{self.percent}%"
