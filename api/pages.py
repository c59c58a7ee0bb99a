"""The profile page's API tokens: make one (shown once), see each one's last use, revoke it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from common.forms import form_errors_from

from . import selectors, services
from .forms import TokenForm


class TokensView(LoginRequiredMixin, TemplateView):
    template_name = "api/tokens.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", TokenForm(user=self.request.user))
        ctx["tokens"] = selectors.tokens_of(user=self.request.user)
        ctx["now"] = self.now
        ctx["limit"] = services.MAX_LIVE_TOKENS
        return ctx

    def dispatch(self, request, *args, **kwargs):
        self.now = timezone.now()
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        form = TokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                token, secret = services.token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    lifetime_days=form.lifetime_days,
                    now=self.now,
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                # The token itself is on this page only: never stored, never put in a message or a redirect.
                response = self.render_to_response(
                    self.get_context_data(form=TokenForm(user=request.user), new_token=token, secret=secret)
                )
                add_never_cache_headers(response)
                return response
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        token = get_object_or_404(selectors.tokens_of(user=request.user), pk=pk)  # another's token: 404
        services.token_revoke(token=token, by=request.user, now=timezone.now())
        messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name})
        return redirect("api_tokens:list")
