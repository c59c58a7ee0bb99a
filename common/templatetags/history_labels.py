"""Labels for django-simple-history's pages in the user's language (the library ships no Korean)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def field_label(record: Any, name: str) -> str:
    """A changed field's verbose name (as the admin form shows it), not its column name."""
    try:
        return str(record.instance_type._meta.get_field(name).verbose_name)
    except (AttributeError, FieldDoesNotExist):
        return name


@register.filter
def history_type_label(record: Any) -> str:
    return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}.get(record.history_type, record.history_type)
