"""Load and faults through gunicorn on PostgreSQL, 127.0.0.1 only, bounded in time. Prints; never asserts.

1. Load: 8 clients for LOAD_SECONDS (default 15): makers browse and book, staff use the desk, officers read
   budget pages; beside a bare view (/livez) measured in the same run. Requests/s, p50/p95/p99, errors;
   then a database check that no resource was double-booked.
2. PostgreSQL restart during load (FAULTS=1 and root only, since it restarts this machine's server):
   what the portal answered meanwhile (expected 503, never 500) and whether it recovered by itself.
3. Redis stopped: bookings go on, messages wait in the outbox, and go out once Redis is back.
(A worker killed mid-task is covered by tests/test_worker.py, run by `make test`.)
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_anchor_portal")  # never the test suite's database

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "15"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """A browser-like HTTP client with cookies and CSRF, for one user."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body, headers=headers), timeout=15
            ) as r:
                return r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as err:
            self.location = err.headers.get("Location", "")
            return err.code, err.read().decode(errors="replace")
        except Exception:  # connection refused or reset: counted as an error
            return 0, ""

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self, email: str, password: str) -> tuple[int, int]:
        first = self.request("/accounts/login/")[0]
        second, body = self.request(
            "/accounts/login/", {"username": email, "password": password, "csrfmiddlewaretoken": self.csrf()}
        )
        if second == 200:
            self.login_problem = re.findall(r'class="[^"]*alert[^"]*"[^>]*>(.*?)</', body, re.S)[:2]
        return first, second


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_load(base: str, users: dict, seconds: float, clients: int = 8) -> tuple[dict, Counter]:
    deadline = time.perf_counter() + seconds
    lat: dict[str, list[float]] = {}
    statuses: Counter = Counter()
    lock = threading.Lock()

    def worker(i: int):
        rng = random.Random(i)
        kind = ["maker", "maker", "maker", "staff", "officer", "maker", "staff", "officer"][i % 8]
        s = Session(base)
        if kind == "maker":
            s.login(users["makers"][i % len(users["makers"])], "bench-password-123")
        elif kind == "staff":
            s.login(users["staff"], "bench-password-123")
        else:
            s.login(users["officer"], "bench-password-123")
        while time.perf_counter() < deadline:
            if kind == "maker":
                path = rng.choice(
                    ["/anchors/", "/anchors/geumcheon/facilities/", users["week_url"], "/programmes/", "BOOK"]
                )
            elif kind == "staff":
                path = rng.choice(["/desk/geumcheon/", "/desk/geumcheon/?view=week", "/anchors/geumcheon/rates/"])
            else:
                path = rng.choice(["/budgets/2021/", "/budgets/2021/execution/", "/budgets/anchors/gaebong/"])
            t0 = time.perf_counter()
            if path == "BOOK":
                day, hour = rng.choice(users["days"]), rng.choice([10, 11, 13, 14, 15])
                status, _ = s.request(
                    users["book_url"],
                    {
                        "date": day,
                        "start": f"{hour}:00",
                        "end": f"{hour + 1}:00",
                        "step": "confirm",
                        "csrfmiddlewaretoken": s.csrf(),
                    },
                )
                label = "book (POST)"
            else:
                status, _ = s.request(path)
                label = path.split("?")[0] if not path.startswith("/book/") else "/book/<resource>/ (week)"
            dt = time.perf_counter() - t0
            with lock:
                lat.setdefault(label, []).append(dt)
                statuses[status] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, statuses


def bare(base: str, seconds: float, clients: int = 8) -> list[float]:
    deadline = time.perf_counter() + seconds
    out: list[float] = []
    lock = threading.Lock()

    def worker():
        s = Session(base)
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            s.request("/livez")
            with lock:
                out.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p))] * 1000 if v else float("nan")


def double_bookings() -> int:
    with connection.cursor() as c:
        c.execute("""
            SELECT count(*) FROM reservations_reservation a JOIN reservations_reservation b
              ON a.id < b.id AND coalesce(a.space_id, -1) = coalesce(b.space_id, -1) AND coalesce(a.equipment_id, -1) = coalesce(b.equipment_id, -1)
             AND a.start_at < b.blocked_until AND b.start_at < a.blocked_until
             WHERE a.status IN ('requested','confirmed','checked_in','completed') AND b.status IN ('requested','confirmed','checked_in','completed')
        """)
        return c.fetchone()[0]


def main() -> None:
    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    db_name = connection.settings_dict["NAME"]
    server = None
    try:
        from accounts.roles import Role
        from accounts.tests.factories import UserFactory
        from anchors import seed as anchors_seed
        from anchors.models import Anchor, District, OfficerAssignment, StaffAssignment
        from budgets import seed as budgets_seed
        from facilities import seed as facilities_seed
        from facilities.models import Space
        from reservations import seed as reservations_seed
        from reservations.models import BookingPolicy

        anchors_seed.load()
        facilities_seed.load(now=timezone.now())
        reservations_seed.load()
        budgets_seed.load()
        BookingPolicy.objects.update(lead_time_minutes=0)
        g = Anchor.objects.get(slug="geumcheon")
        from django.contrib.auth.hashers import PBKDF2PasswordHasher

        hashed = PBKDF2PasswordHasher().encode("bench-password-123", PBKDF2PasswordHasher().salt())

        def user(email, role):
            # gunicorn runs the production settings, which do not accept the test settings' fast hasher
            u = UserFactory(email=email, roles=[role])
            type(u).objects.filter(pk=u.pk).update(password=hashed)
            return u

        makers = [user(f"maker{i}@bench.example", Role.MAKER).email for i in range(5)]
        staff = user("staff@bench.example", Role.FACILITY_STAFF)
        StaffAssignment.objects.create(user=staff, anchor=g)
        officer = user("officer@bench.example", Role.DISTRICT_OFFICER)
        OfficerAssignment.objects.create(user=officer, district=District.objects.get(slug="guro"))
        room = Space.objects.get(anchor=g, slug="cutting-room")
        today = timezone.localdate()
        days = [d.isoformat() for d in (today + timedelta(days=k) for k in range(1, 15)) if d.weekday() < 5][:6]
        users = {
            "makers": makers,
            "staff": staff.email,
            "officer": officer.email,
            "book_url": f"/book/space/{room.pk}/new/",
            "week_url": f"/book/space/{room.pk}/",
            "days": days,
        }

        port = free_port()
        base_db = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env = {
            **os.environ,
            "DEBUG": "0",
            "EMAIL_URL": "consolemail://",
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{base_db}/{db_name}",
            "REDIS_URL": REDIS_URL,
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "AXES_ENABLED": "0",
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "LOG_LEVEL": "ERROR",
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
                "error",
                "--no-control-socket",  # several gunicorns of one user must not share the default control socket
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if Session(base).request("/livez")[0] == 200:
                break
            time.sleep(0.1)

        print(f"== Load: 8 clients, {LOAD_SECONDS:.0f} s, gunicorn 2 workers, DEBUG off, PostgreSQL ==")
        baseline = bare(base, min(5.0, LOAD_SECONDS))
        base_rps = len(baseline) / min(5.0, LOAD_SECONDS)
        lat, statuses = run_load(base, users, LOAD_SECONDS)
        total = sum(len(v) for v in lat.values())
        print(f"{'request':<34}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        print(
            f"{'/livez (bare baseline)':<34}{len(baseline):>7}{pct(baseline, 0.5):>9.1f}{pct(baseline, 0.95):>9.1f}{pct(baseline, 0.99):>9.1f}"
        )
        for label, values in sorted(lat.items()):
            print(
                f"{label:<34}{len(values):>7}{pct(values, 0.5):>9.1f}{pct(values, 0.95):>9.1f}{pct(values, 0.99):>9.1f}"
            )
        everything = [v for values in lat.values() for v in values]
        mix_rps = total / LOAD_SECONDS
        errors = sum(n for s, n in statuses.items() if s == 0 or s >= 500)
        print(
            f"mix: {mix_rps:.0f} req/s (bare {base_rps:.0f} req/s, ratio {base_rps / max(mix_rps, 1e-9):.1f}), p50 {pct(everything, 0.5):.1f} ms, "
            f"p95 {pct(everything, 0.95):.1f} ms, p99 {pct(everything, 0.99):.1f} ms, errors {errors}, statuses {dict(statuses)}"
        )
        print(f"double bookings in the database after the load: {double_bookings()}")

        if os.environ.get("FAULTS") == "1" and os.geteuid() == 0:
            print("\n== PostgreSQL restarted during load ==")
            cluster = sorted(os.listdir("/etc/postgresql"))[-1]
            restarter = threading.Timer(
                3.0,
                lambda: subprocess.run(
                    ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
                    check=False,
                    capture_output=True,
                ),
            )
            restarter.start()
            lat, statuses = run_load(base, users, 12.0)
            restarter.join()
            connection.close()  # this process's own connection died with the server too
            after = Session(base).request("/anchors/")[0]
            print(
                f"statuses during the restart: {dict(statuses)}; 500s: {statuses.get(500, 0)}; the portal answers {after} afterwards "
                f"without being restarted"
            )

            print("\n== Redis stopped ==")
            import redis as redis_lib

            from notifications.models import Outbox
            from notifications.services import outbox_deliver_due

            try:
                r = redis_lib.Redis.from_url(REDIS_URL)
                try:
                    r.shutdown(nosave=True)
                except Exception:  # the connection drops as the server stops
                    pass
                try:
                    self_check = "stopped" if not r.ping() else "still running"
                except Exception:
                    self_check = "stopped"
                print(f"redis: {self_check}")
                s = Session(base)
                print(
                    f"login with Redis down: {s.login(makers[1], 'bench-password-123')} {s.__dict__.get('login_problem')}"
                )
                s.request(users["book_url"])
                status, _ = s.request(
                    users["book_url"],
                    {
                        "date": days[-1],
                        "start": "16:00",
                        "end": "17:00",
                        "step": "confirm",
                        "csrfmiddlewaretoken": s.csrf(),
                    },
                )
                where = s.__dict__.get("location", "")
                health = Session(base).request("/healthz")[0]
                pending = Outbox.objects.filter(status="pending").count()
            finally:  # always bring this machine's Redis back
                # the command this machine's Redis is started with
                subprocess.run(
                    [
                        "redis-server",
                        "--daemonize",
                        "yes",
                        "--bind",
                        "127.0.0.1",
                        "-::1",
                        "--port",
                        "6379",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        "/var/lib/redis",
                        "--logfile",
                        "/var/log/redis/ci.log",
                    ],
                    check=False,
                )
                time.sleep(1)
            counts = outbox_deliver_due(now=timezone.now())
            print(
                f"booking with Redis down answered {status} -> {where}; /healthz {health}; messages waiting {pending}; after Redis came back: {counts}"
            )
        else:
            print("\n(faults skipped: run as root with FAULTS=1; they restart this machine's PostgreSQL and Redis)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
