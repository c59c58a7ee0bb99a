"""Demo accounts, one per role, for the embedded default (`make run`). Never created when DEBUG is off."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_role

from .models import Anchor, District, OfficerAssignment, StaffAssignment


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role
    anchors: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    admin_site: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.anchors.example", "데모 시 관리자 (Demo city admin)", Role.CITY_ADMIN, admin_site=True),
    DemoAccount(
        "officer.guro@demo.anchors.example",
        "데모 구로구 담당관 (Demo Guro-gu officer)",
        Role.DISTRICT_OFFICER,
        districts=("guro",),
    ),
    DemoAccount(
        "staff.geumcheon@demo.anchors.example",
        "데모 금천 직원 (Demo Geumcheon staff)",
        Role.FACILITY_STAFF,
        anchors=("geumcheon",),
    ),
    DemoAccount("maker@demo.anchors.example", "데모 메이커 (Demo maker)", Role.MAKER),
]


@transaction.atomic
def create_demo_accounts(*, reset_passwords: bool = False) -> list[tuple[DemoAccount, str | None]]:
    """Returns each account with its new password, or None when it already existed and was kept."""
    results = []
    for spec in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=spec.email).first()
        password = None
        if user is None:
            user = User(
                email=spec.email,
                full_name=spec.full_name,
                is_staff=spec.admin_site,
                is_superuser=spec.role == Role.CITY_ADMIN,
            )
            password = secrets.token_urlsafe(12)
        elif reset_passwords:
            password = secrets.token_urlsafe(12)
        if password is not None:
            user.set_password(password)
            user.save()
        user_grant_role(user=user, role=spec.role)
        for slug in spec.anchors:
            StaffAssignment.objects.get_or_create(user=user, anchor=Anchor.objects.get(slug=slug))
        for slug in spec.districts:
            OfficerAssignment.objects.get_or_create(user=user, district=District.objects.get(slug=slug))
        results.append((spec, password))
    return results
