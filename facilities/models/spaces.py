"""Spaces: their kinds, the booking rules a space or a machine carries, photos."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
