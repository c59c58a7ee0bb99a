"""How the outbox renders facilities' messages: a certification about to expire."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from common.examples import mark
from notifications.registry import Message, renderer

from .models import Certification


@renderer("certification-expiry")
def render_certification_expiry(row, now: datetime) -> Message | None:
    cert = Certification.objects.select_related("kind").filter(pk=row.object_id).first()
    if cert is None or cert.revoked_at is not None:
        return None
    title = _("Your %(kind)s certification expires on %(date)s") % {
        "kind": cert.kind.name,
        "date": mark(cert.expires_on.isoformat(), cert.kind.is_example),
    }
    body = _("Take the safety training again to keep booking this equipment at every anchor.")
    if cert.kind.is_example:
        body += " " + _(
            "(example): how long a certification lasts is example data; the anchor has not confirmed it yet."
        )
    url = reverse("programs:list")
    return Message(subject=title, text=f"{body}\n{settings.SITE_URL}{url}\n", title=title, body=body, url=url)
