"""A changed password revokes the user's API tokens (a password change or reset, by the user or an admin): the
accounts app knows nothing of tokens, so the API listens for the change."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def note_password_change(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return  # a new account has no tokens; a save of other fields (the last login) changes no password
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._api_password_changed = old is not None and old != instance.password


def revoke_tokens_after_password_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "_api_password_changed", False):
        from .services import tokens_revoke_all

        instance._api_password_changed = False
        tokens_revoke_all(user=instance, now=timezone.now())
