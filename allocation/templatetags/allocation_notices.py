"""Fair allocation's notices on other apps' pages (reservations may not import allocation): on a resource's week,
the lottery windows that allocate it and the viewer's suspension, each with the way forward."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from .. import selectors
from ..rules import anchor_id_of, suspension_message

register = template.Library()


@register.inclusion_tag("allocation/_resource_notices.html")
def allocation_notices(resource: Any, user: Any, now: datetime) -> dict[str, object]:
    anchor_id = anchor_id_of(resource)
    windows = [
        w for w in selectors.scheduled_windows(anchor_id) if selectors.covers(w, resource) and w.last_day >= now.date()
    ]
    viewer = user.pk if user is not None and user.is_authenticated else None
    found = selectors.gate(user_id=viewer, anchor_id=anchor_id, resource=resource, now=now).suspension_id
    suspension = selectors.suspension_by_id(found) if found is not None else None
    return {
        "windows": [(w, selectors.phase(w, now)) for w in windows],
        "suspension": suspension_message(suspension) if suspension is not None else "",
    }


@register.inclusion_tag("allocation/_strike_notice.html")
def strike_notice(reservation: Any, kind: str) -> dict[str, object]:
    """On the question before a no-show or a charged cancellation: whether it counts as a strike for the maker, and
    what strikes lead to, under the anchor's terms (marked when they are examples)."""
    policy = selectors.policy_for(reservation.anchor_id)
    counts = (
        reservation.user_id is not None
        and policy.strikes_enabled
        and (kind == "no_show" or (kind == "late_cancellation" and policy.late_cancellation_strikes))
    )
    return {"counts": counts, "policy": policy}
