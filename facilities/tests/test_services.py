from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from common.time import SEOUL
from facilities import seed, services
from facilities.models import (
    CategoryDiscount,
    Certification,
    Closure,
    EquipmentKind,
    InventoryItem,
    MaintenanceLog,
    RateRule,
    RateTableVersion,
)
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 11, 21, 10, tzinfo=SEOUL)


@pytest.fixture
def facilities(seeded):
    seed.load(now=SEED_NOW)
    return seeded


@pytest.fixture
def staff(db):
    return UserFactory(roles=[Role.FACILITY_STAFF])


def test_a_second_grant_while_valid_is_refused_and_a_renewal_after_expiry_replaces_the_old_one(facilities, staff):
    cutter = EquipmentKind.objects.get(slug="automatic-cutter")
    maker = UserFactory(roles=[Role.MAKER])
    first = services.certification_grant(
        user=maker, kind=cutter, granted_by=staff, reason="교육", granted_on=date(2024, 1, 10), now=TODAY
    )
    with pytest.raises(ValidationError):
        services.certification_grant(
            user=maker, kind=cutter, granted_by=staff, reason="교육", granted_on=date(2025, 6, 1), now=TODAY
        )
    renewed = services.certification_grant(
        user=maker, kind=cutter, granted_by=staff, reason="재교육", granted_on=date(2026, 2, 1), now=TODAY
    )
    first.refresh_from_db()
    assert first.revoked_at is not None and renewed.expires_on == date(2028, 2, 1)
    assert Certification.objects.filter(user=maker, kind=cutter, revoked_at__isnull=True).count() == 1


def test_the_database_refuses_two_unrevoked_certifications_of_one_kind(facilities, staff):
    cutter = EquipmentKind.objects.get(slug="automatic-cutter")
    maker = UserFactory(roles=[Role.MAKER])
    services.certification_grant(user=maker, kind=cutter, granted_by=staff, reason="교육", now=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.create(
            user=maker, kind=cutter, granted_on=date(2026, 1, 1), expires_on=date(2027, 1, 1), reason="x"
        )


def test_granting_and_revoking_need_a_reason(facilities, staff):
    cutter = EquipmentKind.objects.get(slug="automatic-cutter")
    maker = UserFactory(roles=[Role.MAKER])
    with pytest.raises(ValidationError):
        services.certification_grant(user=maker, kind=cutter, granted_by=staff, reason="  ", now=TODAY)
    cert = services.certification_grant(user=maker, kind=cutter, granted_by=staff, reason="교육", now=TODAY)
    with pytest.raises(ValidationError):
        services.certification_revoke(certification=cert, revoked_by=staff, reason="", now=TODAY)
    services.certification_revoke(certification=cert, revoked_by=staff, reason="위반", now=TODAY)
    with pytest.raises(ValidationError):
        services.certification_revoke(certification=cert, revoked_by=staff, reason="again", now=TODAY)


def test_a_closure_of_another_anchors_space_or_ending_before_it_starts_is_refused(facilities, staff):
    g, c = facilities["geumcheon"], facilities["changsin"]
    start = datetime(2026, 12, 2, 9, tzinfo=SEOUL)
    with pytest.raises(ValidationError):
        services.closure_create(
            anchor=g,
            space=c.spaces.first(),
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            reason="x",
            created_by=staff,
            now=TODAY,
        )
    with pytest.raises(ValidationError):
        services.closure_create(
            anchor=g, space=None, starts_at=start, ends_at=start, reason="x", created_by=staff, now=TODAY
        )
    with pytest.raises(ValidationError):  # a closure already over
        services.closure_create(
            anchor=g,
            space=None,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            reason="x",
            created_by=staff,
            now=start + timedelta(days=1),
        )
    assert not Closure.objects.exists()


def test_a_status_change_needs_a_reason_and_is_logged_with_before_and_after(facilities, staff):
    unit = facilities["geumcheon"].spaces.get(slug="cutting-room").equipment.first()
    with pytest.raises(ValidationError):
        services.equipment_set_status(equipment=unit, status="maintenance", changed_by=staff, note="", now=TODAY)
    services.equipment_set_status(equipment=unit, status="maintenance", changed_by=staff, note="칼날 교체", now=TODAY)
    entry = MaintenanceLog.objects.get(equipment=unit)
    assert (entry.status_from, entry.status_to, entry.description) == ("in_service", "maintenance", "칼날 교체")


def test_a_fault_report_is_logged_and_resolved_once(facilities, staff):
    maker = UserFactory(roles=[Role.MAKER])
    unit = facilities["geumcheon"].spaces.get(slug="common-equipment-room").equipment.first()
    entry = services.equipment_report_fault(
        equipment=unit, reported_by=maker, description="바늘이 부러졌어요", now=TODAY
    )
    services.maintenance_resolve(entry=entry, resolved_by=staff, resolution="바늘 교체", now=TODAY)
    with pytest.raises(ValidationError):
        services.maintenance_resolve(entry=entry, resolved_by=staff, resolution="again", now=TODAY)


def test_an_item_cannot_be_lent_twice_at_once_and_returns_once(facilities, staff):
    item = InventoryItem.objects.get(asset_tag="GC-INV-001")
    loan = services.inventory_loan_checkout(
        item=item, borrower_name="김메이커", due_on=date(2099, 1, 1), checked_out_by=staff, now=TODAY
    )
    with pytest.raises(ValidationError):
        services.inventory_loan_checkout(
            item=item, borrower_name="다른 사람", due_on=date(2099, 1, 1), checked_out_by=staff, now=TODAY
        )
    services.inventory_loan_return(loan=loan, returned_to=staff, now=TODAY)
    with pytest.raises(ValidationError):
        services.inventory_loan_return(loan=loan, returned_to=staff, now=TODAY)
    services.inventory_loan_checkout(
        item=item, borrower_name="다른 사람", due_on=date(2099, 1, 1), checked_out_by=staff, now=TODAY
    )


@time_machine.travel(TODAY, tick=False)
def test_copying_a_version_copies_every_rule_and_discount_and_refuses_past_or_taken_dates(facilities, staff):
    current = RateTableVersion.objects.get(table__anchor__slug="geumcheon", effective_from=date(2026, 1, 1))
    new = services.rate_version_copy(
        version=current,
        effective_from=date(2027, 1, 1),
        basis_ko="운영규정 개정 (2026-12)",
        created_by=staff,
        today=timezone.localdate(TODAY),
    )
    assert RateRule.objects.filter(version=new).count() == current.rules.count()
    assert CategoryDiscount.objects.filter(version=new).count() == current.discounts.count()
    with pytest.raises(ValidationError):
        services.rate_version_copy(
            version=current, effective_from=date(2027, 1, 1), basis_ko="x", today=timezone.localdate(TODAY)
        )
    with pytest.raises(ValidationError):
        services.rate_version_copy(
            version=current, effective_from=date(2026, 11, 21), basis_ko="x", today=timezone.localdate(TODAY)
        )
    assert services.rate_version_is_locked(
        current, today=timezone.localdate(TODAY)
    ) and not services.rate_version_is_locked(new, today=timezone.localdate(TODAY))


def test_the_database_refuses_negative_prices_and_discounts_over_100_and_two_versions_on_one_date(facilities):
    version = RateTableVersion.objects.filter(table__anchor__slug="geumcheon").first()
    rule = version.rules.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        RateRule.objects.filter(pk=rule.pk).update(base_price_won=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryDiscount.objects.filter(version=version).update(percent=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        RateTableVersion.objects.create(table=version.table, effective_from=version.effective_from, basis_ko="dup")
