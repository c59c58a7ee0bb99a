"""The apps depend on each other in one direction only (docs/architecture.md): an app imports from the apps before it
in APP_ORDER, never from one after it, so each can be read, and changed, knowing only what comes before it.

Read from the source (every import, at module level or in a function; tests and migrations aside), so a new
import against the order fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

# Nothing here reads the date (Makefile: test-later leaves it out).
pytestmark = pytest.mark.dateless
ROOT = Path(__file__).resolve().parent.parent
APP_ORDER = [
    "common",
    "accounts",
    "anchors",
    "notifications",
    "facilities",
    "tenants",
    "reservations",
    "allocation",
    "programs",
    "budgets",
    "opendata",
    "api",
]
# The project package wires everything together; the scheduler commands in `common` read its schedule.
ALLOWED = {("common", "config")}


def imports_of(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != app and (top in APP_ORDER or top == "config"):
                    found.add((top, f"{rel}:{node.lineno}"))
    return found


def test_every_app_imports_only_from_the_apps_before_it():
    against = []
    for i, app in enumerate(APP_ORDER):
        for target, where in sorted(imports_of(app)):
            if (app, target) in ALLOWED:
                continue
            if target == "config" or APP_ORDER.index(target) > i:
                against.append(f"{app} -> {target} ({where})")
    assert against == []


def test_the_order_is_the_one_the_settings_install():
    from django.conf import settings

    ours = [a for a in settings.INSTALLED_APPS if a in APP_ORDER]
    assert ours == APP_ORDER


def test_tenancy_lives_in_tenants_and_evidence_review_in_accounts():
    from django.apps import apps

    for name in ("Organisation", "Membership", "TenantApplication", "ApplicationReview", "Lease", "TenantKPI"):
        assert apps.get_model("tenants", name)._meta.app_label == "tenants"
    assert not (ROOT / "facilities" / "tenancy.py").exists()
    from accounts import views

    assert hasattr(views, "EvidenceReviewView") and hasattr(views, "EvidenceFileView")


def test_every_write_without_signals_retires_the_cached_pages():
    """QuerySet.update(), bulk_update() and bulk_create() send no post_save, so the pages' cache
    (common/pagecache.py) would not hear of them: the function that writes so calls pagecache.touch(), unless the
    model is one no cached page shows (pagecache.UNCACHED_MODELS). Read from the syntax tree: a queryset held in a
    variable, a related manager or a chain over several lines is found as well as `Model.objects….update()`."""
    from common.pagecache import UNCACHED_MODELS

    writes = {"update", "bulk_update", "bulk_create"}
    queryset_like = ("objects", "_set", "_default_manager", ".filter(", ".exclude(", ".select_for_update(", "qs")
    missing = []
    for app in APP_ORDER:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or "/migrations/" in rel:
                continue
            tree = ast.parse(path.read_text())
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                touches = any(
                    isinstance(n, ast.Call) and ast.unparse(n.func) == "pagecache.touch" for n in ast.walk(func)
                )
                for node in ast.walk(func):
                    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                        continue
                    if node.func.attr not in writes:
                        continue
                    receiver = ast.unparse(node.func.value)
                    if not any(mark in receiver for mark in queryset_like):
                        continue  # a dict's or a Counter's update()
                    model = receiver.split(".", 1)[0]
                    if model not in UNCACHED_MODELS and not touches:
                        missing.append(f"{rel}:{node.lineno} {receiver}.{node.func.attr}() in {func.name}()")
    assert not missing, missing


def test_no_translated_text_is_written_inside_an_f_string():
    """makemessages cannot read a call inside an f-string: `f"({_('example allocation')})"` was never extracted,
    so Korean pages showed it in English. Translated text is named outside the f-string and used in it."""
    translating = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
    found = []
    for app in [*APP_ORDER, "config"]:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or "/migrations/" in rel:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in translating
                    ):
                        found.append(f"{rel}:{inner.lineno} {ast.unparse(inner)}")
    assert not found, found


def test_every_apps_tests_are_collected_by_the_suite():
    """An app's tests/ folder outside pytest.ini's testpaths would never run in `make test` (the API's did not)."""
    import configparser

    parser = configparser.ConfigParser()
    parser.read(ROOT / "pytest.ini")
    collected = set(parser["pytest"]["testpaths"].split())
    with_tests = {p.parent.name for p in ROOT.glob("*/tests") if p.is_dir() and p.parent.name != ".venv"}
    assert with_tests - collected == set(), f"not collected: {with_tests - collected}"


def test_a_row_lock_with_joined_rows_names_the_rows_it_locks():
    """`select_for_update()` with `select_related()` locks every joined row too (the organisation of a lease, the
    room of a session): a lock meant for one row must say so with `of=("self",)`."""
    import re

    # One chained expression: no assignment or statement between the calls, at most a filter or two.
    pattern = re.compile(
        r"select_for_update\(\)[^=;\n]{0,80}?\.select_related\(|select_related\([^)]*\)[^=;\n]{0,80}?\.select_for_update\(\)"
    )
    found = []
    for app in APP_ORDER:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            text = re.sub(r"\s*\n\s*", " ", path.read_text())  # one chained expression on several lines
            found += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert found == []
