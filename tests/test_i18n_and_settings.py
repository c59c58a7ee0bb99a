from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Nothing here reads the date (Makefile: test-later leaves it out).
pytestmark = pytest.mark.dateless
ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _po_entries(text: str):
    """(msgid, msgstr) pairs of a .po file, with multi-line strings joined; the header is skipped."""
    entries, buf, cur = [], {}, None
    for line in text.splitlines() + [""]:
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
        if m:
            cur = m.group(1)
            buf[cur] = m.group(2)
        elif line.startswith('"') and cur:
            buf[cur] += line[1:-1]
        elif not line.strip():
            if "msgid" in buf and buf["msgid"]:
                entries.append((buf["msgid"], buf.get("msgstr", buf.get("msgstr[0]", "")), buf.get("msgctxt")))
            buf, cur = {}, None
    return entries


@pytest.mark.smoke
def test_every_message_has_a_korean_translation_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
    untranslated = [mid for mid, mstr, _ctx in _po_entries(text) if not mstr]
    assert untranslated == []


def test_every_message_of_the_source_is_in_the_catalogue_and_translated(tmp_path):
    """Extract the messages of today's code into a copy of the catalogue: nothing new, nothing left to translate.

    makemessages writes into every locale directory it finds, so it runs in a scratch folder that links to the
    sources and holds its own copy of the catalogue; the repository's catalogue is never touched.
    """
    import shutil

    for entry in ROOT.iterdir():
        if entry.name in ("locale", ".venv", "var", ".git") or entry.name.startswith("."):
            continue
        (tmp_path / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "LOCALE_DIR": str(tmp_path / "locale"),
        "PYTHONPATH": str(ROOT),
    }
    env.setdefault("DATABASE_URL", "sqlite:///:memory:")
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ko", "--symlinks", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = (tmp_path / "locale" / "ko" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [mid for mid, mstr, _ctx in _po_entries(text) if not mstr]
    fuzzy = re.findall(r'#, fuzzy.*\n(?:#\|.*\n)*msgid "(.*)"', text.split("\n\n", 1)[1])
    assert (missing, fuzzy) == ([], []), "run `make messages` and translate the new entries"


@pytest.mark.smoke
def test_the_compiled_catalogue_matches_the_po_file():
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    stale = []
    for mid, _mstr, ctx in _po_entries(PO.read_text(encoding="utf-8")):
        key = mid.encode().decode("unicode_escape") if "\\" in mid else mid
        found = catalogue.pgettext(ctx, key) if ctx else catalogue.gettext(key)
        if found == key:
            stale.append(mid)
    assert stale == [], "run `make messages` to recompile locale/ko/LC_MESSAGES/django.mo"


def test_check_deploy_reports_no_issue_with_production_variables():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "EMAIL_URL": "smtp+tls://user:password@mail.seoul.example:587",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-0123456789",
        "ALLOWED_HOSTS": "anchors.seoul.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_settings_refuse_to_start_without_a_mail_server_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", SECRET_KEY="x" * 60)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "EMAIL_URL must be set when DEBUG is off" in result.stderr


def test_every_job_of_the_schedule_names_a_task_that_exists():
    from importlib import import_module

    from celery import Task

    from config.schedule import SCHEDULE

    for name, spec in SCHEDULE.items():
        module, attr = spec["task"].rsplit(".", 1)
        task = getattr(import_module(module), attr, None)
        assert isinstance(task, Task) and task.name == spec["task"], name
