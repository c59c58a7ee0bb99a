from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.files import private_storage, random_upload_name


class MakerCategory(models.TextChoices):
    """The categories a maker may claim for fee discounts; staff verify the evidence."""

    NONE = "", _("None of these")
    TENANT_MEMBER = "tenant_member", _("Member of a tenant company")
    DISTRICT_RESIDENT = "district_resident", _("District resident")
    SMALL_MANUFACTURER = "small_manufacturer", _("Registered small manufacturer")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    STUDENT_YOUTH = "student_youth", _("Student / youth")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).strip(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("ko", "한국어"), ("en", "English")], default="ko"
    )
    category_claimed = models.CharField(
        _("category claimed"),
        max_length=30,
        choices=MakerCategory.choices,
        blank=True,
        help_text=_("Staff check the evidence before a discount applies."),
    )
    skills = models.CharField(
        _("skills"), max_length=300, blank=True, help_text=_("For example: pattern making, overlock, CAD.")
    )
    category_verified_at = models.DateTimeField(
        _("category verified at"), null=True, blank=True, help_text=_("Set when staff have checked the evidence.")
    )
    is_staff = models.BooleanField(_("admin site access"), default=False, help_text=_("May log in to the admin site."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email

    @property
    def verified_categories(self) -> list[str]:
        """The categories that earn a discount: the claimed one, once staff verified it."""
        return [self.category_claimed] if self.category_claimed and self.category_verified_at else []


EVIDENCE_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def evidence_path(instance, filename: str) -> str:
    return random_upload_name("evidence", filename)


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CategoryEvidence(models.Model):
    """A document a maker uploads to prove the category they claim; staff accept or reject it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("maker"))
    category = models.CharField(_("category"), max_length=30, choices=MakerCategory.choices)
    file = models.FileField(_("document"), upload_to=evidence_path, storage=private_storage)
    content_type = models.CharField(_("file type"), max_length=50)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    status = models.CharField(
        _("status"), max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("category evidence")
        verbose_name_plural = _("category evidence")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_category_display()}"
