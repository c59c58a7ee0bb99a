"""Tenancy's actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from typing import Any

from anchors.policy import rule, runs_anchor


@rule("tenants.manage_anchor")
def _manage_anchor(user: Any, anchor: Any) -> bool:
    """The occupancy board, applications, leases and yearly results of an anchor: its staff and city admins."""
    return runs_anchor(user, anchor)
