"""How the outbox renders billing's messages: a reminder of an overdue invoice, in the recipient's language, saying
when the invoice rests on example terms or prices."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from common.examples import mark
from notifications.registry import Message, renderer

from . import selectors
from .models import Document


@renderer("billing")
def render_billing(row, now: datetime) -> Message | None:
    doc = Document.objects.select_related("anchor").filter(pk=row.object_id).first()
    if doc is None:
        return None
    state = selectors.document_states([doc])[doc.pk]
    if state.due <= 0:
        return None  # paid or credited since the reminder was queued
    headline = mark(_("Invoice %(code)s is overdue") % {"code": doc.code}, doc.is_example)
    lines = [
        doc.anchor.name,
        _("Still to pay: %(due)s won, due on %(day)s.") % {"due": f"{state.due:,}", "day": f"{doc.due_on:%Y-%m-%d}"},
        _("Pay online from the invoice's page, at the desk, or by transfer with the invoice number in the memo."),
    ]
    url = doc.get_absolute_url()
    context = {
        "headline": headline,
        "lines": lines,
        "url": url,
        "action": _("See the invoice"),
        "base_url": settings.SITE_URL,
    }
    return Message(
        subject=headline,
        text=render_to_string("billing/email/notice.txt", context),
        title=headline,
        body=" · ".join(lines[:2]),
        url=url,
    )
