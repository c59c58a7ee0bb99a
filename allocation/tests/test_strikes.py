"""No-show strikes, suspensions and appeals (issue 18): the services through the bookings that cause them, and
their pages. Every call passes `now` (the reservations tests' fixed clock) or runs under a frozen clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from allocation import selectors, services
from allocation.models import (
    AllocationPolicy,
    Appeal,
    AppealStatus,
    StandingEvent,
    StandingEventKind,
    Strike,
    StrikeKind,
    Suspension,
)
from notifications import registry
from notifications.models import Outbox
from reservations import services as reservation_services
from reservations.models import Status
from reservations.services import BookingRefused
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


def book(resource, start, end, user, **kw):
    return reservation_services.reservation_create(
        resource=resource,
        start=start,
        end=end,
        booked_by=kw.pop("booked_by", user),
        user=user,
        now=kw.pop("now", NOW),
        **kw,
    )


def no_show(reservation, staff):
    """Mark the booking a no-show 20 minutes after it started (past the grace period)."""
    return reservation_services.reservation_mark_no_show(
        reservation=reservation, by=staff, now=reservation.start_at + timedelta(minutes=20)
    )


def terms(anchor, **kw) -> AllocationPolicy:
    values = {"strike_threshold": 2, "strike_days": 90, "suspension_days": 10, "is_example": False, **kw}
    return AllocationPolicy.objects.create(anchor=anchor, **values)


def strikes_for(world, maker, staff, days=(3, 4)):
    """A no-show in the cutting room on each of these days of December (booked on NOW, 10:00–12:00)."""
    booked = [book(world["cutting"], at(day, 10), at(day, 12), maker) for day in days]
    return [no_show(r, staff) for r in booked]


def kinds_of(user) -> list[str]:
    return list(StandingEvent.objects.filter(user=user).order_by("at", "pk").values_list("kind", flat=True))


def rendered(row, now):
    with translation.override("ko"):
        return registry.render(row, now)


# --- strikes ---------------------------------------------------------------------------------------


def test_a_no_show_records_a_strike_with_its_event_and_tells_the_maker(world, maker, geumcheon_staff):
    (r,) = strikes_for(world, maker, geumcheon_staff, days=(3,))
    assert r.status == Status.NO_SHOW
    strike = Strike.objects.get(reservation=r)
    policy = selectors.policy_for(world["geumcheon"])  # the portal's example terms: no policy saved
    assert policy.is_example and policy.pk is None
    assert (strike.user, strike.anchor, strike.kind) == (maker, world["geumcheon"], StrikeKind.NO_SHOW)
    assert strike.at == at(3, 10, 20) and strike.expires_at == at(3, 10, 20) + timedelta(days=policy.strike_days)
    assert kinds_of(maker) == [StandingEventKind.STRIKE]
    row = Outbox.objects.get(kind="standing:strike", user=maker)
    assert row.object_id == strike.pk
    message = rendered(row, at(3, 10, 20))
    assert message is not None and world["geumcheon"].name_ko in message.text
    assert "(예시)" in message.text or "(example)" in message.text  # the terms quoted are the portal's examples


def test_a_no_show_is_counted_once_and_not_at_all_where_the_anchor_counts_none(world, maker, geumcheon_staff):
    (r,) = strikes_for(world, maker, geumcheon_staff, days=(3,))
    assert services.strike_record(reservation=r, kind=StrikeKind.NO_SHOW, now=at(3, 11)) is None
    assert Strike.objects.filter(user=maker).count() == 1
    terms(world["geumcheon"], strikes_enabled=False)
    strikes_for(world, maker, geumcheon_staff, days=(4,))
    assert Strike.objects.filter(user=maker).count() == 1


def test_a_late_cancellation_is_a_strike_only_where_the_anchor_says_so(world, maker):
    late = book(world["cutting"], at(10, 10), at(10, 12), maker)
    late = reservation_services.reservation_cancel(
        reservation=late, by=maker, accepted_charge_won=15_000, now=at(9, 11)
    )
    assert late.charge_won == 15_000 and not Strike.objects.filter(user=maker).exists()

    terms(world["geumcheon"], late_cancellation_strikes=True)
    free = book(world["cutting"], at(11, 10), at(11, 12), maker)
    reservation_services.reservation_cancel(reservation=free, by=maker, now=at(8, 9))  # in time: no charge, no strike
    assert not Strike.objects.filter(user=maker).exists()
    late = book(world["cutting"], at(10, 10), at(10, 12), maker)
    reservation_services.reservation_cancel(reservation=late, by=maker, accepted_charge_won=15_000, now=at(9, 11))
    strike = Strike.objects.get(user=maker)
    assert strike.kind == StrikeKind.LATE_CANCELLATION and strike.reservation_id == late.pk


def test_the_threshold_suspends_online_booking_at_the_anchor_until_it_ends_by_itself(world, maker, geumcheon_staff):
    terms(world["geumcheon"], strike_threshold=2, suspension_days=10)
    first, second = strikes_for(world, maker, geumcheon_staff, days=(3, 4))
    suspension = Suspension.objects.get(user=maker)
    assert suspension.anchor == world["geumcheon"] and suspension.imposed_by == world["geumcheon"]
    assert suspension.starts_at == at(4, 10, 20) and suspension.ends_at == at(14, 10, 20)
    assert set(suspension.strikes.all()) == {first.strike, second.strike}
    assert kinds_of(maker) == ["strike", "strike", "suspended"]
    row = Outbox.objects.get(kind="standing:suspended", user=maker, object_id=suspension.pk)
    message = rendered(row, at(4, 10, 20))
    assert message is not None and world["geumcheon"].name_ko in message.text

    with time_machine.travel(at(5, 9), tick=False):
        now = timezone.now()
        with pytest.raises(BookingRefused) as refused:
            book(world["overlock"], at(7, 14), at(7, 16), maker, now=now)
        assert refused.value.code == "suspended"
        # the desk still books for them, and other anchors are not concerned
        by_staff = book(
            world["overlock"], at(7, 14), at(7, 16), maker, booked_by=geumcheon_staff, as_staff=True, now=now
        )
        assert by_staff.status == Status.CONFIRMED and by_staff.user == maker
        assert book(world["community"], at(8, 14), at(8, 16), maker, now=now).status == Status.CONFIRMED

    with time_machine.travel(at(14, 10, 21), tick=False):
        now = timezone.now()
        assert selectors.active_suspension(user=maker, anchor_id=world["geumcheon"].pk, now=now) is None
        assert book(world["overlock"], at(16, 14), at(16, 16), maker, now=now).status == Status.CONFIRMED


def test_a_city_wide_suspension_refuses_online_booking_at_every_anchor(world, maker, geumcheon_staff):
    terms(world["geumcheon"], strike_threshold=2, suspension_city_wide=True)
    strikes_for(world, maker, geumcheon_staff, days=(3, 4))
    suspension = Suspension.objects.get(user=maker)
    assert suspension.anchor is None and suspension.imposed_by == world["geumcheon"]
    with pytest.raises(BookingRefused) as refused:
        book(world["community"], at(8, 14), at(8, 16), maker, now=at(5, 9))
    assert refused.value.code == "suspended"


def test_strikes_expire_after_the_anchors_period_and_no_longer_count(world, maker, geumcheon_staff):
    terms(world["geumcheon"], strike_threshold=2, strike_days=5)
    first, second = strikes_for(world, maker, geumcheon_staff, days=(3, 10))  # the first expired on the 8th
    assert first.strike.expires_at == at(8, 10, 20)
    active = selectors.active_strikes(user=maker, anchor=world["geumcheon"], now=at(10, 10, 20))
    assert list(active) == [second.strike]
    assert not Suspension.objects.filter(user=maker).exists()
    assert not selectors.active_strikes(user=maker, anchor=world["geumcheon"], now=at(15, 10, 21)).exists()


# --- appeals ---------------------------------------------------------------------------------------


@pytest.fixture
def suspended(world, maker, geumcheon_staff):
    """The maker suspended at Geumcheon after two no-shows (threshold 2), each charged 30,000 won."""
    terms(world["geumcheon"], strike_threshold=2, suspension_days=10)
    reservations = strikes_for(world, maker, geumcheon_staff, days=(3, 4))
    return [r.strike for r in reservations], Suspension.objects.get(user=maker)


def test_an_appeal_is_refused_for_another_makers_strike_twice_or_without_a_reason_and_writes_nothing(
    suspended, maker, other_maker
):
    (strike, _second), _suspension = suspended
    before = kinds_of(maker)
    with pytest.raises(ValidationError) as err:
        services.appeal_submit(strike=strike, user=other_maker, reason="not mine but still", now=at(5, 9))
    assert err.value.code == "not_yours"
    with pytest.raises(ValidationError) as err:
        services.appeal_submit(strike=strike, user=maker, reason="   ", now=at(5, 9))
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.appeal_submit(strike=strike, user=maker, reason="x" * 3000, now=at(5, 9))
    assert not Appeal.objects.exists() and kinds_of(maker) == before

    appeal = services.appeal_submit(strike=strike, user=maker, reason="  버스가 멈췄습니다  ", now=at(5, 9))
    assert appeal.reason == "버스가 멈췄습니다" and appeal.status == AppealStatus.PENDING
    with pytest.raises(ValidationError) as err:
        services.appeal_submit(strike=strike, user=maker, reason="again", now=at(5, 10))
    assert err.value.code == "duplicate"
    assert Appeal.objects.count() == 1 and kinds_of(maker) == [*before, "appealed"]


def test_the_anchors_staff_are_alerted_of_a_new_appeal(suspended, maker, geumcheon_staff):
    (strike, _second), _suspension = suspended
    appeal = services.appeal_submit(strike=strike, user=maker, reason="The door was locked.", now=at(5, 9))
    row = Outbox.objects.get(kind="standing:appeal-staff", user=geumcheon_staff)
    assert row.object_id == appeal.pk
    message = rendered(row, at(5, 9))
    assert message is not None and "The door was locked." in message.text


def test_an_upheld_appeal_removes_the_strike_waives_its_charge_and_lifts_the_suspension(
    suspended, maker, geumcheon_staff
):
    (strike, other), suspension = suspended
    assert strike.reservation.charge_won == 30_000
    appeal = services.appeal_submit(strike=strike, user=maker, reason="The desk cancelled by phone.", now=at(5, 9))
    decided = services.appeal_decide(
        appeal=appeal, by=geumcheon_staff, upheld=True, reason="Confirmed by the log.", now=at(5, 11)
    )
    assert decided.status == AppealStatus.UPHELD and decided.decided_by == geumcheon_staff
    strike.refresh_from_db()
    suspension.refresh_from_db()
    strike.reservation.refresh_from_db()
    assert strike.removed_at == at(5, 11) and strike.removed_reason == "Confirmed by the log."
    assert strike.reservation.charge_won == 0
    assert suspension.lifted_at == at(5, 11)
    other.refresh_from_db()
    assert other.removed_at is None and other.reservation.charge_won == 30_000  # the other strike stands
    assert kinds_of(maker) == ["strike", "strike", "suspended", "appealed", "upheld", "lifted"]
    assert selectors.active_suspension(user=maker, anchor_id=strike.anchor_id, now=at(5, 12)) is None
    assert list(selectors.active_strikes(user=maker, anchor=strike.anchor_id, now=at(5, 12))) == [other]

    row = Outbox.objects.get(kind="standing:decided", user=maker, object_id=appeal.pk)
    message = rendered(row, at(5, 11))
    assert message is not None and "Confirmed by the log." in message.text

    with pytest.raises(ValidationError) as err:
        services.appeal_decide(appeal=appeal, by=geumcheon_staff, upheld=False, reason="changed my mind", now=at(5, 12))
    assert err.value.code == "state"
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and appeal.decision_reason == "Confirmed by the log."


def test_a_dismissed_appeal_keeps_the_strike_its_charge_and_the_suspension(suspended, maker, geumcheon_staff):
    (strike, _other), suspension = suspended
    appeal = services.appeal_submit(strike=strike, user=maker, reason="I was ill.", now=at(5, 9))
    with pytest.raises(ValidationError):
        services.appeal_decide(appeal=appeal, by=geumcheon_staff, upheld=False, reason="  ", now=at(5, 10))
    services.appeal_decide(
        appeal=appeal, by=geumcheon_staff, upheld=False, reason="No notice was given.", now=at(5, 11)
    )
    appeal.refresh_from_db()
    strike.refresh_from_db()
    suspension.refresh_from_db()
    assert appeal.status == AppealStatus.DISMISSED and appeal.decision_reason == "No notice was given."
    assert strike.removed_at is None and strike.reservation.charge_won == 30_000
    assert suspension.lifted_at is None
    assert kinds_of(maker) == ["strike", "strike", "suspended", "appealed", "dismissed"]
    message = rendered(Outbox.objects.get(kind="standing:decided", object_id=appeal.pk), at(5, 11))
    assert message is not None and "No notice was given." in message.text


def test_an_upheld_appeal_keeps_the_maker_suspended_while_they_still_have_the_thresholds_strikes(
    world, maker, geumcheon_staff
):
    terms(world["geumcheon"], strike_threshold=2)
    first, second, third = (r.strike for r in strikes_for(world, maker, geumcheon_staff, days=(3, 4, 7)))
    suspension = Suspension.objects.get(user=maker)
    assert set(suspension.strikes.all()) == {first, second, third}  # the third, come while suspended, is added
    appeal = services.appeal_submit(strike=first, user=maker, reason="Sick.", now=at(8, 9))
    services.appeal_decide(appeal=appeal, by=geumcheon_staff, upheld=True, reason="Certificate shown.", now=at(8, 10))
    assert selectors.active_strikes(user=maker, anchor=world["geumcheon"], now=at(8, 10)).count() == 2
    assert selectors.active_suspension(user=maker, anchor_id=world["geumcheon"].pk, now=at(8, 10)) is not None


# --- pages -----------------------------------------------------------------------------------------


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_standing_page_shows_the_strikes_suspension_events_and_terms_in_few_queries(
    client, suspended, maker, django_assert_max_num_queries
):
    (strike, other), suspension = suspended
    services.appeal_submit(strike=other, user=maker, reason="Late bus.", now=at(5, 9))
    client.force_login(maker)
    with time_machine.travel(at(5, 10), tick=False), django_assert_max_num_queries(9):
        response = client.get(reverse("allocation:standing"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('id="strike-') == 2
    assert reverse("allocation:appeal", args=[strike.pk]) in body  # active and not appealed
    assert reverse("allocation:appeal", args=[other.pk]) not in body  # appealed already
    assert suspension.reason in body
    for kind in (StandingEventKind.STRIKE, StandingEventKind.SUSPENDED, StandingEventKind.APPEALED):
        with translation.override(response.wsgi_request.LANGUAGE_CODE):
            assert str(StandingEventKind(kind).label) in body
    assert '<th scope="col">' in body


def test_the_standing_page_marks_the_example_terms(client, world, maker, geumcheon_staff):
    strikes_for(world, maker, geumcheon_staff, days=(3,))
    client.force_login(maker)
    with time_machine.travel(at(4, 9), tick=False):
        body = client.get(reverse("allocation:standing")).content.decode()
    assert 'class="badge text-bg-warning"' in body  # the example badge on the portal's example terms


def test_the_standing_page_needs_a_login(client):
    response = client.get(reverse("allocation:standing"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_maker_appeals_through_the_form_and_is_sent_back_to_their_standing(client, suspended, maker):
    (strike, _other), _suspension = suspended
    client.force_login(maker)
    url = reverse("allocation:appeal", args=[strike.pk])
    with time_machine.travel(at(5, 9), tick=False):
        assert client.get(url).status_code == 200
        response = client.post(url, {"reason": "The machine was broken."})
    assert response.status_code == 302 and response["Location"] == reverse("allocation:standing")
    assert Appeal.objects.get(strike=strike).reason == "The machine was broken."
    with time_machine.travel(at(5, 10), tick=False):
        again = client.post(url, {"reason": "Again."})
    assert again.status_code == 200 and Appeal.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "x" * 3000])
def test_an_empty_or_huge_appeal_is_shown_back_with_its_error_and_nothing_is_written(client, suspended, maker, reason):
    (strike, _other), _suspension = suspended
    client.force_login(maker)
    with time_machine.travel(at(5, 9), tick=False):
        response = client.post(reverse("allocation:appeal", args=[strike.pk]), {"reason": reason})
    assert response.status_code == 200 and response.context["form"].errors
    assert "is-invalid" in response.content.decode()
    assert not Appeal.objects.exists()


def test_another_makers_strike_cannot_be_seen_nor_appealed(client, suspended, other_maker):
    (strike, _other), _suspension = suspended
    client.force_login(other_maker)
    url = reverse("allocation:appeal", args=[strike.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "let me"}).status_code == 404
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/me/standing/strikes/99999999999999999999/appeal/",
        "/me/standing/strikes/abc/appeal/",
        "/me/standing/strikes/0/appeal/",
    ],
)
def test_a_hostile_appeal_url_is_a_404(client, maker, path):
    client.force_login(maker)
    assert client.get(path).status_code == 404
    assert client.post(path, {"reason": "x"}).status_code == 404


@pytest.fixture
def appeal(suspended, maker):
    (strike, _other), _suspension = suspended
    return services.appeal_submit(strike=strike, user=maker, reason="The desk cancelled by phone.", now=at(5, 9))


def _decide_url(anchor, appeal) -> str:
    return reverse("allocation:decide", kwargs={"slug": anchor.slug, "pk": appeal.pk})


def test_the_desk_lists_pending_appeals_suspensions_and_strikes(
    client, world, appeal, geumcheon_staff, django_assert_max_num_queries
):
    client.force_login(geumcheon_staff)
    with time_machine.travel(at(5, 10), tick=False), django_assert_max_num_queries(12):
        response = client.get(reverse("allocation:desk_strikes", kwargs={"slug": "geumcheon"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert _decide_url(world["geumcheon"], appeal) in body
    assert "The desk cancelled by phone." in body
    assert len(response.context["suspensions"]) == 1 and len(response.context["page"]) == 2
    assert 'name="decision"' in body and 'name="reason"' in body


def test_the_desk_strikes_page_is_for_that_anchors_staff_only(client, appeal, maker, changsin_staff):
    url = reverse("allocation:desk_strikes", kwargs={"slug": "geumcheon"})
    client.force_login(maker)
    assert client.get(url).status_code == 403
    client.force_login(changsin_staff)
    assert client.get(url).status_code == 403
    assert client.get(reverse("allocation:desk_strikes", kwargs={"slug": "no-such-anchor"})).status_code in (403, 404)


def test_staff_uphold_an_appeal_from_the_desk(client, world, appeal, geumcheon_staff, maker):
    client.force_login(geumcheon_staff)
    with time_machine.travel(at(5, 11), tick=False):
        response = client.post(_decide_url(world["geumcheon"], appeal), {"decision": "uphold", "reason": "Confirmed."})
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation:desk_strikes", kwargs={"slug": "geumcheon"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and appeal.decided_by == geumcheon_staff
    assert appeal.strike.removed_at is not None and appeal.strike.reservation.charge_won == 0
    assert not Suspension.objects.filter(user=maker, lifted_at__isnull=True).exists()


def _unchanged(appeal) -> None:
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING and appeal.decided_by is None
    assert not StandingEvent.objects.filter(kind__in=["upheld", "dismissed"]).exists()
    assert not Outbox.objects.filter(kind="standing:decided").exists()


def test_a_maker_posting_a_decision_gets_a_403_and_nothing_changes(client, world, appeal, maker):
    client.force_login(maker)
    response = client.post(_decide_url(world["geumcheon"], appeal), {"decision": "uphold", "reason": "Mine."})
    assert response.status_code == 403
    _unchanged(appeal)


def test_staff_of_another_anchor_get_a_403_and_nothing_changes(client, world, appeal, changsin_staff):
    client.force_login(changsin_staff)
    response = client.post(_decide_url(world["geumcheon"], appeal), {"decision": "uphold", "reason": "Sure."})
    assert response.status_code == 403
    # through their own desk the appeal is not theirs: not found
    response = client.post(_decide_url(world["changsin"], appeal), {"decision": "uphold", "reason": "Sure."})
    assert response.status_code == 404
    _unchanged(appeal)


def test_an_anonymous_decision_is_sent_to_log_in(client, world, appeal):
    response = client.post(_decide_url(world["geumcheon"], appeal), {"decision": "uphold", "reason": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    _unchanged(appeal)


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "No decision given."},
        {"decision": "maybe", "reason": "An unknown decision."},
        {"decision": "uphold"},
        {"decision": "dismiss", "reason": "   "},
        {"decision": "uphold", "reason": "x" * 3000},
    ],
)
def test_bad_decisions_are_refused_with_a_message_and_change_nothing(client, world, appeal, geumcheon_staff, data):
    client.force_login(geumcheon_staff)
    with time_machine.travel(at(5, 11), tick=False):
        response = client.post(_decide_url(world["geumcheon"], appeal), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation:desk_strikes", kwargs={"slug": "geumcheon"})
    assert _messages(response)
    _unchanged(appeal)


def test_deciding_an_appeal_twice_from_the_desk_is_refused_with_a_message(client, world, appeal, geumcheon_staff):
    client.force_login(geumcheon_staff)
    url = _decide_url(world["geumcheon"], appeal)
    with time_machine.travel(at(5, 11), tick=False):
        client.post(url, {"decision": "dismiss", "reason": "No."})
        response = client.post(url, {"decision": "uphold", "reason": "Yes after all."})
    assert response.status_code == 302 and _messages(response)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISMISSED and appeal.decision_reason == "No."
    assert Outbox.objects.filter(kind="standing:decided").count() == 1


@pytest.mark.parametrize("pk", ["99999999999999999999", "2147483648", "abc", "-1", "0"])
def test_a_hostile_decide_url_is_a_404_never_a_500(client, geumcheon_staff, seeded, pk):
    client.force_login(geumcheon_staff)
    response = client.post(f"/desk/geumcheon/appeals/{pk}/decide/", {"decision": "uphold", "reason": "x"})
    assert response.status_code == 404


def test_the_decide_url_takes_no_get(client, world, appeal, geumcheon_staff):
    client.force_login(geumcheon_staff)
    assert client.get(_decide_url(world["geumcheon"], appeal)).status_code == 405
    _unchanged(appeal)


def test_the_desk_is_told_before_marking_a_no_show_that_it_counts_as_a_strike(client, world, maker, geumcheon_staff):
    policy = terms(world["geumcheon"])  # threshold 2, suspended for 10 days
    r = book(world["overlock"], at(3, 10), at(3, 12), maker)
    client.force_login(geumcheon_staff)
    with time_machine.travel(at(3, 10, 30), tick=False):
        body = client.get(reverse("reservations:no_show", args=[r.pk])).content.decode()
    assert "경고가 2회가 되면 온라인 예약이 10일 동안 정지됩니다" in body
    policy.strikes_enabled = False
    policy.save()
    with time_machine.travel(at(3, 10, 30), tick=False):
        body = client.get(reverse("reservations:no_show", args=[r.pk])).content.decode()
    assert "경고가 2회가 되면" not in body
