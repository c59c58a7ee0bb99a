"""Reservations' actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from anchors.policy import is_city_admin, managed_anchor_ids, rule


@rule("reservations.manage_anchor")
def _manage_anchor(user, anchor) -> bool:
    """The desk of an anchor: its staff and city admins see every booking and act on them."""
    return is_city_admin(user) or anchor.pk in managed_anchor_ids(user)


@rule("reservations.book")
def _book(user, resource) -> bool:
    return user.is_authenticated
