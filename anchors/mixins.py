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


class AnchorPageMixin(PolicyRequiredMixin):
    """A page of one anchor, named by the slug in its URL (404 for an unknown one), that `policy_action` guards with
    the anchor as its object: the desk's pages of fair allocation and of billing."""

    def get_anchor(self) -> Any:
        from django.shortcuts import get_object_or_404

        from .models import Anchor

        if not hasattr(self, "_anchor"):
            self._anchor = get_object_or_404(Anchor, slug=self.kwargs["slug"])
        return self._anchor

    def get_policy_object(self) -> Any:
        return self.get_anchor()
