"""Roles are Django groups; their scope (districts, anchors) is recorded by anchors' assignments."""

from __future__ import annotations

from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    FACILITY_STAFF = "facility_staff", _("Facility staff")
    MAKER = "maker", _("Maker")


def _group_names(user_pk: int) -> set[str]:
    """The names of the user's groups. Asked on every logged-in request, so in plain SQL: through the ORM (a related
    manager, a join, a filter) the same query cost about 900 Python function calls more (bench/bookings.py counts
    them: 39,225 → 37,412 per booking, whose two requests each ask once)."""
    from django.contrib.auth import get_user_model  # the user model imports this module

    membership = get_user_model().groups.through
    group = membership._meta.get_field("group").related_model
    connection = connections[router.db_for_read(group)]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.{q('name')} FROM {q(group._meta.db_table)} g JOIN {q(membership._meta.db_table)} m "
            f"ON m.{q('group_id')} = g.{q('id')} WHERE m.{q('user_id')} = %s",
            [user_pk],
        )
        return {name for (name,) in cursor.fetchall()}


def user_roles(user) -> frozenset[str]:
    """The role names of a user, read once per request object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        names = _group_names(user.pk) & set(Role.values)
        if user.is_superuser:
            names.add(Role.CITY_ADMIN)
        cached = frozenset(names)
        user._role_cache = cached
    return cached


def has_role(user, role: Role | str) -> bool:
    return str(role) in user_roles(user)
