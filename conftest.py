"""Shared fixtures: the seeded sites and one user per role and scope."""

from __future__ import annotations

import os
import warnings
from datetime import UTC, datetime, timedelta

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


# `make test` runs the in-process tests a second time with the clock moved ahead (TEST_CLOCK_SHIFT_DAYS), so a
# test or a service that reads the wall clock where it should take `now` fails on any day, not one day a year.
CLOCK_SHIFT_DAYS = int(os.environ.get("TEST_CLOCK_SHIFT_DAYS") or 0)


def pytest_report_header(config):
    if CLOCK_SHIFT_DAYS:
        return f"clock moved {CLOCK_SHIFT_DAYS} days ahead: {datetime.now(UTC) + timedelta(days=CLOCK_SHIFT_DAYS):%Y-%m-%d}"
    return None


@pytest.fixture(scope="session", autouse=True)
def _shifted_clock():
    if not CLOCK_SHIFT_DAYS:
        yield
        return
    import time_machine

    with time_machine.travel(datetime.now(UTC) + timedelta(days=CLOCK_SHIFT_DAYS), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with no cached page: its database was rolled back, the shared cache was not. Nor with
    anything the catalogue kept in this process from the last test's rolled-back rows (a bump that Redis missed,
    during a simulated outage, would otherwise leave them in use)."""
    from common import catalogue, pagecache

    catalogue._kept.clear()
    if pagecache.enabled():
        pagecache._bump()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True, "args": CHROMIUM_ARGS}


def _load_seeds() -> None:
    """The real sites and the budget book from the sources, with the example facilities, rate tables and booking
    policies, as `make run` loads them (the example leases dated from the test clock's month)."""
    from anchors import seed as anchors_seed
    from budgets import seed as budgets_seed
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed
    from reservations.tests.conftest import NOW
    from tenants import seed as tenants_seed

    anchors_seed.load()
    facilities_seed.load(now=NOW)
    tenants_seed.load(now=NOW)
    reservations_seed.load()
    budgets_seed.load()


# `make test` migrates one PostgreSQL database per run, and each test process of test-pg and test-later starts from
# a copy of it (CREATE DATABASE ... TEMPLATE, as Django's own parallel runner does). The migrations take half a
# minute or more of one core, which every process of both phases used to spend again; no migration reads the date, so
# the copy is the same in the clock-shifted phase. TEST_DB_TEMPLATE_RUN names the `make` run (Makefile): a template
# left by another run is built again, never copied. Without it (a plain `pytest`), each process migrates its own.
TEMPLATE_RUN = os.environ.get("TEST_DB_TEMPLATE_RUN", "")


def _uses_template() -> bool:
    from django.db import connection

    return bool(TEMPLATE_RUN) and connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """A copied database is there already: Django must not make it again (its `migrate` then has nothing to do)."""
    return _uses_template() or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_blocker):
    """This process's test database (its name has the xdist suffix by now) copied from the run's template, which
    the first process to get here builds while the others wait on a lock."""
    if not _uses_template():
        return
    from django.db import connection

    creation = connection.creation
    name = creation._get_test_db_name()
    template = f"test_{connection.settings_dict['NAME']}_template"
    with django_db_blocker.unblock(), creation._nodb_cursor() as lock:
        lock.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        lock.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template])
        row = lock.fetchone()
        if row is None or row[0] != TEMPLATE_RUN:
            _build_template(connection, template)
        with creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        lock.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])


def _build_template(connection, template: str) -> None:
    """The migrated, empty database of this run, made the way Django makes a test database."""
    from django.conf import settings

    saved_name, saved_test = connection.settings_dict["NAME"], dict(connection.settings_dict["TEST"])
    connection.settings_dict["TEST"]["NAME"] = template
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()
    connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = saved_name
    connection.settings_dict["TEST"] = saved_test
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'COMMENT ON DATABASE "{template}" IS %s', [TEMPLATE_RUN])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The seed data is loaded once per test database; each test's transaction is rolled back, so every test
    starts from it (loading it per test made the seed fixtures most of the suite's time)."""
    with django_db_blocker.unblock():
        _load_seeds()
    yield
    if _uses_template():  # a copy is kept by Django (keepdb): dropped here, the template stays for the next phase
        from django.db import connection

        name = connection.settings_dict["NAME"]
        with django_db_blocker.unblock():
            connection.close()
            try:
                with connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:  # noqa: BLE001  as pytest-django does: a warning, not a failure
                warnings.warn(f"the test database {name} was not dropped: {exc!r}", stacklevel=1)


@pytest.fixture
def seeded(db):
    """The seeded anchors by slug. A transactional test before this one empties the tables; they are reloaded."""
    from anchors.models import Anchor

    if not Anchor.objects.exists():
        _load_seeds()
    return {a.slug: a for a in Anchor.objects.select_related("district")}


@pytest.fixture
def world(seeded):
    """The seeded anchors with their facilities and the resources most tests book."""
    g = seeded["geumcheon"]
    gaebong = seeded["gaebong"]
    return {
        "geumcheon": g,
        "changsin": seeded["changsin"],
        "gaebong": gaebong,
        "overlock": g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-OVL-01"),
        "sewing": g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-SEW-01"),
        "cutting": g.spaces.get(slug="cutting-room"),
        "sample": g.spaces.get(slug="sample-room"),
        "mask": g.spaces.get(slug="mask-facility"),
        "startup": g.spaces.get(slug="startup-room-1"),
        "community": seeded["changsin"].spaces.get(slug="community-space"),
        "laser": gaebong.spaces.get(slug="digital-fabrication-lab").equipment.get(kind__slug="laser-cutter"),
    }


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
def people(world, maker, other_maker, geumcheon_staff, changsin_staff, guro_officer, city_admin):
    return {
        "anonymous": None,
        "maker": maker,
        "other_maker": other_maker,
        "geumcheon_staff": geumcheon_staff,
        "changsin_staff": changsin_staff,
        "guro_officer": guro_officer,
        "city_admin": city_admin,
    }


@pytest.fixture
def city_admin(db):
    return UserFactory(roles=[Role.CITY_ADMIN], email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _files_of_this_test_only(settings, tmp_path):
    """Uploads and reports of a test go to its own folders (public and private), never another test's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _broker_outage_forgotten():
    """A test that takes the broker down must not leave the next one skipping it (common/broker.py)."""
    yield
    from common import broker

    broker.reset()


@pytest.fixture(autouse=True)
def _korean_by_default():
    """Each test starts in Korean, the portal's default; a request's language must not leak into the next test."""
    from django.utils import translation

    translation.activate("ko")
    yield
    translation.activate("ko")


def forget_throttle_counts() -> None:
    """The API's request counts of this test process only. `cache.clear()` on Redis empties the whole database,
    the other test processes' counts (and pages) included, which made their throttling tests flaky."""
    from django.core.cache import caches

    cache = caches["throttle"]
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:
        cache.clear()  # in this process's memory
        return
    redis = client(None, write=True)
    keys = list(redis.scan_iter(match=f"{cache.key_prefix}:*"))
    if keys:
        redis.delete(*keys)
