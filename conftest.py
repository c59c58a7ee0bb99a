"""Shared fixtures: the seeded sites and one user per role and scope."""

from __future__ import annotations

import os

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from anchors.tests.factories import officer_of, staff_of

# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def seeded(db):
    from anchors import seed

    seed.load()
    from anchors.models import Anchor

    return {a.slug: a for a in Anchor.objects.select_related("district")}


@pytest.fixture
def maker(db):
    return UserFactory(roles=[Role.MAKER], email="maker@example.com")


@pytest.fixture
def other_maker(db):
    return UserFactory(roles=[Role.MAKER], email="other.maker@example.com")


@pytest.fixture
def geumcheon_staff(seeded):
    return staff_of(seeded["geumcheon"], email="staff.geumcheon@example.com")


@pytest.fixture
def changsin_staff(seeded):
    return staff_of(seeded["changsin"], email="staff.changsin@example.com")


@pytest.fixture
def guro_officer(seeded):
    return officer_of(seeded["gaebong"].district, email="officer.guro@example.com")


@pytest.fixture
def jongno_officer(seeded):
    return officer_of(seeded["changsin"].district, email="officer.jongno@example.com")


@pytest.fixture
def city_admin(db):
    return UserFactory(roles=[Role.CITY_ADMIN], email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _korean_by_default():
    """Each test starts in Korean, the portal's default; a request's language must not leak into the next test."""
    from django.utils import translation

    translation.activate("ko")
    yield
    translation.activate("ko")
