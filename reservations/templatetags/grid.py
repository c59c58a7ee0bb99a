from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def state_label(states: dict[str, Any], state: str) -> str:
    """The words a week-grid cell shows for its state (reservations.selectors.GRID_STATES)."""
    return str(states.get(state, state))


@register.filter
def duration(minutes: int) -> str:
    """A length in minutes as people say it: "1시간 30분" / "1 h 30 min"."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)s h") % {"h": hours}
    return _("%(m)s min") % {"m": rest}


@register.simple_tag
def free_in_column(rows: list[Any], index: int) -> list[Any]:
    """The free cells of one day (column `index`) of a week grid, for the phone's list of free times."""
    return [row.cells[index] for row in rows if row.cells[index].state == "free"]


@register.simple_tag
def column_summary(rows: list[Any], index: int, states: dict[str, Any]) -> str:
    """Why a day has no free time for the person looking: its cells' states other than free, most common first."""
    counts: dict[str, int] = {}
    for row in rows:
        state = row.cells[index].state
        counts[state] = counts.get(state, 0) + 1
    if not counts:
        return _("No bookable times")
    ordered = sorted(counts, key=lambda s: -counts[s])
    return _("No free time: %(why)s") % {"why": ", ".join(str(states.get(s, s)) for s in ordered)}


@register.filter
def index(items: list[Any], i: int) -> Any:
    """items[i] in a template (the desk week's closures of the same day as the cell)."""
    return items[int(i)]
