"""Reservations' actions in the one permission policy (anchors.policy).

Who may act on a reservation is asked here; whether its state allows the action is asked of
`reservations.states`. `selectors.reservation_actions` combines the two for the pages, and every action
view asks `may(user, "reservations.<action>", reservation)` before calling its service.
"""

from __future__ import annotations

from anchors.policy import rule, runs_anchor


@rule("reservations.manage_anchor")
def _manage_anchor(user, anchor) -> bool:
    """The desk of an anchor: its staff and city admins see every booking and act on them."""
    return runs_anchor(user, anchor)


@rule("reservations.book")
def _book(user, resource) -> bool:
    return user.is_authenticated


def is_holder(user, reservation) -> bool:
    """The maker it is for, or whoever booked it (staff booking for a guest)."""
    return user.is_authenticated and user.pk in (reservation.user_id, reservation.booked_by_id)


def _desk(user, reservation) -> bool:
    return runs_anchor(user, reservation.anchor)


@rule("reservations.view")
def _view(user, reservation) -> bool:
    return is_holder(user, reservation) or _desk(user, reservation)


# The holder's own actions; the desk may do them too.
for _action in ("cancel", "cancel_series", "move"):
    rule(f"reservations.{_action}")(_view)

# The desk's actions only.
for _action in ("approve", "reject", "check_in", "no_show", "complete", "waive"):
    rule(f"reservations.{_action}")(_desk)
