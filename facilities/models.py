from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import MakerCategory
from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel, localized


class SpaceKind(models.TextChoices):
    COMMON_EQUIPMENT_ROOM = "common_equipment_room", _("Common equipment room")
    CUTTING_ROOM = "cutting_room", _("Cutting room")
    SAMPLE_ROOM = "sample_room", _("Sample room")
    PATTERN_ROOM = "pattern_room", _("Pattern room")
    STARTUP_SPACE = "startup_space", _("Start-up space")
    COMMUNITY_SPACE = "community_space", _("Community space")
    MASK_FACILITY = "mask_facility", _("Mask manufacturing facility")
    SEMINAR_ROOM = "seminar_room", _("Seminar room")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other")


class BookingRules(models.Model):
    """How a bookable resource may be reserved; the reservations app enforces these."""

    bookable = models.BooleanField(_("bookable online"), default=True)
    booking_unit_minutes = models.PositiveSmallIntegerField(
        _("booking unit (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    min_duration_minutes = models.PositiveSmallIntegerField(_("minimum duration (minutes)"), default=60)
    max_duration_minutes = models.PositiveSmallIntegerField(_("maximum duration (minutes)"), default=480)
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between bookings (minutes)"), default=0, help_text=_("Time kept free after each booking.")
    )
    requires_approval = models.BooleanField(_("requires approval"), default=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors = {}
        unit = self.booking_unit_minutes or 0
        if unit <= 0:
            errors["booking_unit_minutes"] = _("The booking unit must be at least 5 minutes.")
        else:
            if self.min_duration_minutes % unit:
                errors["min_duration_minutes"] = _("The minimum duration must be a multiple of the booking unit.")
            if self.max_duration_minutes % unit:
                errors["max_duration_minutes"] = _("The maximum duration must be a multiple of the booking unit.")
        if self.min_duration_minutes > self.max_duration_minutes:
            errors["max_duration_minutes"] = _("The maximum duration cannot be shorter than the minimum.")
        if errors:
            raise ValidationError(errors)


class Space(BookingRules, TimeStampedModel):
    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="spaces", verbose_name=_("anchor"))
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=30, choices=SpaceKind.choices)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), null=True, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["anchor", "sort_order", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "slug"], name="space_slug_unique_per_anchor"),
            models.CheckConstraint(
                condition=Q(min_duration_minutes__lte=F("max_duration_minutes")), name="space_min_le_max"
            ),
            models.CheckConstraint(condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0), name="space_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} · {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def get_absolute_url(self) -> str:
        return reverse("facilities:space_detail", kwargs={"slug": self.anchor.slug, "space": self.slug})


def space_photo_path(instance: SpacePhoto, filename: str) -> str:
    return f"spaces/{instance.space_id}/{filename}"


class SpacePhoto(TimeStampedModel):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="photos", verbose_name=_("space"))
    image = models.ImageField(_("image"), upload_to=space_photo_path)
    alt_ko = models.CharField(_("description for screen readers (Korean)"), max_length=200)
    alt_en = models.CharField(_("description for screen readers (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("space photo")
        verbose_name_plural = _("space photos")
        ordering = ["space", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.alt_ko

    @property
    def alt(self) -> str:
        return localized(self, "alt")


class EquipmentKind(TimeStampedModel):
    """A kind of machine; certifications are per kind and honoured at every anchor."""

    slug = models.SlugField(_("slug"), unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    requires_certification = models.BooleanField(
        _("requires a certification"), default=False, help_text=_("Makers must pass a safety training first.")
    )
    certification_valid_months = models.PositiveSmallIntegerField(
        _("certification valid for (months)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    safety_note_ko = models.TextField(_("safety note (Korean)"), blank=True)
    safety_note_en = models.TextField(_("safety note (English)"), blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=EXAMPLE_HELP,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment kind")
        verbose_name_plural = _("equipment kinds")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def safety_note(self) -> str:
        return localized(self, "safety_note")


class EquipmentStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    MAINTENANCE = "maintenance", _("In maintenance")
    RETIRED = "retired", _("Retired")


class Equipment(BookingRules, TimeStampedModel):
    """One physical machine, standing in a space."""

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="equipment", verbose_name=_("space"))
    kind = models.ForeignKey(EquipmentKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("kind"))
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    make = models.CharField(_("make"), max_length=100, blank=True)
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    asset_tag = models.CharField(_("asset tag"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=EquipmentStatus.choices, default="in_service")
    specs_ko = models.TextField(_("specifications (Korean)"), blank=True)
    specs_en = models.TextField(_("specifications (English)"), blank=True)
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment unit")
        verbose_name_plural = _("equipment")
        ordering = ["space__anchor", "kind", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_duration_minutes__lte=F("max_duration_minutes")), name="equipment_min_le_max"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.asset_tag})"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def specs(self) -> str:
        return localized(self, "specs")

    @property
    def anchor(self) -> Anchor:
        return self.space.anchor

    def get_absolute_url(self) -> str:
        return reverse("facilities:equipment_detail", kwargs={"pk": self.pk})


# A bookable resource: a space or a piece of equipment (the one definition every app imports).
Resource = Space | Equipment


class MaintenanceKind(models.TextChoices):
    FAULT_REPORT = "fault_report", _("Fault reported")
    MAINTENANCE = "maintenance", _("Maintenance")
    REPAIR = "repair", _("Repair")
    INSPECTION = "inspection", _("Inspection")
    STATUS_CHANGE = "status_change", _("Status change")


class MaintenanceLog(TimeStampedModel):
    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, related_name="maintenance_logs", verbose_name=_("equipment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MaintenanceKind.choices)
    description = models.TextField(_("description"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    status_from = models.CharField(_("status before"), max_length=20, choices=EquipmentStatus.choices, blank=True)
    status_to = models.CharField(_("status after"), max_length=20, choices=EquipmentStatus.choices, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("maintenance log entry")
        verbose_name_plural = _("maintenance log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.equipment} {self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class Certification(TimeStampedModel):
    """A maker's certification for an equipment kind, honoured at every anchor until it expires or is revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("maker")
    )
    kind = models.ForeignKey(
        EquipmentKind, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("equipment kind")
    )
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at_anchor = models.ForeignKey(
        Anchor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted at")
    )
    reason = models.CharField(_("reason for granting"), max_length=300)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    expiry_warned_at = models.DateTimeField(_("expiry warning sent at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(revoked_at__isnull=True),
                name="one_unrevoked_certification_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("granted_on")), name="certification_expires_after_grant"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""), name="certification_revocation_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(TimeStampedModel):
    """Regular hours of an anchor on one weekday; a weekday without a row is closed."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("anchor"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"), default=time(9, 0))
    closes = models.TimeField(_("closes"), default=time(18, 0))
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["anchor", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "weekday"], name="opening_hours_one_per_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningHoursException(TimeStampedModel):
    """A dated change to the regular hours: closed (no times) or open at other times, even on a holiday."""

    anchor = models.ForeignKey(
        Anchor, on_delete=models.CASCADE, related_name="hours_exceptions", verbose_name=_("anchor")
    )
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("opening hours exception")
        verbose_name_plural = _("opening hours exceptions")
        ordering = ["anchor", "date"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "date"], name="hours_exception_one_per_date"),
            models.CheckConstraint(
                condition=(Q(opens__isnull=True) & Q(closes__isnull=True))
                | (Q(opens__isnull=False) & Q(closes__isnull=False) & Q(closes__gt=F("opens"))),
                name="hours_exception_closed_or_valid_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} {self.date}"

    @property
    def is_closed(self) -> bool:
        return self.opens is None


class Closure(TimeStampedModel):
    """An ad-hoc closure of a whole anchor or of one space, with a reason."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="closures", verbose_name=_("anchor"))
    space = models.ForeignKey(
        Space,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("space"),
        help_text=_("Empty closes the whole anchor."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=300)
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
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="closure_ends_after_start")]
        indexes = [models.Index(fields=["anchor", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.space or self.anchor}: {self.reason}"


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


# ---------------------------------------------------------------------------------------------------
# Rate tables


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


# ---------------------------------------------------------------------------------------------------
# Tenancy of start-up spaces: applications, reviews, leases, yearly KPIs
