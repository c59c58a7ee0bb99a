"""The public pages' cache (common/pagecache.py) on the real Redis: never stale after a write, never shared between
languages, sessions or roles, and out of the way when Redis is down.

A page served from the cache costs no database query, which is how these tests tell a hit from a render.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common import pagecache
from common.tests.pagecache_support import use_page_cache
from reservations import services
from reservations.models import Reservation, Status
from reservations.tests.conftest import NOW, at

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture(autouse=True)
def page_cache(settings):
    use_page_cache(settings, "test-pagecache")
    with time_machine.travel(NOW, tick=False):
        yield


def get(client: Client, url: str, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    return response, len(ctx.captured_queries)


def test_a_public_page_is_served_from_the_cache_with_an_etag_and_answers_304(db, world):
    first, queries = get(Client(), "/anchors/geumcheon/facilities/")
    assert first.status_code == 200 and queries > 0 and first["ETag"] and first["Cache-Control"] == "no-cache"
    again, queries = get(Client(), "/anchors/geumcheon/facilities/")
    assert again.status_code == 200 and queries == 0 and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Content-Language"] == "ko"
    unchanged, queries = get(Client(), "/anchors/geumcheon/facilities/", if_none_match=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b"" and queries == 0


def test_a_booking_is_in_the_public_feed_on_the_next_request(db, world, maker):
    feed = f"/calendar/equipment/{world['overlock'].pk}.ics"
    before, _ = get(Client(), feed)
    cached, queries = get(Client(), feed)
    assert queries == 0 and cached.content == before.content
    services.reservation_create(
        resource=world["overlock"], start=at(3, 14), end=at(3, 16), booked_by=maker, user=maker, now=NOW
    )
    after, queries = get(Client(), feed)
    assert queries > 0
    assert after.content.count(b"BEGIN:VEVENT") == before.content.count(b"BEGIN:VEVENT") + 1
    assert after["ETag"] != before["ETag"]
    # The old ETag no longer matches: the client gets the new feed, not a 304.
    revalidated, _ = get(Client(), feed, if_none_match=before["ETag"])
    assert revalidated.status_code == 200 and revalidated.content == after.content


def test_a_write_without_signals_is_stale_until_touched(db, world, maker):
    """QuerySet.update() sends no signal: without touch() the page would be stale (the reason for the architecture
    test that holds every such call to a touch())."""
    booking = services.reservation_create(
        resource=world["overlock"], start=at(4, 10), end=at(4, 12), booked_by=maker, user=maker, now=NOW
    )
    feed = f"/calendar/equipment/{world['overlock'].pk}.ics"
    with_booking, _ = get(Client(), feed)
    Reservation.objects.filter(pk=booking.pk).update(status=Status.CANCELLED)
    stale, queries = get(Client(), feed)
    assert queries == 0 and stale.content == with_booking.content  # nothing told the cache
    pagecache.touch()
    fresh, queries = get(Client(), feed)
    assert queries > 0 and fresh.content.count(b"BEGIN:VEVENT") == with_booking.content.count(b"BEGIN:VEVENT") - 1


def test_the_expiry_job_retires_the_feed(db, world, maker):
    feed = f"/calendar/equipment/{world['overlock'].pk}.ics"
    Reservation.objects.create(
        anchor=world["geumcheon"],
        equipment=world["overlock"],
        user=maker,
        booked_by=maker,
        start_at=at(4, 10),
        end_at=at(4, 12),
        blocked_until=at(4, 12),
        status=Status.REQUESTED,
        hold_expires_at=NOW + timedelta(hours=1),
    )
    with_hold, _ = get(Client(), feed)
    assert b"BEGIN:VEVENT" in with_hold.content and get(Client(), feed)[1] == 0
    services.reservations_expire_requests(now=NOW + timedelta(hours=2))
    after, queries = get(Client(), feed)
    assert queries > 0 and after.content.count(b"BEGIN:VEVENT") == with_hold.content.count(b"BEGIN:VEVENT") - 1


def test_an_edit_in_the_admin_or_a_service_shows_on_the_next_request(db, world):
    get(Client(), "/")
    anchor = world["geumcheon"]
    anchor.name_ko = "금천 앵커 (새 이름)"
    anchor.save()
    page, queries = get(Client(), "/")
    assert queries > 0 and "금천 앵커 (새 이름)" in page.content.decode()


def test_languages_never_share_a_page(db, world):
    korean, _ = get(Client(), "/")
    english_client = Client()
    english_client.cookies["anchor_language"] = "en"
    english, queries = get(english_client, "/")
    assert queries > 0, "the English page was rendered, not taken from the Korean one"
    assert english["Content-Language"] == "en" and korean["Content-Language"] == "ko"
    assert 'lang="en"' in english.content.decode() and english.content != korean.content
    assert get(english_client, "/")[0].content == english.content
    assert get(Client(), "/")[0].content == korean.content


def test_visitors_never_get_a_logged_in_page_nor_users_a_visitors_page(db, world, geumcheon_staff):
    staff = Client()
    staff.force_login(geumcheon_staff)
    anonymous, _ = get(Client(), "/anchors/geumcheon/")
    page, queries = get(staff, "/anchors/geumcheon/")
    html = page.content.decode()
    assert queries > 0 and geumcheon_staff.full_name in html and "/accounts/logout/" in html
    again, queries = get(Client(), "/anchors/geumcheon/")
    assert queries == 0 and again.content == anonymous.content
    assert geumcheon_staff.full_name not in again.content.decode() and "/accounts/logout/" not in again.content.decode()


def test_a_visitor_switches_language_from_a_cached_page_and_a_logged_in_switch_needs_its_token(db, world, maker):
    visitor = Client(enforce_csrf_checks=True)
    get(visitor, "/")
    cached, queries = get(visitor, "/")
    assert queries == 0 and b"csrfmiddlewaretoken" not in cached.content
    switched = visitor.post("/accounts/language/", {"language": "en", "next": "/"})
    assert switched.status_code == 302 and visitor.cookies["anchor_language"].value == "en"

    member = Client(enforce_csrf_checks=True)
    member.force_login(maker)
    assert member.post("/accounts/language/", {"language": "en", "next": "/"}).status_code == 403
    maker.refresh_from_db()
    assert maker.preferred_language == "ko"
    page = member.get("/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert member.post("/accounts/language/", {"language": "en", "csrfmiddlewaretoken": token}).status_code == 302
    maker.refresh_from_db()
    assert maker.preferred_language == "en"


def test_a_message_for_one_visitor_is_never_stored_for_others(db, world):
    visitor = Client()
    get(visitor, "/")
    visitor.post("/accounts/language/", {"language": "xx", "next": "/"})  # refused, with a message
    with_message = visitor.get("/").content.decode()
    assert "지원하지 않는 언어입니다" in with_message
    other, _ = get(Client(), "/")
    assert "지원하지 않는 언어입니다" not in other.content.decode()


def test_pages_expire_with_the_minute_for_what_changes_with_the_clock(db, world):
    get(Client(), "/anchors/geumcheon/")
    assert get(Client(), "/anchors/geumcheon/")[1] == 0
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert get(Client(), "/anchors/geumcheon/")[1] > 0


def test_hostile_and_long_urls_are_rendered_and_not_stored(db, world):
    long_url = "/anchors/geumcheon/rates/?date=" + "9" * 400
    response, _ = get(Client(), long_url)
    assert response.status_code in (200, 400) and "ETag" not in response
    assert get(Client(), long_url)[1] > 0
    for hostile in ("/anchors/%00/", "/anchors/geumcheon/rates/?date=%ff%fe", "/calendar/equipment/99999999.ics"):
        response = get(Client(), hostile)[0]
        assert response.status_code in (200, 400, 404)
        if response.status_code != 200:
            assert "ETag" not in get(Client(), hostile)[0]  # refusals are never stored (a stored page has an ETag)


def test_a_redis_that_does_not_answer_costs_one_timeout_then_is_left_alone(db, world, settings):
    """A Redis that accepts connections and never answers (the worst case): the first call waits for the socket
    timeout, then the cache is left alone for a few seconds, so writes and pages go on at full speed and nothing
    is served from it; afterwards the stamp is moved on before anything is served again."""
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # accepts into the backlog, never reads or answers
    port = silent.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "common.rediscache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    try:
        pagecache._state.update(down_until=0.0, missed=False)
        t0 = time.perf_counter()
        response, queries = get(Client(), "/")
        first = time.perf_counter() - t0
        assert response.status_code == 200 and queries > 0
        asked = []
        real_cache = pagecache._cache

        def counting_cache():
            asked.append(1)
            return real_cache()

        pagecache._cache = counting_cache
        try:
            for _ in range(5):
                world["geumcheon"].save()
                assert get(Client(), "/")[0].status_code == 200
        finally:
            pagecache._cache = real_cache
        assert first >= 0.2, first  # the first call waited for the socket's timeout
        assert not asked, "the silent Redis was asked again during the pause"  # so no write or page waits on it
        assert pagecache._state["missed"] is True  # the writes are owed a bump
    finally:
        silent.close()
        pagecache._state.update(down_until=0.0, missed=False)


def test_a_cross_site_form_cannot_switch_a_visitors_language(db, world):
    visitor = Client(enforce_csrf_checks=True)
    refused = visitor.post(
        "/accounts/language/", {"language": "en", "next": "/"}, headers={"Origin": "https://evil.example"}
    )
    assert refused.status_code == 403 and "anchor_language" not in visitor.cookies
    fetched = visitor.post("/accounts/language/", {"language": "en"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403 and "anchor_language" not in visitor.cookies
    same_site = visitor.post(
        "/accounts/language/", {"language": "en", "next": "/"}, headers={"Origin": "http://testserver"}
    )
    assert same_site.status_code == 302 and visitor.cookies["anchor_language"].value == "en"


def test_head_htmx_and_a_chosen_language_are_kept_apart(db, world, maker):
    page, _ = get(Client(), "/programmes/")
    assert "HX-Request" in page["Vary"]
    head = Client().head("/programmes/")
    assert head.status_code == 200 and head["ETag"] == page["ETag"] and head.content == b""
    fragment, queries = get(Client(), "/programmes/", hx_request="true")
    assert queries > 0 and "ETag" not in fragment  # htmx requests are rendered and never stored
    member = Client()
    member.force_login(maker)
    _warm(member, "/me/reservations/")
    member.cookies["anchor_language"] = "en"
    english, queries = get(member, "/me/reservations/")
    assert queries > 0 and english["Content-Language"] == "en"
    assert get(member, "/me/reservations/")[1] == 0
    revalidated, queries = get(member, "/me/reservations/", if_none_match=english["ETag"])
    assert revalidated.status_code == 304 and queries == 0


def _warm(client: Client, url: str):
    """A logged-in browser's first request gets its CSRF cookie; from the second on its pages are kept."""
    client.get(url)
    first, queries = get(client, url)
    assert first.status_code == 200 and queries > 0
    return first


def test_a_session_page_is_kept_for_that_browser_only(db, world, geumcheon_staff, maker):
    desk = f"/desk/geumcheon/?date={NOW.date().isoformat()}"
    browser = Client()
    browser.force_login(geumcheon_staff)
    first = _warm(browser, desk)
    again, queries = get(browser, desk)
    assert queries == 0 and again.content == first.content and again["Cache-Control"] == "private, no-cache"
    # The same user in a second browser: its own session and token, rendered for it.
    second = Client()
    second.force_login(geumcheon_staff)
    second.get(desk)
    assert get(second, desk)[1] > 0
    # Another user, another role: never the staff's desk.
    other = Client()
    other.force_login(maker)
    other.get("/")
    assert get(other, desk)[0].status_code == 403


def test_a_booking_is_on_the_desk_and_in_my_reservations_on_the_next_request(db, world, geumcheon_staff, maker):
    desk = "/desk/geumcheon/?date=2026-12-03"
    staff, member = Client(), Client()
    staff.force_login(geumcheon_staff)
    member.force_login(maker)
    before_desk = _warm(staff, desk)
    before_mine = _warm(member, "/me/reservations/")
    assert get(staff, desk)[1] == 0 and get(member, "/me/reservations/")[1] == 0
    booking = services.reservation_create(
        resource=world["overlock"], start=at(3, 14), end=at(3, 16), booked_by=maker, user=maker, now=NOW
    )
    desk_after, queries = get(staff, desk)
    assert queries > 0 and desk_after.content != before_desk.content
    assert f"/reservations/{booking.pk}/" in desk_after.content.decode()
    mine_after, queries = get(member, "/me/reservations/")
    assert queries > 0 and f"/reservations/{booking.pk}/" in mine_after.content.decode()
    assert f"/reservations/{booking.pk}/" not in before_mine.content.decode()


def test_after_logout_the_old_session_cookie_gets_no_kept_page(db, world, maker):
    member = Client()
    member.force_login(maker)
    _warm(member, "/me/reservations/")
    assert get(member, "/me/reservations/")[1] == 0
    stolen = dict(member.cookies.items())
    member.post("/accounts/logout/")
    replay = Client()
    for name, morsel in stolen.items():
        replay.cookies[name] = morsel.value
    response, _ = get(replay, "/me/reservations/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_staff_member_taken_off_the_anchor_loses_the_kept_desk_at_once(db, world, geumcheon_staff):
    from anchors.models import StaffAssignment

    desk = f"/desk/geumcheon/?date={NOW.date().isoformat()}"
    browser = Client()
    browser.force_login(geumcheon_staff)
    _warm(browser, desk)
    assert get(browser, desk)[1] == 0
    StaffAssignment.objects.filter(user=geumcheon_staff).delete()
    assert get(browser, desk)[0].status_code == 403


def test_a_new_or_flushed_cache_starts_a_stamp_and_caches(db, world):
    pagecache._cache().delete(pagecache.STAMP_KEY)
    get(Client(), "/programmes/")
    assert get(Client(), "/programmes/")[1] == 0


def test_pagecache_touch_retires_every_page_after_a_deploy_or_sql_by_hand(db, world):
    from django.core.management import call_command

    get(Client(), "/programmes/")
    assert get(Client(), "/programmes/")[1] == 0
    call_command("pagecache_touch", stdout=__import__("io").StringIO())
    assert get(Client(), "/programmes/")[1] > 0
