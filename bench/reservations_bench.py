"""Desk and resource week views at 1,000 and at 100,000 past reservations, and throughput through gunicorn.

Prints, never asserts. Part 1 times the two calendar views in-process on a throw-away PostgreSQL database
(DATABASE_URL) with 20 resources; part 2 serves the same database with gunicorn (2 sync workers) and has
8 concurrent clients request the desk view and a bare view for a few seconds each, on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_anchor_portal")  # never the test suite's database

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from common.time import SEOUL  # noqa: E402

DAY = datetime(2026, 12, 2, 0, 0, tzinfo=SEOUL)


def seed_world():
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from anchors import seed as anchors_seed
    from anchors.models import Anchor, StaffAssignment
    from facilities import seed as facilities_seed
    from facilities.models import Equipment, EquipmentKind, Space
    from reservations import seed as reservations_seed

    anchors_seed.load()
    facilities_seed.load(now=timezone.now())
    reservations_seed.load()
    g = Anchor.objects.get(slug="geumcheon")
    room = Space.objects.get(anchor=g, slug="common-equipment-room")
    kind = EquipmentKind.objects.get(slug="industrial-sewing-machine")
    n = 0
    while (
        Space.objects.filter(anchor=g, bookable=True).count() + Equipment.objects.filter(space__anchor=g).count() < 20
    ):
        n += 1
        Equipment.objects.create(
            space=room, kind=kind, name_ko=f"벤치 미싱 {n}", name_en=f"Bench machine {n}", asset_tag=f"BENCH-{n}"
        )
    staff = UserFactory(email="bench.staff@example.com", roles=[Role.FACILITY_STAFF])
    StaffAssignment.objects.create(user=staff, anchor=g)
    maker = UserFactory(email="bench.maker@example.com", roles=[Role.MAKER])
    return g, staff, maker


def add_past(anchor, maker, total: int) -> None:
    """Past, completed reservations spread over the resources, back to back going back in time."""
    from facilities.models import Equipment
    from reservations.models import Reservation, Status

    units = list(Equipment.objects.filter(space__anchor=anchor))
    have = Reservation.objects.filter(anchor=anchor, status=Status.COMPLETED).count()
    rows = []
    for i in range(have, total):
        unit = units[i % len(units)]
        slot = i // len(units)
        start = DAY - timedelta(days=1) - timedelta(hours=slot + 1)
        rows.append(
            Reservation(
                anchor=anchor,
                equipment=unit,
                user=maker,
                booked_by=maker,
                start_at=start,
                end_at=start + timedelta(minutes=30),
                blocked_until=start + timedelta(minutes=30),
                status=Status.COMPLETED,
                checkin_code=f"b{i}",
            )
        )
        if len(rows) == 5000:
            Reservation.objects.bulk_create(rows)
            rows = []
    Reservation.objects.bulk_create(rows)
    with connection.cursor() as c:
        c.execute("ANALYZE reservations_reservation")


def time_view(client: Client, url: str, n: int = 60) -> float:
    for _ in range(5):
        client.get(url)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        assert client.get(url).status_code == 200
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(url: str, cookie: str, seconds: float, clients: int = 8) -> tuple[float, list[float], int]:
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker():
        nonlocal errors
        while time.perf_counter() < deadline:
            req = urllib.request.Request(url, headers={"Cookie": cookie})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=10) as resp:
                    resp.read()
                    ok = resp.status == 200
            except Exception:
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - t0), latencies, errors


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    test_db = connection.settings_dict["NAME"]
    try:
        anchor, staff, maker = seed_world()
        from facilities.models import Space

        room = Space.objects.get(anchor=anchor, slug="cutting-room")
        client = Client()
        client.force_login(staff)
        urls = {
            "desk day": "/desk/geumcheon/?date=2026-12-02",
            "desk week": "/desk/geumcheon/?date=2026-12-02&view=week",
            "resource week": f"/book/space/{room.pk}/?week=2026-12-02",
        }
        results = {}
        for total in (1_000, 100_000):
            add_past(anchor, maker, total)
            results[total] = {label: time_view(client, url) for label, url in urls.items()}
        print(f"{'view':<16}{'1,000 (ms)':>12}{'100,000 (ms)':>14}{'ratio':>8}")
        for label in urls:
            a, b = results[1_000][label], results[100_000][label]
            print(f"{label:<16}{a:>12.2f}{b:>14.2f}{b / a:>8.2f}")

        # Part 2: gunicorn on the same database, 8 concurrent clients, a few seconds each.
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{test_db}",
            "DEBUG": "0",
            "EMAIL_URL": "consolemail://",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECRET_KEY": os.environ["SECRET_KEY"],  # the test settings' key, so the client's session is valid
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REDIS_URL": "",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--no-control-socket",  # several gunicorns of one user must not share the default control socket
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except Exception:
                    time.sleep(0.1)
            session_cookie = f"sessionid={client.cookies['sessionid'].value}"
            seconds = float(os.environ.get("BENCH_SECONDS", "5"))
            print(
                f"\n{'gunicorn, 8 clients':<22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs bare':>9}"
            )
            bare_rps, lat, err = load(base + "/healthz", "", seconds)
            print(
                f"{'healthz (baseline)':<22}{bare_rps:>8.0f}{pct(lat, 0.5):>9.1f}{pct(lat, 0.95):>9.1f}{pct(lat, 0.99):>9.1f}{err:>8}{1.0:>9.2f}"
            )
            for label in ("desk day", "resource week"):
                rps, lat, err = load(base + urls[label], session_cookie, seconds)
                print(
                    f"{label:<22}{rps:>8.0f}{pct(lat, 0.5):>9.1f}{pct(lat, 0.95):>9.1f}{pct(lat, 0.99):>9.1f}{err:>8}{bare_rps / rps:>9.2f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    random.seed(1)
    main()
