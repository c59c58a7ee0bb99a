"""Whole pages kept in the shared cache, never stale after a write: the public pages for every visitor without a
session, and a logged-in browser's own pages for that browser only.

What may be cached is the view's choice: `page_cache = "public"` (the same for every visitor: anchors, facilities,
rates, programmes, budget books, public calendar feeds) or `page_cache = "session"` (a user's own page: the booking
week, my reservations, the desk, reports, history). A public page is also kept per session for logged-in users.

A page is stored only for a GET that is not an htmx fragment and carries no messages cookie, answered 200 without a
new cookie. A shared page is stored only when nothing of the visitor is in it (no session, no CSRF token); a
session's page is keyed by that browser's session and CSRF cookies, so it is only ever served back to the browser it
was made for (the same user, the same token in its forms), never to another session, user, role or language.

Every entry carries the *data stamp* it was rendered under: one counter in the shared cache that every write to the
portal's models moves on (post_save, post_delete and m2m_changed, sessions and groups included, and `touch()` where
code writes with `QuerySet.update()`) when the write's transaction commits, or at once outside a transaction. A
request serves an entry only when its stamp is the current one, so:

- a write is visible on the next request, whoever made it (the stamp moved, every entry is ignored);
- a reader that rendered while the write's transaction was open saw the data from before it and stored its page
  under the stamp from before the commit, which the commit retires;
- entries also carry the minute they were rendered in and are not served after it, for what changes with the
  clock alone (a registration closing, a session expiring, today's bookings becoming yesterday's);
- a deploy, or a change made outside the portal (SQL by hand), is followed by `manage.py pagecache_touch`.

A served entry costs one Redis round trip and no database query. Responses carry an ETag (a hash of the body) and a
conditional GET answers 304. The cost of the stamp is that any write retires every page: the cache pays off while
pages are read more often than the portal is written to, and bench/pages.py reports the pages rendered as well.

A second counter, the catalogue stamp, moves only with writes to the reference data (anchors, facilities, rate
tables, booking policies, quotas): common/catalogue.py keeps those reads in each process while it stands still, so
bookings, which move the data stamp, do not make every booking re-read the rules' data.

The cache is the "pages" cache: Redis (PAGE_CACHE_URL, else REDIS_URL) shared by every web process and worker.
Without Redis (the embedded default) it is Django's dummy cache, so nothing is cached and nothing can go stale
between processes. A cache that fails (Redis down or slow) is left alone for a few seconds per process: pages are
rendered as if nothing were cached, a write waits for at most one timeout, and the stamp is moved on before
anything is served again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from common.language import request_language

log = logging.getLogger(__name__)

STAMP_KEY = "stamp"
# The second counter: moved only by writes to the reference data the booking rules and the week grids read on every
# request (common/catalogue.py keeps those reads in each process while it stands still).
CATALOGUE_KEY = "catalogue"
CATALOGUE_APPS = frozenset({"anchors", "facilities"})
CATALOGUE_MODELS = frozenset(
    {
        "reservations.bookingpolicy",
        "reservations.quota",
        "allocation.allocationpolicy",
        "allocation.lotterywindow",
        "billing.billingpolicy",
    }
)
# The apps whose models pages show: a write to any of their models retires every cached page.
# Besides the project's own apps (those whose code lives in this repository, see watched_apps): a logout (its
# session deleted) retires the pages kept for that session, and roles are groups.
ALSO_WATCHED = frozenset({"sessions", "auth"})
# Models no cached page shows (the outbox is the staff's delivery log, never cached): their QuerySet.update() calls need no touch().
# tests/test_architecture.py holds every other update(), bulk_update() and bulk_create() to a touch() in its module.
UNCACHED_MODELS = frozenset({"Outbox", "ApiToken", "IdempotencyRecord"})  # the API tokens page is never cached
# Response headers a stored page keeps; the outer middleware (request id, security, CSP) adds its own on every request.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Vary",
    "X-Frame-Options",
    "Access-Control-Allow-Origin",  # the open-data files may be read by any site's script
)
MAX_QUERY_STRING = 300  # longer query strings are rendered, never stored (a flood of unique URLs fills nothing)


def etag_of(body: bytes) -> str:
    """The ETag of a response body (pages kept here and the API's answers): a hash of the bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """The client already holds this body: `If-None-Match` names the ETag (among others, weak or not)."""
    asked = request.headers.get("If-None-Match", "")
    return bool(asked) and etag in (tag.strip().removeprefix("W/") for tag in asked.split(","))


def _cache() -> BaseCache:
    return caches["pages"]


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", False))


# After a failure the cache is left alone for a few seconds (per process), so a Redis that does not answer costs
# one timeout, not one per write or per request; writes made meanwhile are not lost: the first request after the
# pause bumps the stamp before anything is served again.
OUTAGE_PAUSE_SECONDS = 5.0
_state = {"down_until": 0.0, "missed": False}


def _failed(what: str) -> None:
    log.warning("page cache: %s failed; pages are rendered for %s s", what, OUTAGE_PAUSE_SECONDS, exc_info=True)
    _state["down_until"] = time.monotonic() + OUTAGE_PAUSE_SECONDS


def _bump(catalogue: bool = True) -> bool:
    """Move the data stamp on, and the catalogue's with it unless `catalogue` is False (a write to other data);
    False when the cache could not be told (the pages then wait for the next bump, which moves both)."""
    if time.monotonic() < _state["down_until"]:
        _state["missed"] = True
        return False
    cache = _cache()
    # The catalogue's stamp first: a page rendered between the two is then stored under the pages' old stamp.
    names = (CATALOGUE_KEY, STAMP_KEY) if catalogue or _state["missed"] else (STAMP_KEY,)
    try:
        client = getattr(getattr(cache, "_cache", None), "get_client", None)
        if client is not None:  # Redis: SET NX and INCR in one round trip
            keys = [cache.make_and_validate_key(name) for name in names]
            pipe = client(keys[0], write=True).pipeline(transaction=False)
            for key in keys:
                # A missing stamp (a new or flushed Redis) starts from the clock, so it never repeats a stamp pages
                # were stored under before.
                pipe.set(key, time.time_ns(), nx=True)
                pipe.incr(key)
            pipe.execute()
        else:
            for name in names:
                cache.add(name, time.time_ns(), None)
                cache.incr(name)
    except Exception:
        _state["missed"] = True
        _failed("bumping the data stamp")
        return False
    _state["missed"] = False  # any bump retires every page stored before it, the missed writes' included
    return True


def _available() -> bool:
    if time.monotonic() < _state["down_until"]:
        return False
    return _bump() if _state["missed"] else True


def _bump_on_commit() -> None:
    _bump()


def _bump_pages_on_commit() -> None:
    _bump(catalogue=False)


def _registered(conn: Any, callback: Callable[[], None]) -> bool:
    return any(entry[1] is callback for entry in conn.run_on_commit)


def touch(using: str = DEFAULT_DB_ALIAS, catalogue: bool = True) -> None:
    """Retire every cached page when the current transaction commits (at once outside a transaction), and the
    catalogue kept by common/catalogue.py unless `catalogue` is False (the write touched none of its models).

    A page rendered while the transaction is open shows the data from before it and was stored under the stamp
    from before the commit, which the commit's bump retires. Tests, whose transactions never commit, set
    PAGE_CACHE_BUMP_IN_TRANSACTION to bump at every write as well.
    """
    if not enabled():
        return
    if catalogue:
        from common.catalogue import forget_request_stamp  # a cycle: the catalogue reads its stamp from here

        forget_request_stamp()  # this request reads the stamp again: its writes may have moved it
    conn = connections[using]
    if not conn.in_atomic_block:
        _bump(catalogue)
        return
    if getattr(settings, "PAGE_CACHE_BUMP_IN_TRANSACTION", False):
        _bump(catalogue)
    # One commit bump per transaction however many rows it writes (a rolled-back savepoint drops it, and the next
    # write registers it again); a transaction that wrote to the catalogue moves both stamps.
    if _registered(conn, _bump_on_commit):
        return
    if catalogue:
        transaction.on_commit(_bump_on_commit, using=using)
    elif not _registered(conn, _bump_pages_on_commit):
        transaction.on_commit(_bump_pages_on_commit, using=using)


def catalogue_reusable(using: str = DEFAULT_DB_ALIAS) -> bool:
    """False when what was read before may not be reused: no shared cache (the embedded default), or a transaction
    that has itself written to the catalogue and not yet committed (its own reads must see its writes)."""
    if not enabled():
        return False
    conn = connections[using]
    return not (
        conn.in_atomic_block
        and not getattr(settings, "PAGE_CACHE_BUMP_IN_TRANSACTION", False)
        and _registered(conn, _bump_on_commit)
    )


def _start(name: str) -> Any:
    """A stamp missing from a new or flushed cache, started from the clock: never one anything was stored under."""
    cache = _cache()
    cache.add(name, time.time_ns(), None)
    return cache.get(name)


def catalogue_stamp() -> int | None:
    """The catalogue's stamp now, from the shared cache; None when the cache fails."""
    if not _available():
        return None
    cache = _cache()
    try:
        stamp = cache.get(CATALOGUE_KEY)
        if stamp is None:
            stamp = _start(CATALOGUE_KEY)
    except Exception:
        _failed("reading the catalogue stamp")
        return None
    return int(stamp) if stamp is not None else None


def watched_apps() -> frozenset[str]:
    """The labels of the apps whose writes retire pages: every installed app of this project, and ALSO_WATCHED."""
    root = str(settings.BASE_DIR)
    own = {
        config.label
        for config in apps.get_app_configs()
        if str(config.path).startswith(root + "/") and "site-packages" not in str(config.path)  # not the venv's
    }
    return frozenset(own) | ALSO_WATCHED


def in_catalogue(model: Any) -> bool:
    meta = model._meta
    return meta.app_label in CATALOGUE_APPS or meta.label_lower in CATALOGUE_MODELS


def on_write(sender: Any, **kwargs: Any) -> None:
    """Signal receiver (connected in common.apps for the watched apps' models)."""
    touch(kwargs.get("using") or DEFAULT_DB_ALIAS, catalogue=in_catalogue(sender))


def _scope(request: HttpRequest) -> str | None:
    """ "public" for a visitor without a session, "session" for a logged-in browser that holds its CSRF cookie, None
    for what is never cached (another method, htmx fragments, a request carrying messages to show)."""
    cookies = request.COOKIES
    if (
        request.method not in ("GET", "HEAD")
        or "HTTP_HX_REQUEST" in request.META
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
    ):
        return None
    if settings.SESSION_COOKIE_NAME not in cookies:
        return "public"
    return "session" if settings.CSRF_COOKIE_NAME in cookies else None


def _key(request: HttpRequest, scope: str) -> str | None:
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_STRING:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:  # answered 400 further in, as without the cache
        return None
    cookies = request.COOKIES
    if scope == "public":
        who = f"public|{request_language(request)}"
    else:
        # One browser's session: its session and CSRF cookies (the page holds a token made from the latter), and the
        # language it chose; without a chosen language the page is in the user's saved one, fixed for the session
        # unless the user changes it, which is a write.
        who = "|".join(
            (
                "session",
                cookies[settings.SESSION_COOKIE_NAME],
                cookies[settings.CSRF_COOKIE_NAME],
                cookies.get(settings.LANGUAGE_COOKIE_NAME, "-"),
            )
        )
    raw = f"{who}|{request.scheme}|{host}|{request.path}?{query}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _view_allows(request: HttpRequest) -> str | None:
    """The view's `page_cache` ("public", "session" or None), from the URL as Django will resolve it."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    view = getattr(match.func, "view_class", match.func)
    return getattr(view, "page_cache", None)


def _minute() -> int:
    return int(time.time() // 60)


class PageCacheMiddleware:
    """Serves and stores the pages views allow (see the module's docstring for the rules)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = _scope(request) if enabled() else None
        allowed = request._page_cache_allowed = _view_allows(request) if scope else None  # type: ignore[attr-defined]
        if scope == "public" and allowed != "public" or scope == "session" and allowed is None:
            scope = None  # a page this cache never keeps costs no lookup
        key = _key(request, scope) if scope else None
        if key is None:
            return self.get_response(request)
        if not _available():
            return self.get_response(request)
        minute = _minute()
        try:
            found = _cache().get_many([STAMP_KEY, key])
            stamp, entry = found.get(STAMP_KEY), found.get(key)
            if stamp is None:
                stamp = _start(STAMP_KEY)
        except Exception:
            _failed("the lookup")
            return self.get_response(request)
        if entry is not None and entry["stamp"] == stamp and entry["minute"] == minute:
            return self._respond(request, entry)
        response = self.get_response(request)
        if stamp is not None and scope is not None and self._storable(request, response, scope):
            # The same URL answers an htmx request with a fragment: browsers must not reuse one for the other.
            patch_vary_headers(response, ("HX-Request",))
            entry = {
                "stamp": stamp,
                "minute": minute,
                "etag": etag_of(response.content),
                "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                "body": response.content,
                "cache_control": "no-cache" if scope == "public" else "private, no-cache",
            }
            try:
                _cache().set(key, entry, 90)
            except Exception:
                _failed("storing a page")
            response["ETag"] = entry["etag"]
            response["Cache-Control"] = entry["cache_control"]
            if etag_matches(request, entry["etag"]):
                return self._respond(request, entry)
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse, scope: str) -> bool:
        allowed = getattr(request, "_page_cache_allowed", None)
        if scope == "public":
            # Shared by every visitor: nothing of this visitor's may be in it. A page holding a CSRF token sets (or
            # renews) the CSRF cookie, so "no cookie set" keeps tokens out as well as sessions and messages.
            fits = allowed == "public" and not response.cookies
        else:
            # This browser's own: only the renewal of the CSRF cookie it already holds may be set (a new session, a
            # new token or a message would be a cookie the cached copy could not set again).
            csrf = response.cookies.get(settings.CSRF_COOKIE_NAME)
            fits = (
                allowed in ("public", "session")
                and getattr(request, "user", None) is not None
                and request.user.is_authenticated
                and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
                and (csrf is None or csrf.value == request.COOKIES.get(settings.CSRF_COOKIE_NAME))
            )
        return (
            fits
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("Cache-Control")  # a view that set its own caching rules keeps them
        )

    @staticmethod
    def _respond(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        if etag_matches(request, entry["etag"]):
            response: HttpResponse = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["body"] if request.method == "GET" else b"")
            if request.method == "HEAD":
                response["Content-Length"] = str(len(entry["body"]))
        for header, value in entry["headers"].items():
            response[header] = value
        response["ETag"] = entry["etag"]
        response["Cache-Control"] = entry["cache_control"]
        return response
