"""Handing work to the Celery workers without ever making a request wait on Redis.

Everything the portal hands to a worker is already safe in the database (an outbox row, a queued report),
so a broker that is down only delays it until the next periodic run. `hand_over` therefore tries once,
without retrying (the broker's transport options set `max_retries` 0), and after a failure skips the broker
for BROKER_PAUSE_SECONDS, so a Redis outage costs a request nothing more than one refused connection.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

log = logging.getLogger(__name__)
_lock = threading.Lock()
_down_until = 0.0


def broker_paused() -> bool:
    return time.monotonic() < _down_until


def hand_over(task, *args) -> bool:
    """Queue `task(*args)` for a worker; False (and a log line) if the broker is down. Never raises."""
    global _down_until
    if broker_paused():
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception as err:  # kombu and redis raise several types when the broker is unreachable
        with _lock:
            _down_until = time.monotonic() + getattr(settings, "BROKER_PAUSE_SECONDS", 30)
        log.warning("broker unavailable, %s%r waits for the periodic run: %s", task.name, args, err)
        return False
    return True


def reset() -> None:
    """Forget a remembered outage (tests that bring the broker back)."""
    global _down_until
    with _lock:
        _down_until = 0.0
