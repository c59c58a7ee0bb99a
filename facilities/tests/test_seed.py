from decimal import Decimal

import pytest

from facilities import seed
from facilities.models import Equipment, RateTableVersion, Space
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_the_real_spaces_of_the_source_documents_are_loaded_with_their_invented_values_marked(seeded):
    """The rooms are the sources'; their capacities, booking rules and descriptions are not, so they carry the flag
    (the badge then says the values are examples, and the space page says which)."""
    seed.load(now=SEED_NOW)
    names = {(s.anchor.slug, s.name_ko) for s in Space.objects.exclude(kind="startup_space").select_related("anchor")}
    assert {
        ("geumcheon", "공용장비실"),
        ("geumcheon", "재단실"),
        ("geumcheon", "샘플실"),
        ("geumcheon", "마스크 제조시설"),
        ("changsin", "공동패턴실"),
        ("changsin", "공용장비실"),
        ("changsin", "커뮤니티 공간"),
    } <= names
    assert not Space.objects.filter(is_example=False).exists()
    assert Space.objects.get(anchor__slug="geumcheon", slug="mask-facility").area_m2 == Decimal("347")


def test_everything_the_seeds_do_not_give_is_labelled_as_an_example(seeded):
    seed.load(now=SEED_NOW)
    from facilities.models import EquipmentKind, OpeningHours
    from reservations import seed as reservations_seed
    from reservations.models import BookingPolicy, Quota

    reservations_seed.load()
    assert not Equipment.objects.filter(is_example=False).exists()
    assert not EquipmentKind.objects.filter(is_example=False).exists()
    assert not OpeningHours.objects.filter(is_example=False).exists()
    assert not RateTableVersion.objects.filter(is_example=False).exists()
    assert not BookingPolicy.objects.filter(is_example=False).exists() and BookingPolicy.objects.exists()
    assert not Quota.objects.filter(is_example=False).exists() and Quota.objects.exists()
    assert Space.objects.filter(anchor__slug="gaebong", is_example=False).count() == 0
    assert Space.objects.filter(anchor__slug="geumcheon", kind="startup_space", is_example=True).count() == 3


def test_loading_twice_changes_nothing(seeded):
    seed.load(now=SEED_NOW)
    assert seed.load(now=SEED_NOW) == {}


def test_a_value_the_anchor_confirmed_stays_its_own_when_the_seed_runs_again(seeded, city_admin):
    from anchors.examples import examples_confirm

    seed.load(now=SEED_NOW)
    examples_confirm(anchor=seeded["geumcheon"], by=city_admin, now=SEED_NOW)
    room = Space.objects.get(anchor__slug="geumcheon", slug="cutting-room")
    assert not room.is_example
    Space.objects.filter(pk=room.pk).update(capacity=12)  # the anchor's real figure
    seed.load(now=SEED_NOW)
    room.refresh_from_db()
    assert (room.is_example, room.capacity) == (False, 12)
    assert Space.objects.filter(anchor__slug="changsin", is_example=True).exists()  # another anchor's stay examples
