from __future__ import annotations

import pytest

from facilities import seed
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with
from tenants.models import Organisation, TenantApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilities(seeded):
    seed.load(now=SEED_NOW)
    return seeded


def test_a_maker_applies_for_a_start_up_space_with_a_new_company(client, facilities, maker):
    client.force_login(maker)
    client.cookies["anchor_language"] = "en"
    bad = client.post(
        "/tenants/apply/",
        {
            "anchor": facilities["geumcheon"].pk,
            "name": "한땀",
            "business_registration_number": "124-81-00999",
            "representative": "김",
            "business_plan": "계획",
            "wanted_from": "2027-01-01",
            "wanted_months": 12,
        },
    )
    assert bad.status_code == 400 and "check digit" in bad.content.decode()
    assert not Organisation.objects.filter(name="한땀").exists()
    ok = client.post(
        "/tenants/apply/",
        {
            "anchor": facilities["geumcheon"].pk,
            "name": "한땀",
            "business_registration_number": "124-81-00998",
            "representative": "김",
            "business_plan": "계획",
            "wanted_from": "2027-01-01",
            "wanted_months": 12,
        },
    )
    assert ok.status_code == 302
    app = TenantApplication.objects.get()
    assert app.organisation.name == "한땀" and app.submitted_by == maker


def test_staff_see_the_occupancy_board_and_decide_an_application(client, facilities, maker, geumcheon_staff):
    from tenants import services as tenancy
    from tenants.services import organisation_create

    org = organisation_create(
        name="한땀", business_registration_number="124-81-00998", representative="김", created_by=maker
    )
    app = tenancy.application_submit(
        anchor=facilities["geumcheon"],
        organisation=org,
        submitted_by=maker,
        business_plan="계획",
        wanted_from=__import__("datetime").date(2028, 1, 1),
        wanted_months=12,
    )
    client.force_login(geumcheon_staff)
    client.cookies["anchor_language"] = "en"
    board = client.get("/anchors/geumcheon/tenants/").content.decode()
    assert "Occupancy of the start-up spaces" in board and "Vacant" in board and "한땀" in board
    room = facilities["geumcheon"].spaces.get(slug="startup-room-3")
    client.post(f"/tenants/applications/{app.pk}/", {"action": "score", "score": 88})
    client.post(
        f"/tenants/applications/{app.pk}/",
        {"action": "decide", "decision": "approve", "space": room.pk, "reason": "심사 통과"},
    )
    app.refresh_from_db()
    assert app.status == "approved" and room.leases.get().organisation == org
