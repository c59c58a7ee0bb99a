"""Machines: their kinds (with the safety training a kind needs), status, maintenance log, and the certifications
that let a maker book a kind at every anchor. `Resource` is the bookable thing: a space or a machine."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel, localized

from .spaces import BookingRules, Space


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
