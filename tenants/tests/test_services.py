from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from facilities import seed
from facilities.models import Space
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with
from tenants import selectors as tenant_selectors
from tenants import services as tenancy
from tenants.models import Lease, LeaseStatus, Organisation
from tenants.services import organisation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(seeded):
    seed.load(now=SEED_NOW)
    Lease.objects.all().delete()  # start from empty rooms, without the example tenants
    return {s.slug: s for s in Space.objects.filter(anchor__slug="geumcheon", kind="startup_space")}


@pytest.fixture
def company(db):
    return organisation_create(
        name="한땀", business_registration_number="124-81-00998", representative="김", created_by=UserFactory()
    )


def test_a_lease_takes_its_monthly_fee_and_deposit_from_the_rate_table(rooms, company):
    lease = tenancy.lease_create(
        space=rooms["startup-room-1"], organisation=company, starts_on=date(2026, 12, 1), months=12
    )
    assert (lease.monthly_fee_won, lease.deposit_won, lease.ends_on) == (300_000, 1_000_000, date(2027, 11, 30))


def test_overlapping_leases_of_one_space_are_refused_with_a_message(rooms, company):
    other = organisation_create(
        name="패턴랩", business_registration_number="220-81-62517", representative="박", created_by=UserFactory()
    )
    tenancy.lease_create(space=rooms["startup-room-1"], organisation=company, starts_on=date(2026, 12, 1), months=6)
    with pytest.raises(ValidationError) as err:
        tenancy.lease_create(space=rooms["startup-room-1"], organisation=other, starts_on=date(2027, 5, 1), months=6)
    assert "한땀" in err.value.messages[0]
    tenancy.lease_create(
        space=rooms["startup-room-1"], organisation=other, starts_on=date(2027, 6, 1), months=6
    )  # after it ends


def test_the_database_refuses_overlapping_leases_written_past_the_services(rooms, company):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    first = tenancy.lease_create(
        space=rooms["startup-room-1"], organisation=company, starts_on=date(2026, 12, 1), months=6
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Lease.objects.create(
            space=first.space,
            organisation=company,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 2, 1),
            monthly_fee_won=1,
            status=LeaseStatus.ACTIVE,
        )
    Lease.objects.create(
        space=first.space,
        organisation=company,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 2, 1),
        monthly_fee_won=1,
        status=LeaseStatus.ENDED,
    )  # ended leases do not occupy


def test_an_application_is_scored_and_approved_into_a_lease_then_renewed_and_ended(
    rooms, company, geumcheon_staff, city_admin
):
    maker = company.memberships.get().user
    app = tenancy.application_submit(
        anchor=rooms["startup-room-1"].anchor,
        organisation=company,
        submitted_by=maker,
        business_plan="샘플 제작 창업",
        wanted_from=date(2026, 12, 1),
        wanted_months=12,
    )
    with pytest.raises(ValidationError):
        tenancy.application_submit(
            anchor=app.anchor,
            organisation=company,
            submitted_by=maker,
            business_plan="again",
            wanted_from=date(2026, 12, 1),
            wanted_months=12,
        )
    tenancy.application_score(application=app, reviewer=geumcheon_staff, score=80)
    tenancy.application_score(application=app, reviewer=city_admin, score=90)
    assert tenant_selectors.application_average_score(app) == 85
    with pytest.raises(ValidationError):
        tenancy.application_decide(
            application=app, decided_by=geumcheon_staff, approve=True, reason="", now=timezone.now()
        )
    tenancy.application_decide(
        application=app,
        decided_by=geumcheon_staff,
        approve=True,
        reason="심사 통과",
        space=rooms["startup-room-1"],
        now=timezone.now(),
    )
    lease = Lease.objects.get(organisation=company)
    lease = tenancy.lease_activate(lease=lease)
    company.refresh_from_db()
    assert company.status == "tenant"
    board = {o.space.slug: o for o in tenant_selectors.occupancy_board(anchor=app.anchor, today=date(2027, 1, 15))}
    assert board["startup-room-1"].current == lease and board["startup-room-2"].vacant
    renewal = tenancy.lease_renew(lease=lease, months=6)
    assert renewal.starts_on == date(2027, 12, 1)
    with pytest.raises(ValidationError):
        tenancy.lease_renew(lease=lease, months=6)
    tenancy.lease_terminate(
        lease=lease, ends_on=date(2027, 6, 30), reason="졸업", graduated=True, today=date(2027, 3, 1)
    )
    company.refresh_from_db()
    assert company.status == "graduated"


def test_only_a_member_applies_and_only_pdfs_are_attached(rooms, company):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        tenancy.application_submit(
            anchor=rooms["startup-room-1"].anchor,
            organisation=company,
            submitted_by=UserFactory(),
            business_plan="x",
            wanted_from=date(2026, 12, 1),
            wanted_months=12,
        )
    with pytest.raises(ValidationError):
        tenancy.application_submit(
            anchor=rooms["startup-room-1"].anchor,
            organisation=company,
            submitted_by=company.memberships.get().user,
            business_plan="x",
            wanted_from=date(2026, 12, 1),
            wanted_months=12,
            document=SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>"),
        )


def test_the_example_tenants_are_in_geumcheons_start_up_rooms(seeded):
    seed.load(now=SEED_NOW)
    board = tenant_selectors.occupancy_board(anchor=seeded["geumcheon"], today=timezone.localdate(SEED_NOW))
    occupied = [o for o in board if not o.vacant]
    assert len(occupied) == 2 and all(o.current.is_example for o in occupied)
    assert Organisation.objects.filter(is_example=True).count() == 2


def test_a_lease_file_with_an_overlapping_row_or_a_bad_registration_number_writes_nothing(rooms, company):
    import tablib

    from tenants.resources import LeaseResource, OrganisationResource

    before = Organisation.objects.count()
    orgs = tablib.Dataset(
        ["새회사", "124-81-00999", "이"],
        ["좋은회사", "220-81-62517", "최"],
        headers=["회사명", "사업자등록번호", "대표자"],
    )
    result = OrganisationResource().import_data(orgs, dry_run=False)
    assert result.has_validation_errors() and Organisation.objects.count() == before
    leases = tablib.Dataset(
        ["geumcheon", "startup-room-2", "124-81-00998", "2027-01-01", "2027-06-30", 300000, 0, "active"],
        ["geumcheon", "startup-room-2", "124-81-00998", "2027-03-01", "2027-12-31", 300000, 0, "active"],
        headers=["anchor", "space", "organisation", "starts_on", "ends_on", "monthly_fee_won", "deposit_won", "status"],
    )
    result = LeaseResource().import_data(leases, dry_run=False)
    assert result.has_validation_errors() and [r.number for r in result.invalid_rows] == [2]
    assert not Lease.objects.exists()


def test_an_imported_lease_is_made_by_the_service_with_the_rate_tables_fee_and_starts_as_applied(rooms, company):
    import tablib

    from tenants.resources import LeaseResource

    headers = ["anchor", "space", "organisation", "starts_on", "ends_on", "monthly_fee_won", "deposit_won", "status"]
    cheap = tablib.Dataset(
        ["geumcheon", "startup-room-1", "124-81-00998", "2027-01-01", "2027-06-30", 1000, "", "active"], headers=headers
    )
    result = LeaseResource().import_data(cheap, dry_run=False)
    assert result.has_validation_errors() and not Lease.objects.exists()  # a fee the rate table does not say
    assert "300,000" in str(result.invalid_rows[0].error_dict)
    ragged = tablib.Dataset(
        ["geumcheon", "startup-room-1", "124-81-00998", "2027-01-01", "2027-06-15", "", "", ""], headers=headers
    )
    assert LeaseResource().import_data(ragged, dry_run=False).has_validation_errors() and not Lease.objects.exists()
    good = tablib.Dataset(
        ["geumcheon", "startup-room-1", "124-81-00998", "2027-01-01", "2027-06-30", "", "", "active"], headers=headers
    )
    result = LeaseResource().import_data(good, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    lease = Lease.objects.get()
    assert (lease.status, lease.monthly_fee_won, lease.deposit_won) == (LeaseStatus.APPLIED, 300_000, 1_000_000)
    assert lease.ends_on == date(2027, 6, 30)
    again = LeaseResource().import_data(good, dry_run=False)  # the same file twice changes nothing
    assert not again.has_validation_errors() and Lease.objects.count() == 1


def test_imported_participants_are_registered_by_the_service_and_wait_when_the_programme_is_full(world, city_admin):
    import tablib
    import time_machine

    from programs import services as programmes
    from programs.models import Registration
    from programs.resources import RegistrationResource
    from reservations.tests.conftest import NOW, at

    p = programmes.programme_create(
        anchor=world["geumcheon"], kind="workshop", title_ko="교실", capacity=1, created_by=city_admin
    )
    programmes.session_add(
        programme=p, space=world["cutting"], start=at(9, 10), end=at(9, 12), booked_by=city_admin, now=NOW
    )
    a, b = UserFactory(email="a@example.com"), UserFactory(email="b@example.com")
    rows = tablib.Dataset(
        [p.pk, a.email, "waitlisted"], [p.pk, b.email, "registered"], headers=["programme", "email", "status"]
    )
    with time_machine.travel(NOW, tick=False):
        result = RegistrationResource().import_data(rows, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    status = dict(Registration.objects.filter(programme=p).values_list("user__email", "status"))
    assert status == {
        "a@example.com": "registered",
        "b@example.com": "waitlisted",
    }  # the service's answer, not the file's


@pytest.mark.django_db
def test_a_company_is_created_once_per_registration_number_and_its_creator_represents_it():
    maker = UserFactory()
    org = tenancy.organisation_create(
        name="한땀", business_registration_number="124-81-00998", representative="김", created_by=maker
    )
    assert org.business_registration_number == "1248100998" and org.brn_display == "124-81-00998"
    assert org.memberships.get().role == "representative"
    with pytest.raises(ValidationError):
        tenancy.organisation_create(
            name="다른", business_registration_number="1248100998", representative="박", created_by=maker
        )
    with pytest.raises(ValidationError):
        tenancy.organisation_create(
            name="틀림", business_registration_number="124-81-00999", representative="박", created_by=maker
        )
    assert Organisation.objects.filter(name__in=["한땀", "다른", "틀림"]).count() == 1


def test_an_application_for_a_new_company_that_is_refused_leaves_no_company_behind(rooms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    maker = UserFactory()
    with pytest.raises(ValidationError) as err:
        tenancy.application_apply(
            anchor=rooms["startup-room-1"].anchor,
            submitted_by=maker,
            organisation=None,
            new_company={
                "name": "새 회사",
                "business_registration_number": "220-81-62517",
                "representative": "이",
                "industry": "봉제",
            },
            business_plan="계획",
            wanted_from=date(2027, 1, 1),
            wanted_months=12,
            document=SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>"),
        )
    assert "document" in err.value.message_dict
    assert not Organisation.objects.filter(business_registration_number="2208162517").exists()
