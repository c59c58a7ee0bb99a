from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, localized

from .seed_data import SEED_000, SEED_002


class District(TimeStampedModel):
    """A Seoul autonomous district (자치구)."""

    slug = models.SlugField(_("slug"), unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=50)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class AnchorKind(models.TextChoices):
    SMART_ANCHOR = "smart_anchor", _("Smart Anchor")
    SOLUTION_ANCHOR = "solution_anchor", _("Smart Solution Anchor")
    MAKERSPACE = "makerspace", _("Makerspace")


class AnchorStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")


class Industry(models.TextChoices):
    SEWING = "sewing", _("Sewing / fashion")
    PRINTING = "printing", _("Printing")
    MACHINERY_METAL = "machinery_metal", _("Machinery & metal")
    DESIGN_PUBLISHING = "design_publishing", _("Design & publishing/printing")
    MAKER = "maker", _("Mixed / maker")
    SHOES = "shoes", _("Handmade shoes")
    SOCKS = "socks", _("Socks")


class Anchor(TimeStampedModel):
    """An anchor facility: a shared workshop site built or leased by the city inside a cluster."""

    slug = models.SlugField(_("slug"), unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    official_name_ko = models.CharField(_("official name (Korean)"), max_length=150, blank=True)
    official_name_en = models.CharField(_("official name (English)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AnchorKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=AnchorStatus.choices)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="anchors")
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    address_ko = models.CharField(_("address (Korean)"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    lot_address_ko = models.CharField(_("lot address (Korean)"), max_length=200, blank=True)
    lot_address_en = models.CharField(_("lot address (English)"), max_length=200, blank=True)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True)
    site_area_m2 = models.DecimalField(_("site area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True)
    area_note_ko = models.CharField(_("area note (Korean)"), max_length=200, blank=True)
    area_note_en = models.CharField(_("area note (English)"), max_length=200, blank=True)
    floors_above = models.PositiveSmallIntegerField(_("floors above ground"), null=True, blank=True)
    floors_below = models.PositiveSmallIntegerField(_("floors below ground"), null=True, blank=True)
    floors_note_ko = models.CharField(_("floors used (Korean)"), max_length=200, blank=True)
    floors_note_en = models.CharField(_("floors used (English)"), max_length=200, blank=True)
    cost_won = models.PositiveBigIntegerField(_("cost (won)"), null=True, blank=True)
    lease_deposit_won = models.PositiveBigIntegerField(_("lease deposit (won)"), null=True, blank=True)
    cost_note_ko = models.CharField(_("cost note (Korean)"), max_length=200, blank=True)
    cost_note_en = models.CharField(_("cost note (English)"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    dates_note_ko = models.CharField(
        _("note on the dates (Korean)"),
        max_length=300,
        blank=True,
        help_text=_("Where the sources disagree on a date, both, each with its source."),
    )
    dates_note_en = models.CharField(_("note on the dates (English)"), max_length=300, blank=True)
    status_basis_ko = models.CharField(
        _("basis of the status (Korean)"),
        max_length=300,
        blank=True,
        help_text=_("The source line the status rests on."),
    )
    status_basis_en = models.CharField(_("basis of the status (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anchor")
        verbose_name_plural = _("anchors")
        ordering = ["sort_order", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gt=0), name="anchor_floor_area_positive"
            ),
            models.CheckConstraint(
                condition=Q(site_area_m2__isnull=True) | Q(site_area_m2__gt=0), name="anchor_site_area_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("anchors:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def official_name(self) -> str:
        return localized(self, "official_name")

    @property
    def address(self) -> str:
        return localized(self, "address")

    @property
    def lot_address(self) -> str:
        return localized(self, "lot_address")

    @property
    def area_note(self) -> str:
        return localized(self, "area_note")

    @property
    def floors_note(self) -> str:
        return localized(self, "floors_note")

    @property
    def cost_note(self) -> str:
        return localized(self, "cost_note")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def dates_note(self) -> str:
        return localized(self, "dates_note")

    @property
    def status_basis(self) -> str:
        return localized(self, "status_basis")

    @property
    def is_operating(self) -> bool:
        return self.status == AnchorStatus.OPERATING


class ContactListing(models.TextChoices):
    CONTACT = "contact", _("Contact")
    REPORT_AUTHOR = "report_author", _("Author of the district's report")


class AnchorContact(TimeStampedModel):
    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("anchor"))
    listed_as = models.CharField(
        _("listed as"),
        max_length=20,
        choices=ContactListing.choices,
        default=ContactListing.CONTACT,
        help_text=_("A contact of the anchor, or a person the sources name as the author of a report."),
    )
    organisation_ko = models.CharField(_("organisation (Korean)"), max_length=100)
    organisation_en = models.CharField(_("organisation (English)"), max_length=100, blank=True)
    role_ko = models.CharField(_("role (Korean)"), max_length=60, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_is_extension = models.BooleanField(
        _("phone is an internal extension"), default=False, help_text=_("Shown as 내선 1300 / ext. 1300.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["anchor", "sort_order", "pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.organisation, self.role, self.name) if p)

    @property
    def organisation(self) -> str:
        return localized(self, "organisation")

    @property
    def role(self) -> str:
        return localized(self, "role")


class ManagementContract(TimeStampedModel):
    """A management & operation contract (관리운영 용역) of an anchor for a year."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("anchor"))
    year = models.PositiveSmallIntegerField(_("year"))
    contractor_ko = models.CharField(
        _("contractor (Korean)"), max_length=200, blank=True, help_text=_("Blank when the source does not name it.")
    )
    contractor_en = models.CharField(_("contractor (English)"), max_length=200, blank=True)
    amount_won = models.PositiveBigIntegerField(_("amount (won)"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    selected_on = models.DateField(_("contractor selected on"), null=True, blank=True)
    period_printed = models.CharField(
        _("period as printed"),
        max_length=60,
        blank=True,
        help_text=_("The period as the source prints it, where it gives no exact start or end day."),
    )
    note_ko = models.CharField(_("note (Korean)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("management contract")
        verbose_name_plural = _("management contracts")
        ordering = ["anchor", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "year"], name="contract_one_per_anchor_year"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} {self.year}"

    @property
    def contractor(self) -> str:
        return localized(self, "contractor")

    @property
    def note(self) -> str:
        return localized(self, "note")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class Milestone(TimeStampedModel):
    """A dated event in an anchor's history, or in the programme as a whole when anchor is empty."""

    anchor = models.ForeignKey(
        Anchor,
        on_delete=models.CASCADE,
        related_name="milestones",
        null=True,
        blank=True,
        verbose_name=_("anchor"),
        help_text=_("Empty for milestones of the Smart Anchor programme as a whole."),
    )
    date = models.DateField(_("date"))
    precision = models.CharField(_("date precision"), max_length=5, choices=DatePrecision.choices, default="day")
    title_ko = models.CharField(_("title (Korean)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    detail_ko = models.TextField(_("detail (Korean)"), blank=True)
    detail_en = models.TextField(_("detail (English)"), blank=True)
    attendees = models.PositiveIntegerField(_("attendees"), null=True, blank=True)
    amount_won = models.PositiveBigIntegerField(_("amount (won)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def detail(self) -> str:
        return localized(self, "detail")

    @property
    def source_label(self) -> str:
        """Which source document says so, in the reader's language."""

        return {
            SEED_000: _("Geumcheon-gu's report"),
            SEED_002: _("Seoul's 2021 budget book"),
        }.get(self.source, self.source)


class StaffAssignment(TimeStampedModel):
    """Binds a facility-staff user to an anchor they run."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments", verbose_name=_("user")
    )
    anchor = models.ForeignKey(
        Anchor, on_delete=models.CASCADE, related_name="staff_assignments", verbose_name=_("anchor")
    )

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [models.UniqueConstraint(fields=["user", "anchor"], name="staff_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.anchor}"


class OfficerAssignment(TimeStampedModel):
    """Binds a district-officer user to a district whose anchors they oversee."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_assignments", verbose_name=_("user")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="officer_assignments", verbose_name=_("district")
    )

    class Meta:
        verbose_name = _("officer assignment")
        verbose_name_plural = _("officer assignments")
        constraints = [models.UniqueConstraint(fields=["user", "district"], name="officer_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.district}"
