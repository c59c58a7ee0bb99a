"""Lottery windows: declared, applied to, drawn once (on PostgreSQL under two workers too), published and checked."""

from __future__ import annotations

import threading
from datetime import time, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from allocation import draw as pure
from allocation import selectors, services
from allocation.models import Application, Draw, LotteryWindow, WindowState
from facilities.models import EquipmentKind
from notifications.models import Outbox
from reservations import selectors as reservation_selectors
from reservations import services as reservation_services
from reservations.models import Reservation, Status
from reservations.services import BookingRefused

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def overlocks():
    return EquipmentKind.objects.get(slug="overlock")


def apply(window, user, *starts, now=NOW + timedelta(hours=1)):
    return services.application_submit(window=window, user=user, slot_starts=list(starts), now=now)


DRAW_AT = at(2, 18, 5)


@pytest.mark.smoke
def test_a_window_publishes_the_seeds_hash_and_keeps_the_seed_secret_until_the_draw(window_for, world):
    w = window_for(world["overlock"])
    assert w.seed_hash == pure.sha256_hex(w.seed) and len(w.seed) == 64
    assert [s for s, _e in selectors.slots_of(w)] == [at(3, 10), at(3, 12), at(10, 10), at(10, 12)]
    assert w.state == WindowState.SCHEDULED


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"closes_at": at(3, 11)}, "period"),  # the first slot would start before the draw
        ({"opens_at": NOW - timedelta(days=1)}, "opens"),
        ({"closes_at": NOW + timedelta(minutes=30)}, "closes"),
        ({"last_day": at(1, 0).date()}, "period"),
        ({"day_start": time(14), "day_end": time(10)}, "hours"),
        ({"category_weights": {"nobody": 2}}, "weights"),
        ({"category_weights": {"district_resident": 11}}, "weights"),
        ({"category_weights": {"district_resident": True}}, "weights"),
        ({"slot_minutes": 300}, "slots"),
        ({"title": "  "}, "title"),
    ],
)
def test_a_window_that_cannot_work_is_refused_and_nothing_is_saved(window_for, world, change, code):
    with pytest.raises(ValidationError) as err:
        window_for(world["overlock"], **change)
    assert err.value.code == code, err.value.messages
    assert not LotteryWindow.objects.exists()


def test_a_window_for_another_anchors_machine_is_refused(window_for, world):
    with pytest.raises(ValidationError):
        window_for(world["laser"])
    assert not LotteryWindow.objects.exists()


def test_makers_cannot_book_the_windows_slots_directly_until_the_draw_but_staff_can(
    window_for, world, maker, geumcheon_staff
):
    window_for(world["overlock"])
    with pytest.raises(BookingRefused) as err:
        reservation_services.reservation_create(
            resource=world["overlock"], start=at(3, 11), end=at(3, 12), booked_by=maker, user=maker, now=NOW
        )
    assert err.value.code == "lottery" and "오버록 목요일 추첨" in err.value.messages[0]
    # outside the window's hours, and the other overlock, are booked as usual
    reservation_services.reservation_create(
        resource=world["overlock"], start=at(3, 15), end=at(3, 16), booked_by=maker, user=maker, now=NOW
    )
    other = world["overlock"].space.equipment.get(asset_tag="GC-OVL-02")
    reservation_services.reservation_create(
        resource=other, start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    reservation_services.reservation_create(
        resource=world["overlock"],
        start=at(3, 12),
        end=at(3, 13),
        booked_by=geumcheon_staff,
        user=maker,
        as_staff=True,
        now=NOW,
    )


def test_the_week_grid_shows_lottery_slots_to_makers_and_every_free_cell_is_still_bookable(window_for, world, maker):
    window_for(world["overlock"])
    days, rows = reservation_selectors.resource_week(
        resource=world["overlock"], week_of=at(3, 0).date(), now=NOW, user=maker
    )
    states = {c.start: c.state for row in rows for c in row.cells}
    assert states[at(3, 10)] == "lottery" and states[at(3, 13)] == "lottery" and states[at(3, 14)] == "free"
    assert states[at(3, 9, 30)] == "lottery"  # an hour from 09:30 runs into the window
    for row in rows:
        for c in row.cells:
            if c.state == "free":
                reservation_services.check_booking(
                    resource=world["overlock"], start=c.start, end=c.end, user=maker, now=NOW
                )


def test_applications_are_ranked_replaced_and_counted(window_for, world, makers):
    w = window_for(world["overlock"])
    apply(w, makers[0], at(3, 10), at(10, 10))
    apply(w, makers[0], at(10, 12), at(3, 10), at(3, 12))  # replaces the first
    apply(w, makers[1], at(3, 10))
    assert [(a.slot_start, a.rank) for a in selectors.choices_of(w, makers[0])] == [
        (at(10, 12), 1),
        (at(3, 10), 2),
        (at(3, 12), 3),
    ]
    counts = selectors.applications_per_slot(w)
    assert counts[selectors.slot_key(at(3, 10))] == 2 and selectors.applicant_count(w) == 2


@pytest.mark.parametrize(
    ("starts", "now", "code"),
    [
        ([at(3, 10)], NOW - timedelta(minutes=1), "not_open"),
        ([at(3, 10)], at(2, 18), "closed"),
        ([at(3, 10), at(3, 12), at(10, 10), at(10, 12)], NOW, "too_many"),
        ([at(3, 10), at(3, 10)], NOW, "duplicate"),
        ([at(3, 11)], NOW, "slot"),
        ([at(4, 10)], NOW, "slot"),
        ([], NOW, "empty"),
    ],
)
def test_bad_applications_are_refused_and_nothing_is_written(window_for, world, maker, starts, now, code):
    w = window_for(world["overlock"])
    apply(w, maker, at(10, 12))
    with pytest.raises(ValidationError) as err:
        apply(w, maker, *starts, now=now)
    assert err.value.code == code, err.value.messages
    assert [a.slot_start for a in Application.objects.all()] == [at(10, 12)]  # the earlier application stands


def test_an_application_for_a_machine_the_maker_is_not_trained_on_is_refused(world, maker, seeded):
    from anchors.tests.factories import staff_of

    staff = staff_of(seeded["gaebong"])
    w = services.window_create(
        anchor=seeded["gaebong"],
        by=staff,
        title="레이저",
        target=world["laser"],
        first_day=at(5, 0).date(),
        last_day=at(5, 0).date(),
        weekdays=[5],
        day_start=time(10),
        day_end=time(14),
        slot_minutes=120,
        opens_at=NOW,
        closes_at=at(2, 18),
        now=NOW,
    )
    with pytest.raises(ValidationError) as err:
        apply(w, maker, at(5, 10))
    assert err.value.code == "not_bookable" and not Application.objects.exists()


def test_the_draw_books_the_winners_tells_everyone_and_publishes_a_draw_that_checks(window_for, world, makers):
    w = window_for(overlocks())  # both overlocks: two places per slot
    for m in makers[:5]:
        apply(w, m, at(3, 10), at(3, 12))
    assert services.lottery_draw(window_id=w.pk, now=at(2, 17)) is None  # not closed yet
    draw = services.lottery_draw(window_id=w.pk, now=DRAW_AT)
    assert draw is not None and draw.places == {selectors.slot_key(at(3, 10)): 2, selectors.slot_key(at(3, 12)): 2}
    booked = Reservation.objects.filter(status=Status.CONFIRMED)
    assert booked.count() == 4 and len(draw.result["won"]) == 4
    assert {r.user_id for r in booked} <= {m.pk for m in makers} and len({r.user_id for r in booked}) == 4
    assert all(r.fee_won > 0 for r in booked)  # the fee applies, frozen as for any booking
    for start in (at(3, 10), at(3, 12)):  # each slot's two places went to the two overlocks, one each
        machines = list(booked.filter(start_at=start).values_list("equipment_id", flat=True))
        assert len(machines) == 2 and len(set(machines)) == 2
    kinds = sorted(Outbox.objects.filter(kind__startswith="lottery:").values_list("kind", flat=True))
    assert kinds == ["lottery:lost"] + ["lottery:won"] * 4
    data = services.published(draw)
    assert pure.verify(data).ok
    assert all(m.email not in str(data) for m in makers)  # anonymised
    assert services.lottery_draw(window_id=w.pk, now=DRAW_AT) is None  # once
    w.refresh_from_db()
    assert w.state == WindowState.DRAWN


def test_after_the_draw_slots_left_free_are_booked_as_usual(window_for, world, makers):
    w = window_for(world["overlock"])
    apply(w, makers[0], at(3, 10))
    services.lottery_draw(window_id=w.pk, now=DRAW_AT)
    r = reservation_services.reservation_create(
        resource=world["overlock"], start=at(10, 10), end=at(10, 12), booked_by=makers[1], user=makers[1], now=DRAW_AT
    )
    assert r.status == Status.CONFIRMED


def test_a_winner_the_rules_refuse_at_the_draw_is_passed_over_and_the_refusal_published(
    window_for, world, makers, geumcheon_staff
):
    w = window_for(world["overlock"])
    apply(w, makers[0], at(3, 10))
    apply(w, makers[1], at(3, 10))
    # makers[0] booked 4 hours... suppose the desk booked the slot meanwhile for someone else: no place left
    reservation_services.reservation_create(
        resource=world["overlock"],
        start=at(3, 10),
        end=at(3, 12),
        booked_by=geumcheon_staff,
        user=makers[2],
        as_staff=True,
        now=NOW,
    )
    draw = services.lottery_draw(window_id=w.pk, now=DRAW_AT)
    assert draw.places == {selectors.slot_key(at(3, 10)): 0} and draw.result["won"] == []
    assert pure.verify(services.published(draw)).ok


def test_a_draw_that_fails_midway_leaves_nothing(window_for, world, makers, monkeypatch):
    w = window_for(overlocks())
    for m in makers[:3]:
        apply(w, m, at(3, 10))
    real = reservation_services.reservation_create
    calls = []

    def failing(**kw):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kw)

    monkeypatch.setattr(reservation_services, "reservation_create", failing)
    with pytest.raises(RuntimeError):
        services.lottery_draw(window_id=w.pk, now=DRAW_AT)
    w.refresh_from_db()
    assert w.state == WindowState.SCHEDULED and not Draw.objects.exists() and not Reservation.objects.exists()
    assert not Outbox.objects.exists()
    monkeypatch.setattr(reservation_services, "reservation_create", real)
    assert services.lottery_draw(window_id=w.pk, now=DRAW_AT) is not None  # the next run draws it
    assert Reservation.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_a_draw_cannot_be_edited_or_deleted_afterwards(window_for, world, maker):
    w = window_for(world["overlock"])
    apply(w, maker, at(3, 10))
    draw = services.lottery_draw(window_id=w.pk, now=DRAW_AT)
    from django.db import DatabaseError

    for attempt in (
        lambda: Draw.objects.filter(pk=draw.pk).update(result={"won": []}),
        lambda: Draw.objects.filter(pk=draw.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    draw.refresh_from_db()
    assert draw.result["won"]
    with pytest.raises(DatabaseError), transaction.atomic():
        LotteryWindow.objects.filter(pk=w.pk).update(seed_hash="0" * 64)
    LotteryWindow.objects.filter(pk=w.pk).update(title="바뀐 제목")  # the rest of the row may change


def test_the_declared_weights_enter_the_published_entries(window_for, world, makers):
    w = window_for(world["overlock"], category_weights={"district_resident": 3})
    resident = makers[0]
    resident.category_claimed, resident.category_verified_at = "district_resident", NOW
    resident.save()
    unverified = makers[2]
    unverified.category_claimed = "district_resident"  # claimed, not yet verified: no weight
    unverified.save()
    for m in (resident, makers[1], unverified):
        apply(w, m, at(3, 10))
    entries, who = services.draw_inputs(w)
    weights = {who[e["applicant"]]: e["weight"] for e in entries}
    assert weights == {resident.pk: "3", makers[1].pk: "1", unverified.pk: "1"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two workers racing need PostgreSQL's row locks")
def test_two_workers_drawing_at_once_draw_once(seeded, world, makers, geumcheon_staff):
    w = services.window_create(
        anchor=world["geumcheon"],
        by=geumcheon_staff,
        title="race",
        target=overlocks(),
        first_day=at(3, 0).date(),
        last_day=at(10, 0).date(),
        weekdays=[3],
        day_start=time(10),
        day_end=time(14),
        slot_minutes=120,
        opens_at=NOW,
        closes_at=at(2, 18),
        now=NOW,
    )
    for m in makers:
        apply(w, m, at(3, 10), at(3, 12), at(10, 10))
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(services.lottery_draw(window_id=w.pk, now=DRAW_AT))
        except Exception as err:  # noqa: BLE001
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r is not None for r in results) == [False, True]
    assert Draw.objects.count() == 1
    draw = Draw.objects.get()
    assert Reservation.objects.count() == len(draw.result["won"]) == 6
    assert Outbox.objects.filter(kind__startswith="lottery:").count() == len(makers)


def test_the_pages_let_a_maker_apply_and_anyone_check_the_draw(client, window_for, world, makers, time_machine):
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    w = window_for(world["overlock"])
    client.force_login(makers[0])
    page = client.get(w.get_absolute_url())
    assert page.status_code == 200 and w.seed_hash in page.content.decode()
    response = client.post(reverse("allocation:apply", args=[w.pk]), {"choice_1": selectors.slot_key(at(3, 10))})
    assert response.status_code == 302 and Application.objects.filter(user=makers[0]).count() == 1
    for hostile in ({"choice_1": "x" * 500}, {"choice_1": "9999-99-99"}, {"choice_9": selectors.slot_key(at(3, 12))}):
        assert client.post(reverse("allocation:apply", args=[w.pk]), hostile).status_code == 302
    assert Application.objects.filter(user=makers[0]).count() == 1
    assert client.get(reverse("allocation:draw", args=[w.pk])).status_code == 404  # not drawn yet
    services.lottery_draw(window_id=w.pk, now=DRAW_AT)
    time_machine.move_to(DRAW_AT, tick=False)
    client.logout()
    draw_page = client.get(reverse("allocation:draw", args=[w.pk]))
    assert draw_page.status_code == 200 and draw_page.content.decode().count("✅") == 4
    data = client.get(reverse("allocation:draw_json", args=[w.pk])).json()
    assert pure.verify(data).ok and makers[0].email not in str(data)
    assert client.get(reverse("allocation:windows")).status_code == 200
    assert client.get("/lottery/99999999999999999999/").status_code == 404


def test_staff_declare_a_window_on_the_desk_and_makers_may_not(client, world, geumcheon_staff, maker, time_machine):
    time_machine.move_to(NOW, tick=False)
    url = reverse("allocation:window_create", args=["geumcheon"])
    form = {
        "title": "오버록 토요일",
        "target": f"equipment:{world['overlock'].pk}",
        "first_day": "2026-12-03",
        "last_day": "2026-12-10",
        "weekdays": ["3"],
        "day_start": "10:00",
        "day_end": "14:00",
        "slot_minutes": "120",
        "opens_at": "2026-12-01T10:00",
        "closes_at": "2026-12-02T18:00",
        "choices_per_maker": "2",
        "wins_per_maker": "1",
        "recent_win_days": "0",
        "weight_district_resident": "2",
    }
    client.force_login(maker)
    assert client.post(url, form).status_code == 403
    assert not LotteryWindow.objects.exists()
    client.force_login(geumcheon_staff)
    assert client.get(url).status_code == 200
    bad = client.post(url, {**form, "closes_at": "2026-12-03T11:00"})
    assert bad.status_code == 200 and not LotteryWindow.objects.exists()
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    w = LotteryWindow.objects.get()
    assert w.category_weights == {"district_resident": 2} and w.choices_per_maker == 2
    assert client.get(reverse("allocation:desk_windows", args=["geumcheon"])).status_code == 200
    assert client.post(reverse("allocation:window_cancel", args=["geumcheon", w.pk]), {"reason": ""}).status_code == 302
    w.refresh_from_db()
    assert w.state == WindowState.SCHEDULED
    client.post(reverse("allocation:window_cancel", args=["geumcheon", w.pk]), {"reason": "기계 점검"})
    w.refresh_from_db()
    assert w.state == WindowState.CANCELLED


def test_the_periodic_job_draws_each_closed_window_once_when_run_twice(window_for, world, makers, time_machine):
    from allocation.tasks import allocation_housekeeping

    w = window_for(world["overlock"])
    apply(w, makers[0], at(3, 10))
    time_machine.move_to(at(2, 17), tick=False)
    assert allocation_housekeeping()["drawn"] == 0  # still open
    time_machine.move_to(DRAW_AT, tick=False)
    assert allocation_housekeeping()["drawn"] == 1
    assert allocation_housekeeping()["drawn"] == 0
    assert Draw.objects.filter(window=w).count() == 1 and Reservation.objects.count() == 1


def test_the_command_re_runs_a_stored_or_downloaded_draw_and_fails_on_a_changed_one(
    window_for, world, makers, tmp_path
):
    import json

    from django.core.management import CommandError, call_command

    w = window_for(overlocks())
    for m in makers[:3]:
        apply(w, m, at(3, 10), at(3, 12))
    draw = services.lottery_draw(window_id=w.pk, now=DRAW_AT)
    out = StringIO()
    call_command("verify_draw", str(w.pk), stdout=out)
    assert "The draw checks out." in out.getvalue()
    data = services.published(draw)
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(data))
    call_command("verify_draw", "--file", str(good), stdout=StringIO())
    data["result"]["won"] = data["result"]["won"][::-1]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError):
        call_command("verify_draw", "--file", str(bad), stdout=StringIO())
    (tmp_path / "junk.json").write_text('{"seed": 1}')
    with pytest.raises(CommandError):
        call_command("verify_draw", "--file", str(tmp_path / "junk.json"), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("verify_draw", "999999", stdout=StringIO())
