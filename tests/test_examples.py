"""No invented value reaches a user without its example marker: pages, the confirmation, e-mails, refusals and
exports carry it while the record's flag is set, and lose it once the anchor confirms its values (common/examples.py).

Each check runs twice, before and after the confirmation, so a marker that is always (or never) shown fails.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from anchors.examples import examples_by_anchor, examples_confirm
from facilities.models import OpeningHours, RateTableVersion, Space
from reservations import services
from reservations.models import BookingPolicy, Quota, Reservation
from reservations.services import BookingRefused
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db

BADGE = '예시<span class="visually-hidden">'  # templates/facilities/_example_badge.html, in Korean
MARK = "(예시)"  # common.examples.mark, in e-mails and exports
RULE = "(예시 규정입니다."  # common.examples.refusal


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def confirm_everything(seeded, admin):
    """The city admin confirms the Geumcheon and Gaebong values and the Seoul-wide ones (machine kinds)."""
    for slug in ("geumcheon", "gaebong"):
        assert examples_confirm(anchor=seeded[slug], by=admin, now=NOW) > 0
    examples_confirm(anchor=None, by=admin, now=NOW)


def maker_pages(client, world) -> dict[str, str]:
    overlock = world["overlock"]
    form = {"date": "2026-12-03", "start": "14:00", "end": "16:00", "purpose": "샘플 봉제", "step": "preview"}
    quote = {"resource": f"space:{world['cutting'].pk}", "date": "2026-12-03", "start": "14:00", "end": "16:00"}
    pages = {
        "facilities": client.get("/anchors/geumcheon/facilities/"),
        "space": client.get("/anchors/geumcheon/spaces/sample-room/"),
        "equipment": client.get(f"/equipment/{overlock.pk}/"),
        "rates": client.get("/anchors/geumcheon/rates/"),
        "quote": client.get("/anchors/geumcheon/rates/", quote, HTTP_HX_REQUEST="true"),
        "week": client.get(f"/book/equipment/{overlock.pk}/"),
        "form": client.get(f"/book/equipment/{overlock.pk}/new/?start=2026-12-03T14:00:00%2B09:00"),
        "confirmation": client.post(f"/book/equipment/{overlock.pk}/new/", form),
    }
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 200)
    return {name: r.content.decode() for name, r in pages.items()}


def test_every_page_a_maker_meets_marks_the_example_values_until_the_anchor_confirms_them(
    client, world, maker, city_admin
):
    client.force_login(maker)
    before = maker_pages(client, world)
    unmarked = [name for name, html in before.items() if BADGE not in html]
    assert unmarked == []
    assert "예시 요금으로 계산했습니다" in before["confirmation"]  # the fee on the confirmation page
    assert before["quote"].count(BADGE) == 1 and "<html" not in before["quote"]

    confirm_everything(world, city_admin)
    after = maker_pages(client, world)
    still_marked = [name for name, html in after.items() if BADGE in html]
    assert still_marked == []
    assert "예시 요금" not in after["confirmation"] and "원" in after["confirmation"]


def test_the_fee_and_terms_in_the_e_mail_are_marked_until_confirmed(
    world, maker, city_admin, django_capture_on_commit_callbacks
):
    maker.preferred_language = "ko"
    maker.save()

    def booking_mail(day: int) -> str:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.reservation_create(
                resource=world["overlock"], start=at(day, 14), end=at(day, 16), booked_by=maker, user=maker, now=NOW
            )
        (message,) = mail.outbox
        html = message.alternatives[0][0] if message.alternatives else ""
        return message.body + html

    before = booking_mail(3)
    assert before.count(MARK) >= 2  # the fee line, the note, in text and in HTML
    assert "원자료에" in before
    confirm_everything(world, city_admin)
    assert MARK not in booking_mail(4)


REFUSALS = [
    # code, resource, start, end
    ("lead_time", "overlock", at(1, 9, 30), at(1, 10, 30)),
    ("window", "overlock", at(1, 10) + timedelta(days=400), at(1, 12) + timedelta(days=400)),
    ("hours", "overlock", at(3, 17), at(3, 19)),
    ("closed_day", "overlock", at(5, 10), at(5, 12)),  # a Saturday: no example hours at Geumcheon
    ("min_duration", "cutting", at(3, 10), at(3, 10, 30)),
    ("untrained", "laser", at(3, 10), at(3, 12)),
]


@pytest.mark.parametrize("code,resource,start,end", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refusal_that_quotes_an_example_rule_says_so_until_the_rule_is_confirmed(
    world, maker, city_admin, code, resource, start, end
):
    def refused() -> str:
        thing = type(world[resource]).objects.get(pk=world[resource].pk)  # as a request loads it
        with pytest.raises(BookingRefused) as err:
            services.reservation_create(resource=thing, start=start, end=end, booked_by=maker, user=maker, now=NOW)
        assert err.value.code == code, err.value.messages
        return err.value.messages[0]

    assert RULE in refused()
    confirm_everything(world, city_admin)
    assert RULE not in refused()
    assert not Reservation.objects.exists()


def test_the_quota_refusal_is_marked_while_the_quota_is_an_example(world, maker, geumcheon_staff, city_admin):
    from facilities import services as facility_services
    from facilities.models import EquipmentKind

    facility_services.certification_grant(
        user=maker,
        kind=EquipmentKind.objects.get(slug="laser-cutter"),
        granted_by=geumcheon_staff,
        reason="교육",
        granted_on=NOW.date() - timedelta(days=30),
        now=NOW,
    )
    services.reservation_create(
        resource=world["laser"], start=at(2, 10), end=at(2, 14), booked_by=maker, user=maker, now=NOW
    )

    def quota_message() -> str:
        with pytest.raises(BookingRefused) as err:
            services.reservation_create(
                resource=world["laser"], start=at(4, 10), end=at(4, 13), booked_by=maker, user=maker, now=NOW
            )
        assert err.value.code == "quota"
        return err.value.messages[0]

    assert Quota.objects.get(anchor=world["gaebong"]).is_example and RULE in quota_message()
    confirm_everything(world, city_admin)
    assert RULE not in quota_message()


def test_the_per_anchor_export_has_a_column_naming_the_example_rows(client, world, guro_officer):
    client.force_login(guro_officer)
    exported = client.get("/budgets/anchors/gaebong/?year=2021&export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    headed = [r for r in rows if "예시 데이터" in r]
    assert headed, "no table of the export says which rows are examples"
    marked = [r for r in rows if r and r[-1] == "예시"]
    assert marked


def test_the_rate_rule_export_marks_example_prices(world, city_admin):
    from facilities.models import RateRule
    from facilities.resources import RateRuleResource

    data = RateRuleResource().export(queryset=RateRule.objects.filter(version__table__anchor=world["geumcheon"]))
    assert "example" in data.headers and set(data["example"]) == {"예시"}
    examples_confirm(anchor=world["geumcheon"], by=city_admin, now=NOW)
    data = RateRuleResource().export(queryset=RateRule.objects.filter(version__table__anchor=world["geumcheon"]))
    assert set(data["example"]) == {""}


def test_the_admin_lists_the_examples_per_anchor_and_confirms_an_anchors_in_one_action(
    client, world, city_admin, geumcheon_staff
):
    # Staff of the anchor are not administrators: their POST confirms nothing.
    client.force_login(geumcheon_staff)
    refused = client.post("/admin/examples/", {"anchor": "geumcheon"})
    assert refused.status_code == 302 and "/admin/login/" in refused.url
    assert Space.objects.filter(anchor=world["geumcheon"], is_example=True).exists()

    client.force_login(city_admin)
    page = client.get("/admin/examples/")
    html = page.content.decode()
    assert page.status_code == 200 and "금천" in html and "개봉" in html
    rows, _values, _records = examples_by_anchor()
    links = [c.changelist for _a, values, records in rows for c in [*values, *records]]
    assert links and all(link in html.replace("&amp;", "&") for link in links)
    for link in links:  # every link opens its filtered list, not the admin's "invalid lookup" page
        response = client.get(link)
        assert response.status_code == 200 and "?e=1" not in response.get("Location", ""), link

    bad = client.post("/admin/examples/", {"anchor": "<script>nope</script>"}, follow=True)
    assert bad.status_code == 200 and "그런 앵커시설이 없습니다." in bad.content.decode()
    assert Space.objects.filter(anchor=world["geumcheon"], is_example=True).exists()

    example_space = Space.objects.filter(anchor=world["geumcheon"], is_example=True).first()
    done = client.post("/admin/examples/", {"anchor": "geumcheon"}, follow=True)
    assert done.status_code == 200
    g = world["geumcheon"]
    assert not Space.objects.filter(anchor=g, is_example=True).exists()
    assert not OpeningHours.objects.filter(anchor=g, is_example=True).exists()
    assert not RateTableVersion.objects.filter(table__anchor=g, is_example=True).exists()
    assert not BookingPolicy.objects.filter(anchor=g, is_example=True).exists()
    assert Space.objects.filter(anchor=world["gaebong"], is_example=True).exists()  # only that anchor's
    confirmed = example_space.history.filter(history_change_reason__startswith="confirmed by").get()
    assert confirmed.is_example is False and confirmed.history_user_id == city_admin.pk


def test_the_admin_list_action_confirms_the_chosen_rows_only(client, world, city_admin):
    chosen, other = Space.objects.filter(anchor=world["geumcheon"], is_example=True)[:2]
    client.force_login(city_admin)
    response = client.post(
        "/admin/facilities/space/",
        {"action": "confirm_examples", "_selected_action": [chosen.pk]},
        follow=True,
    )
    assert response.status_code == 200
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.is_example, other.is_example) == (False, True)
