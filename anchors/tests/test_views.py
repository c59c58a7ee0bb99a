from __future__ import annotations

import pytest
from django.utils.html import escape

pytestmark = pytest.mark.django_db


def _ko(client):
    client.cookies["anchor_language"] = "ko"
    return client


def _en(client):
    client.cookies["anchor_language"] = "en"
    return client


@pytest.mark.smoke
def test_the_anchor_list_shows_every_site_in_korean_by_default(client, seeded):
    html = client.get("/anchors/").content.decode()
    for a in seeded.values():
        assert a.name_ko in html
    assert "앵커시설" in html and 'lang="ko"' in html


def test_the_anchor_list_is_available_in_english(client, seeded):
    html = _en(client).get("/anchors/").content.decode()
    assert 'lang="en"' in html
    for a in seeded.values():
        assert escape(a.name_en) in html
    assert "10 anchor facilities" in html


def test_filtering_by_district_shows_only_that_districts_anchors(client, seeded):
    html = _en(client).get("/anchors/?district=guro").content.decode()
    assert "Gaebong Makerspace" in html and "Guro-gu Machinery &amp; Metal Smart Anchor" in html
    assert "Geumcheon Smart Solution Anchor" not in html
    assert "2 anchor facilities" in html


def test_filters_combine_status_kind_and_industry(client, seeded):
    html = _en(client).get("/anchors/?status=operating&kind=solution_anchor&industry=sewing").content.decode()
    assert "Geumcheon Smart Solution Anchor" in html and "Changsin Smart Solution Anchor" in html
    assert "Gaebong Makerspace" not in html


def test_an_unknown_filter_value_re_renders_with_a_field_error_not_a_500(client, seeded):
    response = _en(client).get("/anchors/?district=atlantis&status=exploded")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is-invalid" in html
    assert "Some filter values were not valid" in html


def test_geumcheons_page_shows_its_facts_contacts_and_history(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        html = _en(client).get("/anchors/geumcheon/").content.decode()
    for text in [
        "Geumcheon Smart Solution Anchor",
        "Seoul Fashion Smart Center Geumcheon Solution Anchor",
        "1,247 m² floor area",
        "solution anchor 900 m² + mask manufacturing facility 347 m²",
        "2,000 million won",
        "350 million won",
        "2020-11-18",
        "Local Economy Division",
        "1300",
        "D3D Co., Ltd. and Geumcheon Fashion Association",
        "Opening ceremony",
        "2019-06",
    ]:
        assert text in html, text


def test_geumcheons_page_in_korean_uses_the_korean_texts(client, seeded):
    html = _ko(client).get("/anchors/geumcheon/").content.decode()
    assert "서울패션스마트센터 금천솔루션앵커" in html
    assert "2,000 백만원" in html
    assert "금천구청 지역경제과" in html


def test_an_unknown_anchor_is_a_404_page_in_the_users_language(client, seeded):
    response = _en(client).get("/anchors/atlantis/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    response = _ko(client).get("/anchors/atlantis/")
    assert "페이지를 찾을 수 없습니다" in response.content.decode()


def test_staff_edit_their_anchors_public_information_and_it_is_kept_in_history(client, seeded, geumcheon_staff):
    client.force_login(geumcheon_staff)
    anchor = seeded["geumcheon"]
    before = anchor.history.count()
    response = client.post(
        "/anchors/geumcheon/edit/",
        {
            "phone": "02-000-0000",
            "email": "desk@geumcheon.example",
            "website": "",
            "description_ko": "새 소개",
            "description_en": "New intro",
        },
    )
    assert response.status_code == 302
    anchor.refresh_from_db()
    assert anchor.phone == "02-000-0000" and anchor.description_en == "New intro"
    assert anchor.history.count() == before + 1
    assert anchor.history.first().history_user == geumcheon_staff


def test_a_bad_email_in_the_edit_form_re_renders_with_an_error_and_changes_nothing(client, seeded, geumcheon_staff):
    client.force_login(geumcheon_staff)
    response = client.post("/anchors/geumcheon/edit/", {"email": "not-an-email", "description_ko": "x"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    seeded["geumcheon"].refresh_from_db()
    assert seeded["geumcheon"].description_ko != "x"


def test_each_role_lands_on_a_dashboard_showing_its_scope(client, seeded, guro_officer, geumcheon_staff, maker):
    client.force_login(guro_officer)
    html = _en(client).get("/dashboard/").content.decode()
    assert "Gaebong Makerspace" in html and "Guro-gu Machinery" in html
    assert "Geumcheon Smart Solution Anchor" not in html
    client.force_login(geumcheon_staff)
    html = client.get("/dashboard/").content.decode()
    assert "Geumcheon Smart Solution Anchor" in html and "Edit public information" in html
    client.force_login(maker)
    html = client.get("/dashboard/").content.decode()
    assert "Your maker account" in html


def test_the_login_redirect_goes_to_the_dashboard(client, seeded, maker):
    response = client.post("/accounts/login/", {"username": "MAKER@example.com", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == "/welcome/"


def test_the_anchor_list_runs_a_fixed_number_of_queries_whatever_the_number_of_anchors(client, seeded):
    from anchors.tests.factories import AnchorFactory

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/anchors/?status=operating").status_code == 200
        return len(ctx)

    before = count()
    AnchorFactory.create_batch(30)
    assert count() == before
    assert before <= 5
