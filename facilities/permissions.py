"""Facilities' actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from accounts.roles import Role, has_role
from anchors.policy import is_city_admin, rule, runs_anchor


@rule("facilities.manage_anchor")
def _manage_anchor(user, anchor) -> bool:
    """Closures, equipment status, inventory and loans of an anchor: its staff and city admins."""
    return runs_anchor(user, anchor)


@rule("facilities.manage_certifications")
def _manage_certifications(user, obj) -> bool:
    """Certifications are honoured city-wide, so any facility staff member may grant or revoke them."""
    return is_city_admin(user) or has_role(user, Role.FACILITY_STAFF)


@rule("facilities.report_fault")
def _report_fault(user, equipment) -> bool:
    return user.is_authenticated
