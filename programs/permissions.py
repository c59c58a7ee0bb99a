"""Programmes' actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from anchors.policy import rule, runs_anchor


@rule("programs.manage_anchor")
def _manage(user, anchor) -> bool:
    """Create programmes, take attendance and enter outcomes: the anchor's staff and city admins."""
    return runs_anchor(user, anchor)
