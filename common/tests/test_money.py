import pytest
from django.utils import translation

from common.money import format_amount, format_won

pytestmark = pytest.mark.smoke


def test_won_is_shown_with_thousands_separators_and_its_unit():
    with translation.override("en"):
        assert format_won(200_000_000) == "200,000,000 won"
        assert format_won(2_000_000_000, "million") == "2,000 million won"
        assert format_won(7_224_187_000, "thousand") == "7,224,187 thousand won"
    with translation.override("ko"):
        assert format_won(350_000_000, "million") == "350 백만원"


def test_rounding_to_a_larger_unit_is_half_away_from_zero_in_integers():
    assert format_amount(1_499, "thousand") == "1"
    assert format_amount(1_500, "thousand") == "2"
    assert format_amount(-1_500, "thousand") == "-2"
    assert format_amount(0, "million") == "0"


def test_none_is_blank_and_floats_are_refused():
    assert format_won(None) == ""
    with pytest.raises(TypeError):
        format_amount(1.5)
