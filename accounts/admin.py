from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin

from .models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "category_claimed", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "preferred_language", "category_claimed"]
    search_fields = ["email", "full_name", "phone"]
    # A category is verified by accepting its evidence (accounts.services.evidence_review), never by hand here.
    readonly_fields = ["category_verified_at", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("full_name", "phone", "preferred_language", "category_claimed", "category_verified_at")},
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )


from .models import CategoryEvidence  # noqa: E402


@admin.register(CategoryEvidence)
class CategoryEvidenceAdmin(ReadOnlyAdmin):
    """Evidence is reviewed on the staff page /evidence/ (accepting it verifies the maker's category)."""

    list_display = ["user", "category", "status", "uploaded_at", "reviewed_by"]
    list_filter = ["status", "category"]
    search_fields = ["user__email", "user__full_name"]
