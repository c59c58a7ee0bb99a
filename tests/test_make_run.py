"""`make run` serves on HOST:PORT, and the links in its e-mails point there (SITE_URL), whatever port is chosen."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

# Nothing here reads the date (Makefile: test-later leaves it out).
pytestmark = pytest.mark.dateless
ROOT = Path(__file__).resolve().parent.parent


def test_make_run_points_e_mail_links_at_the_port_it_serves_on():
    plan = subprocess.run(
        ["make", "-n", "-W", ".venv/.installed", "run", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serve = next(line for line in plan.splitlines() if "runserver" in line)
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in serve and serve.endswith("runserver 127.0.0.1:8123")
    assert all("SITE_URL=" in line for line in plan.splitlines() if "manage.py" in line)
