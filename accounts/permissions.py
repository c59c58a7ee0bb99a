"""Who may act on the accounts' own records. `accounts` comes before `anchors` in the apps' order, so its rules are
plain functions here; `anchors.permissions` registers them in the one policy under their names, so `may(user,
"accounts.review_evidence")` and the accounts pages ask the same function."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from .roles import Role, has_role


def may_review_evidence(user: Any) -> bool:
    """Maker categories hold city-wide, so any facility staff member, and the city's administrators, may check the
    evidence makers upload."""
    return bool(user.is_authenticated) and (has_role(user, Role.CITY_ADMIN) or has_role(user, Role.FACILITY_STAFF))


class EvidenceReviewerRequiredMixin:
    """Anonymous users go to login, others without the right get a 403 page (as anchors' PolicyRequiredMixin)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_review_evidence(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
