"""Programmes' actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from anchors.policy import is_city_admin, managed_anchor_ids, rule


@rule("programs.manage_anchor")
def _manage(user, anchor) -> bool:
    """Create programmes, take attendance and enter outcomes: the anchor's staff and city admins."""
    return is_city_admin(user) or anchor.pk in managed_anchor_ids(user)
