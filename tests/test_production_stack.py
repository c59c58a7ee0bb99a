"""The production configuration served by gunicorn (DEBUG off) over HTTP: health, static files by WhiteNoise,
security headers, an error page without details."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(seeded, tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (make test provides both)")
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{base}/{connection.settings_dict['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STATIC_ROOT_OVERRIDE": str(tmp_path / "static"),
    }
    env.pop("STATICFILES_STORAGE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base_url + "/healthz", timeout=1)
            break
        except Exception:
            time.sleep(0.2)
    yield base_url
    proc.terminate()
    proc.wait(timeout=20)


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
