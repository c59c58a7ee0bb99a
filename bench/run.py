"""Benchmarks, printed as ratios against a baseline measured in the same run (never asserted as times).

Runs in-process through Django's test client on a throw-away PostgreSQL database (DATABASE_URL),
against a bare view that returns "ok" through the same middleware. Later issues add gunicorn load.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_anchor_portal")  # never the test suite's database

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import path  # noqa: E402

import config.urls  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench_bare__", bare), *config.urls.urlpatterns]


def measure(client: Client, url: str, n: int) -> tuple[float, float]:
    for _ in range(min(20, n)):
        client.get(url)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    return n / sum(samples), statistics.median(samples) * 1000


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from anchors import seed
        from facilities import seed as facilities_seed

        seed.load()
        facilities_seed.load(now=timezone.now())
        from facilities.models import Space

        cutting = Space.objects.get(anchor__slug="geumcheon", slug="cutting-room").pk
        n = int(os.environ.get("BENCH_N", "300"))
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"]):
            client = Client()
            base_rps, base_ms = measure(client, "/__bench_bare__", n)
            print(f"{'page':<28}{'req/s':>10}{'median ms':>12}{'vs bare':>10}")
            print(f"{'bare view (baseline)':<28}{base_rps:>10.0f}{base_ms:>12.2f}{1.0:>10.2f}")
            for label, url in [
                ("anchor list", "/anchors/"),
                ("anchor list, filtered", "/anchors/?district=guro"),
                ("anchor detail (Geumcheon)", "/anchors/geumcheon/"),
                ("facilities (Geumcheon)", "/anchors/geumcheon/facilities/"),
                ("rate table (Gaebong)", "/anchors/gaebong/rates/"),
                (
                    "rates + quote (Geumcheon)",
                    f"/anchors/geumcheon/rates/?resource=space:{cutting}&date=2026-12-03&start=14:00&end=19:30",
                ),
                ("healthz", "/healthz"),
            ]:
                rps, ms = measure(client, url, n)
                print(f"{label:<28}{rps:>10.0f}{ms:>12.2f}{base_rps / rps:>10.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
