"""django-axes tuned for e-mail logins.

- The username is normalised (trimmed, lower case) before it is counted, as the login itself is
  case-insensitive: "Maker@x" and " maker@x" are the same account and share its five tries.
- Besides five failures per account and address, an address that fails AXES_IP_FAILURE_LIMIT times in the
  cool-off period, whatever accounts it tries (password spraying), is locked too. The limit is higher than an
  account's so that colleagues behind one office address are not locked out by one person's typos.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def normalised_username(request, credentials) -> str:
    source = credentials if credentials is not None else getattr(request, "POST", {})
    return str(source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()


class AnchorAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The account's failures from this address; or the limit itself once the address as a whole has failed too
        often (so axes locks it, records it and answers with its lockout page, as for one account)."""
        failures = super().get_failures(request, credentials)
        ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if ip:
            from_address = AccessAttempt.objects.filter(ip_address=ip).aggregate(n=Sum("failures_since_start"))["n"]
            if (from_address or 0) >= settings.AXES_IP_FAILURE_LIMIT:
                return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures
