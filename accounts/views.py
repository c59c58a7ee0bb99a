from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, TemplateView

from common.files import private_file_response
from common.forms import form_errors_from
from common.pagination import paginate

from . import services
from .forms import EvidenceForm, EvidenceReviewForm, LanguageForm, LoginForm, ProfileForm, SignUpForm
from .models import CategoryEvidence, EvidenceStatus
from .permissions import EvidenceReviewerRequiredMixin


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
    )


class SignUpView(FormView):
    template_name = "accounts/user_signup.html"
    form_class = SignUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user, created = services.maker_sign_up(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password1"],
                preferred_language=data["preferred_language"],
                category_claimed=data["category_claimed"],
            )
        except ValidationError as err:
            form_errors_from(form, err)
            return self.form_invalid(form)
        # The same answer whether or not the address had an account: only its owner learns which, by e-mail.
        waiting = created or (not user.is_active and user.last_login is None)
        _send_sign_up_mail(self.request, user, "signup_confirm" if waiting else "signup_exists")
        return self.response_class(
            request=self.request,
            template=["accounts/signup_sent.html"],
            context={"email": data["email"]},
        )


def _send_sign_up_mail(request, user, template: str) -> None:
    """Sent at once, not through the outbox: the confirmation link is a secret the outbox should not keep (like a
    password reset)."""

    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "link": request.build_absolute_uri(reverse("accounts:confirm", args=[services.sign_up_token(user)])),
            "login": request.build_absolute_uri(reverse("accounts:login")),
            "reset": request.build_absolute_uri(reverse("accounts:password_reset")),
        }
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


class ConfirmView(View):
    """The link of the sign-up e-mail: the account becomes active and its owner is logged in."""

    def get(self, request, token: str):
        try:
            user = services.maker_confirm(token=token)
        except ValidationError as err:
            return _render(request, "accounts/confirm_failed.html", {"error": " ".join(err.messages)}, 400)
        login(request, user, backend="accounts.backends.EmailBackend")
        translation.activate(user.preferred_language)
        messages.success(request, _("Welcome! Your maker account is ready."))
        response = redirect(settings.LOGIN_REDIRECT_URL)
        _set_language_cookie(response, user.preferred_language)
        return response


def _render(request, template: str, context: dict, status: int):

    return render(request, template, context, status=status)


class LoginView(auth_views.LoginView):
    template_name = "accounts/user_login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        _set_language_cookie(response, form.get_user().preferred_language)
        return response


class LogoutView(auth_views.LogoutView):
    pass


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "accounts/user_profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.user_update_profile(
                user=self.request.user,
                full_name=data["full_name"],
                phone=data["phone"],
                preferred_language=data["preferred_language"],
                category_claimed=data["category_claimed"],
            )
        except ValidationError as err:
            form_errors_from(form, err)
            return self.form_invalid(form)
        translation.activate(user.preferred_language)
        messages.success(self.request, _("Your profile was saved."))
        response = HttpResponseRedirect(self.get_success_url())
        _set_language_cookie(response, user.preferred_language)
        return response


@method_decorator(csrf_exempt, name="dispatch")
class LanguageSwitchView(View):
    """Switch the interface language; a logged-in user's choice is also saved to their profile.

    A visitor without an account only gets a cookie, so their form carries no CSRF token (the public pages holding it
    are cached and shared, common/pagecache.py); a logged-in user's switch writes their profile and is checked as
    every other form is.
    """

    http_method_names = ["post"]

    def post(self, request):
        if request.user.is_authenticated:
            checked = csrf_protect(lambda request: HttpResponse(status=204))(request)
            if checked.status_code == 403:
                return checked
        else:
            # No token to check for a visitor, but the switch must come from the portal's own pages: a cross-site
            # form must not flip a visitor's (or a logged-out tab's) language.
            origin = request.headers.get("Origin")
            if request.headers.get("Sec-Fetch-Site") == "cross-site" or (
                origin and origin != f"{request.scheme}://{request.get_host()}"
            ):
                return HttpResponseForbidden(_("The language can only be changed from the portal's own pages."))
        form = LanguageForm(request.POST)
        next_url = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = "/"
        response = HttpResponseRedirect(next_url)
        if not form.is_valid():
            messages.error(request, _("That language is not available."))
            return response
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        _set_language_cookie(response, language)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"

    def get_success_url(self):
        messages.success(self.request, _("Your password was changed."))
        return reverse("accounts:profile")


class EvidenceUploadView(LoginRequiredMixin, FormView):
    """A maker uploads the document that proves their category; staff check it."""

    template_name = "accounts/evidence_upload.html"
    form_class = EvidenceForm
    success_url = reverse_lazy("accounts:evidence")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["documents"] = self.request.user.evidence.order_by("-uploaded_at")
        return ctx

    def form_valid(self, form):
        try:
            services.evidence_upload(
                user=self.request.user, category=form.cleaned_data["category"], upload=form.cleaned_data["file"]
            )
        except ValidationError as err:
            form_errors_from(form, err)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you. The staff will check the document."))
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- evidence review (staff) ----------------------------------------------------------------------


class EvidenceReviewView(EvidenceReviewerRequiredMixin, TemplateView):
    """Staff check the documents makers upload for their category; accepting one turns on the discount."""

    template_name = "accounts/evidence_review.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["pending"] = (
            CategoryEvidence.objects.filter(status=EvidenceStatus.PENDING)
            .select_related("user")
            .order_by("uploaded_at")
        )
        ctx["recent"] = paginate(
            self.request,
            CategoryEvidence.objects.exclude(status=EvidenceStatus.PENDING)
            .select_related("user", "reviewed_by")
            .order_by("-reviewed_at", "-pk"),
        )
        return ctx

    def post(self, request):
        raw = request.POST.get("evidence", "")
        evidence = get_object_or_404(CategoryEvidence, pk=int(raw) if raw.isdigit() and len(raw) < 12 else 0)
        form = EvidenceReviewForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose accept or reject."))
            services.evidence_review(
                evidence=evidence,
                reviewer=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Review saved."))
        return redirect("accounts:evidence_review")


class EvidenceFileView(EvidenceReviewerRequiredMixin, View):
    """Serve an evidence file to reviewers only, as a download that never runs in the browser."""

    def get(self, request, pk: int):
        evidence = get_object_or_404(CategoryEvidence.objects.select_related("user"), pk=pk)
        extension = evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else "bin"
        return private_file_response(
            evidence.file,
            download_name=f"evidence-{evidence.pk}-{evidence.category}.{extension}",
            content_type=evidence.content_type,
        )
