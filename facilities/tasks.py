from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification

from .models import Certification


def warn_expiring_certifications(*, now=None) -> int:
    """Tell makers whose certification expires within 30 days, once per certification (compare-and-swap)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expiring = Certification.objects.filter(
        revoked_at__isnull=True,
        expiry_warned_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=30),
    ).select_related("user", "kind")
    sent = 0
    for cert in expiring:
        if Certification.objects.filter(pk=cert.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now) != 1:
            continue  # another run took it
        user = cert.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            title = _("Your %(kind)s certification expires on %(date)s") % {
                "kind": cert.kind.name,
                "date": cert.expires_on.isoformat(),
            }
            body = _("Take the safety training again to keep booking this equipment at every anchor.")
        send_mail(title, f"{body}\n{settings.SITE_URL}/programmes/", None, [user.email])
        Notification.objects.create(user=user, title=title, body=body, url="/programmes/")
        sent += 1
    return sent


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def certification_warnings() -> int:
    return warn_expiring_certifications()
