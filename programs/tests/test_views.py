from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from accounts.tests.factories import UserFactory
from programs.models import RegistrationStatus

from .conftest import NOW, at  # noqa: F401
from .test_services import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_upcoming_programmes_are_listed_for_all_anchors_and_for_one(client, world, city_admin):
    p = make_programme(world, city_admin)
    client.cookies["anchor_language"] = "en"
    assert "패턴 교실" in client.get("/programmes/").content.decode()
    assert "패턴 교실" in client.get("/anchors/geumcheon/programmes/").content.decode()
    assert "패턴 교실" not in client.get("/anchors/gaebong/programmes/").content.decode()
    assert client.get(p.get_absolute_url()).status_code == 200


def test_a_maker_registers_cancels_and_the_next_one_is_told_by_email(
    client, world, city_admin, maker, django_capture_on_commit_callbacks
):
    p = make_programme(world, city_admin, capacity=1)
    waiting = UserFactory(preferred_language="en")
    client.force_login(maker)
    client.post(f"/programmes/{p.pk}/register/")
    client.force_login(waiting)
    client.cookies["anchor_language"] = "en"
    client.post(f"/programmes/{p.pk}/register/")
    assert "number 1 on the waiting list" in client.get(p.get_absolute_url()).content.decode()
    client.force_login(maker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/programmes/{p.pk}/cancel/")
    assert p.registrations.get(user=waiting).status == RegistrationStatus.REGISTERED
    assert mail.outbox and mail.outbox[-1].to == [waiting.email] and "A place freed up" in mail.outbox[-1].subject
    client.force_login(waiting)
    assert "패턴 교실" in client.get("/me/programmes/").content.decode()


def test_staff_create_a_programme_add_a_session_and_take_attendance(client, world, geumcheon_staff, maker):
    client.force_login(geumcheon_staff)
    response = client.post(
        "/anchors/geumcheon/programmes/new/", {"kind": "workshop", "title_ko": "재단 기초", "capacity": 6, "fee_won": 0}
    )
    assert response.status_code == 302
    manage = response.url
    room = world["geumcheon"].spaces.get(slug="cutting-room")
    bad = client.post(
        manage, {"action": "session", "space": room.pk, "date": "2026-12-05", "start": "10:00", "end": "12:00"}
    )
    assert bad.status_code == 400  # a Saturday: the anchor is closed
    ok = client.post(
        manage, {"action": "session", "space": room.pk, "date": "2026-12-04", "start": "10:00", "end": "12:00"}
    )
    assert ok.status_code == 302
    from programs.models import Programme

    p = Programme.objects.get(title_ko="재단 기초")
    client.force_login(maker)
    client.post(f"/programmes/{p.pk}/register/")
    client.force_login(geumcheon_staff)
    reg = p.registrations.get()
    session = p.sessions.get()
    client.post(manage, {"action": "attendance", "session": session.pk, f"attended-{reg.pk}": "on"})
    assert not reg.attendance.exists()  # before the session: nobody can have attended yet
    with time_machine.travel(session.starts_at, tick=False):
        client.post(manage, {"action": "attendance", "session": session.pk, f"attended-{reg.pk}": "on"})
    assert reg.attendance.get().attended
    client.post(manage, {"action": "outcome", "matches": 1, "jobs_created": 0, "satisfaction": "4.0"})
    assert p.outcome.participants == 1


def test_makers_and_staff_of_other_anchors_cannot_manage_a_programme(client, world, city_admin, maker, changsin_staff):
    p = make_programme(world, city_admin)
    for user in (maker, changsin_staff):
        client.force_login(user)
        assert client.get(f"/programmes/{p.pk}/manage/").status_code == 403
        assert (
            client.post(
                "/anchors/geumcheon/programmes/new/", {"kind": "workshop", "title_ko": "x", "capacity": 1}
            ).status_code
            == 403
        )


def test_a_machine_links_to_its_own_trainings_at_every_anchor_and_says_when_none_is_scheduled(
    client, world, city_admin
):
    from facilities.models import EquipmentKind

    laser = EquipmentKind.objects.get(slug="laser-cutter")
    workshop = make_programme(world, city_admin)  # a workshop: not a training for the laser
    week = client.get(f"/book/equipment/{world['laser'].pk}/").content.decode()
    assert "아직 예정된 교육이 없습니다" in week and "/accounts/login/?next=" in week  # log in to be told
    empty = client.get("/programmes/?training=laser-cutter").content.decode()
    assert workshop.get_absolute_url() not in empty and "레이저" in empty and "예정되어 있지 않습니다" in empty
    training = make_programme(
        world, city_admin, kind="safety_training", certifies=laser, room="seminar-room", anchor="gaebong", day=4
    )
    week = client.get(f"/book/equipment/{world['laser'].pk}/").content.decode()
    assert "/programmes/?training=laser-cutter" in week  # now the notice leads to the laser's trainings
    listed = client.get("/programmes/?training=laser-cutter").content.decode()
    assert training.get_absolute_url() in listed and workshop.get_absolute_url() not in listed
    everything = client.get("/programmes/").content.decode()
    assert training.get_absolute_url() in everything and workshop.get_absolute_url() in everything
    for hostile in ("<script>", "x" * 500, "laser-cutter%00", "overlock"):
        assert client.get("/programmes/", {"training": hostile}).status_code in (200, 400)
