"""Roles are Django groups; their scope (districts, anchors) is recorded by anchors' assignments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    FACILITY_STAFF = "facility_staff", _("Facility staff")
    MAKER = "maker", _("Maker")


def user_roles(user) -> frozenset[str]:
    """The role names of a user, read once per request object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.CITY_ADMIN)
        cached = frozenset(names)
        user._role_cache = cached
    return cached


def has_role(user, role: Role | str) -> bool:
    return str(role) in user_roles(user)
