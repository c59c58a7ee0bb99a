from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from common.db import fetch_by_pk


class EmailBackend(ModelBackend):
    """Log in by e-mail, case-insensitively (the manager's natural key is email__iexact)."""

    def get_user(self, user_id):
        """The session's user, asked on every request: one plain SELECT (common.db.fetch_by_pk), as Django's
        ModelBackend.get_user otherwise; an inactive account is no user."""
        user = fetch_by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
