"""A client written only from the committed OpenAPI schema (docs/api/openapi.yaml): it knows operation ids, path
templates, the security scheme and the response schemas, nothing of the code. With it a maker books, moves and
cancels, and the desk approves, checks in and completes; every answer is checked against the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml

from api import services as api_services
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml").read_text())
TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict, "number": (int, float)}


class SchemaClient:
    """Operations by id, as a generated client would offer them."""

    def __init__(self, http: Any, token: str, language: str = "en") -> None:
        self.http, self.token, self.language = http, token, language
        self.operations = {
            op["operationId"]: (method, path, op)
            for path, item in SCHEMA["paths"].items()
            for method, op in item.items()
            if isinstance(op, dict) and "operationId" in op
        }
        schemes = SCHEMA["components"]["securitySchemes"]
        self.bearer = next(name for name, s in schemes.items() if s.get("scheme") == "bearer")

    def call(self, operation_id: str, *, body: Any = None, query: str = "", **path_params: Any) -> tuple[int, Any]:
        method, template, op = self.operations[operation_id]
        assert any(self.bearer in s for s in op.get("security", [])), f"{operation_id} takes no personal token"
        path = re.sub(r"\{(\w+)\}", lambda m: str(path_params[m.group(1)]), template)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}", "HTTP_ACCEPT_LANGUAGE": self.language}
        url = path + (f"?{query}" if query else "")
        if method == "get":
            response = self.http.get(url, **headers)
        else:
            assert "requestBody" in op or body is None
            response = getattr(self.http, method)(
                url, json.dumps(body or {}), content_type="application/json", **headers
            )
        declared = op["responses"].get(str(response.status_code))
        assert declared is not None, f"{operation_id} answered {response.status_code}, which the schema does not list"
        data = response.json()
        if response.status_code < 400:
            check(data, declared["content"]["application/json"]["schema"], operation_id)
        return response.status_code, data


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        outer = {k: v for k, v in schema.items() if k != "allOf"}
        parts = [resolve(part) for part in schema["allOf"]]
        if len(parts) == 1:
            return {**parts[0], **outer}
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": [], **outer}
        for part in parts:
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return schema


def check(value: Any, schema: dict[str, Any], where: str) -> None:
    """The value has the schema's shape: its type, required properties, enums and items."""
    schema = resolve(schema)
    if "oneOf" in schema:  # e.g. an enum or null: one of them must fit
        failures = []
        for option in schema["oneOf"]:
            try:
                check(value, option, where)
                return
            except AssertionError as err:
                failures.append(err)
        raise AssertionError(f"{where}: {value!r} fits none of {schema['oneOf']}: {failures}")
    if value is None:
        assert schema.get("nullable") or None in schema.get("enum", []), f"{where}: null where the schema says {schema}"
        return
    kind = schema.get("type")
    if kind:
        assert isinstance(value, TYPES[kind]) and not (kind == "integer" and isinstance(value, bool)), (where, value)
    if "enum" in schema:
        assert value in schema["enum"], (where, value)
    if kind == "object" or "properties" in schema:
        missing = set(schema.get("required", [])) - set(value)
        assert not missing, f"{where}: missing {missing}"
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                check(value[name], sub, f"{where}.{name}")
    if kind == "array":
        for i, item in enumerate(value):
            check(item, schema.get("items", {}), f"{where}[{i}]")


def test_a_client_written_from_the_schema_books_moves_and_cancels_and_the_desk_acts(
    client, world, maker, geumcheon_staff
):
    with time_machine.travel(NOW, tick=False):
        me = SchemaClient(client, api_services.token_create(user=maker, name="app", scope="write", now=NOW)[1])
        desk = SchemaClient(
            client, api_services.token_create(user=geumcheon_staff, name="desk", scope="write", now=NOW)[1]
        )

        status, anchors = me.call("anchors_list")
        assert status == 200 and "geumcheon" in [a["slug"] for a in anchors["results"]]
        status, resources = me.call("anchors_resources_list", slug="geumcheon")
        overlock = next(r for r in resources if r["name"] == world["overlock"].name_en)
        status, week = me.call("resources_week_retrieve", key=overlock["key"], query="week=2026-12-03")
        free = next(c for c in week["cells"] if c["state"] == "free" and c["start"].startswith("2026-12-03T14"))
        status, quote = me.call(
            "resources_quote_retrieve",
            key=overlock["key"],
            query=f"start={free['start'].replace('+', '%2B')}&end={at(3, 16).isoformat().replace('+', '%2B')}",
        )
        assert status == 200
        status, booked = me.call(
            "reservations_create",
            body={
                "resource": overlock["key"],
                "start": free["start"],
                "end": at(3, 16).isoformat(),
                "fee_shown_won": quote["total_won"],
            },
        )
        assert status == 201 and booked["status"] == "confirmed" and booked["fee_won"] == quote["total_won"]
        status, clash = me.call(
            "reservations_create",
            body={"resource": overlock["key"], "start": free["start"], "end": at(3, 16).isoformat()},
        )
        assert status == 409 and clash["code"] == "clash" and clash["suggestions"]
        status, moved = me.call(
            "reservation_move", id=booked["id"], body={"start": at(4, 10).isoformat(), "end": at(4, 12).isoformat()}
        )
        assert status == 200 and moved["start"] == at(4, 10).isoformat()
        status, cancelled = me.call(
            "reservation_cancel", id=booked["id"], body={"accepted_charge_won": moved["cancellation_charge_won"]}
        )
        assert status == 200 and cancelled["status"] == "cancelled"

        # A room that needs the desk's approval: the maker asks, the desk approves, checks in and completes.
        sample = next(r for r in resources if r["name"] == world["sample"].name_en)
        status, asked = me.call(
            "reservations_create",
            body={"resource": sample["key"], "start": at(3, 10).isoformat(), "end": at(3, 12).isoformat()},
        )
        assert status == 201 and asked["status"] == "requested"
        status, day = desk.call("anchors_reservations_list", slug="geumcheon", query="day=2026-12-03&status=requested")
        assert [r["id"] for r in day] == [asked["id"]]
        status, refused = me.call("reservation_approve", id=asked["id"])
        assert status == 403 and refused["code"] == "permission_denied"
        status, approved = desk.call("reservation_approve", id=asked["id"])
        assert status == 200 and approved["status"] == "confirmed"
    with time_machine.travel(at(3, 9, 55), tick=False):
        status, checked_in = desk.call("reservation_check_in", id=asked["id"])
        assert status == 200 and checked_in["status"] == "checked_in"
    with time_machine.travel(at(3, 12), tick=False):
        status, completed = desk.call("reservation_complete", id=asked["id"])
        assert status == 200 and completed["status"] == "completed"
        status, mine = me.call("reservations_list", query="when=past")
        assert {r["id"] for r in mine["results"]} == {booked["id"], asked["id"]}
