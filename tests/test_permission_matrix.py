"""Every URL the portal has, opened by every role and scope, against the status the policy promises.

A new URL must be added here: the first test fails until it is.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "maker", "geumcheon_staff", "changsin_staff", "guro_officer", "jongno_officer", "city_admin"]
EVERYONE = {r: 200 for r in ROLES}
LOGGED_IN = {**{r: 200 for r in ROLES}, "anonymous": 302}
ANON_ONLY = {**{r: 302 for r in ROLES}, "anonymous": 200}
POST_ONLY = {r: 405 for r in ROLES}

MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("/", EVERYONE),
    "dashboard": ("/dashboard/", LOGGED_IN),
    "healthz": ("/healthz", EVERYONE),
    "anchors:list": ("/anchors/", EVERYONE),
    "anchors:detail": ("/anchors/geumcheon/", EVERYONE),
    "anchors:update": (
        "/anchors/geumcheon/edit/",
        {
            "anonymous": 302,
            "maker": 403,
            "geumcheon_staff": 200,
            "changsin_staff": 403,
            "guro_officer": 403,
            "jongno_officer": 403,
            "city_admin": 200,
        },
    ),
    "accounts:signup": ("/accounts/signup/", ANON_ONLY),
    "accounts:login": ("/accounts/login/", ANON_ONLY),
    "accounts:logout": ("/accounts/logout/", POST_ONLY),
    "accounts:profile": ("/accounts/profile/", LOGGED_IN),
    "accounts:password_change": ("/accounts/password/change/", LOGGED_IN),
    "accounts:password_reset": ("/accounts/password/reset/", EVERYONE),
    "accounts:password_reset_done": ("/accounts/password/reset/sent/", EVERYONE),
    "accounts:password_reset_confirm": ("/accounts/password/reset/MQ/bad-token/", EVERYONE),
    "accounts:password_reset_complete": ("/accounts/password/reset/complete/", EVERYONE),
    "accounts:language": ("/accounts/language/", POST_ONLY),
    "admin:index": ("/admin/", {**{r: 302 for r in ROLES}, "city_admin": 200}),
}


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue  # the admin site is checked through its index and the admin tests
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def test_every_named_url_of_the_portal_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns)) | {"admin:index"}
    assert names == set(MATRIX), f"missing: {names - set(MATRIX)}; stale: {set(MATRIX) - names}"


@pytest.fixture
def users(maker, geumcheon_staff, changsin_staff, guro_officer, jongno_officer, city_admin):
    return {
        "anonymous": None,
        "maker": maker,
        "geumcheon_staff": geumcheon_staff,
        "changsin_staff": changsin_staff,
        "guro_officer": guro_officer,
        "jongno_officer": jongno_officer,
        "city_admin": city_admin,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_status_the_policy_promises(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    wrong = {}
    for name, (url, expected) in MATRIX.items():
        status = client.get(url).status_code
        if status != expected[role]:
            wrong[name] = (url, expected[role], status)
    assert wrong == {}


def test_a_forbidden_page_is_a_proper_403_page_in_the_users_language(client, seeded, maker):
    maker.preferred_language = "en"
    maker.save()
    client.force_login(maker)
    response = client.get("/anchors/geumcheon/edit/")
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()
    client.cookies["anchor_language"] = "ko"
    response = client.get("/anchors/geumcheon/edit/")
    assert "이 페이지를 열 수 없습니다" in response.content.decode()
