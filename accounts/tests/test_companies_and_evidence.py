from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import services
from accounts.models import CategoryEvidence
from accounts.tests.factories import UserFactory
from accounts.validators import brn_check_digit, validate_brn

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.smoke
@pytest.mark.parametrize("number", ["124-81-00998", "1248100998", "220-81-62517", "104 81 49018"])
def test_valid_business_registration_numbers_pass_the_check_digit(number):
    validate_brn(number)


@pytest.mark.smoke
@pytest.mark.parametrize("number", ["124-81-00999", "123-45-67890", "12-34-5678", "abcdefghij", "", "1248100998 1"])
def test_invalid_business_registration_numbers_are_refused_with_a_message(number):
    with pytest.raises(ValidationError) as err:
        validate_brn(number)
    assert err.value.messages


def test_the_check_digit_is_computed_as_the_national_tax_service_defines_it():
    assert brn_check_digit("124810099") == 8


@pytest.mark.django_db
def test_evidence_is_checked_by_its_content_and_size_and_nothing_is_kept_when_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    maker = UserFactory()
    exe = SimpleUploadedFile("card.pdf", b"MZ\x90\x00 this is not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.evidence_upload(user=maker, category="student_youth", upload=exe)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.evidence_upload(user=maker, category="student_youth", upload=big)
    assert not CategoryEvidence.objects.exists()
    ok = services.evidence_upload(
        user=maker, category="student_youth", upload=SimpleUploadedFile("x.exe", PNG, content_type="text/html")
    )
    import re

    assert ok.content_type == "image/png" and re.fullmatch(r"evidence/[0-9a-f]{32}\.png", ok.file.name)


@pytest.mark.django_db
def test_accepting_evidence_verifies_the_category_and_rejecting_needs_a_reason(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    maker, staff = UserFactory(), UserFactory()
    ev = services.evidence_upload(user=maker, category="small_manufacturer", upload=SimpleUploadedFile("r.pdf", PDF))
    with pytest.raises(ValidationError):
        services.evidence_review(evidence=ev, reviewer=staff, accept=False, note="", now=timezone.now())
    services.evidence_review(evidence=ev, reviewer=staff, accept=True, now=timezone.now())
    maker.refresh_from_db()
    assert maker.verified_categories == ["small_manufacturer"]
    with pytest.raises(ValidationError):
        services.evidence_review(evidence=ev, reviewer=staff, accept=True, now=timezone.now())
