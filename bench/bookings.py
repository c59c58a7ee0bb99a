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
    """Weekday hours within the example opening hours (9–18), from `first_day` on."""
    day = first_day
    while count > 0:
        if day.weekday() < 5:
            for hour in range(9, 18):
                yield day, dtime(hour), dtime(hour + 1)
                count -= 1
        day += timedelta(days=1)


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


def profile_bookings(machine, maker, first_day) -> None:
    """BENCH_PROFILE=1: 40 bookings (preview + confirm) in-process under cProfile, time per area and top functions."""
    import cProfile

    from django.test import override_settings
    from pages import print_profile

    client = Client()
    client.force_login(maker)
    path = f"/book/equipment/{machine.pk}/new/"
    forms = [
        {"date": d.isoformat(), "start": a.strftime("%H:%M"), "end": b.strftime("%H:%M"), "purpose": "벤치"}
        for d, a, b in slots(first_day, 40)
    ]
    with override_settings(ALLOWED_HOSTS=["*"]):
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        for form in forms:
            html = client.post(path, {**form, "step": "preview"}).content.decode()
            fee = re.search(r'name="fee_shown_won" value="(\d+)"', html)
            assert fee, html[:500]
            assert client.post(path, {**form, "step": "confirm", "fee_shown_won": fee.group(1)}).status_code == 302
        profiler.disable()
    ms = (time.perf_counter() - t0) * 1000 / len(forms)
    print_profile(profiler, f"a booking (preview + confirm): {ms:.1f} ms in-process (profiled)")


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    test_db = connection.settings_dict["NAME"]
    try:
        from accounts.roles import Role
        from accounts.tests.factories import UserFactory
        from reservations.models import Reservation, Status

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
            profile_bookings(machines[0], makers[0], first_day)
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

            t0 = time.perf_counter()
            threads = [threading.Thread(target=maker_books, args=(i,)) for i in range(MAKERS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
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

            # The race: every maker confirms the same slot at once on one machine.
            race_machine = machines[0]
            path = f"/book/equipment/{race_machine.pk}/new/"
            outcomes = []
            for round_ in range(5):
                # The last hour of a late day in the booking window, freed first if the run above booked it.
                day = first_day + timedelta(days=14 + 2 * round_)
                form = {"date": day.isoformat(), "start": "17:00", "end": "18:00", "purpose": "경합"}
                while day.weekday() >= 5 or post(port, path, *cookies[0], {**form, "step": "preview"})[0] != 200:
                    day += timedelta(days=1)  # a weekend or a closure (a public holiday): the next open day
                    form = {"date": day.isoformat(), "start": "17:00", "end": "18:00", "purpose": "경합"}
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
