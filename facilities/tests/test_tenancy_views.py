from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import CategoryEvidence, Organisation
from facilities import seed
from facilities.models import TenantApplication
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

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
    from accounts.services import organisation_create
    from facilities import tenancy

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


def test_evidence_upload_and_review_by_staff(client, facilities, maker, geumcheon_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(maker)
    client.cookies["anchor_language"] = "en"
    bad = client.post(
        "/accounts/evidence/", {"category": "student_youth", "file": SimpleUploadedFile("a.pdf", b"<script>x</script>")}
    )
    assert bad.status_code == 400 and "Upload a PDF, JPEG or PNG file." in bad.content.decode()
    client.post(
        "/accounts/evidence/", {"category": "student_youth", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 hello")}
    )
    evidence = CategoryEvidence.objects.get()
    assert client.get(f"/evidence/{evidence.pk}/file/").status_code == 403
    client.force_login(geumcheon_staff)
    download = client.get(f"/evidence/{evidence.pk}/file/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.post("/evidence/", {"evidence": evidence.pk, "decision": "accept"})
    maker.refresh_from_db()
    assert maker.verified_categories == ["student_youth"]
