"""Programme panels other apps' pages show (the dashboard is the anchors app's, which may not import programs)."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("programs/_training_demand.html")
def training_demand() -> dict[str, object]:
    """For staff: the kinds of machine makers are waiting to be told of a training for, and how many wait."""
    return {"demand": selectors.training_demand()}
