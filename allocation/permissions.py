"""Fair allocation's actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from anchors.policy import rule, runs_anchor


@rule("allocation.manage_anchor")
def _manage_anchor(user, anchor) -> bool:
    """Lottery windows, waiting lists, strikes and appeals of an anchor: its staff and city admins."""
    return runs_anchor(user, anchor)


@rule("allocation.apply")
def _apply(user, window) -> bool:
    return user.is_authenticated


@rule("allocation.appeal")
def _appeal(user, strike) -> bool:
    """Only the maker the strike is against."""
    return user.is_authenticated and strike is not None and strike.user_id == user.pk


@rule("allocation.decide_appeal")
def _decide(user, appeal) -> bool:
    return appeal is not None and runs_anchor(user, appeal.strike.anchor)
