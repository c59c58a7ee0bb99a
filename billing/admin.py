from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline, confirm_examples

from .models import Account, BillingPolicy, Charge, Document, Payment


@admin.register(BillingPolicy)
class BillingPolicyAdmin(admin.ModelAdmin):
    """Each anchor's billing terms: when invoices are issued and due, VAT, the ways to pay, deposits, reminders."""

    list_display = ["anchor", "invoicing", "due_days", "takes_online", "is_example"]
    list_filter = ["invoicing", "is_example"]
    search_fields = ["anchor__name_ko", "anchor__name_en"]
    actions = [confirm_examples]


class LineInline(ReadOnlyInline):
    model = Charge
    fk_name = "document"
    fields = readonly_fields = ["kind", "description", "amount_won", "reservation", "lease", "corrects"]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = ["at", "method", "amount_won", "reference", "recorded_by", "note"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Read-only: invoices and credit notes are issued by the billing services and never changed (a PostgreSQL
    trigger refuses it); payments are recorded on the invoice's page."""

    list_display = ["code", "kind", "anchor", "account", "issued_at", "due_on", "total_won", "is_example"]
    list_filter = ["kind", "anchor", "year"]
    search_fields = ["code", "buyer"]
    list_select_related = ["anchor", "account__user", "account__organisation"]
    inlines = [LineInline, PaymentInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "organisation__name", "guest_name"]
    list_select_related = ["user", "organisation"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["document", "method", "amount_won", "at", "recorded_by"]
    list_filter = ["method", "anchor"]
    search_fields = ["document__code", "reference"]
    list_select_related = ["document", "recorded_by"]
