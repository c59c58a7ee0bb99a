"""Password guessing is stopped; pages carry a content security policy and a request id; errors show that id."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_lock_that_account_from_that_address(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="target@example.com")
    statuses = [
        client.post("/accounts/login/", {"username": "target@example.com", "password": "guess"}).status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [200] * 4, statuses
    response = client.post("/accounts/login/", {"username": "target@example.com", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "비밀번호 재설정" in response.content.decode() or "Reset your password" in response.content.decode()


def test_pages_carry_a_content_security_policy_and_a_request_id(client):
    response = client.get("/anchors/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/anchors/", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] == "abcdef0123456789"
    assert client.get("/anchors/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_a_server_error_page_shows_the_request_id_to_quote(rf):
    from common.requestid import server_error

    request = rf.get("/")
    request.request_id = "feedfacecafebeef"
    response = server_error(request)
    assert response.status_code == 500 and "feedfacecafebeef" in response.content.decode()


def test_logs_are_json_with_the_request_id(client, caplog):
    import json
    import logging

    from common.requestid import JsonFormatter, RequestIdFilter, request_id_var

    token = request_id_var.set("0123456789abcdef")
    try:
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("world",), None)
        RequestIdFilter().filter(record)
        data = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert data["message"] == "hello world" and data["request_id"] == "0123456789abcdef" and data["level"] == "WARNING"


def test_the_lock_is_per_account_so_other_people_at_the_same_desk_can_still_log_in(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="target@example.com")
    UserFactory(email="colleague@example.com")
    for _ in range(6):
        client.post("/accounts/login/", {"username": "target@example.com", "password": "guess"})
    ok = client.post("/accounts/login/", {"username": "colleague@example.com", "password": "correct-horse-battery"})
    assert ok.status_code == 302


def test_while_the_database_is_unreachable_pages_answer_503_not_500(rf):
    from django.db import OperationalError

    from common.middleware import DatabaseUnavailableMiddleware

    request = rf.get("/anchors/")
    request.request_id = "0123456789abcdef"
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(
        request, OperationalError("server closed the connection")
    )
    assert (
        response.status_code == 503
        and response["Retry-After"] == "10"
        and "0123456789abcdef" in response.content.decode()
    )
    assert DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, ValueError("x")) is None


def test_a_database_error_in_middleware_also_gives_503(rf):
    from django.db import OperationalError

    from common.requestid import server_error

    request = rf.get("/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


@pytest.mark.parametrize("variant", ["TARGET@example.com", " target@example.com ", "Target@Example.COM"])
def test_the_lock_holds_however_the_address_is_typed_and_on_the_admin_login_too(client, settings, variant):
    settings.AXES_ENABLED = True
    UserFactory(email="target@example.com", is_staff=True)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "target@example.com", "password": "guess"})
    right = {"username": variant, "password": "correct-horse-battery"}
    assert client.post("/accounts/login/", right).status_code == 429
    assert client.post("/admin/login/", right).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_address_trying_many_accounts_is_locked_before_it_finds_a_weak_password(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_IP_FAILURE_LIMIT = 8
    victims = [UserFactory(email=f"user{i}@example.com") for i in range(10)]
    for v in victims[:8]:  # one guess per account: never five for any of them
        client.post("/accounts/login/", {"username": v.email, "password": "Summer2026!"})
    response = client.post("/accounts/login/", {"username": victims[9].email, "password": "correct-horse-battery"})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_looks_like_a_formula_is_exported_as_plain_text(client, world, geumcheon_staff, typed):
    import csv
    import io

    import openpyxl

    from budgets.tables import Table, csv_response, xlsx_bytes
    from facilities.models import InventoryItem
    from tenants.models import Organisation
    from tenants.resources import OrganisationResource

    item = InventoryItem.objects.filter(anchor=world["geumcheon"]).first()
    item.name_ko = typed
    item.save()
    client.force_login(geumcheon_staff)
    stocktake = openpyxl.load_workbook(io.BytesIO(client.get("/anchors/geumcheon/inventory/?export=xlsx").content))
    rows = list(stocktake.active.iter_rows(values_only=True))
    names = [row[rows[0].index("name_ko")] for row in rows[1:]]
    assert any(str(n).startswith("'") and str(n)[1:].strip() == typed.strip() for n in names)
    exported = client.get("/anchors/geumcheon/inventory/?export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    names = [row[rows[0].index("name_ko")] for row in rows[1:]]
    assert "'" + typed in names and typed not in names
    Organisation.objects.create(name=typed, business_registration_number="1248100998", representative="김")
    exported = OrganisationResource().export(queryset=Organisation.objects.filter(name=typed))
    assert exported.dict[0]["name"] == "'" + typed
    table = Table(title="t", unit="u", headers=["a", "b"], rows=[[typed, 5]])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([table]))).active
    assert sheet["A4"].value.startswith("'") and sheet["A4"].data_type == "s" and sheet["B4"].value == 5
    rows = list(csv.reader(io.StringIO(csv_response([table], "t").content.decode("utf-8-sig"))))
    assert rows[2] == ["'" + typed, "5"]
