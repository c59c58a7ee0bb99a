"""Tenancy of the anchors' start-up spaces: the companies (입주기업) and their members, their applications and the
reviews of them, their leases and their yearly results.

The tables keep the names they had when these models lived in `accounts` and `facilities` (`db_table`): the app was
split out without moving any data (migrations `tenants/0001`, `accounts/0009`, `facilities/0008`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.validators import format_brn, normalise_brn, validate_brn
from anchors.models import Anchor
from common.files import private_storage, random_upload_name
from common.models import TimeStampedModel
from facilities.models import RateTableVersion, Space


class OrganisationStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    TENANT = "tenant", _("Tenant")
    GRADUATED = "graduated", _("Graduated")
    EXITED = "exited", _("Exited")


class Organisation(models.Model):
    """A company of makers, typically a tenant (입주기업) of an anchor's start-up space."""

    name = models.CharField(_("company name"), max_length=150)
    business_registration_number = models.CharField(
        _("business registration number"),
        max_length=12,
        unique=True,
        validators=[validate_brn],
        help_text=_("10 digits, like 123-45-67890; checked with its check digit."),
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    representative = models.CharField(_("representative"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OrganisationStatus.choices, default=OrganisationStatus.APPLICANT
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("members")
    )
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "accounts_organisation"  # the table it had in accounts; no data moved
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def brn_display(self) -> str:
        return format_brn(self.business_registration_number)

    def clean(self) -> None:
        super().clean()
        self.business_registration_number = normalise_brn(self.business_registration_number)


class MembershipRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=15, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined_on = models.DateField(_("joined on"), auto_now_add=True)

    class Meta:
        db_table = "accounts_membership"  # the table it had in accounts; no data moved
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


def application_document_path(instance, filename: str) -> str:
    return random_upload_name("applications", filename)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TenantApplication(TimeStampedModel):
    """A company's application for a start-up space at an anchor."""

    anchor = models.ForeignKey(
        Anchor, on_delete=models.CASCADE, related_name="tenant_applications", verbose_name=_("anchor")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="applications", verbose_name=_("company")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    business_plan = models.TextField(_("business plan"))
    wanted_from = models.DateField(_("wanted from"))
    wanted_months = models.PositiveSmallIntegerField(
        _("for (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    document = models.FileField(
        _("supporting document (PDF)"), upload_to=application_document_path, storage=private_storage, blank=True
    )
    status = models.CharField(
        _("status"), max_length=15, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        db_table = "facilities_tenantapplication"  # the table it had in facilities; no data moved
        verbose_name = _("tenant application")
        verbose_name_plural = _("tenant applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.anchor}"


class ApplicationReview(TimeStampedModel):
    """One reviewer's (staff or committee member's) score of an application."""

    application = models.ForeignKey(TenantApplication, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    score = models.PositiveSmallIntegerField(_("score (0–100)"), validators=[MaxValueValidator(100)])
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        db_table = "facilities_applicationreview"  # the table it had in facilities; no data moved
        verbose_name = _("application review")
        verbose_name_plural = _("application reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer"),
            models.CheckConstraint(condition=Q(score__lte=100), name="review_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.score}"


class LeaseStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active")
    ENDING = "ending", _("Ending")
    ENDED = "ended", _("Ended")


# Leases in these statuses occupy their space; two of them never overlap (PostgreSQL exclusion constraint of
# migration 0003, spelled out there and checked against this by reservations/tests/test_constraints.py).
OCCUPYING = (LeaseStatus.APPLIED, LeaseStatus.ACTIVE, LeaseStatus.ENDING)


class Lease(TimeStampedModel):
    """A company's lease of a start-up space for a term, at the rate table's monthly fee."""

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="leases", verbose_name=_("start-up space"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="leases", verbose_name=_("company")
    )
    application = models.ForeignKey(
        TenantApplication, on_delete=models.SET_NULL, null=True, blank=True, related_name="leases"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    monthly_fee_won = models.PositiveBigIntegerField(_("monthly fee (won)"))
    deposit_won = models.PositiveBigIntegerField(_("deposit (won)"), default=0)
    rate_version = models.ForeignKey(
        RateTableVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rate table version"),
    )
    status = models.CharField(_("status"), max_length=10, choices=LeaseStatus.choices, default=LeaseStatus.APPLIED)
    renews = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("renews lease"),
    )
    termination_reason = models.CharField(_("termination reason"), max_length=300, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)

    history = HistoricalRecords(table_name="facilities_historicallease")

    class Meta:
        db_table = "facilities_lease"  # the table it had in facilities; no data moved
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["space", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="lease_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.space} {self.starts_on}–{self.ends_on}"


class TenantKPI(TimeStampedModel):
    """A tenant company's yearly results, reported to the anchor."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("company")
    )
    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="tenant_kpis", verbose_name=_("anchor"))
    year = models.PositiveSmallIntegerField(_("year"))
    sales_won = models.PositiveBigIntegerField(_("sales (won)"), default=0)
    hires = models.PositiveSmallIntegerField(_("people hired"), default=0)
    prototypes = models.PositiveSmallIntegerField(_("prototypes made"), default=0)
    products_launched = models.PositiveSmallIntegerField(_("products launched"), default=0)

    history = HistoricalRecords(table_name="facilities_historicaltenantkpi")

    class Meta:
        db_table = "facilities_tenantkpi"  # the table it had in facilities; no data moved
        verbose_name = _("tenant KPI")
        verbose_name_plural = _("tenant KPIs")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "anchor", "year"], name="kpi_one_per_company_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"
