from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .policy import may


class PolicyRequiredMixin:
    """Asks the policy before dispatch: anonymous users go to login, others get a 403 page.

    Set `policy_action`; override `get_policy_object()` when the rule needs the object.
    """

    policy_action: str = ""

    def get_policy_object(self) -> Any:
        return None

    def dispatch(self, request, *args, **kwargs):
        obj = self.get_policy_object()
        if not may(request.user, self.policy_action, obj):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
