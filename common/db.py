"""Database helpers every app needs."""

from __future__ import annotations

from django.db import IntegrityError


def is_exclusion_violation(err: IntegrityError) -> bool:
    """True when PostgreSQL refused a row because an exclusion constraint (SQLSTATE 23P01) saw an overlap."""
    return getattr(getattr(err, "__cause__", None), "pgcode", None) == "23P01"
