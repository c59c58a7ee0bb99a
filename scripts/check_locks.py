"""The two lock files agree: every package of requirements.lock has the same version in requirements-dev.lock, and
each lock was compiled from the current requirements (every direct requirement is pinned in it).

Run by `make lint` (and so by `make test`); `make lock` rewrites both locks.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        m = PIN.match(line)
        if m:
            out[canonical(m.group(1))] = m.group(2)
    return out


def direct(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        m = REQUIREMENT.match(line)
        if m:
            names.add(canonical(m.group(1)))
    return names


def main() -> int:
    run, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    problems = [
        f"{name}: {version} in requirements.lock, {dev.get(name)} in requirements-dev.lock"
        for name, version in sorted(run.items())
        if dev.get(name) != version
    ]
    problems += [
        f"{name} is required by requirements.txt but not pinned in requirements.lock"
        for name in sorted(direct(ROOT / "requirements.txt") - run.keys())
    ]
    problems += [
        f"{name} is required by requirements-dev.txt but not pinned in requirements-dev.lock"
        for name in sorted(direct(ROOT / "requirements-dev.txt") - dev.keys())
    ]
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print("Run `make lock` to compile the locks again.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
