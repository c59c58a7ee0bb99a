"""Budgets' actions in the one permission policy: books are public, payees and evidence are not."""

from __future__ import annotations

from accounts.roles import Role, has_role
from anchors.policy import is_city_admin, managed_anchor_ids, overseen_district_ids, rule


@rule("budgets.view_record")
def _view_record(user, record) -> bool:
    """A payment (payee, evidence): city admins, and the officers of the district of the anchor it was for. A
    city-wide payment (no anchor): city admins."""
    if is_city_admin(user):
        return True
    return record.anchor_id is not None and record.anchor.district_id in overseen_district_ids(user)


@rule("budgets.view_records_of")
def _view_records_of(user, line) -> bool:
    """Whether a line's page lists any payments to this user: city admins, and officers of a district whose
    anchor the line funds (they then see the payments for their anchors)."""
    if is_city_admin(user):
        return True
    districts = overseen_district_ids(user)
    return bool(districts) and any(s.anchor.district_id in districts for s in line.shares.all())


@rule("budgets.view_history")
def _view_history(user, obj) -> bool:
    return is_city_admin(user) or has_role(user, Role.DISTRICT_OFFICER)


def _reaches_report_of(user, anchor) -> bool:
    """An anchor's report: its staff, its district's officers, city admins. The city's report: admins and officers."""

    if is_city_admin(user):
        return True
    if anchor is None:
        return has_role(user, Role.DISTRICT_OFFICER)
    return anchor.pk in managed_anchor_ids(user) or anchor.district_id in overseen_district_ids(user)


@rule("budgets.view_report")
def _view_report(user, report) -> bool:
    return report is not None and _reaches_report_of(user, report.anchor if report.anchor_id else None)


@rule("budgets.request_report")
def _request_report(user, anchor) -> bool:
    """Prepare or regenerate a report: whoever may read it (`anchor` None is the city's report)."""
    return user.is_authenticated and _reaches_report_of(user, anchor)


@rule("budgets.view_reports_page")
def _reports_page(user, obj) -> bool:
    return is_city_admin(user) or has_role(user, Role.DISTRICT_OFFICER) or has_role(user, Role.FACILITY_STAFF)
