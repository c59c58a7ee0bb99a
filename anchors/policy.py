"""The one place that answers "may this user do this action to this object".

Every view asks `may(user, action, obj)`. Apps that come after anchors register their own actions
with `@rule("app.action")`; a rule gets (user, obj) and returns a bool. Unknown actions are denied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from accounts.permissions import may_review_evidence
from accounts.roles import Role, has_role

from .models import Anchor

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"policy rule {action!r} registered twice")
        _RULES[action] = fn
        return fn

    return register


def may(user, action: str, obj: Any = None) -> bool:
    if user is None or (user.is_authenticated and not user.is_active):
        return False
    fn = _RULES.get(action)
    if fn is None:
        raise KeyError(f"no policy rule for {action!r}")
    return bool(fn(user, obj))


def is_city_admin(user) -> bool:
    return has_role(user, Role.CITY_ADMIN)


def managed_anchor_ids(user) -> frozenset[int]:
    """Anchors a facility-staff user runs (cached on the user object for the request)."""
    if not has_role(user, Role.FACILITY_STAFF):
        return frozenset()
    cached = getattr(user, "_managed_anchor_ids", None)
    if cached is None:
        cached = frozenset(user.staff_assignments.values_list("anchor_id", flat=True))
        user._managed_anchor_ids = cached
    return cached


def overseen_district_ids(user) -> frozenset[int]:
    """Districts a district officer is bound to (cached on the user object for the request)."""
    if not has_role(user, Role.DISTRICT_OFFICER):
        return frozenset()
    cached = getattr(user, "_overseen_district_ids", None)
    if cached is None:
        cached = frozenset(user.officer_assignments.values_list("district_id", flat=True))
        user._overseen_district_ids = cached
    return cached


def runs_anchor(user, anchor) -> bool:
    """The anchor's own staff, or a city admin: who runs its desk, facilities, programmes and tenants. Every
    "manage this anchor" rule of every app asks this one function."""
    return is_city_admin(user) or (anchor is not None and anchor.pk in managed_anchor_ids(user))


def anchors_in_scope(user) -> QuerySet[Anchor]:
    """The anchors a user's role reaches: all for a city admin, theirs for staff and officers."""
    qs = Anchor.objects.select_related("district")
    if is_city_admin(user):
        return qs
    return qs.filter(pk__in=managed_anchor_ids(user)) | qs.filter(district_id__in=overseen_district_ids(user))


@rule("anchors.view_anchor")
def _view_anchor(user, anchor: Anchor) -> bool:
    return True


@rule("anchors.change_anchor")
def _change_anchor(user, anchor: Anchor) -> bool:
    return runs_anchor(user, anchor)


@rule("anchors.oversee_anchor")
def _oversee_anchor(user, anchor: Anchor) -> bool:
    """Read internal figures of an anchor: city admins, its district's officers and its staff."""
    return runs_anchor(user, anchor) or anchor.district_id in overseen_district_ids(user)


@rule("anchors.view_dashboard")
def _view_dashboard(user, obj: None) -> bool:
    return user.is_authenticated


@rule("accounts.review_evidence")
def _review_evidence(user: Any, obj: Any) -> bool:
    """The accounts' rule (accounts.permissions), registered here so the one policy answers for it too."""
    return may_review_evidence(user)
