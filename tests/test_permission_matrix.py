"""Every URL the portal has, opened by every role and scope, against the status the policy promises.

A new URL must be added here: the first test fails until it is.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

ROLES = [
    "anonymous",
    "maker",
    "other_maker",
    "geumcheon_staff",
    "changsin_staff",
    "guro_officer",
    "jongno_officer",
    "city_admin",
]
EVERYONE = {r: 200 for r in ROLES}
LOGGED_IN = {**{r: 200 for r in ROLES}, "anonymous": 302}
ANON_ONLY = {**{r: 302 for r in ROLES}, "anonymous": 200}
POST_ONLY = {r: 405 for r in ROLES}
MANAGE_GEUMCHEON = {
    "anonymous": 302,
    "maker": 403,
    "geumcheon_staff": 200,
    "changsin_staff": 403,
    "guro_officer": 403,
    "jongno_officer": 403,
    "city_admin": 200,
}
# A POST-only staff action opened with GET: the policy answers first (302/403), then the method (405).
MANAGE_GEUMCHEON_POST = {**MANAGE_GEUMCHEON, "geumcheon_staff": 405, "city_admin": 405}
STAFF_ANYWHERE = {
    "anonymous": 302,
    "maker": 403,
    "geumcheon_staff": 200,
    "changsin_staff": 200,
    "guro_officer": 403,
    "jongno_officer": 403,
    "city_admin": 200,
}
STAFF_ANYWHERE_POST = {**STAFF_ANYWHERE, "geumcheon_staff": 405, "changsin_staff": 405, "city_admin": 405}
LOGGED_IN_POST = {**POST_ONLY, "anonymous": 302}
# A maker's reservation (the "maker" role owns it): its maker and its anchor's desk see it, anyone else gets 404.
OWNER_OR_DESK = {
    "anonymous": 302,
    "maker": 200,
    "geumcheon_staff": 200,
    "changsin_staff": 404,
    "guro_officer": 404,
    "jongno_officer": 404,
    "city_admin": 200,
}

# What only its payer sees (their statement, the online payment they started): anyone else gets 404.
PAYER_ONLY = {r: 404 for r in ROLES} | {"anonymous": 302, "maker": 200}

# The desk's question page for an action on a maker's reservation: its maker may see it but not act (403).
DESK_ONLY = {**OWNER_OR_DESK, "maker": 403}

MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("/", EVERYONE),
    "dashboard": ("/dashboard/", LOGGED_IN),
    "healthz": ("/healthz", EVERYONE),
    "livez": ("/livez", EVERYONE),
    # The API (issue 17): public reads; a quote without its start and end is a 400 problem for everyone.
    "api:anchors": ("/api/v1/anchors/", EVERYONE),
    "api:anchor": ("/api/v1/anchors/geumcheon/", EVERYONE),
    "api:anchor_resources": ("/api/v1/anchors/geumcheon/resources/", EVERYONE),
    "api:resource_week": ("/api/v1/resources/equipment:{equipment}/week/", EVERYONE),
    "api:resource_quote": ("/api/v1/resources/equipment:{equipment}/quote/", {r: 400 for r in ROLES}),
    "api:problems": ("/api/v1/problems/", EVERYONE),
    # A maker's own reservations and the desk's day: a visitor is asked to authenticate (401, Bearer or session).
    "api:reservations": ("/api/v1/reservations/", {**EVERYONE, "anonymous": 401}),
    "api:reservation": ("/api/v1/reservations/{reservation}/", {**OWNER_OR_DESK, "anonymous": 401}),
    "api:reservation_ics": ("/api/v1/reservations/{reservation}/ics/", {**OWNER_OR_DESK, "anonymous": 401}),
    "api:desk_day": ("/api/v1/anchors/geumcheon/reservations/", {**MANAGE_GEUMCHEON, "anonymous": 401}),
    **{
        f"api:reservation_{action}": (
            f"/api/v1/reservations/{{reservation}}/{action.replace('_', '-')}/",
            {**{r: 405 for r in ROLES}, "anonymous": 401},
        )
        for action in ("cancel", "move", "approve", "reject", "check_in", "no_show", "complete", "waive")
    },
    # Open data: public pages and files; a month not published is a 404 for everyone.
    "opendata:index": ("/open-data/", EVERYONE),
    "opendata:month_csv": ("/open-data/anchor-utilisation-2026-10.csv", {r: 404 for r in ROLES}),
    "opendata:month_json": ("/open-data/anchor-utilisation-2026-10.json", {r: 404 for r in ROLES}),
    "opendata:series_csv": ("/open-data/anchor-utilisation.csv", EVERYONE),
    "opendata:series_json": ("/open-data/anchor-utilisation.json", EVERYONE),
    "opendata:metadata": ("/open-data/metadata.json", EVERYONE),
    "opendata:columns": ("/open-data/columns.csv", EVERYONE),
    "api:anchor_rates": ("/api/v1/anchors/geumcheon/rates/", EVERYONE),
    "api:programmes": ("/api/v1/programmes/", EVERYONE),
    "api:programme": ("/api/v1/programmes/{programme}/", EVERYONE),
    "api:programme_register": ("/api/v1/programmes/{programme}/register/", {**POST_ONLY, "anonymous": 401}),
    "api:programme_cancel_registration": (
        "/api/v1/programmes/{programme}/cancel-registration/",
        {**POST_ONLY, "anonymous": 401},
    ),
    "api:budget_years": ("/api/v1/budgets/", EVERYONE),
    "api:budget_summary": ("/api/v1/budgets/2021/summary/", EVERYONE),
    "api:budget_execution": ("/api/v1/budgets/2021/execution/", EVERYONE),
    "api:budget_anchor": ("/api/v1/budgets/anchors/gaebong/", EVERYONE),
    "api_tokens:list": ("/accounts/api-tokens/", LOGGED_IN),
    "api_tokens:revoke": ("/accounts/api-tokens/1/revoke/", LOGGED_IN_POST),
    "api:schema": ("/api/v1/schema/", EVERYONE),
    "api:docs": ("/api/v1/docs/", EVERYONE),
    # Fair allocation (issue 18): lotteries are public; waiting lists and strikes are the maker's own; the desk's
    # pages are its anchor's staff's.
    "allocation:windows": ("/lottery/", EVERYONE),
    "allocation:window": ("/lottery/{window}/", EVERYONE),
    "allocation:apply": ("/lottery/{window}/apply/", LOGGED_IN_POST),
    "allocation:withdraw": ("/lottery/{window}/withdraw/", LOGGED_IN_POST),
    "allocation:draw": ("/lottery/{window}/draw/", EVERYONE),
    "allocation:draw_json": ("/lottery/{window}/draw.json", EVERYONE),
    "allocation:desk_windows": ("/desk/geumcheon/lottery/", MANAGE_GEUMCHEON),
    "allocation:window_create": ("/desk/geumcheon/lottery/new/", MANAGE_GEUMCHEON),
    "allocation:window_cancel": ("/desk/geumcheon/lottery/{window}/cancel/", MANAGE_GEUMCHEON_POST),
    "allocation:my_waits": ("/me/waiting/", LOGGED_IN),
    "allocation:wait_join": ("/waiting/join/", LOGGED_IN_POST),
    "allocation:wait_accept": ("/waiting/{wait}/accept/", LOGGED_IN_POST),
    "allocation:wait_withdraw": ("/waiting/{wait}/withdraw/", LOGGED_IN_POST),
    "allocation:desk_waits": ("/desk/geumcheon/waiting/", MANAGE_GEUMCHEON),
    "allocation:standing": ("/me/standing/", LOGGED_IN),
    "allocation:appeal": (
        "/me/standing/strikes/{strike}/appeal/",
        {**{r: 404 for r in ROLES}, "anonymous": 302, "maker": 200},
    ),
    "allocation:desk_strikes": ("/desk/geumcheon/strikes/", MANAGE_GEUMCHEON),
    "allocation:decide": ("/desk/geumcheon/appeals/{appeal}/decide/", MANAGE_GEUMCHEON_POST),
    "anchors:list": ("/anchors/", EVERYONE),
    "anchors:detail": ("/anchors/geumcheon/", EVERYONE),
    "anchors:update": (
        "/anchors/geumcheon/edit/",
        {
            "anonymous": 302,
            "maker": 403,
            "geumcheon_staff": 200,
            "changsin_staff": 403,
            "guro_officer": 403,
            "jongno_officer": 403,
            "city_admin": 200,
        },
    ),
    "accounts:signup": ("/accounts/signup/", ANON_ONLY),
    "accounts:login": ("/accounts/login/", ANON_ONLY),
    "accounts:logout": ("/accounts/logout/", POST_ONLY),
    "accounts:profile": ("/accounts/profile/", LOGGED_IN),
    "accounts:password_change": ("/accounts/password/change/", LOGGED_IN),
    "accounts:password_reset": ("/accounts/password/reset/", EVERYONE),
    "accounts:password_reset_done": ("/accounts/password/reset/sent/", EVERYONE),
    "accounts:password_reset_confirm": ("/accounts/password/reset/MQ/bad-token/", EVERYONE),
    "accounts:password_reset_complete": ("/accounts/password/reset/complete/", EVERYONE),
    "accounts:language": ("/accounts/language/", POST_ONLY),
    "admin:index": ("/admin/", {**{r: 302 for r in ROLES}, "city_admin": 200}),
    "admin_examples": ("/admin/examples/", {**{r: 302 for r in ROLES}, "city_admin": 200}),
    "facilities:anchor_facilities": ("/anchors/geumcheon/facilities/", EVERYONE),
    "facilities:space_detail": ("/anchors/geumcheon/spaces/cutting-room/", EVERYONE),
    "facilities:rates": ("/anchors/geumcheon/rates/", EVERYONE),
    "facilities:closures": ("/anchors/geumcheon/closures/", MANAGE_GEUMCHEON),
    "facilities:inventory": ("/anchors/geumcheon/inventory/", MANAGE_GEUMCHEON),
    "facilities:closure_delete": ("/closures/{closure}/delete/", MANAGE_GEUMCHEON_POST),
    "facilities:equipment_detail": ("/equipment/{equipment}/", EVERYONE),
    "facilities:equipment_report": ("/equipment/{equipment}/report/", LOGGED_IN_POST),
    "facilities:equipment_status": ("/equipment/{equipment}/status/", MANAGE_GEUMCHEON_POST),
    "facilities:maintenance_resolve": ("/maintenance/{maintenance}/resolve/", MANAGE_GEUMCHEON_POST),
    "facilities:certifications": ("/certifications/", STAFF_ANYWHERE),
    "facilities:certification_revoke": ("/certifications/{certification}/revoke/", STAFF_ANYWHERE_POST),
    "facilities:inventory_checkout": ("/inventory/{item}/checkout/", MANAGE_GEUMCHEON_POST),
    "facilities:loan_return": ("/loans/{loan}/return/", MANAGE_GEUMCHEON_POST),
    "landing": ("/welcome/", {r: 302 for r in ROLES}),
    "reservations:resource_week": ("/book/equipment/{equipment}/", EVERYONE),
    "reservations:book": ("/book/equipment/{equipment}/new/", LOGGED_IN),
    "reservations:resource_feed": ("/calendar/equipment/{equipment}.ics", EVERYONE),
    "reservations:private_feed": ("/calendar/feed/{feed}.ics", EVERYONE),
    "reservations:mine": ("/me/reservations/", LOGGED_IN),
    "reservations:feed_reset": ("/me/calendar/reset/", LOGGED_IN_POST),
    "reservations:detail": ("/reservations/{reservation}/", OWNER_OR_DESK),
    "reservations:ics": ("/reservations/{reservation}/reservation.ics", OWNER_OR_DESK),
    "reservations:move": ("/reservations/{reservation}/move/", OWNER_OR_DESK),
    # An action that cannot be undone asks first: GET is its question page, for whoever may act.
    "reservations:cancel": ("/reservations/{reservation}/cancel/", OWNER_OR_DESK),
    "reservations:cancel_series": ("/reservations/{reservation}/cancel-series/", OWNER_OR_DESK),
    "reservations:approve": ("/reservations/{reservation}/approve/", DESK_ONLY),
    "reservations:reject": ("/reservations/{reservation}/reject/", DESK_ONLY),
    "reservations:check_in": ("/reservations/{reservation}/check-in/", LOGGED_IN_POST),
    "reservations:no_show": ("/reservations/{reservation}/no-show/", DESK_ONLY),
    "reservations:complete": ("/reservations/{reservation}/complete/", LOGGED_IN_POST),
    "reservations:waive": ("/reservations/{reservation}/waive/", LOGGED_IN_POST),
    "reservations:desk": ("/desk/geumcheon/", MANAGE_GEUMCHEON),
    "programs:list": ("/programmes/", EVERYONE),
    "programs:anchor_list": ("/anchors/geumcheon/programmes/", EVERYONE),
    "programs:detail": ("/programmes/{programme}/", EVERYONE),
    "programs:create": ("/anchors/geumcheon/programmes/new/", MANAGE_GEUMCHEON),
    "programs:manage": ("/programmes/{programme}/manage/", MANAGE_GEUMCHEON),
    "programs:register": ("/programmes/{programme}/register/", LOGGED_IN_POST),
    "programs:cancel": ("/programmes/{programme}/cancel/", LOGGED_IN_POST),
    "programs:registration_cancel": (
        "/programmes/{programme}/registrations/{registration}/cancel/",
        MANAGE_GEUMCHEON_POST,
    ),
    "programs:mine": ("/me/programmes/", LOGGED_IN),
    "programs:training_alert": ("/programmes/trainings/laser-cutter/alert/", LOGGED_IN_POST),
    "tenants:apply": ("/tenants/apply/", LOGGED_IN),
    "tenants:board": ("/anchors/geumcheon/tenants/", MANAGE_GEUMCHEON),
    "tenants:application": ("/tenants/applications/{application}/", MANAGE_GEUMCHEON),
    "tenants:application_document": (
        "/tenants/applications/{application}/document/",
        {**MANAGE_GEUMCHEON, "geumcheon_staff": 404, "city_admin": 404},
    ),
    "accounts:confirm": ("/accounts/signup/confirm/not-a-valid-token/", {r: 400 for r in ROLES}),
    "tenants:lease_action": ("/leases/{lease}/activate/", MANAGE_GEUMCHEON_POST),
    "accounts:evidence_review": ("/accounts/evidence/review/", STAFF_ANYWHERE),
    "accounts:evidence_file": ("/accounts/evidence/{evidence}/file/", STAFF_ANYWHERE),
    "accounts:evidence": ("/accounts/evidence/", LOGGED_IN),
    "budgets:index": ("/budgets/", {r: 302 for r in ROLES}),
    "budgets:summary": ("/budgets/2021/", EVERYONE),
    "budgets:execution": ("/budgets/2021/execution/", EVERYONE),
    "budgets:item": ("/budgets/2021/items/405-01/", EVERYONE),
    "budgets:line": ("/budgets/lines/{budget_line}/", EVERYONE),
    "budgets:record_evidence": (
        "/budgets/records/{budget_record}/evidence/",
        {
            "anonymous": 302,
            "maker": 403,
            "geumcheon_staff": 403,
            "changsin_staff": 403,
            "guro_officer": 200,
            "jongno_officer": 403,
            "city_admin": 200,
        },
    ),
    "budgets:plan": ("/budgets/plan/", EVERYONE),
    "budgets:project": ("/budgets/project/", EVERYONE),
    "budgets:settlement": ("/budgets/settlement/", EVERYONE),
    "budgets:anchor": ("/budgets/anchors/gaebong/", EVERYONE),
    "budgets:history": (
        "/budgets/history/",
        {
            "anonymous": 302,
            "maker": 403,
            "geumcheon_staff": 403,
            "changsin_staff": 403,
            "guro_officer": 200,
            "jongno_officer": 200,
            "city_admin": 200,
        },
    ),
    "notifications:list": ("/notifications/", LOGGED_IN),
    "notifications:outbox": ("/desk/geumcheon/outbox/", MANAGE_GEUMCHEON),
    "budgets:figures": ("/budgets/figures/", EVERYONE),
    "budgets:reports": (
        "/budgets/reports/",
        {
            "anonymous": 302,
            "maker": 403,
            "geumcheon_staff": 200,
            "changsin_staff": 200,
            "guro_officer": 200,
            "jongno_officer": 200,
            "city_admin": 200,
        },
    ),
    "budgets:report_file": ("/budgets/reports/{report}/xlsx/", {**MANAGE_GEUMCHEON, "city_admin": 200}),
    "reservations:closure_affected": ("/desk/geumcheon/closures/{closure}/affected/", MANAGE_GEUMCHEON),
    "reservations:checkin_code": ("/desk/check-in/{checkin}/", {**OWNER_OR_DESK, "maker": 404}),
    "billing:mine": ("/me/billing/", LOGGED_IN),
    "billing:statement": ("/me/billing/{account}/statement/2026-12/", PAYER_ONLY),
    "billing:document": ("/billing/{invoice}/", OWNER_OR_DESK),
    "billing:document_pdf": ("/billing/{invoice}/pdf/", OWNER_OR_DESK),
    "billing:pay": ("/billing/{invoice}/pay/", LOGGED_IN_POST),
    "billing:payment_record": ("/billing/{invoice}/payments/", LOGGED_IN_POST),
    "billing:refund_record": ("/billing/{invoice}/refunds/", LOGGED_IN_POST),
    "billing:sandbox_checkout": ("/billing-sandbox/{intent}/", PAYER_ONLY),
    "billing:webhook": ("/billing-webhooks/sandbox/", POST_ONLY | {"anonymous": 405}),
    "billing:desk": ("/desk/geumcheon/billing/", MANAGE_GEUMCHEON),
    "billing:closing": ("/desk/geumcheon/billing/closing/", MANAGE_GEUMCHEON),
    "billing:bank": ("/desk/geumcheon/billing/bank/", MANAGE_GEUMCHEON),
    "billing:deposit_settle": ("/desk/geumcheon/billing/deposits/{reservation}/", MANAGE_GEUMCHEON_POST),
}


OWNERS_RESERVATION = {
    "reservations:detail",
    "reservations:ics",
    "reservations:move",
    "reservations:cancel",
    "reservations:cancel_series",
    "reservations:approve",
    "reservations:reject",
    "reservations:no_show",
    "api:reservation",
    "api:reservation_ics",
    # The maker's invoice of that reservation, its PDF, the maker's statement and online payment.
    "billing:document",
    "billing:document_pdf",
    "billing:statement",
    "billing:sandbox_checkout",
}
# Another maker sees what a maker sees, except the first maker's own reservation and registration.
for _name, (_url, _expected) in MATRIX.items():
    if "other_maker" not in _expected:
        _expected["other_maker"] = 404 if _name in OWNERS_RESERVATION else _expected["maker"]


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue  # the admin site is checked through its index and the admin tests
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def test_every_named_url_of_the_portal_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns)) | {"admin:index"}
    assert names == set(MATRIX), f"missing: {names - set(MATRIX)}; stale: {set(MATRIX) - names}"


@pytest.fixture
def objects(seeded, maker, city_admin, settings, tmp_path):
    """One object of each kind at Geumcheon, for the URLs that name one."""
    from datetime import date, timedelta

    from django.utils import timezone

    from facilities import seed as facilities_seed
    from facilities import services
    from facilities.models import EquipmentKind, InventoryItem

    settings.MEDIA_ROOT = tmp_path
    facilities_seed.load(now=SEED_NOW)
    g = seeded["geumcheon"]
    equipment = g.spaces.get(slug="cutting-room").equipment.first()
    now = timezone.now()
    closure = services.closure_create(
        anchor=g,
        space=None,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=4),
        reason="점검",
        created_by=city_admin,
        now=timezone.now(),
    )
    entry = services.equipment_report_fault(
        equipment=equipment, reported_by=maker, description="소리가 이상해요", now=timezone.now()
    )
    cert = services.certification_grant(
        user=maker,
        kind=EquipmentKind.objects.get(slug="laser-cutter"),
        granted_by=city_admin,
        reason="교육",
        now=timezone.now(),
    )
    item = InventoryItem.objects.get(asset_tag="GC-INV-001")
    loan = services.inventory_loan_checkout(
        item=InventoryItem.objects.get(asset_tag="GC-INV-002"),
        borrower_name="x",
        due_on=date(2099, 1, 1),
        checked_out_by=city_admin,
        now=timezone.now(),
    )
    from datetime import datetime

    from common.time import SEOUL
    from reservations import seed as reservations_seed
    from reservations import services as reservation_services
    from reservations.models import CalendarFeed

    reservations_seed.load()
    overlock = g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-OVL-01")
    reservation = reservation_services.reservation_create(
        resource=overlock,
        start=datetime(2026, 12, 3, 14, tzinfo=SEOUL),
        end=datetime(2026, 12, 3, 16, tzinfo=SEOUL),
        booked_by=maker,
        user=maker,
        now=datetime(2026, 12, 1, 9, tzinfo=SEOUL),
    )
    feed = CalendarFeed.objects.create(user=maker)

    from datetime import time as clock

    from allocation import services as allocation_services

    seed_now = datetime(2026, 12, 1, 9, tzinfo=SEOUL)
    window = allocation_services.window_create(
        anchor=g,
        by=city_admin,
        title="추첨",
        target=overlock,
        first_day=date(2026, 12, 10),
        last_day=date(2026, 12, 10),
        weekdays=[3],
        day_start=clock(10),
        day_end=clock(12),
        slot_minutes=120,
        opens_at=seed_now,
        closes_at=datetime(2026, 12, 2, 18, tzinfo=SEOUL),
        now=seed_now,
    )
    allocation_services.application_submit(
        window=window, user=maker, slot_starts=[datetime(2026, 12, 10, 10, tzinfo=SEOUL)], now=seed_now
    )
    allocation_services.lottery_draw(window_id=window.pk, now=datetime(2026, 12, 2, 18, 5, tzinfo=SEOUL))
    wait = allocation_services.wait_join(
        user=city_admin, resource=overlock, start=reservation.start_at, end=reservation.end_at, now=seed_now
    )
    late = reservation_services.reservation_create(
        resource=overlock,
        start=datetime(2026, 12, 2, 10, tzinfo=SEOUL),
        end=datetime(2026, 12, 2, 11, tzinfo=SEOUL),
        booked_by=maker,
        user=maker,
        now=seed_now,
    )
    reservation_services.reservation_mark_no_show(
        reservation=late, by=None, now=datetime(2026, 12, 2, 11, tzinfo=SEOUL)
    )
    appeal = allocation_services.appeal_submit(
        strike=late.strike, user=maker, reason="아팠습니다", now=datetime(2026, 12, 2, 12, tzinfo=SEOUL)
    )

    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts import services as account_services
    from programs import services as programme_services
    from tenants import services as tenancy
    from tenants.models import Lease

    programme = programme_services.programme_create(
        anchor=g, kind="workshop", title_ko="교실", capacity=5, created_by=city_admin
    )
    programme_services.session_add(
        programme=programme,
        space=g.spaces.get(slug="sample-room"),
        start=datetime(2026, 12, 4, 10, tzinfo=SEOUL),
        end=datetime(2026, 12, 4, 12, tzinfo=SEOUL),
        booked_by=city_admin,
        now=datetime(2026, 12, 1, 9, tzinfo=SEOUL),
    )
    registration = programme_services.registration_create(
        programme=programme, user=maker, now=datetime(2026, 12, 1, 9, tzinfo=SEOUL)
    )
    org = tenancy.organisation_create(
        name="한땀", business_registration_number="124-81-00998", representative="김", created_by=maker
    )
    application = tenancy.application_submit(
        anchor=g,
        organisation=org,
        submitted_by=maker,
        business_plan="계획",
        wanted_from=date(2030, 1, 1),
        wanted_months=12,
    )
    evidence = account_services.evidence_upload(
        user=maker, category="student_youth", upload=SimpleUploadedFile("e.pdf", b"%PDF-1.4 x")
    )
    lease = Lease.objects.filter(space__anchor=g).first()

    from django.core.files.base import ContentFile

    from budgets import seed as budgets_seed
    from budgets.models import BudgetLine

    budgets_seed.load()
    budget_line = BudgetLine.objects.get(year=2021, item__code="405-01")
    budget_record = budget_line.records.first()
    budget_record.evidence.save("invoice.pdf", ContentFile(b"%PDF-1.4 invoice"))
    from budgets.models import MonthlyReport

    report = MonthlyReport.objects.create(anchor=g, year=2026, month=11, status="done")
    report.xlsx.save("report.xlsx", ContentFile(b"PK xlsx"))
    from billing import services as billing_services
    from billing.models import Document

    invoice = Document.objects.get(lines__reservation=reservation)
    intent = billing_services.intent_start(document=invoice, user=maker, now=seed_now)
    return {
        "invoice": invoice.code,
        "account": invoice.account_id,
        "intent": intent.pk,
        "closure": closure.pk,
        "equipment": equipment.pk,
        "maintenance": entry.pk,
        "certification": cert.pk,
        "item": item.pk,
        "loan": loan.pk,
        "reservation": reservation.pk,
        "feed": feed.token,
        "checkin": reservation.checkin_code,
        "programme": programme.pk,
        "registration": registration.pk,
        "application": application.pk,
        "evidence": evidence.pk,
        "lease": lease.pk,
        "budget_line": budget_line.pk,
        "budget_record": budget_record.pk,
        "report": report.pk,
        "window": window.pk,
        "wait": wait.pk,
        "strike": late.strike.pk,
        "appeal": appeal.pk,
    }


@pytest.fixture
def users(objects, maker, other_maker, geumcheon_staff, changsin_staff, guro_officer, jongno_officer, city_admin):
    return {
        "anonymous": None,
        "maker": maker,
        "other_maker": other_maker,
        "geumcheon_staff": geumcheon_staff,
        "changsin_staff": changsin_staff,
        "guro_officer": guro_officer,
        "jongno_officer": jongno_officer,
        "city_admin": city_admin,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_status_the_policy_promises(client, users, objects, role):
    if users[role] is not None:
        client.force_login(users[role])
    wrong = {}
    for name, (url, expected) in MATRIX.items():
        url = url.format(**objects)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong[name] = (url, expected[role], status)
    assert wrong == {}


def test_a_forbidden_page_is_a_proper_403_page_in_the_users_language(client, seeded, maker):
    maker.preferred_language = "en"
    maker.save()
    client.force_login(maker)
    response = client.get("/anchors/geumcheon/edit/")
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()
    client.cookies["anchor_language"] = "ko"
    response = client.get("/anchors/geumcheon/edit/")
    assert "이 페이지를 열 수 없습니다" in response.content.decode()


def test_staff_of_another_anchor_cannot_post_a_closure_or_lend_an_item_here(client, objects, changsin_staff):
    from facilities.models import Closure, InventoryLoan

    client.force_login(changsin_staff)
    closures, loans = Closure.objects.count(), InventoryLoan.objects.count()
    response = client.post(
        "/anchors/geumcheon/closures/", {"starts_at": "2026-12-01T09:00", "ends_at": "2026-12-01T18:00", "reason": "x"}
    )
    assert response.status_code == 403
    response = client.post(f"/inventory/{objects['item']}/checkout/", {"borrower_name": "x", "due_on": "2099-01-01"})
    assert response.status_code == 403
    assert (Closure.objects.count(), InventoryLoan.objects.count()) == (closures, loans)


def test_a_guessed_id_that_does_not_exist_is_a_404_not_a_500(client, objects, geumcheon_staff):
    client.force_login(geumcheon_staff)
    for url in [
        "/equipment/999999/",
        "/closures/999999/delete/",
        "/loans/999999/return/",
        "/anchors/nowhere/closures/",
    ]:
        assert client.post(url).status_code == 404, url


def test_payees_and_evidence_names_reach_only_the_officers_of_the_district_and_the_city(client, users, objects):
    """A payment of Gaebong (Guro-gu): its payee and its evidence's name, on every page and export that could show
    them, for every role. Only Guro's officer and the city see them, and only where a page lists payments."""
    from budgets.models import ExecutionRecord

    record = ExecutionRecord.objects.select_related("anchor", "line__item").get(pk=objects["budget_record"])
    assert record.anchor.slug == "gaebong"
    record.payee = "비밀상호 주식회사"
    record.save()  # a change, so the history has it
    line, code = record.line.pk, record.line.item.code
    pages = {
        "history": "/budgets/history/",
        "line": f"/budgets/lines/{line}/",
        "item": f"/budgets/2021/items/{code}/",
        "execution": "/budgets/2021/execution/",
        "execution export": "/budgets/2021/execution/?export=csv",
        "anchor": "/budgets/anchors/gaebong/?year=2021",
        "anchor export": "/budgets/anchors/gaebong/?year=2021&export=csv",
        "summary export": "/budgets/2021/?export=xlsx",
    }
    allowed = {"guro_officer", "city_admin"}
    listing = {"history", "line"}
    leaks = {}
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, url in pages.items():
            response = client.get(url)
            body = response.content.decode("utf-8", errors="replace") if response.status_code == 200 else ""
            shown = "비밀상호" in body
            if shown != (role in allowed and name in listing):
                leaks[(role, name)] = shown
    assert leaks == {}
