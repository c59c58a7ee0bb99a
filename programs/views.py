from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor
from anchors.policy import may
from common.forms import form_errors_from
from facilities.models import EquipmentKind

from . import selectors, services
from .forms import OutcomeForm, ProgrammeForm, SessionForm
from .models import Programme, ProgrammeKind, Registration, RegistrationStatus, Session


def _pk(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 12 else None


class ProgrammeListView(TemplateView):
    """Upcoming programmes of every anchor, or of one (/anchors/<slug>/programmes/)."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "programs/programme_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = get_object_or_404(Anchor, slug=self.kwargs["slug"]) if "slug" in self.kwargs else None
        slug = self.request.GET.get("training", "")
        # A machine's "see its trainings" link: that kind's trainings at every anchor (an unknown kind shows all).
        kind = EquipmentKind.objects.filter(slug=slug, requires_certification=True).first() if slug[:50] else None
        ctx.update(
            anchor=anchor,
            training_kind=kind,
            training_alert=selectors.waiting_training_alert(user=self.request.user, kind=kind) if kind else None,
            programmes=selectors.upcoming_programmes(anchor=anchor, now=timezone.now(), certifies=kind),
            can_manage=anchor is not None and may(self.request.user, "programs.manage_anchor", anchor),
        )
        return ctx


class TrainingAlertView(LoginRequiredMixin, View):
    """POST: ask to be told when a safety training for a kind of machine is scheduled, or withdraw the request."""

    def post(self, request, slug: str):
        kind = get_object_or_404(EquipmentKind, slug=slug)
        if request.POST.get("action") == "withdraw":
            if services.training_alert_cancel(user=request.user, kind=kind):
                messages.success(request, _("You will not be told about trainings for %(kind)s.") % {"kind": kind.name})
        else:
            try:
                services.training_alert_request(user=request.user, kind=kind, now=timezone.now())
            except ValidationError as err:
                messages.error(request, " ".join(err.messages))
            else:
                messages.success(
                    request,
                    _("We will tell you by e-mail and in your notifications when a training for %(kind)s is scheduled.")
                    % {"kind": kind.name},
                )
        return redirect(f"{reverse('programs:list')}?training={kind.slug}")


class ProgrammeMixin:
    def get_programme(self) -> Programme:
        if not hasattr(self, "_programme"):
            try:
                self._programme = selectors.programme_detail(pk=self.kwargs["pk"])
            except Programme.DoesNotExist as err:
                raise Http404 from err
        return self._programme


class ProgrammeDetailView(ProgrammeMixin, TemplateView):
    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session
    template_name = "programs/programme_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = selectors.programme_for_viewer(pk=self.kwargs["pk"], user=self.request.user)
        reg = selectors.live_registration(programme=p, user=self.request.user)
        registered, waitlisted = selectors.registration_counts(programme=p)
        ctx.update(
            p=p,
            anchor=p.anchor,
            reg=reg,
            position=services.waitlist_position(reg) if reg else None,
            places_left=max(p.capacity - registered, 0),
            registered=registered,
            now=timezone.now(),
            can_manage=may(self.request.user, "programs.manage_anchor", p.anchor),
            waitlisted=waitlisted,
        )
        return ctx


class RegisterView(LoginRequiredMixin, ProgrammeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        p = self.get_programme()
        try:
            reg = services.registration_create(programme=p, user=request.user, now=timezone.now())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            if reg.status == RegistrationStatus.REGISTERED:
                messages.success(request, _("You are registered."))
            else:
                messages.info(
                    request,
                    _(
                        "The programme is full: you are on the waiting list and move up automatically when a place frees up."
                    ),
                )
        return redirect(p.get_absolute_url())


class CancelRegistrationView(LoginRequiredMixin, ProgrammeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        p = self.get_programme()
        reg = selectors.live_registration(programme=p, user=request.user)
        if reg is None:
            messages.error(request, _("You are not registered for this programme."))
        else:
            services.registration_cancel(registration=reg, now=timezone.now())
            messages.success(request, _("Your registration was cancelled."))
        return redirect(p.get_absolute_url())


class MyProgrammesView(LoginRequiredMixin, TemplateView):
    template_name = "programs/my_programmes.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["registrations"] = selectors.my_programmes(user=self.request.user)
        return ctx


# --- staff ---------------------------------------------------------------------------------------


class ProgrammeCreateView(PolicyRequiredMixin, TemplateView):
    template_name = "programs/programme_form.html"
    policy_action = "programs.manage_anchor"

    def get_anchor(self) -> Anchor:
        if not hasattr(self, "_anchor"):
            self._anchor = get_object_or_404(Anchor, slug=self.kwargs["slug"])
        return self._anchor

    def get_policy_object(self):
        return self.get_anchor()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(anchor=self.get_anchor(), form=kwargs.get("form") or ProgrammeForm())
        return ctx

    def post(self, request, slug: str):
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            try:
                p = services.programme_create(anchor=self.get_anchor(), created_by=request.user, **form.cleaned_data)
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("Programme created; now add its sessions."))
                return redirect("programs:manage", pk=p.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StaffProgrammeMixin(ProgrammeMixin, PolicyRequiredMixin):
    policy_action = "programs.manage_anchor"

    def get_policy_object(self):
        return self.get_programme().anchor


class ProgrammeManageView(StaffProgrammeMixin, TemplateView):
    """Sessions (booking their rooms), attendance with pass/fail for trainings, and outcomes."""

    template_name = "programs/programme_manage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = self.get_programme()
        people = list(selectors.participants(programme=p))
        marks = {(a.session_id, a.registration_id): a for r in people for a in r.attendance.all()}
        sessions = list(p.sessions.all())
        now = timezone.now()
        moves = [
            (
                s,
                SessionForm(
                    anchor=p.anchor,
                    prefix=f"move-{s.pk}",
                    initial={
                        "space": s.space_id,
                        "date": timezone.localtime(s.starts_at).date(),
                        "start": timezone.localtime(s.starts_at).time(),
                        "end": timezone.localtime(s.ends_at).time(),
                    },
                ),
            )
            for s in sessions
            if s.starts_at > now
        ]
        outcome = getattr(p, "outcome", None)
        ctx.update(
            p=p,
            anchor=p.anchor,
            sessions=sessions,
            moves=moves,
            people=people,
            rows=[{"reg": r, "cells": [(s, marks.get((s.pk, r.pk))) for s in sessions]} for r in people],
            waitlist=p.registrations.filter(status=RegistrationStatus.WAITLISTED).select_related("user"),
            session_form=kwargs.get("session_form") or SessionForm(anchor=p.anchor),
            outcome_form=kwargs.get("outcome_form") or OutcomeForm(initial=outcome.__dict__ if outcome else None),
            is_training=p.kind == ProgrammeKind.SAFETY_TRAINING,
            can_manage=True,
        )
        return ctx

    def post(self, request, pk: int):
        p = self.get_programme()
        action = request.POST.get("action")
        if action == "session":
            form = SessionForm(request.POST, anchor=p.anchor)
            if form.is_valid():
                try:
                    services.session_add(
                        programme=p,
                        space=form.cleaned_data["space"],
                        start=form.cleaned_data["start_at"],
                        end=form.cleaned_data["end_at"],
                        booked_by=request.user,
                        now=timezone.now(),
                    )
                except ValidationError as err:
                    form_errors_from(form, err)
                else:
                    messages.success(request, _("Session added and its room booked."))
                    return redirect("programs:manage", pk=p.pk)
            return self.render_to_response(self.get_context_data(session_form=form), status=400)
        if action == "move_session":
            session = get_object_or_404(Session, pk=_pk(request.POST.get("session")), programme=p)
            form = SessionForm(request.POST, anchor=p.anchor, prefix=f"move-{session.pk}")
            if form.is_valid():
                try:
                    services.session_move(
                        session=session,
                        space=form.cleaned_data["space"],
                        start=form.cleaned_data["start_at"],
                        end=form.cleaned_data["end_at"],
                        moved_by=request.user,
                        now=timezone.now(),
                    )
                except ValidationError as err:
                    messages.error(request, " ".join(err.messages))
                else:
                    messages.success(request, _("The session and its room booking were moved; participants are told."))
            else:
                messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("programs:manage", pk=p.pk)
        if action == "attendance":
            session = get_object_or_404(Session, pk=_pk(request.POST.get("session")), programme=p)
            now = timezone.now()
            errors = []
            for reg in selectors.participants(programme=p):
                attended = request.POST.get(f"attended-{reg.pk}") == "on"
                result = request.POST.get(f"result-{reg.pk}", "")
                try:
                    services.attendance_record(
                        session=session,
                        registration=reg,
                        attended=attended,
                        result=result,
                        recorded_by=request.user,
                        now=now,
                    )
                except ValidationError as err:
                    errors.append(f"{reg.user.get_full_name()}: {' '.join(err.messages)}")
            if errors:
                messages.error(request, " ".join(errors))
            else:
                messages.success(request, _("Attendance saved."))
            return redirect("programs:manage", pk=p.pk)
        if action == "outcome":
            form = OutcomeForm(request.POST)
            if form.is_valid():
                services.outcome_save(programme=p, **form.cleaned_data)
                messages.success(request, _("Outcomes saved."))
                return redirect("programs:manage", pk=p.pk)
            return self.render_to_response(self.get_context_data(outcome_form=form), status=400)
        messages.error(request, _("Unknown action."))
        return redirect("programs:manage", pk=p.pk)


class RegistrationObjectView(StaffProgrammeMixin, View):
    """Staff cancel a participant's registration (the waiting list moves up)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, reg: int):
        registration = get_object_or_404(Registration, pk=reg, programme_id=pk)
        try:
            services.registration_cancel(registration=registration, now=timezone.now())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Registration cancelled."))
        return redirect("programs:manage", pk=pk)
