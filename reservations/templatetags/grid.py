from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def state_label(states: dict[str, Any], state: str) -> str:
    """The words a week-grid cell shows for its state (reservations.selectors.GRID_STATES)."""
    return str(states.get(state, state))
