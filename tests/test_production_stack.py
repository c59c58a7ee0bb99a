"""The production configuration served by gunicorn (DEBUG off) over HTTP: health, static files by WhiteNoise,
security headers, an error page without details."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.support import servers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def gunicorn(seeded, tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (make test provides both)")
    with servers.gunicorn(tmp_path) as url:
        yield url


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_gunicorn_serves_the_portal_with_debug_off(gunicorn):
    status, headers, body = get(gunicorn + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok"}
    status, headers, body = get(gunicorn + "/anchors/")
    html = body.decode()
    assert status == 200 and "금천 스마트솔루션앵커" in html
    assert headers["X-Frame-Options"] == "DENY" and "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers.get("X-Request-ID")
    css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]+\.css)"', html)
    assert css, "static files are served from the hashed manifest"
    status, headers, _ = get(gunicorn + css.group(1))
    assert status == 200 and "max-age" in headers.get("Cache-Control", "")
    status, _, body = get(gunicorn + "/anchors/nowhere/")
    assert status == 404 and "Traceback" not in body.decode()


def test_every_shipped_gunicorn_command_turns_the_control_socket_off():
    """Two gunicorns of one user (two sites, a blue-green deploy, a bench) would otherwise share one socket path."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    commands = [root / "Procfile", *(root / "deploy" / "systemd").glob("*web*.service")]
    for path in commands:
        text = path.read_text()
        lines = [line for line in text.splitlines() if "gunicorn config.wsgi" in line]
        assert lines and all("--no-control-socket" in line for line in lines), path
    for bench in (root / "bench").glob("*.py"):
        text = bench.read_text()
        assert '"gunicorn"' not in text or "--no-control-socket" in text, bench
