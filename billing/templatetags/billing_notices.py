"""What a booking's page shows of its billing: the invoices and credit notes its charges are on, each with what is
still to pay or to refund (billing.selectors), or that they wait for the month's invoice."""

from __future__ import annotations

from django import template
from django.db.models import Q

from billing import selectors
from billing.models import Charge, Document

register = template.Library()


@register.inclusion_tag("billing/_reservation_documents.html", takes_context=True)
def reservation_documents(context, reservation):
    user = context["request"].user
    docs = selectors.with_states(
        Document.objects.filter(Q(lines__reservation=reservation)).distinct().order_by("issued_at", "pk")
    )
    pending = Charge.objects.filter(reservation=reservation, document__isnull=True).exists()
    held_unpaid = reservation.status == "requested" and reservation.awaiting_payment
    return {"docs": docs, "pending": pending, "user": user, "reservation": reservation, "held_unpaid": held_unpaid}
