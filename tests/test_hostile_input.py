"""Hostile input at every URL of the portal: NUL bytes, far, malformed or offset dates, huge and non-numeric ids,
in the path, the query and posted forms, from an anonymous visitor, a maker and a city administrator. Never a 5xx,
and a refused request changes nothing."""

from __future__ import annotations

import re

import pytest

from .test_permission_matrix import MATRIX, objects, users  # noqa: F401  the same URLs and objects

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

QUERIES = [
    "start=9999-12-31T23:00:00&end=0001-01-01T00:00:00&date=9999-12-31&week=9999-12-31&view=week",
    "start=2026-12-03T14:00:00%2B14:00&end=2026-12-03T14:00:00-12:00&date=2026-02-30&week=-1",
    "year=99999999999999999999&month=-1&anchor=%00&q=%00&export=xlsx%00",
    "year=0&month=13&export=csv&start=%00&next=%00",
    "page=99999999999999999999&against=abc&partial=grid&date=0001-01-01",
]
FORM = {
    "date": "9999-12-31",
    "start": "25:99",
    "end": "99:00",
    "reason": "x" * 5000,
    "year": "99999999999999999999",
    "month": "-5",
    "anchor": "nowhere",
    "session": "abc",
    "evidence": "9999999999999999999999",
    "space": "abc",
    "kind": "nothing",
    "months": "99999999999",
    "ends_on": "0000-00-00",
    "starts_at": "9999-12-31T23:59",
    "ends_at": "x",
    "due_on": "99999-01-01",
    "capacity": "-1",
    "accepted_charge_won": "9" * 30,
    "fee_shown_won": "9" * 30,
    "next": "//evil.example/",
    "step": "confirm",
    "action": "attendance",
    "decision": "maybe",
    "language": "xx",
    "q": "'; DROP TABLE x; --",
    "email": "not-an-address",
    "count": "99999",
    "repeat": "hourly",
    "party_size": "99999999999",
}
WITH_NUL = {k: f"{v}\x00" for k, v in FORM.items()}


def _path_variants(url: str) -> list[str]:
    """The URL with each number replaced by a huge one and each word-like segment by a NUL-bearing one."""
    out = []
    parts = url.split("/")
    for i, part in enumerate(parts):
        if part.isdigit():
            out.append("/".join([*parts[:i], "9" * 25, *parts[i + 1 :]]))
        elif part and not part.startswith("?") and re.fullmatch(r"[\w.-]+", part) and i > 1:
            out.append("/".join([*parts[:i], part + "%00x", *parts[i + 1 :]]))
            out.append("/".join([*parts[:i], "x" * 300, *parts[i + 1 :]]))
    return out


@pytest.mark.parametrize("role", ["anonymous", "maker", "city_admin"])
def test_no_hostile_request_to_any_url_gives_a_server_error(client, users, objects, role):  # noqa: F811
    client.raise_request_exception = False  # count a server error as the user would see it: a 500 page
    if users[role] is not None:
        client.force_login(users[role])
    errors = {}
    for _name, (url, _expected) in MATRIX.items():
        url = url.format(**objects)
        for target in [url, *_path_variants(url)]:
            for query in QUERIES:
                status = client.get(f"{target}?{query}").status_code
                if status >= 500:
                    errors[f"GET {target}?{query}"] = status
        for data in (FORM, WITH_NUL):
            status = client.post(url, data).status_code
            if status >= 500:
                errors[f"POST {url} {'with NUL' if data is WITH_NUL else ''}"] = status
            if users[role] is not None:
                client.force_login(users[role])  # the logout URL is in the list too
    assert errors == {}
