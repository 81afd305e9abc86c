"""The committed contract (openapi.json) equals the code, and no change breaks a v1 client.

The breaking-change check compares a *base* spec with the current one (docs/api-versioning.md):
``OPENAPI_BASE`` (a git ref, e.g. ``origin/main`` in CI) if set, else ``openapi.base.json`` if present,
else the last release tag ``v*``, else ``HEAD``. Within /api/v1 only additive changes pass.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.openapi import SNAPSHOT, current_spec, render

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = ".venv/bin/python -m scripts.openapi"
METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return current_spec()


def test_snapshot_equals_the_code(spec: dict[str, Any]) -> None:
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    text = render(spec)
    if committed != text:
        diff = difflib.unified_diff(committed.splitlines(), text.splitlines(), "openapi.json", "code", lineterm="", n=1)
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"openapi.json differs from the code. Review the change, then regenerate:\n  {REGENERATE}\n{shown}")


# --- breaking changes -------------------------------------------------------------------------


def _git(*args: str) -> str | None:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else None


def base_spec() -> tuple[str, dict[str, Any]] | None:
    ref = os.environ.get("OPENAPI_BASE")
    if not ref:
        pinned = ROOT / "openapi.base.json"
        if pinned.exists():
            return "openapi.base.json", json.loads(pinned.read_text(encoding="utf-8"))
        tag = (_git("describe", "--tags", "--abbrev=0", "--match", "v*") or "").strip()
        ref = tag or "HEAD"
    text = _git("show", f"{ref}:openapi.json")
    return (ref, json.loads(text)) if text else None


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _types(spec: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = _resolve(spec, schema)
    if "anyOf" in schema or "oneOf" in schema:
        return {t for v in schema.get("anyOf", schema.get("oneOf", [])) for t in _types(spec, v)}
    if "type" in schema:
        return {schema["type"]} if isinstance(schema["type"], str) else set(schema["type"])
    return {"object"} if "properties" in schema else set()


def _compare_schema(
    old: dict[str, Any], new: dict[str, Any], o: Any, n: Any, where: str, reading: bool
) -> Iterator[str]:
    """``reading``: the client reads it (a response), so removals break; else it writes it (a request)."""
    o, n = _resolve(old, o), _resolve(new, n)
    old_types, new_types = _types(old, o), _types(new, n)
    if old_types and new_types and not (old_types <= new_types if not reading else new_types <= old_types):
        yield f"{where}: type {sorted(old_types)} -> {sorted(new_types)}"
    removed_values = set(o.get("enum", [])) - set(n.get("enum", [])) if "enum" in n else set()
    if removed_values:
        yield f"{where}: enum values removed {sorted(removed_values)}"
    if reading:
        for prop in set(o.get("properties", {})) - set(n.get("properties", {})):
            yield f"{where}.{prop}: response field removed"
        for prop in set(o.get("required", [])) - set(n.get("required", [])):
            yield f"{where}.{prop}: response field no longer always present"
    else:
        for prop in set(n.get("required", [])) - set(o.get("required", [])):
            yield f"{where}.{prop}: new required request field"
        for prop in set(o.get("properties", {})) - set(n.get("properties", {})):
            yield f"{where}.{prop}: request field removed"
    for prop in set(o.get("properties", {})) & set(n.get("properties", {})):
        if len(where) < 400:  # deep enough for any real document; stops on recursive schemas
            yield from _compare_schema(
                old, new, o["properties"][prop], n["properties"][prop], f"{where}.{prop}", reading
            )
    if "items" in o and "items" in n:
        yield from _compare_schema(old, new, o["items"], n["items"], f"{where}[]", reading)


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for path, item in old["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            new_op = new["paths"].get(path, {}).get(method)
            if new_op is None:
                found.append(f"{where}: operation removed")
                continue
            if op.get("operationId") != new_op.get("operationId"):
                found.append(f"{where}: operationId {op.get('operationId')} -> {new_op.get('operationId')}")
            old_params = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
            new_params = {(p["in"], p["name"]): p for p in new_op.get("parameters", [])}
            for key in old_params.keys() - new_params.keys():
                found.append(f"{where}: parameter {key} removed")
            for key, p in new_params.items():
                if p.get("required") and not old_params.get(key, {}).get("required"):
                    found.append(f"{where}: parameter {key} now required")
                if key in old_params:
                    found += _compare_schema(old, new, old_params[key].get("schema", {}), p.get("schema", {}),
                                             f"{where} {key[1]}", reading=False)  # fmt: skip
            old_body = op.get("requestBody", {}).get("content", {})
            new_body = new_op.get("requestBody", {}).get("content", {})
            if new_op.get("requestBody", {}).get("required") and not op.get("requestBody"):
                found.append(f"{where}: request body now required")
            for ctype in old_body.keys() - new_body.keys():
                found.append(f"{where}: request content type {ctype} removed")
            for ctype in old_body.keys() & new_body.keys():
                found += _compare_schema(old, new, old_body[ctype].get("schema", {}), new_body[ctype].get("schema", {}),
                                         f"{where} body", reading=False)  # fmt: skip
            for status, response in op["responses"].items():
                if not status.startswith("2"):
                    continue
                if status not in new_op["responses"]:
                    found.append(f"{where}: response {status} removed")
                    continue
                new_content = new_op["responses"][status].get("content", {})
                for ctype, media in response.get("content", {}).items():
                    if ctype not in new_content:
                        found.append(f"{where}: {status} {ctype} removed")
                        continue
                    found += _compare_schema(old, new, media.get("schema", {}), new_content[ctype].get("schema", {}),
                                             f"{where} {status}", reading=True)  # fmt: skip
    return sorted(set(found))


def test_no_breaking_change_against_the_base(spec: dict[str, Any]) -> None:
    base = base_spec()
    if base is None:
        pytest.skip("no base openapi.json in git yet (first snapshot): nothing released to break")
    ref, old = base
    found = breaking_changes(old, spec)
    assert not found, (
        f"breaking changes against {ref} (docs/api-versioning.md: v1 changes are additive only; deprecate "
        "instead, or plan /api/v2):\n" + "\n".join(found)
    )


def _doc(**changes: Any) -> dict[str, Any]:
    """A tiny spec: GET /api/v1/things answers a Thing; POST takes a ThingIn."""
    thing: dict[str, Any] = {
        "type": "object",
        "required": ["id", "status"],
        "properties": {"id": {"type": "integer"}, "status": {"$ref": "#/components/schemas/Status"}},
    }
    thing_in: dict[str, Any] = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    status = {"type": "string", "enum": ["open", "closed"]}
    ok = {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
    spec: dict[str, Any] = {
        "paths": {
            "/api/v1/things": {
                "get": {
                    "operationId": "things_list",
                    "parameters": [{"in": "query", "name": "q", "schema": {"type": "string"}}],
                    "responses": ok,
                },
                "post": {
                    "operationId": "things_create",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingIn"}}}
                    },
                    "responses": ok,
                },
            }
        },
        "components": {"schemas": {"Thing": thing, "ThingIn": thing_in, "Status": status}},
    }
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = spec
        for key in parents:
            node = node[key]
        if value is None:
            del node[last]
        else:
            node[last] = value
    return spec


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"components__schemas__Thing__properties__id": None}, "response field removed"),
        ({"components__schemas__Status__enum": ["open"]}, "enum values removed"),
        ({"components__schemas__ThingIn__required": ["name", "size"]}, "new required request field"),
        ({"components__schemas__Thing__properties__id": {"type": "string"}}, "type ['integer'] -> ['string']"),
        ({"paths__/api/v1/things__post": None}, "operation removed"),
        ({"paths__/api/v1/things__get__operationId": "things_all"}, "operationId"),
        ({"paths__/api/v1/things__get__parameters": []}, "parameter ('query', 'q') removed"),
    ],
)
def test_the_checker_catches_each_kind_of_break(change: dict[str, Any], expected: str) -> None:
    found = breaking_changes(_doc(), _doc(**change))
    assert any(expected in line for line in found), found


def test_the_checker_lets_additive_changes_through() -> None:
    added = _doc(
        components__schemas__Thing__properties__note={"type": "string"},  # new response field
        components__schemas__Status__enum=["open", "closed", "archived"],  # new enum value
        components__schemas__ThingIn__properties__size={"type": "integer"},  # new optional request field
    )
    added["paths"]["/api/v1/other"] = {"get": {"operationId": "others_list", "responses": {}}}
    assert breaking_changes(_doc(), added) == []
    assert breaking_changes(current_spec(), current_spec()) == []
