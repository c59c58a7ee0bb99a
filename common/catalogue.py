"""The reference data every booking reads, kept in each process while nobody changes it.

A booking's preview and confirmation, and every week grid, read the same few rows of the anchor's reference data:
its booking policy, regular opening hours and dated exceptions, published rate tables and weekly quotas. They change
a few times a year and are read on every request, so each process keeps what it read under the *catalogue stamp*: a
counter in the shared cache (common/pagecache.py) that every write to the catalogue's models (the anchors and
facilities apps, booking policies and quotas) moves on when its transaction commits. A value is reused only while
the stamp it was read under is still the current one, so a change is seen by the next request of every process.

A request reads the stamp once, when it first needs it, and before the data: one request sees one version of the
catalogue, and a value read while a change was committing is kept under the stamp from before the change and is
retired by it. A request that writes to the catalogue reads the stamp again afterwards. Outside a request (a task,
a command) the stamp is read at every use. Nothing is kept without the shared cache (the embedded default), while
it fails, or inside a transaction that has itself written to the catalogue (its reads must see its own writes).

Each value is also read again after MAX_AGE_SECONDS, so a change whose bump never reached Redis (a Redis outage
at that moment, in a process that then exits) is seen within a minute all the same. A booking reads the stamp again
once it holds its locks, so the rules under the lock see a change committed while the request was starting.

What is kept is shared by the requests of a process: callers read it and never change it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from common import pagecache

T = TypeVar("T")
MAX_ENTRIES = 4096  # a process that has read this many keeps starts again (dated keys: hours of many weeks)
MAX_AGE_SECONDS = 60.0
_kept: dict[Hashable, tuple[int, float, object]] = {}
_request = threading.local()  # .open: inside a request; .stamp: the stamp it read, if any


def kept(key: Hashable, load: Callable[[], T]) -> T:
    """`load()`'s value, read again only when the catalogue has changed since it was last read in this process."""
    if not pagecache.catalogue_reusable():
        return load()
    stamp = getattr(_request, "stamp", None)
    if stamp is None:
        stamp = pagecache.catalogue_stamp()
        if stamp is None:
            return load()
        if getattr(_request, "open", False):
            _request.stamp = stamp
    found = _kept.get(key)
    now = time.monotonic()
    if found is not None and found[0] == stamp and now - found[1] < MAX_AGE_SECONDS:
        return found[2]  # type: ignore[return-value]
    value = load()
    if len(_kept) >= MAX_ENTRIES:
        _kept.clear()
    _kept[key] = (stamp, now, value)
    return value


def forget_request_stamp() -> None:
    _request.stamp = None


def request_started(**kwargs: Any) -> None:
    _request.open, _request.stamp = True, None


def request_finished(**kwargs: Any) -> None:
    _request.open, _request.stamp = False, None
