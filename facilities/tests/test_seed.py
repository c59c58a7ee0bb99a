from decimal import Decimal

import pytest

from facilities import seed
from facilities.models import Equipment, RateTableVersion, Space
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_the_real_spaces_of_the_source_documents_are_loaded_and_not_marked_as_examples(seeded):
    seed.load(now=SEED_NOW)
    real = {(s.anchor.slug, s.name_ko) for s in Space.objects.filter(is_example=False).select_related("anchor")}
    assert {
        ("geumcheon", "공용장비실"),
        ("geumcheon", "재단실"),
        ("geumcheon", "샘플실"),
        ("geumcheon", "마스크 제조시설"),
        ("changsin", "공동패턴실"),
        ("changsin", "공용장비실"),
        ("changsin", "커뮤니티 공간"),
    } == real
    assert Space.objects.get(anchor__slug="geumcheon", slug="mask-facility").area_m2 == Decimal("347")


def test_everything_the_seeds_do_not_give_is_labelled_as_an_example(seeded):
    seed.load(now=SEED_NOW)
    assert not Equipment.objects.filter(is_example=False).exists()
    assert not RateTableVersion.objects.filter(is_example=False).exists()
    assert Space.objects.filter(anchor__slug="gaebong", is_example=False).count() == 0
    assert Space.objects.filter(anchor__slug="geumcheon", kind="startup_space", is_example=True).count() == 3


def test_loading_twice_changes_nothing(seeded):
    seed.load(now=SEED_NOW)
    assert seed.load(now=SEED_NOW) == {}
