from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor

from . import selectors, services


class NotificationListView(LoginRequiredMixin, TemplateView):
    """The portal's notifications list; unread ones are marked, and one button marks them all read."""

    template_name = "notifications/notification_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        items = selectors.notifications_for(user=self.request.user)
        ctx.update(items=items, unread=sum(1 for n in items if n.read_at is None))
        return ctx

    def post(self, request):
        n = services.notifications_mark_read(user=request.user, now=timezone.now())
        if n:
            messages.success(request, _("%(n)s notifications marked as read.") % {"n": n})
        return redirect("notifications:list")


class OutboxView(PolicyRequiredMixin, TemplateView):
    """Messages of this anchor that are waiting, retrying or failed, so staff can see what did not go out."""

    template_name = "notifications/outbox.html"
    policy_action = "notifications.view_outbox"

    def get_anchor(self) -> Anchor:
        if not hasattr(self, "_anchor"):
            self._anchor = get_object_or_404(Anchor.objects.select_related("district"), slug=self.kwargs["slug"])
        return self._anchor

    def get_policy_object(self):
        return self.get_anchor()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        ctx.update(anchor=anchor, rows=selectors.outbox_for_anchor(anchor=anchor), can_manage=True)
        return ctx
