"""Services and selectors of start-up space tenancy: applications, reviews, leases and the occupancy board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Prefetch, Q
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationStatus
from anchors.models import Anchor
from common.db import is_exclusion_violation
from common.numbers import percent

from . import selectors
from .models import (
    OCCUPYING,
    ApplicationReview,
    ApplicationStatus,
    Lease,
    LeaseStatus,
    RateRule,
    Space,
    SpaceKind,
    TenantApplication,
)


@transaction.atomic
def application_submit(
    *,
    anchor: Anchor,
    organisation: Organisation,
    submitted_by,
    business_plan: str,
    wanted_from: date,
    wanted_months: int,
    document=None,
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
        from accounts.services import sniff_content_type

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
def application_score(*, application: TenantApplication, reviewer, score: int, comment: str = "") -> ApplicationReview:
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
    decided_by,
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


def application_average_score(application: TenantApplication) -> float | None:
    return application.reviews.aggregate(avg=Avg("score"))["avg"]


def monthly_terms(space: Space, on: date) -> tuple[int, int, int | None]:
    """(monthly fee, deposit, rate version id) from the rate table's monthly rule for the space on a date."""
    versions = selectors.rate_versions(anchor=space.anchor)
    current, _next = selectors.current_and_next_version(versions, on)
    rule: RateRule | None = None
    if current is not None:
        rule = next((r for r in current.rules.all() if r.space_id == space.pk and r.unit == "month"), None)
    if rule is None:
        raise ValidationError(
            _("The rate table in effect on %(date)s has no monthly fee for %(space)s.")
            % {"date": on.isoformat(), "space": space.name}
        )
    return rule.base_price_won, rule.deposit_won, current.pk


def _overlapping(space: Space, starts_on: date, ends_on: date, exclude_pk: int | None = None):
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
    lease = Lease.objects.select_for_update().select_related("organisation").get(pk=lease.pk)
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
    lease = Lease.objects.select_for_update().select_related("organisation").get(pk=lease.pk)
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


@dataclass
class Occupancy:
    space: Space
    current: Lease | None
    upcoming: Lease | None

    @property
    def vacant(self) -> bool:
        return self.current is None


def occupancy_board(*, anchor: Anchor, today: date) -> list[Occupancy]:
    """Each start-up space of an anchor: who is in and until when, who comes next, or vacant (2 queries)."""
    leases = (
        Lease.objects.filter(status__in=OCCUPYING, ends_on__gte=today)
        .select_related("organisation", "rate_version")
        .order_by("starts_on")
    )
    spaces = (
        Space.objects.filter(anchor=anchor, kind=SpaceKind.STARTUP_SPACE)
        .prefetch_related(Prefetch("leases", queryset=leases, to_attr="open_leases"))
        .order_by("sort_order", "name_en")
    )
    board = []
    for s in spaces:
        current = next((lease for lease in s.open_leases if lease.starts_on <= today), None)
        upcoming = next((lease for lease in s.open_leases if lease.starts_on > today), None)
        board.append(Occupancy(space=s, current=current, upcoming=upcoming))
    return board


def companies_of(*, anchor: Anchor):
    """Every company that has leased a start-up space at the anchor (who reports KPIs there)."""
    return Organisation.objects.filter(leases__space__anchor=anchor).distinct().order_by("name")


def is_tenant_member(user, anchor: Anchor | None = None) -> bool:
    q = Q(leases__status__in=[LeaseStatus.ACTIVE, LeaseStatus.ENDING])
    if anchor is not None:
        q &= Q(leases__space__anchor=anchor)
    return Organisation.objects.filter(q, memberships__user=user).exists()


# --- figures -------------------------------------------------------------------------------------

# A lease counts as occupancy from the day staff start it (active) to its real end, ended leases included for the
# days they ran; a lease still waiting to start (applied) does not.
IN_FORCE = (LeaseStatus.ACTIVE, LeaseStatus.ENDING, LeaseStatus.ENDED)


@dataclass(frozen=True)
class OccupancyFigures:
    startup_spaces: int
    occupied_spaces: int  # start-up spaces with a lease in force on at least one day of the period
    tenants: int  # companies with such a lease

    @property
    def occupancy(self):
        return percent(self.occupied_spaces, self.startup_spaces)


def occupancy_by_anchor(*, anchor_ids: list[int], first: date, last: date) -> dict[int, OccupancyFigures]:
    """Start-up spaces, those occupied in the period and the tenant companies, per anchor (2 grouped queries)."""
    from django.db.models import Count

    spaces = dict(
        Space.objects.filter(anchor_id__in=anchor_ids, kind=SpaceKind.STARTUP_SPACE)
        .values("anchor_id")
        .annotate(n=Count("pk"))
        .values_list("anchor_id", "n")
    )
    leased = {
        r["space__anchor_id"]: r
        for r in Lease.objects.filter(
            space__anchor_id__in=anchor_ids, status__in=IN_FORCE, starts_on__lte=last, ends_on__gte=first
        )
        .values("space__anchor_id")
        .annotate(spaces=Count("space", distinct=True), tenants=Count("organisation", distinct=True))
    }
    return {
        a: OccupancyFigures(
            startup_spaces=spaces.get(a, 0),
            occupied_spaces=leased.get(a, {}).get("spaces", 0),
            tenants=leased.get(a, {}).get("tenants", 0),
        )
        for a in anchor_ids
    }


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
):
    """A tenant company's yearly results at an anchor; only a company that leased there reports them."""
    from .models import TenantKPI

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
