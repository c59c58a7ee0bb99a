from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from .models import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, CategoryEvidence, EvidenceStatus, MakerCategory, User
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
) -> tuple[User, bool]:
    """Create a maker account, inactive until its address is confirmed; returns (user, created).

    An address that already has an account gets (that user, False) and nothing changes: the caller answers the
    same either way, so the form cannot be used to find out who has an account. Duplicates are refused
    case-insensitively by the database too.
    """
    email = User.objects.normalize_email(email.strip())
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    user = User(
        email=email,
        full_name=full_name.strip(),
        preferred_language=preferred_language,
        category_claimed=category_claimed,
        is_active=False,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_grant_role(user=user, role=Role.MAKER)
    return user, True


CONFIRM_SALT = "accounts.sign-up.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600


def sign_up_token(user: User) -> str:
    """A signed, expiring token naming the account and its address; nothing of it is stored."""

    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=CONFIRM_SALT, compress=True)


@transaction.atomic
def maker_confirm(*, token: str) -> User:
    """Activate the account a sign-up link names; refused when the link is forged, expired, or for another address."""

    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as err:  # also SignatureExpired
        raise ValidationError(_("This link is not valid or has expired; sign up again to get a new one.")) from err
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != data.get("e"):
        raise ValidationError(_("This link is not valid or has expired; sign up again to get a new one."))
    if not user.is_active:
        if user.last_login is not None:  # deactivated by an administrator, not waiting for confirmation
            raise ValidationError(_("This account is closed; ask the staff of an anchor."))
        user.is_active = True
        user.save(update_fields=["is_active"])
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


# --- companies -----------------------------------------------------------------------------------


# --- category evidence ---------------------------------------------------------------------------

_MAGIC = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def sniff_content_type(head: bytes) -> str | None:
    """The file's real type from its first bytes; the name and the browser's claim are not trusted."""
    for magic, content_type in _MAGIC.items():
        if head.startswith(magic):
            return content_type
    return None


@transaction.atomic
def evidence_upload(*, user: User, category: str, upload: File[bytes]) -> CategoryEvidence:

    if category not in MakerCategory.values or not category:
        raise ValidationError({"category": _("Choose the category this document proves.")})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    head = upload.read(8)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type not in EVIDENCE_TYPES:
        raise ValidationError({"file": _("Upload a PDF, JPEG or PNG file.")})
    upload.name = f"{category}{EVIDENCE_TYPES[content_type]}"  # never keep a user-chosen name or extension
    evidence = CategoryEvidence(
        user=user, category=category, file=upload, content_type=content_type, size_bytes=upload.size
    )
    evidence.save()
    if user.category_claimed != category:
        user.category_claimed = category
        user.category_verified_at = None
        user.save(update_fields=["category_claimed", "category_verified_at"])
    return evidence


@transaction.atomic
def evidence_review(
    *, evidence: CategoryEvidence, reviewer: User, accept: bool, now: datetime, note: str = ""
) -> CategoryEvidence:
    """Accept (which verifies the maker's category, turning on its discount) or reject with a note."""

    # The maker's row too (of=): accepting writes their verified category.
    evidence = (
        CategoryEvidence.objects.select_for_update(of=("self", "user")).select_related("user").get(pk=evidence.pk)
    )
    if evidence.status != EvidenceStatus.PENDING:
        raise ValidationError(_("This document was already reviewed."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the document is not accepted.")})
    evidence.status = EvidenceStatus.ACCEPTED if accept else EvidenceStatus.REJECTED
    evidence.reviewed_by, evidence.reviewed_at, evidence.review_note = reviewer, now, note.strip()
    evidence.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if accept:
        user = evidence.user
        user.category_claimed = evidence.category
        user.category_verified_at = now
        user.save(update_fields=["category_claimed", "category_verified_at"])
    return evidence
