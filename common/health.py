"""/healthz: database and broker status as JSON; 200 when both are usable, 503 otherwise."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as err:  # any driver error means "down"; the type varies by backend
        return f"down: {type(err).__name__}"
    return "ok"


def broker_status() -> str:
    """'in-process' on the embedded default (no REDIS_URL), else a ping of the Redis broker."""
    if not settings.REDIS_URL:
        return "in-process"
    import redis  # only when a broker is configured

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as err:
        return f"down: {type(err).__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    db, broker = database_status(), broker_status()
    healthy = db == "ok" and broker in ("ok", "in-process")
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "database": db, "broker": broker},
        status=200 if healthy else 503,
    )


@never_cache
@require_GET
def livez(request):
    """Liveness: the process answers, without touching the database or the broker (and a bare baseline for bench/)."""

    return HttpResponse("ok", content_type="text/plain")
