"""Private files through the shipped nginx locations in front of gunicorn: refused to anonymous clients (by the
portal's address, by the old guessable /media/ names and by nginx's internal address), refused to the wrong
people, sent to the right ones, always as a download."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.support import servers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "correct-horse-battery-9"


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path: str):
        try:
            with self.opener.open(self.base + path, timeout=10) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read()

    def login(self, email: str) -> None:
        _status, _headers, body = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data)
        try:
            response = self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as err:
            assert err.code == 302 and "/accounts/login/" not in err.headers["Location"], err.read()[:300]
        else:
            raise AssertionError(f"login refused: {response.status} {response.read()[:2000]!r}")


def set_production_password(user) -> None:
    """The served portal runs the production settings, whose hashers do not include the tests' fast MD5."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def files(world, maker, geumcheon_staff, guro_officer, city_admin):
    from accounts.services import evidence_upload
    from budgets.models import MonthlyReport
    from facilities.models import SpacePhoto
    from tenants import services as tenancy
    from tenants.services import organisation_create

    for user in (maker, geumcheon_staff, city_admin):
        set_production_password(user)
    evidence = evidence_upload(
        user=maker, category="student_youth", upload=SimpleUploadedFile("my-student-card.pdf", PDF)
    )
    org = organisation_create(
        name="한땀", business_registration_number="124-81-00998", representative="김", created_by=maker
    )
    application = tenancy.application_submit(
        anchor=world["geumcheon"],
        organisation=org,
        submitted_by=maker,
        business_plan="계획",
        wanted_from=date(2030, 1, 1),
        wanted_months=12,
        document=SimpleUploadedFile("business-plan.pdf", PDF),
    )
    from budgets.models import ExecutionRecord

    record = ExecutionRecord.objects.filter(anchor=world["gaebong"]).select_related("anchor").first()
    record.evidence.save("invoice.pdf", ContentFile(PDF + b"invoice"))
    report = MonthlyReport.objects.create(anchor=world["geumcheon"], year=2026, month=11, status="done")
    report.pdf.save("report.pdf", ContentFile(PDF + b"report"))
    photo = SpacePhoto.objects.create(space=world["cutting"], image=ContentFile(b"\x89PNG photo", name="room.png"))
    return {
        "evidence": (f"/accounts/evidence/{evidence.pk}/file/", evidence.file.name, PDF),
        "application": (f"/tenants/applications/{application.pk}/document/", application.document.name, PDF),
        "payment": (f"/budgets/records/{record.pk}/evidence/", record.evidence.name, PDF + b"invoice"),
        "report": (f"/budgets/reports/{report.pk}/pdf/", report.pdf.name, PDF + b"report"),
        "photo": photo.image.name,
        "budget_record_anchor": record.anchor,
    }


@pytest.fixture
def site(files, tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (make test provides both)")
    with (
        servers.gunicorn(tmp_path, PRIVATE_MEDIA_ACCEL_PREFIX="/_private/") as upstream,
        servers.nginx(tmp_path, upstream, settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT) as url,
    ):
        yield url


def test_no_private_file_reaches_an_anonymous_client_through_nginx(site, files):
    anonymous = Client(site)
    for name, (view, stored, _content) in {k: v for k, v in files.items() if isinstance(v, tuple)}.items():
        status, headers, _body = anonymous.get(view)
        assert status == 302 and "/accounts/login/" in headers["Location"], name
        assert anonymous.get("/_private/" + stored)[0] == 404, name  # nginx's internal location
        assert anonymous.get("/media/" + stored)[0] == 404, name  # not in the public folder
    # The names an older version used, guessable from a user id or a year, lead nowhere.
    for guess in (
        "evidence/1/student_youth.pdf",
        "applications/1/application.pdf",
        "reports/2026/11/geumcheon-report.pdf",
    ):
        assert anonymous.get("/media/" + guess)[0] == 404
    # Public photos are still public, as downloads.
    status, headers, body = anonymous.get("/media/" + files["photo"])
    assert status == 200 and body == b"\x89PNG photo" and headers["Content-Disposition"] == "attachment"


def test_nginx_sends_a_private_file_to_the_people_the_portal_allows_and_to_nobody_else(
    site, files, maker, other_maker, geumcheon_staff, city_admin
):
    staff = Client(site)
    staff.login(geumcheon_staff.email)
    for name in ("evidence", "application", "report"):
        view, _stored, content = files[name]
        status, headers, body = staff.get(view)
        assert status == 200 and body == content, name
        assert (
            headers["Content-Disposition"].startswith("attachment") and headers["X-Content-Type-Options"] == "nosniff"
        )
        assert "sandbox" in headers["Content-Security-Policy"] and "X-Accel-Redirect" not in headers
    assert staff.get(files["payment"][0])[0] == 403  # payment evidence is for officers of its district and the city
    admin = Client(site)
    admin.login(city_admin.email)
    view, _stored, content = files["payment"]
    status, _headers, body = admin.get(view)
    assert status == 200 and body == content
    other = Client(site)
    set_production_password(other_maker)
    other.login(other_maker.email)
    for name in ("evidence", "application", "payment", "report"):
        assert other.get(files[name][0])[0] in (403, 404), name
