"""What the allocation pages share: the anchor of a desk page, parsing a slot from a form."""

from __future__ import annotations

from datetime import datetime

from anchors.mixins import AnchorPageMixin
from common.time import SEOUL, year_in_range


class AnchorDeskMixin(AnchorPageMixin):
    """A page of an anchor's desk: its staff and city admins only."""

    policy_action = "allocation.manage_anchor"


def parse_moment(value: str | None) -> datetime | None:
    """A moment from a form (ISO 8601, Seoul unless it says otherwise); None when it is not one."""
    if not value or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if not year_in_range(moment.year):
        return None
    return moment.replace(tzinfo=SEOUL) if moment.tzinfo is None else moment
