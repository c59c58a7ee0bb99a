import pytest
from django.contrib.auth.models import AnonymousUser

from anchors.policy import anchors_in_scope, may

pytestmark = pytest.mark.django_db


def test_only_city_admins_and_the_anchors_own_staff_may_change_it(
    seeded, geumcheon_staff, changsin_staff, guro_officer, maker, city_admin
):
    g = seeded["geumcheon"]
    assert may(city_admin, "anchors.change_anchor", g)
    assert may(geumcheon_staff, "anchors.change_anchor", g)
    for user in (changsin_staff, guro_officer, maker, AnonymousUser()):
        assert not may(user, "anchors.change_anchor", g)


def test_officers_oversee_the_anchors_of_their_districts_only(seeded, guro_officer):
    assert may(guro_officer, "anchors.oversee_anchor", seeded["gaebong"])
    assert may(guro_officer, "anchors.oversee_anchor", seeded["guro-metal"])
    assert not may(guro_officer, "anchors.oversee_anchor", seeded["geumcheon"])
    assert {a.slug for a in anchors_in_scope(guro_officer)} == {"gaebong", "guro-metal"}


def test_a_deactivated_user_may_do_nothing(seeded, geumcheon_staff):
    geumcheon_staff.is_active = False
    assert not may(geumcheon_staff, "anchors.change_anchor", seeded["geumcheon"])


def test_an_unknown_action_is_an_error_not_a_silent_yes(seeded, city_admin):
    with pytest.raises(KeyError):
        may(city_admin, "anchors.launch_rocket", seeded["geumcheon"])
