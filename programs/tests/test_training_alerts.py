"""A machine kind with no training scheduled: a maker asks to be told, staff see how many wait, and scheduling a
session tells those waiting, once."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from facilities import services as facility_services
from facilities.models import EquipmentKind
from notifications.models import Outbox
from programs import services
from programs.models import TrainingAlert

from .conftest import NOW, at
from .test_services import make_programme

pytestmark = pytest.mark.django_db
PAGE = "/programmes/?training=laser-cutter"
ALERT = "/programmes/trainings/laser-cutter/alert/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_maker_asks_once_staff_see_the_count_and_a_new_training_tells_them_once(
    client, world, maker, other_maker, city_admin, geumcheon_staff, django_capture_on_commit_callbacks
):
    laser = EquipmentKind.objects.get(slug="laser-cutter")
    client.force_login(maker)
    page = client.get(PAGE).content.decode()
    assert f'action="{ALERT}"' in page and "알려 주세요" in page
    for _ in range(2):  # asking twice keeps one request
        assert client.post(ALERT, {"action": "ask"}).status_code == 302
    assert TrainingAlert.objects.filter(user=maker, kind=laser, notified_at__isnull=True).count() == 1
    assert "알림을 요청하셨습니다" in client.get(PAGE).content.decode()
    services.training_alert_request(user=other_maker, kind=laser, now=NOW)
    client.force_login(geumcheon_staff)
    dashboard = client.get("/dashboard/").content.decode()
    assert "안전교육을 기다리는 메이커" in dashboard and "2명 대기" in dashboard
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        training = make_programme(
            world, city_admin, kind="safety_training", certifies=laser, room="seminar-room", anchor="gaebong", day=4
        )
        services.session_add(  # a second session: nobody is told again
            programme=training,
            space=training.sessions.first().space,
            start=at(5, 14),
            end=at(5, 16),
            booked_by=city_admin,
            now=NOW,
        )
        make_programme(  # nor by a second training: their requests are closed
            world, city_admin, kind="safety_training", certifies=laser, room="seminar-room", anchor="gaebong", day=7
        )
    told = Outbox.objects.filter(kind="training-scheduled")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([maker.pk, other_maker.pk])
    assert len([m for m in mail.outbox if training.get_absolute_url() in m.body]) == 2
    assert not TrainingAlert.objects.filter(notified_at__isnull=True).exists()
    final = client.get("/dashboard/").content.decode()
    assert "교육을 기다리는 메이커가 없습니다" in final, final[final.find("training-demand") :][:800]


def test_a_draft_training_tells_nobody_until_it_is_published(world, maker, city_admin):
    laser = EquipmentKind.objects.get(slug="laser-cutter")
    services.training_alert_request(user=maker, kind=laser, now=NOW)
    p = services.programme_create(
        anchor=world["gaebong"],
        kind="safety_training",
        title_ko="레이저 안전교육",
        capacity=4,
        created_by=city_admin,
        certifies=laser,
        is_published=False,
    )
    services.session_add(
        programme=p,
        space=world["gaebong"].spaces.get(slug="seminar-room"),
        start=at(4, 14),
        end=at(4, 16),
        booked_by=city_admin,
        now=NOW,
    )
    assert not Outbox.objects.filter(kind="training-scheduled").exists()
    services.programme_update(programme=p, now=NOW, is_published=True)
    assert Outbox.objects.filter(kind="training-scheduled", user_id=maker.pk).count() == 1


def test_asking_is_refused_with_a_reason_when_it_makes_no_sense(client, world, maker, city_admin):
    laser = EquipmentKind.objects.get(slug="laser-cutter")
    client.force_login(maker)
    facility_services.certification_grant(user=maker, kind=laser, granted_by=city_admin, reason="교육", now=NOW)
    response = client.post(ALERT, {"action": "ask"}, follow=True)
    assert "이미" in response.content.decode() and not TrainingAlert.objects.exists()
    assert client.post("/programmes/trainings/no-such-kind/alert/", {"action": "ask"}).status_code == 404
    client.logout()
    assert client.post(ALERT, {"action": "ask"}).status_code == 302 and not TrainingAlert.objects.exists()
    assert "로그인하고 교육 일정 알림 받기" in client.get(PAGE).content.decode()


def test_a_maker_stops_waiting(client, world, maker):
    laser = EquipmentKind.objects.get(slug="laser-cutter")
    services.training_alert_request(user=maker, kind=laser, now=NOW)
    client.force_login(maker)
    client.post(ALERT, {"action": "withdraw"})
    assert not TrainingAlert.objects.exists()
