"""Programme panels other apps' pages show (the dashboard is the anchors app's, which may not import programs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from facilities.models import EquipmentKind

from .. import selectors

register = template.Library()


@register.inclusion_tag("programs/_training_demand.html")
def training_demand() -> dict[str, object]:
    """For staff: the kinds of machine makers are waiting to be told of a training for, and how many wait."""
    return {"demand": selectors.training_demand()}


@register.inclusion_tag("programs/_training_notice.html", takes_context=True)
def training_notice(context: dict[str, Any], kind: EquipmentKind, now: datetime) -> dict[str, object]:
    """On a machine's page, for a maker without its certification: the trainings for its kind at any anchor, or,
    with none scheduled, the way to be told when one is (or that they asked already)."""
    user = context["request"].user
    return {
        "kind": kind,
        "upcoming": selectors.upcoming_programmes(now=now, certifies=kind).count(),
        "alert": selectors.waiting_training_alert(user=user, kind=kind),
        "user": user,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
