"""Notifications' actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from anchors.policy import rule, runs_anchor


@rule("notifications.view_outbox")
def _view_outbox(user, anchor) -> bool:
    """An anchor's outgoing messages (who is written to, and the mail errors): its staff and city admins."""
    return runs_anchor(user, anchor)
