"""Category evidence: a maker uploads it, facility staff review it (accounts' pages), and accepting it verifies the
maker's category."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import CategoryEvidence

pytestmark = pytest.mark.django_db


def test_evidence_upload_and_review_by_staff(client, seeded, maker, geumcheon_staff, settings, tmp_path):
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
    assert client.get(f"/accounts/evidence/{evidence.pk}/file/").status_code == 403
    client.force_login(geumcheon_staff)
    download = client.get(f"/accounts/evidence/{evidence.pk}/file/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.post("/accounts/evidence/review/", {"evidence": evidence.pk, "decision": "accept"})
    maker.refresh_from_db()
    assert maker.verified_categories == ["student_youth"]
