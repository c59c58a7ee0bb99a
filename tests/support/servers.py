"""The production configuration as real processes for the tests: gunicorn (DEBUG off), and nginx with the
repository's own locations (deploy/nginx/anchor-portal-locations.conf)."""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
LOCATIONS = ROOT / "deploy" / "nginx" / "anchor-portal-locations.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def production_env(tmp_path: Path, **extra) -> dict:
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{base}/{connection.settings_dict['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STATIC_ROOT_OVERRIDE": str(tmp_path / "static"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        **extra,
    }
    env.pop("STATICFILES_STORAGE", None)
    return env


def collected_static(env: dict, tmp_path: Path) -> Path:
    """The production static files, collected once per test run and shared by every gunicorn the tests start, in
    every xdist worker (collectstatic compresses each file: half a minute or more, which each server paid before).
    They are made from the same sources with the same settings each time, so one copy serves them all."""
    base = tmp_path.parent  # this process's pytest temporary folder; under xdist, one per worker beside the others
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    static, done = shared / "collected-static", shared / "collected-static.done"
    with open(shared / "collected-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for the first one's collection
        if not done.exists():
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env={**env, "STATIC_ROOT_OVERRIDE": str(static)},
                check=True,
                timeout=180,
            )
            done.touch()
    return static


@contextmanager
def gunicorn(tmp_path: Path, **extra):
    """The portal under gunicorn with the production settings; yields its base URL."""
    env = production_env(tmp_path, **extra)
    env["STATIC_ROOT_OVERRIDE"] = str(collected_static(env, tmp_path))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/livez")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextmanager
def nginx(tmp_path: Path, upstream: str, media: Path, private: Path):
    """Debian's nginx with the shipped locations, the paths moved to the test's folders; yields its base URL."""
    work = tmp_path / "nginx"
    work.mkdir()
    locations = LOCATIONS.read_text().replace("/srv/anchor-portal/media/", f"{media}/")
    locations = locations.replace("/srv/anchor-portal/private/", f"{private}/")
    (work / "locations.conf").write_text(locations)
    port = free_port()
    temp = "\n".join(
        f"  {kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"""daemon off;
{"user root;" if os.geteuid() == 0 else ""}
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{}}
http {{
  access_log off;
{temp}
  upstream anchor_web {{ server {upstream.removeprefix("http://")}; }}
  server {{
    listen 127.0.0.1:{port};
    server_name 127.0.0.1;
    include {work}/locations.conf;
  }}
}}
"""
    )
    proc = subprocess.Popen(
        ["/usr/sbin/nginx", "-p", str(work), "-c", str(work / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/livez")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
