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
