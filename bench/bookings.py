"""Bookings per second through the real form flow, and the same-slot race, through gunicorn (issue 16). Prints only.

8 makers, each logged in with their own session and CSRF cookie, book different slots on their own machine at
Geumcheon as the browser does: the preview POST (the fee is shown, nothing is booked), then the confirm POST with the
fee shown, which redirects to the new reservation. Confirmed bookings per second over BENCH_SECONDS (default 10),
beside the one-query view measured by the same server; then a database check that no machine is double-booked.
Then the race: 8 makers confirm the same slot at once, 5 times; exactly one booking each time is expected.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from pages import resources, seed_world, serve, wrk  # noqa: E402  (also sets Django up)

from common.time import SEOUL  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
MAKERS = 8


def slots(first_day, count: int):
    """Weekday hours within the example opening hours (9–18), from `first_day` on, public holidays skipped."""
    from facilities.selectors import public_holidays

    closed = public_holidays(first_day, first_day + timedelta(days=count // 5 + 60))
    day = first_day
    while count > 0:
        if day.weekday() < 5 and day not in closed:
            for hour in range(9, 18):
                yield day, dtime(hour), dtime(hour + 1)
                count -= 1
        day += timedelta(days=1)


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU time (user + system) used so far by the server's processes, PostgreSQL, Redis and this client: a booking's
    cost in CPU is steadier than bookings/s on a shared machine, whose speed moves between runs."""
    tick = os.sysconf("SC_CLK_TCK")
    groups = {"server": 0.0, "postgres": 0.0, "redis": 0.0, "client (bench)": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        ppid = int(fields[1])
        if pid == server_pid or ppid == server_pid:
            groups["server"] += used
        elif comm.startswith("postgres"):
            groups["postgres"] += used
        elif comm.startswith("redis-server"):
            groups["redis"] += used
        elif pid == os.getpid():
            groups["client (bench)"] += used
    return groups


def post(port: int, path: str, cookie: str, token: str, data: dict) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token})
    conn.request(
        "POST",
        path,
        body=body,
        headers={
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}{path}",
        },
    )
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return response.status, response.getheader("Location") or "", text


def book(port: int, path: str, cookie: str, token: str, form: dict) -> tuple[bool, str]:
    status, _loc, html = post(port, path, cookie, token, {**form, "step": "preview"})
    fee = re.search(r'name="fee_shown_won" value="(\d+)"', html)
    if status != 200 or not fee:
        why = re.findall(r'class="[^"]*(?:invalid-feedback|alert)[^"]*"[^>]*>(.*?)</', html, re.S)
        text = " ".join(re.sub(r"<[^>]+>|\s+", " ", w).strip() for w in why)[:120]
        return False, f"preview {status}: {text}"
    status, location, _html = post(
        port, path, cookie, token, {**form, "step": "confirm", "fee_shown_won": fee.group(1)}
    )
    return status == 302 and "/reservations/" in location, f"confirm {status}"


def profile_bookings(machines, maker, first_day) -> None:
    """BENCH_PROFILE=1: bookings (preview + confirm) in-process, timed without a profiler, then 40 under cProfile, time per area and top functions."""
    import cProfile
    import pstats

    from django.test import override_settings
    from pages import print_profile

    client = Client()
    client.force_login(maker)
    forms = [  # two machines: one is booked out within the example 30-day horizon
        (
            f"/book/equipment/{machine.pk}/new/",
            {"date": d.isoformat(), "start": a.strftime("%H:%M"), "end": b.strftime("%H:%M"), "purpose": "벤치"},
        )
        for d, a, b in slots(first_day, 40 * 3)
        for machine in machines
    ]

    def book_all(batch) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        for path, form in batch:
            html = client.post(path, {**form, "step": "preview"}).content.decode()
            fee = re.search(r'name="fee_shown_won" value="(\d+)"', html)
            assert fee, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<main", 1)[-1]))[:1500]
            assert client.post(path, {**form, "step": "confirm", "fee_shown_won": fee.group(1)}).status_code == 302
        return (time.perf_counter() - t0) * 1000 / len(batch), (time.process_time() - c0) * 1000 / len(batch)

    with override_settings(ALLOWED_HOSTS=["*"]):
        book_all(forms[:40])  # warm: templates compiled, the catalogue kept
        # Without the profiler first, one thread: wall time, and the CPU time of this process alone (the portal's
        # Python, without PostgreSQL's share or time lost to other processes: the steadier of the two).
        plain = [book_all(forms[i : i + 40]) for i in range(40, 200, 40)]
        wall, cpu = (sorted(x)[len(x) // 2] for x in zip(*plain, strict=True))
        print(f"\n=== a booking (preview + confirm) in-process: {wall:.1f} ms, {cpu:.1f} ms CPU (medians of 4 × 40)")
        profiler = cProfile.Profile()
        profiler.enable()
        ms = book_all(forms[200:])[0]
        profiler.disable()
    calls = pstats.Stats(profiler).total_calls / len(forms[200:])  # type: ignore[attr-defined]
    print_profile(
        profiler,
        f"a booking (preview + confirm): {ms:.1f} ms in-process (profiled), {calls:,.0f} Python function calls "
        "(the same for the same code on any machine: the steadiest measure of the portal's own work)",
    )


def same_slot_race(port: int, race_machine, cookies, first_day) -> list[tuple[int, int]]:
    """Every maker confirms the same slot at once on one machine, 5 rounds: (answered booked, rows held) each."""
    from reservations.models import Reservation, Status

    path = f"/book/equipment/{race_machine.pk}/new/"
    outcomes = []
    # The last hours of late days in the booking window, freed first where the run above booked them.
    Reservation.objects.filter(equipment=race_machine, start_at__gte=first_day + timedelta(days=14)).delete()
    for round_ in range(5):
        day = first_day + timedelta(days=14 + 2 * round_)
        form = {"date": day.isoformat(), "start": "17:00", "end": "18:00", "purpose": "경합"}
        for _tries in range(10):  # a weekend or a closure (a public holiday): the next open day
            if day.weekday() < 5 and post(port, path, *cookies[0], {**form, "step": "preview"})[0] == 200:
                break
            day += timedelta(days=1)
            form = {"date": day.isoformat(), "start": "17:00", "end": "18:00", "purpose": "경합"}
        else:
            raise SystemExit(f"no bookable day for the race from {day - timedelta(days=10)}")
        Reservation.objects.filter(equipment=race_machine, start_at__date__gte=day).delete()
        barrier = threading.Barrier(MAKERS)
        results: list[bool] = []

        def racer(i: int, form=form, barrier=barrier, results=results) -> None:
            cookie, token = cookies[i]
            status, _loc, html = post(port, path, cookie, token, {**form, "step": "preview"})
            fee = re.search(r'name="fee_shown_won" value="(\d+)"', html)
            barrier.wait()
            if fee:
                status, location, _ = post(
                    port, path, cookie, token, {**form, "step": "confirm", "fee_shown_won": fee.group(1)}
                )
                results.append(status == 302 and "/reservations/" in location)

        racers = [threading.Thread(target=racer, args=(i,)) for i in range(MAKERS)]
        for t in racers:
            t.start()
        for t in racers:
            t.join()
        start_at = datetime.combine(day, dtime(17), tzinfo=SEOUL)
        held = Reservation.objects.filter(
            equipment=race_machine, start_at=start_at, status__in=[Status.CONFIRMED, Status.REQUESTED]
        ).count()
        outcomes.append((sum(results), held))
    return outcomes


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    test_db = connection.settings_dict["NAME"]
    try:
        from accounts.roles import Role
        from accounts.tests.factories import UserFactory

        now = timezone.now()
        anchor, _users = seed_world(now)
        machines = [m for m in resources(anchor) if not m.kind.requires_certification][:MAKERS]
        makers, cookies = [], []
        for i in range(MAKERS):
            maker = UserFactory(email=f"bench.booker{i}@example.com", roles=[Role.MAKER])
            client = Client()
            client.force_login(maker)
            client.get("/")
            makers.append(maker)
            cookies.append(
                (
                    f"sessionid={client.cookies['sessionid'].value}; csrftoken={client.cookies['csrftoken'].value}",
                    client.cookies["csrftoken"].value,
                )
            )
        first_day = (now.astimezone(SEOUL) + timedelta(days=2)).date()
        if os.environ.get("BENCH_PROFILE"):
            profile_bookings(machines[:2], makers[0], first_day)
            return
        server, port = serve(test_db, cached=True)
        try:
            base = f"http://127.0.0.1:{port}"
            one_query = wrk(base + "/__bench__/one-query", "")[0]
            done, refused = [0] * MAKERS, [dict() for _ in range(MAKERS)]
            deadline = time.perf_counter() + SECONDS

            def maker_books(i: int) -> None:
                path = f"/book/equipment/{machines[i].pk}/new/"
                cookie, token = cookies[i]
                for day, start, end in slots(first_day, 10_000):
                    if time.perf_counter() >= deadline:
                        return
                    form = {
                        "date": day.isoformat(),
                        "start": start.strftime("%H:%M"),
                        "end": end.strftime("%H:%M"),
                        "purpose": "벤치",
                    }
                    ok, why = book(port, path, cookie, token, form)
                    if ok:
                        done[i] += 1
                    else:
                        refused[i][why] = refused[i].get(why, 0) + 1

            cpu_before = cpu_seconds(server.pid)
            t0 = time.perf_counter()
            threads = [threading.Thread(target=maker_books, args=(i,)) for i in range(MAKERS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            cpu_after = cpu_seconds(server.pid)
            total = sum(done)
            reasons: dict[str, int] = {}
            for r in refused:
                for k, v in r.items():
                    reasons[k] = reasons.get(k, 0) + v
            print(
                f"\nbookings through the form (preview + confirm), {MAKERS} makers on their own machines, {SECONDS:g} s"
            )
            print(
                f"  confirmed: {total} in {elapsed:.1f} s = {total / elapsed:.1f} bookings/s "
                f"({2 * total / elapsed:.0f} POSTs/s); not booked: {reasons or 'none'}"
            )
            print(f"  one-query view on the same server: {one_query:.0f} req/s")
            spent = {k: 1000 * (cpu_after[k] - cpu_before[k]) / max(total, 1) for k in cpu_after}
            print(
                f"  CPU per booking: {sum(spent.values()):.1f} ms ("
                + ", ".join(f"{k} {v:.1f}" for k, v in spent.items())
                + f"; {os.cpu_count()} cores)"
            )

            outcomes = same_slot_race(port, machines[0], cookies, first_day)
            print(f"  same-slot race, {MAKERS} makers × 5 rounds: (answered booked, rows held) per round = {outcomes}")
            overlaps = 0
            with connection.cursor() as c:
                c.execute(
                    """SELECT count(*) FROM reservations_reservation a JOIN reservations_reservation b
                       ON a.equipment_id = b.equipment_id AND a.id < b.id
                      AND a.start_at < b.blocked_until AND b.start_at < a.blocked_until
                      WHERE a.status IN ('confirmed', 'requested') AND b.status IN ('confirmed', 'requested')"""
                )
                overlaps = c.fetchone()[0]
            print(f"  overlapping active bookings in the database: {overlaps}")
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
