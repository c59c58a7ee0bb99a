from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anchors.models import Anchor
from common import pagecache
from notifications.services import outbox_enqueue

from .models import (
    CategoryDiscount,
    Certification,
    Closure,
    Equipment,
    EquipmentKind,
    EquipmentStatus,
    InventoryItem,
    InventoryLoan,
    MaintenanceKind,
    MaintenanceLog,
    RateRule,
    RateTable,
    RateTableVersion,
    Space,
)

if TYPE_CHECKING:
    from accounts.models import User

# --- closures ------------------------------------------------------------------------------------


@transaction.atomic
def closure_create(
    *,
    anchor: Anchor,
    space: Space | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    created_by: User | None,
    now: datetime,
) -> Closure:
    if space is not None and space.anchor_id != anchor.pk:
        raise ValidationError({"space": _("The space must belong to the same anchor.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at <= now:
        raise ValidationError({"ends_at": _("This closure would already be over; give a time still to come.")})
    closure = Closure(
        anchor=anchor, space=space, starts_at=starts_at, ends_at=ends_at, reason=reason.strip(), created_by=created_by
    )
    closure.full_clean()
    closure.save()
    return closure


@transaction.atomic
def closure_delete(*, closure: Closure) -> None:
    closure.delete()


# --- equipment -----------------------------------------------------------------------------------


@transaction.atomic
def equipment_report_fault(
    *, equipment: Equipment, reported_by: User | None, description: str, now: datetime
) -> MaintenanceLog:
    description = description.strip()
    if len(description) < 5:
        raise ValidationError({"description": _("Describe the fault in a few words.")})
    entry = MaintenanceLog(
        equipment=equipment,
        kind=MaintenanceKind.FAULT_REPORT,
        description=description,
        reported_by=reported_by,
        created_at=now,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def equipment_set_status(
    *, equipment: Equipment, status: str, changed_by: User | None, note: str, now: datetime
) -> Equipment:
    if status not in EquipmentStatus.values:
        raise ValidationError({"status": _("Unknown equipment status.")})
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    if equipment.status == status:
        raise ValidationError({"status": _("The equipment already has that status.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the status changes.")})
    old = equipment.status
    equipment.status = status
    equipment.save(update_fields=["status", "updated_at"])
    MaintenanceLog.objects.create(
        equipment=equipment,
        kind=MaintenanceKind.STATUS_CHANGE,
        description=note.strip(),
        reported_by=changed_by,
        status_from=old,
        status_to=status,
        created_at=now,
    )
    return equipment


@transaction.atomic
def maintenance_resolve(
    *, entry: MaintenanceLog, resolved_by: User | None, resolution: str, now: datetime
) -> MaintenanceLog:
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how it was resolved.")})
    entry = MaintenanceLog.objects.select_for_update().get(pk=entry.pk)
    if entry.resolved_at is not None:
        raise ValidationError(_("This entry was already resolved."))
    entry.resolved_at = now
    entry.resolved_by = resolved_by
    entry.resolution = resolution.strip()
    entry.save(update_fields=["resolved_at", "resolved_by", "resolution", "updated_at"])
    return entry


# --- certifications ------------------------------------------------------------------------------


@transaction.atomic
def certification_grant(
    *,
    user: User,
    kind: EquipmentKind,
    granted_by: User | None,
    reason: str,
    anchor: Anchor | None = None,
    now: datetime,
    granted_on: date | None = None,
) -> Certification:
    """Grant (or renew) a maker's certification for an equipment kind; valid at every anchor."""
    granted_on = granted_on or timezone.localdate(now)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason, such as the training session passed.")})
    existing = Certification.objects.select_for_update().filter(user=user, kind=kind, revoked_at__isnull=True).first()
    if existing is not None:
        if existing.expires_on >= granted_on:
            raise ValidationError(
                _("%(user)s already holds a valid certification for %(kind)s until %(date)s.")
                % {"user": user.get_full_name(), "kind": kind.name, "date": existing.expires_on.isoformat()}
            )
        existing.revoked_at = now
        existing.revoked_by = granted_by
        existing.revoke_reason = _("Expired; replaced by a renewal.")
        existing.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    cert = Certification(
        user=user,
        kind=kind,
        granted_on=granted_on,
        expires_on=granted_on + relativedelta(months=kind.certification_valid_months),
        granted_by=granted_by,
        granted_at_anchor=anchor,
        reason=reason.strip(),
    )
    cert.full_clean()
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError as err:  # a concurrent grant won the race on the partial unique index
        raise ValidationError(_("This maker was just granted this certification by someone else.")) from err
    return cert


@transaction.atomic
def certification_revoke(
    *, certification: Certification, revoked_by: User | None, reason: str, now: datetime
) -> Certification:
    cert = Certification.objects.select_for_update().get(pk=certification.pk)
    if cert.revoked_at is not None:
        raise ValidationError(_("This certification was already revoked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for revoking.")})
    cert.revoked_at = now
    cert.revoked_by = revoked_by
    cert.revoke_reason = reason.strip()
    cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    return cert


# --- rate tables ---------------------------------------------------------------------------------


def rate_version_is_locked(version: RateTableVersion, *, today: date) -> bool:
    """A published version already in effect may have priced bookings; it is never edited, only succeeded. A draft
    never priced anything and stays editable."""
    return version.pk is not None and not version.is_draft and version.effective_from <= today


@transaction.atomic
def rate_version_publish(*, version: RateTableVersion, today: date) -> RateTableVersion:
    """Publish a draft: from now on the public rate page shows it and fees on or after its date use it. It must
    take effect after today (a fee already quoted never changes) and cite its basis."""
    v = RateTableVersion.objects.select_for_update().get(pk=version.pk)
    if not v.is_draft:
        raise ValidationError(_("This version is published already."))
    if v.effective_from <= today:
        raise ValidationError(
            {"effective_from": _("A version is published before the day it takes effect: give it a later date first.")}
        )
    if not v.rules.exists():
        raise ValidationError(_("A version without prices cannot be published."))
    v.is_draft = False
    v.save(update_fields=["is_draft", "updated_at"])
    return v


def rate_version_check_new(*, table: RateTable, effective_from: date, basis_ko: str, today: date) -> None:
    """The rules for a new version, however it is made (copied in the admin, or imported from a file)."""
    if effective_from <= today:
        raise ValidationError({"effective_from": _("A new version must take effect after today.")})
    if not basis_ko.strip():
        raise ValidationError(
            {"basis_ko": _("Cite the operating rule or ordinance article the new version implements.")}
        )
    if RateTableVersion.objects.filter(table=table, effective_from=effective_from).exists():
        raise ValidationError(
            {"effective_from": _("Another version of this rate table already takes effect on that date.")}
        )


def rate_version_refuse_if_locked(version: RateTableVersion, *, today: date) -> None:
    if rate_version_is_locked(version, today=today):
        raise ValidationError(
            {
                "effective_from": _(
                    "The version taking effect on %(date)s is in effect and cannot be changed; "
                    "copy it as a new version."
                )
                % {"date": version.effective_from.isoformat()}
            }
        )


@transaction.atomic
def rate_version_create(
    *,
    table: RateTable,
    effective_from: date,
    basis_ko: str,
    today: date,
    basis_en: str = "",
    created_by: User | None = None,
    **settings: Any,
) -> RateTableVersion:
    rate_version_check_new(table=table, effective_from=effective_from, basis_ko=basis_ko, today=today)
    new = RateTableVersion(
        table=table,
        effective_from=effective_from,
        basis_ko=basis_ko.strip(),
        basis_en=basis_en.strip(),
        created_by=created_by,
        **settings,
    )
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def rate_version_copy(
    *,
    version: RateTableVersion,
    effective_from: date,
    basis_ko: str,
    today: date,
    basis_en: str = "",
    created_by: User | None = None,
) -> RateTableVersion:
    """Copy a version with its rules and discounts as a new draft taking effect on a later date: nobody sees it, and
    no fee uses it, until it is edited and published (rate_version_publish)."""
    new = rate_version_create(
        table=version.table,
        effective_from=effective_from,
        basis_ko=basis_ko,
        basis_en=basis_en,
        today=today,
        created_by=created_by,
        evening_starts=version.evening_starts,
        discount_rule=version.discount_rule,
        rounding_won=version.rounding_won,
        vat_included=version.vat_included,
        is_example=version.is_example,
        is_draft=True,
    )
    for rule in version.rules.all():
        RateRule.objects.create(
            version=new,
            space=rule.space,
            equipment_kind=rule.equipment_kind,
            unit=rule.unit,
            base_price_won=rule.base_price_won,
            evening_surcharge_pct=rule.evening_surcharge_pct,
            weekend_surcharge_pct=rule.weekend_surcharge_pct,
            holiday_surcharge_pct=rule.holiday_surcharge_pct,
            deposit_won=rule.deposit_won,
            note_ko=rule.note_ko,
            note_en=rule.note_en,
        )
    for d in version.discounts.all():
        CategoryDiscount.objects.create(version=new, category=d.category, percent=d.percent)
    return new


# --- inventory -----------------------------------------------------------------------------------


@transaction.atomic
def inventory_loan_checkout(
    *,
    item: InventoryItem,
    borrower_name: str,
    borrower_phone: str = "",
    due_on: date,
    checked_out_by: User | None,
    borrower: User | None = None,
    now: datetime,
    note: str = "",
) -> InventoryLoan:
    item = InventoryItem.objects.select_for_update().get(pk=item.pk)
    if item.disposed_on is not None:
        raise ValidationError(_("A disposed item cannot be lent."))
    if item.loans.filter(returned_at__isnull=True).exists():
        raise ValidationError(_("This item is already out on loan."))
    if due_on < timezone.localdate(now):
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    loan = InventoryLoan(
        item=item,
        borrower=borrower,
        borrower_name=borrower_name.strip(),
        borrower_phone=borrower_phone.strip(),
        checked_out_at=now,
        due_on=due_on,
        checked_out_by=checked_out_by,
        note=note.strip(),
    )
    loan.full_clean()
    loan.save()
    return loan


@transaction.atomic
def inventory_loan_return(*, loan: InventoryLoan, returned_to: User | None, now: datetime) -> InventoryLoan:
    loan = InventoryLoan.objects.select_for_update().get(pk=loan.pk)
    if loan.returned_at is not None:
        raise ValidationError(_("This loan was already returned."))
    loan.returned_at = now
    loan.returned_to = returned_to
    loan.save(update_fields=["returned_at", "returned_to", "updated_at"])
    return loan


# --- certification expiry ------------------------------------------------------------------------


def certifications_warn_expiring(*, now: datetime, within_days: int = 30) -> int:
    """Queue one warning per certification that expires within 30 days (its outbox key makes it once)."""

    today = timezone.localdate(now)
    queued = 0
    for cert in Certification.objects.filter(
        revoked_at__isnull=True,
        expiry_warned_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=within_days),
    ).select_related("granted_at_anchor"):
        with transaction.atomic():
            if (
                Certification.objects.filter(pk=cert.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now)
                != 1
            ):
                continue  # another run took it
            pagecache.touch()  # update() sends no signal
            queued += (
                outbox_enqueue(
                    key=f"certification-expiry:{cert.pk}",
                    kind="certification-expiry",
                    user_id=cert.user_id,
                    object_id=cert.pk,
                    anchor_id=cert.granted_at_anchor_id,
                    now=now,
                )
                is not None
            )
    return queued
