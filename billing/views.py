"""Billing pages. A payer's: their invoices, credit notes and statements, paying online, receipts as PDF. The desk's:
what the anchor is owed by age, payments and refunds recorded on an invoice, deposits to settle, the day's closing
with its export, a bank statement matched to invoices (a dry run first). Views parse and call services and
selectors; every figure comes from billing.selectors."""

from __future__ import annotations

import calendar
import re
import secrets
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from anchors.mixins import AnchorPageMixin
from anchors.policy import may
from budgets.tables import Table, csv_response, xlsx_response
from common.examples import mark
from common.time import year_in_range
from reservations.models import Reservation

from . import providers, selectors, services
from .models import AGEING_LABELS, Account, Document, Method, PaymentIntent

CODE = re.compile(r"A\d{1,6}-\d{4}-[IC]\d{5,7}")
MAX_PK = 2**63 - 1


def _document(user, code: str) -> Document:
    """The invoice or credit note `code` if the person may see it; a 404 otherwise (no hint that it exists)."""
    if not CODE.fullmatch(code or ""):
        raise Http404
    doc = (
        Document.objects.select_related("anchor", "account__user", "account__organisation", "corrects")
        .filter(code=code)
        .first()
    )
    if doc is None or not may(user, "billing.view_document", doc):
        raise Http404
    return doc


def _methods_offered(anchor_id: int, *, desk: bool) -> list[tuple[str, str]]:
    """The ways of paying the anchor takes that this form records: the desk records card, cash and transfers."""
    taken = selectors.policy_for(anchor_id).methods()
    return [(m, Method(m).label) for m in taken if (m != Method.ONLINE) == desk]


def refund_methods(doc: Document) -> list[tuple[str, str]]:
    """How money can go back: at the desk, by transfer, and online only where something was paid online."""
    ways = [Method.CARD, Method.CASH, Method.TRANSFER]
    if doc.payments.filter(method=Method.ONLINE, amount_won__gt=0).exists():
        ways.append(Method.ONLINE)
    return [(m, Method(m).label) for m in ways]


class PaymentForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("Amount (won)"), max_length=20)
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=())
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("The card slip's approval number, or the transfer's date and sender."),
    )
    once = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods

    def clean_amount(self) -> int:
        try:
            return services.parse_amount(self.cleaned_data["amount"])
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from None


class RefundForm(PaymentForm):
    note = forms.CharField(label=gettext_lazy("Why"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["reference"]


class DocumentView(LoginRequiredMixin, TemplateView):
    template_name = "billing/document.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        doc = _document(self.request.user, kwargs["code"])
        ctx.update(document_context(doc))
        ctx["is_staff"] = may(self.request.user, "billing.manage_anchor", doc.anchor)
        ctx["is_payer"] = may(self.request.user, "billing.pay_online", doc)
        state = ctx["state"]
        if ctx["is_staff"] and doc.kind == "invoice":
            desk = _methods_offered(doc.anchor_id, desk=True)
            if state.due > 0 and desk:
                ctx["payment_form"] = kwargs.get("payment_form") or PaymentForm(
                    methods=desk, initial={"amount": f"{state.due:,}", "once": secrets.token_urlsafe(16)}
                )
            if state.refund_due > 0:
                ctx["refund_form"] = kwargs.get("refund_form") or RefundForm(
                    methods=refund_methods(doc),
                    initial={"amount": f"{state.refund_due:,}", "once": secrets.token_urlsafe(16)},
                )
        ctx["can_pay_online"] = (
            ctx["is_payer"] and doc.kind == "invoice" and state.due > 0 and selectors.takes_online(doc.anchor_id)
        )
        return ctx


def document_context(doc: Document) -> dict:
    """What the page and the PDF show of a document: its lines, its state, its credit notes and payments."""
    state = selectors.document_states([doc])[doc.pk]
    lines = list(doc.lines.select_related("reservation__space", "reservation__equipment").order_by("pk"))
    return {
        "doc": doc,
        "state": state,
        "lines": lines,
        "credit_notes": list(doc.credit_notes.order_by("issued_at", "pk")) if doc.kind == "invoice" else [],
        "payments": list(doc.payments.select_related("recorded_by").order_by("at", "pk")),
        "policy": selectors.policy_for(doc.anchor_id),
        "seller_name": doc.seller.get("name_ko", ""),
    }


class DocumentPdfView(LoginRequiredMixin, View):
    """The invoice or credit note as PDF; with its payments listed it is the receipt."""

    def get(self, request, code):
        doc = _document(request.user, code)
        ctx = document_context(doc)
        ctx["generated"] = timezone.localtime(timezone.now())
        pdf = render_pdf("billing/document_pdf.html", ctx)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{doc.code}.pdf"'
        return response


def render_pdf(template: str, ctx: dict) -> bytes:
    from weasyprint import HTML  # heavy (Pango, fonts): loaded only when a PDF is made

    return HTML(string=render_to_string(template, ctx), base_url=str(settings.BASE_DIR)).write_pdf()


def _form_post(request, code: str, form_class, record):
    doc = _document(request.user, code)
    if not may(request.user, "billing.manage_anchor", doc.anchor):
        raise PermissionDenied
    # The choices the page offered, no others: the desk records card, cash and transfers the anchor takes; a refund
    # goes back the way it can (an online refund through the provider).
    methods = _methods_offered(doc.anchor_id, desk=True) if form_class is PaymentForm else refund_methods(doc)
    form = form_class(request.POST, methods=methods)
    if form.is_valid():
        try:
            record(doc, form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            return redirect(doc.get_absolute_url())
    key = "payment_form" if form_class is PaymentForm else "refund_form"
    view = DocumentView(request=request, kwargs={"code": code})
    return view.render_to_response(view.get_context_data(code=code, **{key: form}), status=400)


class PaymentRecordView(LoginRequiredMixin, View):
    def post(self, request, code):
        def record(doc, data):
            services.payment_record(
                document=doc,
                amount_won=data["amount"],
                method=data["method"],
                by=request.user,
                now=timezone.now(),
                reference=data.get("reference", ""),
                idempotency_key=f"desk:{data['once']}",
            )
            messages.success(request, _("The payment is recorded."))

        return _form_post(request, code, PaymentForm, record)


class RefundRecordView(LoginRequiredMixin, View):
    def post(self, request, code):
        def record(doc, data):
            services.refund_record(
                document=doc,
                amount_won=data["amount"],
                method=data["method"],
                by=request.user,
                now=timezone.now(),
                note=data.get("note", ""),
                idempotency_key=f"refund:{data['once']}",
            )
            messages.success(request, _("The refund is recorded."))

        return _form_post(request, code, RefundForm, record)


class PayOnlineView(LoginRequiredMixin, View):
    def post(self, request, code):
        doc = _document(request.user, code)
        if not may(request.user, "billing.pay_online", doc):
            raise PermissionDenied
        try:
            intent = services.intent_start(document=doc, user=request.user, now=timezone.now())
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect(doc.get_absolute_url())
        return redirect(providers.provider(intent.provider).checkout_url(intent))


class SandboxCheckoutView(LoginRequiredMixin, TemplateView):
    """The sandbox provider's checkout, served by the portal for development and tests: it says no money moves.
    Paying sends the provider's signed event to the same handler the webhook address uses."""

    template_name = "billing/sandbox_checkout.html"

    def dispatch(self, request, *args, **kwargs):
        if settings.BILLING_ONLINE_PROVIDER != "sandbox":
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _intent(self, pk) -> PaymentIntent:
        intent = PaymentIntent.objects.select_related("document__anchor", "document__account").filter(pk=pk).first()
        if intent is None or intent.started_by_id != self.request.user.pk:
            raise Http404
        return intent

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["intent"] = self._intent(kwargs["pk"])
        return ctx

    def post(self, request, pk):
        intent = self._intent(pk)
        doc = intent.document
        outcome = services.sandbox_checkout(
            intent=intent, succeeded=request.POST.get("outcome") == "pay", now=timezone.now()
        )
        if outcome == "handled already":
            messages.info(request, _("This payment was already handled."))
            return redirect(doc.get_absolute_url())
        if request.POST.get("outcome") == "pay":
            messages.success(request, _("Paid (sandbox: no money moved). Your receipt is on this page."))
        else:
            messages.info(request, _("The payment was not made."))
        return redirect(doc.get_absolute_url())


@method_decorator(csrf_exempt, name="dispatch")
class WebhookView(View):
    """A provider's events: verified by its signature, handled once."""

    def post(self, request, provider):
        if provider not in settings.BILLING_PROVIDERS or provider != settings.BILLING_ONLINE_PROVIDER:
            raise Http404
        headers = {k: v for k, v in request.headers.items()}
        try:
            body = request.body
        except RawPostDataException:  # a form, read already by the middleware: no provider sends one
            return JsonResponse({"error": "not a provider event"}, status=400)
        try:
            outcome = services.webhook_receive(provider_name=provider, body=body, headers=headers, now=timezone.now())
        except providers.WebhookRejected as e:
            return JsonResponse({"error": str(e)}, status=400)
        return JsonResponse({"outcome": outcome})


# --- A payer's pages -------------------------------------------------------------------------------------------


class MyBillingView(LoginRequiredMixin, TemplateView):
    template_name = "billing/mine.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        accounts = selectors.accounts_of_user(self.request.user)
        today = timezone.localdate()
        for account in accounts:
            account.docs = selectors.documents_of(account)
            account.pending = selectors.pending_charges(account)
            account.balance = selectors.account_balance(account)
            account.credit = max(0, -account.balance)
            account.months = _recent_months(today, 6)
        ctx["accounts"] = accounts
        return ctx


def _recent_months(today: date, n: int) -> list[date]:
    out, first = [], today.replace(day=1)
    for _i in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return out


class StatementView(LoginRequiredMixin, TemplateView):
    """A month's statement of an account the person may see (HTML, or PDF with ?format=pdf)."""

    template_name = "billing/statement.html"

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(**kwargs)
        if request.GET.get("format") == "pdf":
            ctx["generated"] = timezone.localtime(timezone.now())
            response = HttpResponse(render_pdf("billing/statement_pdf.html", ctx), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="statement-{ctx["first"]:%Y-%m}.pdf"'
            return response
        return self.render_to_response(ctx)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if kwargs["pk"] > MAX_PK or not year_in_range(kwargs["year"]) or not 1 <= kwargs["month"] <= 12:
            raise Http404
        account = Account.objects.select_related("user", "organisation").filter(pk=kwargs["pk"]).first()
        if account is None or not selectors.may_see_account(self.request.user, account):
            raise Http404
        first = date(kwargs["year"], kwargs["month"], 1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        ctx.update(selectors.statement_of(account, first=first, last=last))
        ctx["account"] = account
        return ctx


# --- The desk --------------------------------------------------------------------------------------------------


class AnchorBillingMixin(AnchorPageMixin):
    """A billing page of an anchor's desk: its staff and city admins only."""

    policy_action = "billing.manage_anchor"


class DeskBillingView(AnchorBillingMixin, TemplateView):
    template_name = "billing/desk.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        now = timezone.now()
        owed = selectors.owed_by_anchor(anchor, today=timezone.localdate())
        ctx.update(
            anchor=anchor,
            owed=owed,
            ageing=[(key, AGEING_LABELS[key], owed.buckets[key]) for key in owed.buckets],
            deposits=selectors.deposits_to_settle(anchor, now=now),
            policy=selectors.policy_for(anchor.pk),
            today=timezone.localdate(),
        )
        return ctx


class DepositSettleView(AnchorBillingMixin, View):
    def post(self, request, slug, pk):
        anchor = self.get_anchor()
        if pk > MAX_PK:
            raise Http404
        r = get_object_or_404(Reservation, pk=pk, anchor=anchor)
        try:
            kept = (
                0 if request.POST.get("kept", "").strip() in ("", "0") else services.parse_amount(request.POST["kept"])
            )
            services.deposit_settle(
                reservation=r,
                kept_won=kept,
                reason=request.POST.get("reason", "")[:500],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The deposit is settled."))
        return redirect("billing:desk", slug=anchor.slug)


def _parse_day(value: str | None, default: date) -> date | None:
    if not value:
        return default
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m or not year_in_range(int(m[1])):
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


class ClosingView(AnchorBillingMixin, TemplateView):
    """The day's closing: what the desk took in and paid back, by method, with every payment; XLSX or CSV for the
    accounting system (?export=xlsx|csv), from the same table the page shows."""

    template_name = "billing/closing.html"

    def get(self, request, *args, **kwargs):
        day = _parse_day(request.GET.get("day"), timezone.localdate())
        if day is None:
            messages.error(request, _("Give the day as YYYY-MM-DD."))
            return redirect("billing:closing", slug=kwargs["slug"])
        ctx = self.get_context_data(day=day, **kwargs)
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "csv"):
            return (xlsx_response if fmt == "xlsx" else csv_response)(
                [ctx["table"], ctx["totals"]], f"closing-{self.get_anchor().slug}-{day:%Y-%m-%d}"
            )
        return self.render_to_response(ctx)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        closing = selectors.closing_of(anchor, day=kwargs["day"])
        table = Table(
            title=_("Payments and refunds of %(day)s") % {"day": f"{closing.day:%Y-%m-%d}"},
            unit=_("won"),
            headers=[_("Time"), _("Invoice"), _("Payer"), _("How"), _("Reference"), _("Recorded by"), _("Amount")],
        )
        for p in closing.payments:
            table.rows.append(
                [
                    f"{timezone.localtime(p.at):%H:%M}",
                    mark(p.document.code, p.document.is_example),
                    p.account.name,
                    Method(p.method).label,
                    p.reference,
                    p.recorded_by.get_full_name() if p.recorded_by else _("online or bank"),
                    p.amount_won,
                ]
            )
        totals = Table(
            title=_("Totals by method"), unit=_("won"), headers=[_("How"), _("Received"), _("Paid back"), _("Net")]
        )
        for m, received in closing.by_method.items():
            back = closing.refunds_by_method[m]
            totals.rows.append([Method(m).label, received, back, received + back])
        totals.rows.append(
            [_("Total"), sum(closing.by_method.values()), sum(closing.refunds_by_method.values()), closing.total]
        )
        totals.emphasis = {len(totals.rows) - 1}
        ctx.update(anchor=anchor, closing=closing, table=table, totals=totals, day=closing.day)
        return ctx


class BankImportForm(forms.Form):
    statement = forms.FileField(
        label=gettext_lazy("Bank statement (CSV or XLSX)"),
        help_text=gettext_lazy("A date, an amount and a memo column; the memo should hold the invoice number."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: show what would be recorded, record nothing"), required=False, initial=True
    )


class BankImportView(AnchorBillingMixin, TemplateView):
    template_name = "billing/bank.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", BankImportForm())
        ctx["anchor"] = self.get_anchor()
        return ctx

    def post(self, request, slug):
        form = BankImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["statement"]
        try:
            result = services.bank_import(
                anchor=self.get_anchor(),
                content=upload.read(2 * 1024 * 1024 + 1),
                filename=upload.name,
                by=request.user,
                now=timezone.now(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as e:
            form.add_error("statement", e.messages)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_to_response(self.get_context_data(form=BankImportForm(), result=result))
