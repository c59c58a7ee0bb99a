"""Budgets' actions in the one permission policy: books are public, payees and evidence are not."""

from __future__ import annotations

from accounts.roles import Role, has_role
from anchors.policy import is_city_admin, overseen_district_ids, rule


@rule("budgets.view_records")
def _view_records(user, line) -> bool:
    """Execution records (payees, evidence) of a line: city admins, and officers of the funded anchor's district."""
    if is_city_admin(user):
        return True
    return line.anchor_id is not None and line.anchor.district_id in overseen_district_ids(user)


@rule("budgets.view_history")
def _view_history(user, obj) -> bool:
    return is_city_admin(user) or has_role(user, Role.DISTRICT_OFFICER)


@rule("budgets.view_report")
def _view_report(user, report) -> bool:
    """An anchor's report: its staff, its district's officers, city admins. The city report: admins and officers."""
    from anchors.policy import managed_anchor_ids

    if is_city_admin(user):
        return True
    if report is None or report.anchor_id is None:
        return has_role(user, Role.DISTRICT_OFFICER)
    return report.anchor_id in managed_anchor_ids(user) or report.anchor.district_id in overseen_district_ids(user)


@rule("budgets.view_reports_page")
def _reports_page(user, obj) -> bool:
    return is_city_admin(user) or has_role(user, Role.DISTRICT_OFFICER) or has_role(user, Role.FACILITY_STAFF)
