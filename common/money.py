"""Money is integer won everywhere; this is the one place that turns it into text."""

from __future__ import annotations

from django.utils.translation import gettext as _

UNITS = {
    "won": (1, "won"),
    "thousand": (1_000, "thousand won"),
    "million": (1_000_000, "million won"),
    "hundred_million": (100_000_000, "hundred million won"),
}


def unit_label(unit: str) -> str:
    labels = {
        "won": _("won"),
        "thousand": _("thousand won"),
        "million": _("million won"),
        "hundred_million": _("hundred million won"),
    }
    return labels[unit]


def to_unit(won: int | None, unit: str = "won") -> int | None:
    """Integer won in a larger unit, rounded half away from zero without floats; None stays None."""
    if won is None:
        return None
    divisor = UNITS[unit][0]
    q, r = divmod(abs(won), divisor)
    if divisor > 1 and r * 2 >= divisor:
        q += 1
    return -q if won < 0 else q


def format_amount(won: int | None, unit: str = "won") -> str:
    """Thousands-separated figure in the given unit, without the unit; None gives an empty string.

    Division rounds half away from zero in integer arithmetic, never through floats.
    """
    if won is None:
        return ""
    if not isinstance(won, int):
        raise TypeError(f"money must be integer won, got {type(won).__name__}")
    return f"{to_unit(won, unit):,}"


def format_won(won: int | None, unit: str = "won") -> str:
    """Figure with its unit: 2,000,000,000 -> '2,000 million won' for unit='million'."""
    if won is None:
        return ""
    return f"{format_amount(won, unit)} {unit_label(unit)}"
