from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User
from .roles import Role


def email_is_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    qs = User.objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def user_grant_role(*, user: User, role: Role) -> None:
    group, _created = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    user.__dict__.pop("_role_cache", None)


@transaction.atomic
def maker_sign_up(
    *, email: str, full_name: str, password: str, preferred_language: str = "ko", category_claimed: str = ""
) -> User:
    """Create a maker account. Duplicate e-mails are refused case-insensitively (also by a DB constraint)."""
    email = User.objects.normalize_email(email.strip())
    if email_is_taken(email):
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(
        email=email,
        full_name=full_name.strip(),
        preferred_language=preferred_language,
        category_claimed=category_claimed,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_grant_role(user=user, role=Role.MAKER)
    return user


@transaction.atomic
def user_update_profile(
    *, user: User, full_name: str, phone: str, preferred_language: str, category_claimed: str
) -> User:
    user.full_name = full_name.strip()
    user.phone = phone.strip()
    user.preferred_language = preferred_language
    if category_claimed != user.category_claimed:
        user.category_verified_at = None  # a new claim needs new evidence
    user.category_claimed = category_claimed
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "phone", "preferred_language", "category_claimed", "category_verified_at"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
