"""Tenancy's writes: applications submitted, scored and decided, leases made, started, renewed and ended, and the
companies' yearly results. Every write of a tenancy model goes through here (the admin and the importers too)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import sniff_content_type
from accounts.validators import normalise_brn
from anchors.models import Anchor
from common.db import is_exclusion_violation
from facilities import selectors as facility_selectors
from facilities.models import RateRule, Space, SpaceKind

from .models import (
    OCCUPYING,
    ApplicationReview,
    ApplicationStatus,
    Lease,
    LeaseStatus,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationStatus,
    TenantApplication,
    TenantKPI,
)


@transaction.atomic
def organisation_create(
    *,
    name: str,
    business_registration_number: str,
    representative: str,
    created_by: User,
    industry: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> Organisation:
    """A new company, with the maker who registers it as its representative member."""
    brn = normalise_brn(business_registration_number)
    if Organisation.objects.filter(business_registration_number=brn).exists():
        raise ValidationError(
            {"business_registration_number": _("A company with this registration number is already registered.")}
        )
    org = Organisation(
        name=name.strip(),
        business_registration_number=brn,
        representative=representative.strip(),
        industry=industry.strip(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
    )
    org.full_clean()
    org.save()
    Membership.objects.create(organisation=org, user=created_by, role=MembershipRole.REPRESENTATIVE)
    return org


@transaction.atomic
def application_submit(
    *,
    anchor: Anchor,
    organisation: Organisation,
    submitted_by: User,
    business_plan: str,
    wanted_from: date,
    wanted_months: int,
    document: File[bytes] | None = None,
) -> TenantApplication:
    if not organisation.memberships.filter(user=submitted_by).exists():
        raise ValidationError(_("Only a member of the company can apply for it."))
    if TenantApplication.objects.filter(
        anchor=anchor,
        organisation=organisation,
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW],
    ).exists():
        raise ValidationError(_("This company already has an application waiting at this anchor."))
    if document is not None:
        head = document.read(8)
        document.seek(0)
        if sniff_content_type(head) != "application/pdf" or document.size > 10 * 1024 * 1024:
            raise ValidationError({"document": _("Attach one PDF file of at most 10 MB.")})
        document.name = "application.pdf"
    app = TenantApplication(
        anchor=anchor,
        organisation=organisation,
        submitted_by=submitted_by,
        business_plan=business_plan.strip(),
        wanted_from=wanted_from,
        wanted_months=wanted_months,
        document=document,
    )
    app.full_clean(exclude=["document"] if document is None else None)
    app.save()
    return app


@transaction.atomic
def application_score(
    *, application: TenantApplication, reviewer: User, score: int, comment: str = ""
) -> ApplicationReview:
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW):
        raise ValidationError(_("This application was already decided."))
    review, _created = ApplicationReview.objects.update_or_create(
        application=application, reviewer=reviewer, defaults={"score": score, "comment": comment.strip()}
    )
    review.full_clean()
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.UNDER_REVIEW
        application.save(update_fields=["status", "updated_at"])
    return review


@transaction.atomic
def application_decide(
    *,
    application: TenantApplication,
    decided_by: User,
    approve: bool,
    reason: str,
    now: datetime,
    space: Space | None = None,
) -> TenantApplication:
    """Approve (leasing a start-up space from the wanted date) or reject, with a reason either way."""
    app = TenantApplication.objects.select_for_update().get(pk=application.pk)
    if app.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW):
        raise ValidationError(_("This application was already decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    app.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    app.decision_reason, app.decided_by, app.decided_at = reason.strip(), decided_by, now
    app.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    if approve:
        if space is None:
            raise ValidationError({"space": _("Choose the start-up space to lease.")})
        lease_create(
            space=space,
            organisation=app.organisation,
            starts_on=app.wanted_from,
            months=app.wanted_months,
            application=app,
        )
    return app


@transaction.atomic
def application_apply(
    *,
    anchor: Anchor,
    submitted_by: User,
    organisation: Organisation | None,
    new_company: dict[str, str] | None,
    business_plan: str,
    wanted_from: date,
    wanted_months: int,
    document: File[bytes] | None = None,
) -> TenantApplication:
    """What the apply page sends: an application for a company the maker belongs to, or for a new one registered in
    the same transaction (name, business registration number, representative, industry), so a refused application
    leaves no company behind."""
    if organisation is None:
        organisation = organisation_create(created_by=submitted_by, **(new_company or {}))
    return application_submit(
        anchor=anchor,
        organisation=organisation,
        submitted_by=submitted_by,
        business_plan=business_plan,
        wanted_from=wanted_from,
        wanted_months=wanted_months,
        document=document,
    )


def monthly_terms(space: Space, on: date) -> tuple[int, int, int | None]:
    """(monthly fee, deposit, rate version id) from the rate table's monthly rule for the space on a date."""
    versions = facility_selectors.rate_versions(anchor=space.anchor)
    current, _next = facility_selectors.current_and_next_version(versions, on)
    rule: RateRule | None = None
    if current is not None:
        rule = next((r for r in current.rules.all() if r.space_id == space.pk and r.unit == "month"), None)
    if rule is None or current is None:
        raise ValidationError(
            _("The rate table in effect on %(date)s has no monthly fee for %(space)s.")
            % {"date": on.isoformat(), "space": space.name}
        )
    return rule.base_price_won, rule.deposit_won, current.pk


def _overlapping(space: Space, starts_on: date, ends_on: date, exclude_pk: int | None = None) -> QuerySet[Lease]:
    qs = Lease.objects.filter(space=space, status__in=OCCUPYING, starts_on__lte=ends_on, ends_on__gte=starts_on)
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


def _save_lease(lease: Lease) -> Lease:
    clash = (
        _overlapping(lease.space, lease.starts_on, lease.ends_on, exclude_pk=lease.pk)
        .select_related("organisation")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("%(space)s is leased to %(company)s from %(start)s to %(end)s.")
            % {
                "space": lease.space.name,
                "company": clash.organisation.name,
                "start": clash.starts_on.isoformat(),
                "end": clash.ends_on.isoformat(),
            }
        )
    try:
        with transaction.atomic():
            lease.save()
    except IntegrityError as err:  # the exclusion constraint caught a concurrent lease
        if is_exclusion_violation(err):
            raise ValidationError(_("This space was just leased to someone else for those dates.")) from err
        raise
    return lease


@transaction.atomic
def lease_create(
    *,
    space: Space,
    organisation: Organisation,
    starts_on: date,
    months: int,
    application: TenantApplication | None = None,
    renews: Lease | None = None,
    is_example: bool = False,
) -> Lease:
    if space.kind != SpaceKind.STARTUP_SPACE:
        raise ValidationError({"space": _("Only start-up spaces are leased.")})
    if not 1 <= months <= 60:
        raise ValidationError({"months": _("A lease runs from 1 to 60 months.")})
    fee, deposit, version_id = monthly_terms(space, starts_on)
    lease = Lease(
        space=space,
        organisation=organisation,
        application=application,
        starts_on=starts_on,
        ends_on=starts_on + relativedelta(months=months) - timedelta(days=1),
        monthly_fee_won=fee,
        deposit_won=deposit,
        rate_version_id=version_id,
        renews=renews,
        status=LeaseStatus.APPLIED,
        is_example=is_example,
    )
    lease.full_clean(exclude=["renews"])
    return _save_lease(lease)


@transaction.atomic
def lease_activate(*, lease: Lease) -> Lease:
    lease = Lease.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=lease.pk)
    if lease.status != LeaseStatus.APPLIED:
        raise ValidationError(_("Only an applied lease can start."))
    lease.status = LeaseStatus.ACTIVE
    lease.save(update_fields=["status", "updated_at"])
    org = lease.organisation
    if org.status != OrganisationStatus.TENANT:
        org.status = OrganisationStatus.TENANT
        org.save(update_fields=["status"])
    return lease


@transaction.atomic
def lease_renew(*, lease: Lease, months: int) -> Lease:
    if lease.status not in (LeaseStatus.ACTIVE, LeaseStatus.ENDING):
        raise ValidationError(_("Only a running lease can be renewed."))
    if hasattr(lease, "renewed_by"):
        raise ValidationError(_("This lease was already renewed."))
    return lease_create(
        space=lease.space,
        organisation=lease.organisation,
        starts_on=lease.ends_on + timedelta(days=1),
        months=months,
        renews=lease,
    )


@transaction.atomic
def lease_terminate(*, lease: Lease, ends_on: date, reason: str, today: date, graduated: bool = False) -> Lease:
    lease = Lease.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=lease.pk)
    if lease.status == LeaseStatus.ENDED:
        raise ValidationError(_("This lease has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for ending the lease.")})
    if ends_on < lease.starts_on or ends_on > lease.ends_on:
        raise ValidationError({"ends_on": _("The end must fall within the lease term.")})
    lease.ends_on = ends_on
    lease.termination_reason = reason.strip()
    lease.status = LeaseStatus.ENDED if ends_on < today else LeaseStatus.ENDING
    lease.save(update_fields=["ends_on", "termination_reason", "status", "updated_at"])
    org = lease.organisation
    org.status = OrganisationStatus.GRADUATED if graduated else OrganisationStatus.EXITED
    org.save(update_fields=["status"])
    return lease


@transaction.atomic
def tenant_kpi_save(
    *,
    anchor: Anchor,
    organisation: Organisation,
    year: int,
    sales_won: int,
    hires: int,
    prototypes: int,
    products_launched: int,
) -> TenantKPI:
    """A tenant company's yearly results at an anchor; only a company that leased there reports them."""
    if not Lease.objects.filter(space__anchor=anchor, organisation=organisation).exists():
        raise ValidationError({"organisation": _("This company has never leased a space at this anchor.")})
    kpi, _created = TenantKPI.objects.select_for_update().get_or_create(
        organisation=organisation,
        anchor=anchor,
        year=year,
        defaults={"sales_won": 0},
    )
    kpi.sales_won, kpi.hires, kpi.prototypes, kpi.products_launched = sales_won, hires, prototypes, products_launched
    kpi.full_clean()
    kpi.save()
    return kpi
