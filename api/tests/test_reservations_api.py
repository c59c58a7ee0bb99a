"""Reservations through the API (issue 17): personal tokens, a maker's booking, move and cancel, the desk's actions,
idempotency keys, and parity with the pages (the same services, results and refusals)."""

from __future__ import annotations

import json
import re
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from api import services as api_services
from api.models import ApiToken, IdempotencyRecord
from conftest import forget_throttle_counts
from reservations import services
from reservations.models import Reservation, Status
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def token_for(user, scope="write", **kw) -> str:
    return api_services.token_create(user=user, name=f"t-{uuid.uuid4().hex[:6]}", scope=scope, now=NOW, **kw)[1]


def api(client, token=None, language="ko"):
    """Request keyword arguments for the API: JSON, the token (if any), the language."""
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return headers


def post(client, url, body, token=None, language="ko", **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **api(client, token, language), **extra)


def booking(world, day=3, start=10, end=12, resource="overlock", **more):
    return {
        "resource": f"{'equipment' if resource in ('overlock', 'sewing', 'laser') else 'space'}:{world[resource].pk}",
        "start": at(day, start).isoformat(),
        "end": at(day, end).isoformat(),
        **more,
    }


# --- tokens ---------------------------------------------------------------------------------------------------


def test_a_token_is_made_on_the_profile_page_shown_once_kept_hashed_used_and_revoked(client, maker):
    client.force_login(maker)
    assert "/accounts/api-tokens/" in client.get("/accounts/profile/").content.decode()
    made = client.post(
        "/accounts/api-tokens/", {"name": "내 달력", "scope": "write", "lifetime": "90", "password": PASSWORD}
    )
    html = made.content.decode()
    secret = re.search(r'value="(apt_[^"]+)"', html).group(1)
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    token = ApiToken.objects.get(user=maker)
    assert token.digest != secret and secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.expires_at == NOW + timedelta(days=90) and token.last_used_at is None
    assert secret not in client.get("/accounts/api-tokens/").content.decode()  # shown once only

    anonymous = Client()
    assert anonymous.get("/api/v1/reservations/", **api(anonymous, secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == NOW
    assert "2026-12-01 09:00" in client.get("/accounts/api-tokens/").content.decode()  # its last use, on the page

    client.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    refused = anonymous.get("/api/v1/reservations/", **api(anonymous, secret, "en"))
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_tokens_refuse_what_they_must(client, maker, other_maker):
    expired = token_for(maker, lifetime_days=1)
    with time_machine.travel(NOW + timedelta(days=1, seconds=1), tick=False):
        body = client.get("/api/v1/reservations/", **api(client, expired)).json()
    assert body["code"] == "token_expired" and body["status"] == 401
    for bad in ("apt_nonsense", "not-even-ours", "apt_" + "x" * 200):
        assert client.get("/api/v1/reservations/", **api(client, bad)).json()["code"] == "token_invalid"
    assert client.get("/api/v1/reservations/", HTTP_AUTHORIZATION="Bearer").status_code == 401
    assert client.get("/api/v1/reservations/", HTTP_AUTHORIZATION="Bearer a b").status_code == 401
    departed = UserFactory()
    gone = token_for(departed)
    departed.is_active = False
    departed.save()
    assert client.get("/api/v1/reservations/", **api(client, gone)).json()["code"] == "token_invalid"
    # Revoking another's token: 404, and it still works.
    theirs = ApiToken.objects.create(
        user=maker, name="x", prefix="apt_x", digest=api_services.token_digest("apt_theirs"), created_at=NOW
    )
    client.force_login(other_maker)
    assert client.post(f"/accounts/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_the_token_form_refuses_bad_input_clearly_and_makes_nothing(client, maker):
    client.force_login(maker)
    token_for(maker)
    existing = ApiToken.objects.get(user=maker).name
    for data in (
        {"name": "", "scope": "write", "lifetime": "90", "password": PASSWORD},
        {"name": "x", "scope": "admin", "lifetime": "90", "password": PASSWORD},
        {"name": "x", "scope": "read", "lifetime": "100000", "password": PASSWORD},
        {"name": existing, "scope": "read", "lifetime": "", "password": PASSWORD},
        {"name": "x", "scope": "read", "lifetime": "", "password": "not-it"},
        {"name": "x", "scope": "read", "lifetime": ""},
    ):
        response = client.post("/accounts/api-tokens/", data)
        assert response.status_code == 400 and 'value="apt_' not in response.content.decode()
    assert ApiToken.objects.filter(user=maker).count() == 1
    for _ in range(api_services.MAX_LIVE_TOKENS - 1):
        token_for(maker)
    response = client.post(
        "/accounts/api-tokens/", {"name": "one too many", "scope": "read", "lifetime": "", "password": PASSWORD}
    )
    assert response.status_code == 400 and "토큰" in response.content.decode()
    assert ApiToken.objects.filter(user=maker).count() == api_services.MAX_LIVE_TOKENS


def test_a_read_only_token_reads_but_never_writes(client, world, maker):
    reader = token_for(maker, scope="read")
    assert client.get("/api/v1/reservations/", **api(client, reader)).status_code == 200
    refused = post(client, "/api/v1/reservations/", booking(world), reader)
    assert refused.status_code == 403 and refused.json()["code"] == "token_scope"
    assert not Reservation.objects.exists()


def test_a_token_carries_its_users_role_never_more(client, world, maker, geumcheon_staff):
    r = services.reservation_create(
        resource=world["sample"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    assert r.status == Status.REQUESTED
    mine = token_for(maker)
    refused = post(client, f"/api/v1/reservations/{r.pk}/approve/", {}, mine)
    assert refused.status_code == 403 and Reservation.objects.get(pk=r.pk).status == Status.REQUESTED
    assert client.get("/api/v1/anchors/geumcheon/reservations/", **api(client, mine)).status_code == 403
    desk = token_for(geumcheon_staff)
    assert post(client, f"/api/v1/reservations/{r.pk}/approve/", {}, desk).json()["status"] == "confirmed"


def test_session_writes_need_the_csrf_token(world, maker):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(maker)
    refused = post(browser, "/api/v1/reservations/", booking(world))
    assert refused.status_code == 403 and not Reservation.objects.exists()


# --- a maker's reservations -----------------------------------------------------------------------------------


def test_a_maker_books_sees_moves_and_cancels_with_the_charge_shown_first(client, world, maker):
    token = token_for(maker)
    made = post(client, "/api/v1/reservations/", booking(world, fee_shown_won=4000), token)
    assert made.status_code == 201, made.json()
    body = made.json()
    r = Reservation.objects.get()
    assert made["Location"] == f"/api/v1/reservations/{r.pk}/"
    assert (body["id"], body["status"], body["fee_won"], body["fee_is_example"]) == (r.pk, "confirmed", 4000, True)
    assert body["actions"]["cancel"] and body["actions"]["move"] and not body["actions"]["approve"]
    assert body["cancellation_charge_won"] == 0 and body["page"].endswith(f"/reservations/{r.pk}/")
    ics = client.get(f"/api/v1/reservations/{r.pk}/ics/", **api(client, token))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content

    listed = client.get("/api/v1/reservations/?when=upcoming", **api(client, token)).json()
    assert [x["id"] for x in listed["results"]] == [r.pk]
    assert client.get("/api/v1/reservations/?when=past", **api(client, token)).json()["results"] == []

    moved = post(
        client,
        f"/api/v1/reservations/{r.pk}/move/",
        {"start": at(3, 14).isoformat(), "end": at(3, 16).isoformat()},
        token,
    )
    assert moved.status_code == 200 and moved.json()["start"] == "2026-12-03T14:00:00+09:00"

    # Within the charge period: the charge is shown, and only a cancellation that accepts it goes through.
    late = NOW.replace(day=3, hour=8)
    with time_machine.travel(late, tick=False):
        detail = client.get(f"/api/v1/reservations/{r.pk}/", **api(client, token)).json()
        charge = detail["cancellation_charge_won"]
        assert charge > 0
        refused = post(client, f"/api/v1/reservations/{r.pk}/cancel/", {}, token, "en")
        assert refused.status_code == 409
        assert refused.json()["code"] == "charge_changed" and refused.json()["charge_won"] == charge
        assert Reservation.objects.get(pk=r.pk).status == Status.CONFIRMED
        done = post(client, f"/api/v1/reservations/{r.pk}/cancel/", {"accepted_charge_won": charge}, token)
    assert done.status_code == 200 and done.json()["status"] == "cancelled" and done.json()["charge_won"] == charge
    again = post(client, f"/api/v1/reservations/{r.pk}/cancel/", {"accepted_charge_won": charge}, token)
    assert again.status_code == 409 and again.json()["code"] == "state"


def test_the_page_and_the_api_book_alike_and_refuse_alike(client, world, maker, other_maker):
    # The same booking through the booking page and through the API: the same status, fee and frozen lines.
    client.force_login(maker)
    page_form = {"date": "2026-12-03", "start": "10:00", "end": "12:00", "step": "confirm"}
    assert client.post(f"/book/equipment/{world['overlock'].pk}/new/", page_form).status_code == 302
    by_page = Reservation.objects.get(user=maker)
    client.logout()
    by_api = post(client, "/api/v1/reservations/", booking(world, resource="sewing"), token_for(other_maker))
    api_row = Reservation.objects.get(pk=by_api.json()["id"])
    assert (by_page.status, by_page.fee_won, by_page.deposit_won) == (
        api_row.status,
        api_row.fee_won,
        api_row.deposit_won,
    )
    assert [{k: v for k, v in line.items() if k not in ("start", "end")} for line in by_page.fee_lines] == [
        {k: v for k, v in line.items() if k not in ("start", "end")} for line in api_row.fee_lines
    ]
    # The same clash refused by both, with the same code, message and suggestions.
    client.force_login(other_maker)
    page = client.post(f"/book/equipment/{world['overlock'].pk}/new/", page_form)
    client.logout()
    refused = post(client, "/api/v1/reservations/", booking(world), token_for(other_maker))
    problem = refused.json()
    assert refused.status_code == 409 and problem["code"] == "clash"
    assert problem["detail"] in page.content.decode().replace("&#x27;", "'")
    assert problem["suggestions"] and all({"start", "end"} == set(s) for s in problem["suggestions"])
    # Every other rule too: the past, outside the hours, too short, untrained.
    for body, code in (
        (booking(world, day=1, start=7, end=8), "past"),
        (booking(world, day=3, start=22, end=23), "hours"),
        (
            booking(world, day=4, start=10, end=10) | {"end": at(4, 10, 30).isoformat()},
            "min_duration",
        ),
        (booking(world, day=4, start=10, end=15), "max_duration"),
        (booking(world, day=3, start=10, end=12, resource="laser"), "untrained"),
    ):
        refused = post(client, "/api/v1/reservations/", body, token_for(other_maker))
        assert refused.json()["code"] == code, (code, refused.json())
    assert Reservation.objects.count() == 2


def test_a_fee_other_than_the_one_shown_books_nothing_and_says_the_new_fee(client, world, maker):
    refused = post(client, "/api/v1/reservations/", booking(world, fee_shown_won=5000), token_for(maker), "en")
    assert refused.status_code == 409 and refused.json()["code"] == "fee_changed"
    assert "4,000" in refused.json()["detail"] and not Reservation.objects.exists()


def test_bad_input_is_a_problem_and_writes_nothing(client, world, maker, other_maker):
    token = token_for(maker)
    theirs = services.reservation_create(
        resource=world["overlock"], start=at(4, 10), end=at(4, 12), booked_by=other_maker, user=other_maker, now=NOW
    )
    cases = [
        (booking(world) | {"surprise": 1}, 400, "invalid"),
        (booking(world) | {"start": "tomorrow"}, 400, "invalid"),
        (booking(world) | {"start": "0001-01-01T00:00:00Z"}, 400, "invalid"),
        (booking(world) | {"party_size": "many"}, 400, "invalid"),
        (booking(world) | {"resource": "equipment:999999"}, 404, "not_found"),
        (booking(world) | {"resource": "../../etc"}, 404, "not_found"),
        ([1, 2, 3], 400, "invalid"),
    ]
    for body, status_code, code in cases:
        response = post(client, "/api/v1/reservations/", body, token)
        assert (response.status_code, response.json()["code"]) == (status_code, code), body
        assert response["Content-Type"] == "application/problem+json"
    unknown = post(client, "/api/v1/reservations/", booking(world) | {"surprise": 1}, token, "en").json()
    assert unknown["errors"] == {"surprise": ["This field is not known."]}
    broken = client.post("/api/v1/reservations/", "{not json", content_type="application/json", **api(client, token))
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    form = client.post("/api/v1/reservations/", {"a": "b"}, **api(client, token))
    # A form body: 415, or 400 when the CSRF middleware has read the form already (DRF then sees no JSON body).
    assert (form.status_code, form.json()["code"]) in ((415, "unsupported_media_type"), (400, "invalid"))
    huge = client.post(
        "/api/v1/reservations/",
        json.dumps({"notes": "가" * 3_000_000}),
        content_type="application/json",
        **api(client, token),
    )
    assert huge.status_code == 413 and huge.json()["code"] == "too_large"
    # Another maker's reservation: not found, whatever is asked of it.
    for action, body in (("cancel", {}), ("move", {"start": at(4, 14).isoformat(), "end": at(4, 16).isoformat()})):
        assert post(client, f"/api/v1/reservations/{theirs.pk}/{action}/", body, token).status_code == 404
    assert client.get(f"/api/v1/reservations/{theirs.pk}/", **api(client, token)).status_code == 404
    assert client.get("/api/v1/reservations/?status=nonsense", **api(client, token)).json()["code"] == "invalid"
    assert Reservation.objects.count() == 1 and Reservation.objects.get().status == Status.CONFIRMED
    assert not IdempotencyRecord.objects.exists()


def test_refusals_are_said_in_the_requested_language(client, world, maker):
    token = token_for(maker)
    post(client, "/api/v1/reservations/", booking(world), token)
    english = post(client, "/api/v1/reservations/", booking(world), token, "en").json()
    korean = post(client, "/api/v1/reservations/", booking(world), token, "ko").json()
    assert "already booked" in english["detail"] and "already booked" not in korean["detail"]
    assert english["code"] == korean["code"] == "clash"


# --- idempotency ----------------------------------------------------------------------------------------------


def test_a_retried_booking_with_the_same_key_is_answered_again_never_booked_twice(client, world, maker):
    token = token_for(maker)
    key = str(uuid.uuid4())
    first = post(client, "/api/v1/reservations/", booking(world), token, HTTP_IDEMPOTENCY_KEY=key)
    again = post(client, "/api/v1/reservations/", booking(world), token, HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Reservation.objects.count() == 1
    other_body = post(client, "/api/v1/reservations/", booking(world, day=4), token, HTTP_IDEMPOTENCY_KEY=key)
    assert other_body.status_code == 422 and other_body.json()["code"] == "idempotency_key_reused"
    for bad in ("", "x" * 256, "공백 키"):
        response = post(client, "/api/v1/reservations/", booking(world, day=4), token, HTTP_IDEMPOTENCY_KEY=bad)
        assert response.status_code == 400, bad
    assert Reservation.objects.count() == 1


def test_a_refused_request_keeps_no_key_so_its_retry_is_asked_again(client, world, maker, other_maker):
    blocking = services.reservation_create(
        resource=world["overlock"], start=at(3, 10), end=at(3, 12), booked_by=other_maker, user=other_maker, now=NOW
    )
    token, key = token_for(maker), "retry-me"
    assert post(client, "/api/v1/reservations/", booking(world), token, HTTP_IDEMPOTENCY_KEY=key).status_code == 409
    assert not IdempotencyRecord.objects.exists()
    services.reservation_cancel(reservation=blocking, by=other_maker, now=NOW)
    assert post(client, "/api/v1/reservations/", booking(world), token, HTTP_IDEMPOTENCY_KEY=key).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_book_once_and_get_the_same_answer(world, maker):
    """Two clients send the same booking with the same key at the same moment, on PostgreSQL's real
    transactions: one books, the other waits for it and gets the same answer."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    token = token_for(maker)
    body = json.dumps(booking(world))
    barrier = threading.Barrier(4)
    answers = []

    def send():
        from django.db import connections

        c = Client()
        try:
            barrier.wait()
            response = c.post(
                "/api/v1/reservations/",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                HTTP_IDEMPOTENCY_KEY="same-key",
            )
            answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert Reservation.objects.count() == 1
    assert [status for status, _ in answers] == [201] * 4
    assert len({json.dumps(a, sort_keys=True) for _, a in answers}) == 1
    assert IdempotencyRecord.objects.count() == 1


# --- the desk ---------------------------------------------------------------------------------------------------


def test_the_desk_lists_its_day_and_acts_through_the_api(client, world, maker, geumcheon_staff, changsin_staff):
    request = services.reservation_create(
        resource=world["sample"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    confirmed = services.reservation_create(
        resource=world["overlock"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    desk = token_for(geumcheon_staff)
    day = client.get("/api/v1/anchors/geumcheon/reservations/?day=2026-12-03", **api(client, desk)).json()
    assert {x["id"] for x in day} == {request.pk, confirmed.pk}
    pending = client.get("/api/v1/anchors/geumcheon/reservations/?day=2026-12-03&status=requested", **api(client, desk))
    assert [x["id"] for x in pending.json()] == [request.pk]
    assert (
        client.get("/api/v1/anchors/geumcheon/reservations/", **api(client, token_for(changsin_staff))).status_code
        == 403
    )

    no_reason = post(client, f"/api/v1/reservations/{request.pk}/reject/", {}, desk, "en")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    rejected = post(client, f"/api/v1/reservations/{request.pk}/reject/", {"reason": "정비"}, desk)
    assert rejected.json()["status"] == "rejected"
    early = post(client, f"/api/v1/reservations/{confirmed.pk}/no-show/", {}, desk)
    assert early.status_code == 409 and early.json()["code"] == "state"  # not yet: the slot has not begun
    with time_machine.travel(at(3, 9, 50), tick=False):
        assert post(client, f"/api/v1/reservations/{confirmed.pk}/check-in/", {}, desk).json()["status"] == "checked_in"
    with time_machine.travel(at(3, 12), tick=False):
        assert post(client, f"/api/v1/reservations/{confirmed.pk}/complete/", {}, desk).json()["status"] == "completed"


def test_listing_costs_the_same_queries_whatever_the_number_of_reservations(client, world, maker, geumcheon_staff):
    token, desk = token_for(maker), token_for(geumcheon_staff)
    for t in (token, desk):  # a token's first use records it (an UPDATE once a minute); counted apart
        client.get("/api/v1/problems/", **api(client, t))
    counts = []
    for days in ((3,), (4, 7, 8, 9, 10)):
        for d in days:
            services.reservation_create(
                resource=world["overlock"], start=at(d, 10), end=at(d, 12), booked_by=maker, user=maker, now=NOW
            )
            services.reservation_create(
                resource=world["sewing"], start=at(d, 14), end=at(d, 16), booked_by=maker, user=maker, now=NOW
            )
        with CaptureQueriesContext(connection) as mine:
            assert client.get("/api/v1/reservations/", **api(client, token)).status_code == 200
        with CaptureQueriesContext(connection) as desk_day:
            assert (
                client.get("/api/v1/anchors/geumcheon/reservations/?day=2026-12-03", **api(client, desk)).status_code
                == 200
            )
        counts.append((len(mine.captured_queries), len(desk_day.captured_queries)))
    assert counts[0] == counts[1], counts


def test_every_refusal_code_the_services_raise_is_documented():
    from api.views import PROBLEM_CODES

    files = [
        *(ROOT / "reservations" / "services").glob("*.py"),
        ROOT / "programs" / "services.py",
        ROOT / "allocation" / "rules.py",  # the booking rules fair allocation adds
    ]
    source = "\n".join(p.read_text() for p in files)
    raised = set(re.findall(r'BookingRefused\([^()]*(?:\([^()]*\)[^()]*)*,\s*"([a-z_]+)"', source, re.S))
    raised |= set(re.findall(r'code="([a-z_]+)"', source))
    assert raised and raised <= set(PROBLEM_CODES), raised - set(PROBLEM_CODES)


def test_each_token_has_its_own_rate_and_gets_429_with_retry_after(client, maker, monkeypatch):

    from api.throttles import TokenThrottle

    forget_throttle_counts()
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "2/min"})
    busy, calm = token_for(maker), token_for(maker)
    statuses = [client.get("/api/v1/reservations/", **api(client, busy)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    over = client.get("/api/v1/reservations/", **api(client, busy, "en"))
    assert over.json()["code"] == "throttled" and int(over["Retry-After"]) > 0
    assert client.get("/api/v1/reservations/", **api(client, calm)).status_code == 200  # the owner's other token
    forget_throttle_counts()


def test_answers_kept_for_keys_are_forgotten_after_a_day(client, world, maker):
    token = token_for(maker)
    post(client, "/api/v1/reservations/", booking(world), token, HTTP_IDEMPOTENCY_KEY="old")
    assert api_services.idempotency_forget(now=NOW + timedelta(hours=23)) == 0
    assert api_services.idempotency_forget(now=NOW + timedelta(hours=24, seconds=1)) == 1
    assert not IdempotencyRecord.objects.exists()


def test_a_get_carries_an_etag_and_an_unchanged_answer_is_a_304(client, world, maker):
    token = token_for(maker)
    first = client.get("/api/v1/reservations/", **api(client, token))
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    same = client.get("/api/v1/reservations/", HTTP_IF_NONE_MATCH=etag, **api(client, token))
    assert same.status_code == 304 and same.content == b"" and same["ETag"] == etag
    post(client, "/api/v1/reservations/", booking(world), token)
    changed = client.get("/api/v1/reservations/", HTTP_IF_NONE_MATCH=etag, **api(client, token))
    assert changed.status_code == 200 and changed["ETag"] != etag and len(changed.json()["results"]) == 1
    english = client.get("/api/v1/anchors/", HTTP_ACCEPT_LANGUAGE="en")
    korean = client.get("/api/v1/anchors/", HTTP_ACCEPT_LANGUAGE="ko", HTTP_IF_NONE_MATCH=english["ETag"])
    assert korean.status_code == 200  # another language is another body, never a 304


def test_hostile_bodies_are_problems_never_500s(client, world, maker):
    token = token_for(maker)
    hostile = [
        '{"resource": "x", "purpose": "\\ud800"}',  # a lone surrogate: valid JSON, not Unicode text
        '{"\\udc80": 1}',
        "[" * 5000 + "]" * 5000,  # nested past Python's recursion limit
        "null",
        "12",
        '"text"',
        '{"resource": "equipment:1", "start": 20261203, "end": true}',
        '{"resource": "equipment:1", "party_size": 1e400}',
        '{"resource": ["equipment:1"]}',
    ]
    for body in hostile:
        for key in (None, "k-1"):
            extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
            response = client.post(
                "/api/v1/reservations/", body, content_type="application/json", **api(client, token), **extra
            )
            assert 400 <= response.status_code < 500, (body[:40], response.status_code)
            assert response["Content-Type"] == "application/problem+json"
            response.json()
    r = services.reservation_create(
        resource=world["overlock"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    for body in ("null", "[]", "0", '{"accepted_charge_won": -1}', '{"accepted_charge_won": "lots"}'):
        response = client.post(
            f"/api/v1/reservations/{r.pk}/cancel/", body, content_type="application/json", **api(client, token)
        )
        assert response.status_code == 400, body
    assert Reservation.objects.get(pk=r.pk).status == Status.CONFIRMED
    long_notes = booking(world, day=4) | {"notes": "가" * 1001}  # the booking form's limit, not another
    assert post(client, "/api/v1/reservations/", long_notes, token).json()["code"] == "invalid"
    assert Reservation.objects.count() == 1


def test_a_changed_password_revokes_the_users_tokens(client, maker, other_maker):
    mine, theirs = token_for(maker), token_for(other_maker)
    maker.last_login = NOW
    maker.save(update_fields=["last_login"])  # a login changes no password: the token stays
    assert client.get("/api/v1/reservations/", **api(client, mine)).status_code == 200
    client.force_login(maker)
    changed = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "another-long-phrase-9", "new_password2": "another-long-phrase-9"},
    )
    assert changed.status_code == 302
    client.logout()
    refused = client.get("/api/v1/reservations/", **api(client, mine))
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    assert client.get("/api/v1/reservations/", **api(client, theirs)).status_code == 200


def test_the_refusals_particles_are_the_pages(client, world, maker, other_maker):
    services.reservation_create(
        resource=world["overlock"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    problem = post(client, "/api/v1/reservations/", booking(world), token_for(other_maker)).json()
    assert "오버록 1은 " in problem["detail"] and "은(는)" not in problem["detail"]
    # The maker's own text comes back as they wrote it, particles and all.
    made = post(client, "/api/v1/reservations/", booking(world, day=4, purpose="샘플 1은(는) 재단"), token_for(maker))
    assert made.json()["purpose"] == "샘플 1은(는) 재단"


def test_the_lists_items_are_what_the_documented_serializer_says(client, world, maker, geumcheon_staff):
    """The lists build their items directly (for speed): the same JSON as ReservationSerializer, key for key."""
    from rest_framework.test import APIRequestFactory

    from api.reservations import reservation_items
    from api.serializers import ReservationSerializer
    from reservations.examples import annotate_examples

    services.reservation_create(
        resource=world["sample"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    services.reservation_create(
        resource=world["overlock"], start=at(4, 10), end=at(4, 12), booked_by=maker, user=maker, now=NOW
    )
    rows = list(Reservation.objects.select_related("anchor", "user", "space", "equipment__kind").order_by("pk"))
    annotate_examples(rows)
    request = APIRequestFactory().get("/api/v1/reservations/")
    for language in ("ko", "en"):
        from django.utils import translation

        with translation.override(language):
            documented = [dict(x) for x in ReservationSerializer(rows, many=True, context={"request": request}).data]
            assert reservation_items(rows, request) == documented
    assert any(x["hold_expires_at"] for x in documented)  # a request's hold, formatted the same way


def test_guessing_tokens_from_one_address_is_stopped_with_429(client, maker, settings):

    forget_throttle_counts()
    settings.API_BAD_TOKENS_PER_MINUTE = 3
    statuses = [client.get("/api/v1/reservations/", **api(client, f"apt_guess{i}")).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    locked = client.get("/api/v1/reservations/", **api(client, token_for(maker), "en"))
    assert locked.status_code == 429 and locked.json()["code"] == "throttled" and locked["Retry-After"] == "60"
    other = client.get("/api/v1/reservations/", REMOTE_ADDR="10.0.0.9", **api(client, token_for(maker)))
    assert other.status_code == 200  # another address is not held up
    forget_throttle_counts()
