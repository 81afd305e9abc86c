"""The OpenAPI contract the front-end team builds from: rules every operation must follow.

These walk the whole spec (and the app's routes, for the security each one really needs), so a route
added tomorrow is held to the same rules without anyone touching this file. Each rule is one test that
lists every offender at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import ASGITransport, AsyncClient

from app import deps
from app.config import Settings
from app.main import create_app
from app.problems import PROBLEM_MEDIA_TYPE
from app.routers.agenda import feed_access
from app.routers.live import stream_access

# One rule for every operationId: `<resource>_<verb>`, snake_case. The resource is what the path names
# (plural for collections: `meeting_requests`, singular for one-per-parent things: `agenda`, `report`);
# the verb comes from this closed list, so names stay predictable for generated clients.
VERBS = (
    "list get create update delete "  # CRUD
    "import export login issue open retry "  # transfers, auth, streams, webhooks
    "accept decline cancel hide unhide swap publish erase record"  # domain actions
).split()
OPERATION_ID = re.compile(rf"^[a-z]+(?:_[a-z]+)*_(?:{'|'.join(VERBS)})$")
METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
ORGANISER = frozenset({"OrganiserToken"})
EITHER = {ORGANISER, frozenset({"ParticipantToken"})}
PUBLIC_OR_ORGANISER = {frozenset(), ORGANISER}  # public; an organiser token shows more (drafts)
FEED = EITHER | {frozenset({"FeedToken"})}
TEXT_TYPES = ("text/", "image/svg+xml")


@pytest.fixture(scope="module")
def app_() -> FastAPI:
    return create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", _env_file=None))  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def spec(app_: FastAPI) -> dict[str, Any]:
    return app_.openapi()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", path, op


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def has_example(spec: dict[str, Any], media: dict[str, Any]) -> bool:
    """An example on the media type, or on the (resolved) schema, its array items or its non-null variant."""
    if "example" in media or "examples" in media:
        return True
    schema = resolve(spec, media.get("schema", {}))
    if "example" in schema or "examples" in schema:
        return True
    if schema.get("type") == "array":
        return has_example(spec, {"schema": schema.get("items", {})})
    variants = [v for v in schema.get("anyOf", []) if v.get("type") != "null"]
    return len(variants) == 1 and has_example(spec, {"schema": variants[0]})


def offenders(spec: dict[str, Any], rule: Callable[[str, dict[str, Any]], list[str]]) -> list[str]:
    found = []
    for where, path, op in operations(spec):
        found += [f"{where}: {problem}" for problem in rule(path, op)]
    return found


async def test_the_served_document_is_the_one_checked(spec: dict[str, Any]) -> None:
    app_ = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", _env_file=None))  # type: ignore[call-arg]
    async with AsyncClient(transport=ASGITransport(app=app_), base_url="http://t") as client:
        served = (await client.get("/openapi.json")).json()
    assert served == spec


def test_operation_ids_follow_one_rule(spec: dict[str, Any]) -> None:
    ids = [op.get("operationId", "") for _, _, op in operations(spec)]
    bad = [
        f"{where}: {op.get('operationId')!r}"
        for where, _, op in operations(spec)
        if not OPERATION_ID.match(op.get("operationId") or "")
    ]
    assert not bad, f"operationId must be <resource>_<verb> with a verb from {VERBS}:\n" + "\n".join(bad)
    assert len(ids) == len(set(ids)), f"operationIds reused: {sorted({i for i in ids if ids.count(i) > 1})}"


def test_every_operation_has_one_described_tag_a_summary_and_a_description(spec: dict[str, Any]) -> None:
    described = {t["name"] for t in spec.get("tags", []) if t.get("description")}

    def rule(path: str, op: dict[str, Any]) -> list[str]:
        out = []
        if len(op.get("tags", [])) != 1:
            out.append(f"tags {op.get('tags')} (want exactly one)")
        out += [f"tag {t!r} not described in the top-level tags" for t in op.get("tags", []) if t not in described]
        out += [f"no {key}" for key in ("summary", "description") if not (op.get(key) or "").strip()]
        return out

    bad = offenders(spec, rule)
    assert not bad, "\n".join(bad)
    assert {t["name"] for t in spec["tags"]} <= {t for _, _, op in operations(spec) for t in op["tags"]}, "unused tag"


def test_request_and_response_bodies_are_typed(spec: dict[str, Any]) -> None:
    def rule(path: str, op: dict[str, Any]) -> list[str]:
        out = []
        for ctype, media in op.get("requestBody", {}).get("content", {}).items():
            if not media.get("schema"):
                out.append(f"request {ctype} has no schema")
        for status, response in op["responses"].items():
            content = response.get("content", {})
            if status == "204" and content:
                out.append("204 with a body")
            elif status.startswith("2") and status != "204" and not content:
                out.append(f"{status} without a content type")
            for ctype, media in content.items():
                schema = media.get("schema") or {}
                if not schema or (ctype == "application/json" and schema.get("type") == "string"):
                    out.append(f"{status} {ctype} untyped ({schema})")
        return out

    bad = offenders(spec, rule)
    assert not bad, "\n".join(bad)


def test_every_error_is_a_documented_problem(spec: dict[str, Any]) -> None:
    def rule(path: str, op: dict[str, Any]) -> list[str]:
        out = []
        responses = op["responses"]
        for status, response in responses.items():
            if status.startswith("4"):
                media = response.get("content", {})
                schema = media.get(PROBLEM_MEDIA_TYPE, {}).get("schema", {})
                if set(media) != {PROBLEM_MEDIA_TYPE} or schema.get("$ref") != "#/components/schemas/Problem":
                    out.append(f"{status} is not only {PROBLEM_MEDIA_TYPE} with the Problem schema: {sorted(media)}")
        if not path.startswith("/api/"):
            return out
        if (op.get("parameters") or op.get("requestBody")) and "422" not in responses:
            out.append("takes input but documents no 422")
        if any(scheme for req in op.get("security", []) for scheme in req) and "401" not in responses:
            out.append("needs a token but documents no 401")
        if any(p["in"] == "path" for p in op.get("parameters", [])) and "404" not in responses:
            out.append("has a path id but documents no 404")
        return out

    bad = offenders(spec, rule)
    assert not bad, "\n".join(bad)
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(problem["properties"])


def test_request_bodies_and_responses_have_examples(spec: dict[str, Any]) -> None:
    def rule(path: str, op: dict[str, Any]) -> list[str]:
        out = []
        for ctype, media in op.get("requestBody", {}).get("content", {}).items():
            if ctype != "multipart/form-data" and not has_example(spec, media):
                out.append(f"request {ctype} has no example")
        for status, response in op["responses"].items():
            for ctype, media in response.get("content", {}).items():
                binary = (media.get("schema") or {}).get("format") == "binary"
                wanted = status.startswith("2") and (ctype.endswith("json") or ctype.startswith(TEXT_TYPES))
                if wanted and not binary and not has_example(spec, media):
                    out.append(f"{status} {ctype} has no example")
        return out

    bad = offenders(spec, rule)
    hint = "add examples (Field(examples=...), json_schema_extra or app/openapi_examples.py):\n"
    assert not bad, hint + "\n".join(bad)


def test_schema_examples_validate(spec: dict[str, Any]) -> None:
    """Every model-level example is a valid instance of its model (a page's, of the page)."""
    import importlib
    import inspect
    import pkgutil

    from pydantic import BaseModel

    from app import schemas
    from app.schemas import common

    models: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(schemas.__path__):
        module = importlib.import_module(f"app.schemas.{info.name}")
        models |= {name: m for name, m in vars(module).items() if inspect.isclass(m) and issubclass(m, BaseModel)}
    bad, checked = [], 0
    for name, schema in spec["components"]["schemas"].items():
        model = models.get(name)
        if name.startswith("Page_") and name[5:-1] in models:
            model = common.Page[models[name[5:-1]]]  # type: ignore[misc]
        for example in schema.get("examples", []) if model else []:
            checked += 1
            try:
                model.model_validate(example)  # type: ignore[union-attr]
            except ValueError as e:
                bad.append(f"{name}: {e}")
    assert not bad, "\n".join(bad)
    assert checked or not any("examples" in s for s in spec["components"]["schemas"].values())


def media_examples(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], Any]]:
    """(where, media type, media object, value) of every example given on a request or response body."""
    for where, _, op in operations(spec):
        bodies = [("request", op.get("requestBody", {})), *op["responses"].items()]
        for label, body in bodies:
            for ctype, media in body.get("content", {}).items():
                values = [media["example"]] if "example" in media else []
                values += [example["value"] for example in media.get("examples", {}).values()]
                yield from ((f"{where}: {label} {ctype}", ctype, media, value) for value in values)


def schema_problems(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    """Why ``value`` is not an instance of ``schema`` (its refs resolved in ``spec``), by JSON Schema 2020-12."""
    import jsonschema_rs  # from the dev dependencies (schemathesis needs it too)

    root = {**schema, "components": spec["components"]}
    validator = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(value)]


def text_problems(spec: dict[str, Any], ctype: str, media: dict[str, Any], text: str) -> list[str]:
    """Why ``text`` is not a body of its media type: a CSV table, a calendar with events, an SVG, SSE messages."""
    import csv
    import io
    import xml.etree.ElementTree as ET

    import icalendar

    if ctype == "text/csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        return [] if len(rows) > 1 and {len(r) for r in rows} == {len(rows[0])} else [f"not a CSV table: {rows}"]
    if ctype == "text/calendar":
        return [] if icalendar.Calendar.from_ical(text).walk("VEVENT") else ["a calendar without a VEVENT"]
    if ctype == "image/svg+xml":
        tag = ET.fromstring(text).tag
        return [] if tag == "{http://www.w3.org/2000/svg}svg" else [f"the root element is {tag}, not an SVG"]
    if ctype == "text/event-stream":
        return sse_problems(spec, media["itemSchema"], text)
    return []


def sse_problems(spec: dict[str, Any], item_schema: dict[str, Any], text: str) -> list[str]:
    """Each message of the stream against the item schema, and its data against the data's content schema."""
    import json

    out, messages = [], 0
    for frame in filter(None, text.split("\n\n")):
        fields = [line.split(": ", 1) for line in frame.split("\n") if not line.startswith(":")]
        data = [v for k, v in fields if k == "data"]
        if not data:  # a frame without data (the greeting sets `retry` only) dispatches no message
            continue
        messages += 1
        message: dict[str, Any] = {k: int(v) if k == "retry" else v for k, v in fields if k != "data"}
        message["data"] = "\n".join(data)
        out += schema_problems(spec, item_schema, message)
        out += schema_problems(spec, item_schema["properties"]["data"]["contentSchema"], json.loads(message["data"]))
    return out if messages else [*out, "no message"]


def test_examples_are_instances_of_their_schemas(spec: dict[str, Any]) -> None:
    """Every example in the document, on a body or on a component schema, validates against the schema beside it
    as a client's JSON Schema validator reads it; text bodies also parse as their media type."""
    bad, checked = [], 0
    for where, ctype, media, value in media_examples(spec):
        checked += 1
        problems = schema_problems(spec, media.get("schema", {}), value)
        if isinstance(value, str) and not ctype.endswith("json"):
            problems += text_problems(spec, ctype, media, value)
        bad += [f"{where}: {problem}" for problem in problems]
    for name, schema in spec["components"]["schemas"].items():
        for example in schema.get("examples", []):
            checked += 1
            bad += [f"components/schemas/{name}: {p}" for p in schema_problems(spec, schema, example)]
    assert not bad, "\n".join(bad)
    assert checked, "no examples found"


def test_lists_page_filter_and_sort_by_one_convention(spec: dict[str, Any]) -> None:
    """Every page (`{items, total, limit, offset}`) takes `limit`, `offset` and a repeatable `sort` whose values
    are a named enum of `field` / `-field`; every query parameter (the filters) is described."""

    def rule(path: str, op: dict[str, Any]) -> list[str]:
        out = []
        query = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
        out += [f"query parameter {n!r} has no description" for n, p in query.items() if not p.get("description")]
        ok = op["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if not ok.get("$ref", "").startswith("#/components/schemas/Page_"):
            return out
        missing = {"limit", "offset", "sort"} - set(query)
        if missing:
            return [*out, f"a page without {sorted(missing)}"]
        limit, offset = query["limit"]["schema"], query["offset"]["schema"]
        if (limit.get("default"), limit.get("minimum"), offset.get("default"), offset.get("minimum")) != (50, 1, 0, 0):
            out.append("limit/offset differ from the convention (limit 1..200 default 50, offset from 0)")
        sort = query["sort"]["schema"]
        items = next((v for v in sort.get("anyOf", [sort]) if v.get("type") == "array"), {}).get("items", {})
        values = resolve(spec, items).get("enum", [])
        if "$ref" not in items or not values:
            out.append(f"sort is not an array of a named enum: {sort}")
        elif not any(v.startswith("-") for v in values) or any(v[1:] not in values for v in values if v[0] == "-"):
            out.append(f"sort values must pair `field` with `-field`: {values}")
        return out

    bad = offenders(spec, rule)
    assert not bad, "\n".join(bad)


def test_enums_are_named_schemas(spec: dict[str, Any]) -> None:
    inline: list[str] = []

    def walk(node: Any, where: str, top: bool) -> None:
        if isinstance(node, dict):
            if "enum" in node and not top:
                inline.append(f"{where}: {node['enum']}")
            for key, value in node.items():
                walk(value, f"{where}/{key}", False)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}", False)

    walk(spec["paths"], "paths", False)
    for name, schema in spec["components"]["schemas"].items():
        walk(schema, f"components/schemas/{name}", True)
    assert not inline, "enums must be named components (StrEnum or a TypeAliasType of a Literal):\n" + "\n".join(inline)


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def expected_security(dependant: Dependant) -> set[frozenset[str]]:
    """Who may call the route, from the dependencies that decide it (not from the spec)."""
    calls = set(_calls(dependant))
    if feed_access in calls:
        return FEED
    if calls & {deps.current_principal, deps.event_member, stream_access}:
        return EITHER
    if deps.current_organiser in calls:
        return {ORGANISER}
    if deps.optional_organiser in calls:
        return PUBLIC_OR_ORGANISER
    return set()


def test_security_matches_who_may_call(app_: FastAPI, spec: dict[str, Any]) -> None:
    schemes = set(spec["components"]["securitySchemes"])
    bad, checked = [], 0
    for route in iter_route_contexts(app_.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        for method in (route.methods or set()) - {"HEAD"}:
            op = spec["paths"][route.path_format][method.lower()]
            declared = {frozenset(req) for req in op.get("security", [])}
            want = expected_security(route.dependant)
            unknown = {s for req in declared for s in req} - schemes
            checked += 1
            if declared != want or unknown:
                bad.append(
                    f"{method} {route.path_format}: security {sorted(map(sorted, declared))}, want "
                    f"{sorted(map(sorted, want))}"
                )
    assert not bad, "\n".join(bad)
    assert checked == len(list(operations(spec))), "some operations were not checked"


async def test_sort_orders_lists_and_every_documented_key_works(
    client: AsyncClient, db: Any, spec: dict[str, Any]
) -> None:
    from tests.factories import auth, check, create_event, create_participant, organiser_token

    token = await organiser_token(client, db)
    event = await create_event(client, token)
    base = f"/api/v1/events/{event['id']}/participants"
    people = [await create_participant(client, token, event["id"], name=name) for name in ("Carla", "Ana", "Bogdan")]
    suggestions = f"{base}/{people[0]['id']}/suggestions"
    names = lambda body: [p["name"] for p in body["items"]]  # noqa: E731
    assert names(check(await client.get(base, params={"sort": "-name"}, headers=auth(token)), 200)) == [
        "Carla",
        "Bogdan",
        "Ana",
    ]
    newest = check(await client.get(base, params=[("sort", "-created_at"), ("sort", "name")], headers=auth(token)), 200)
    assert newest["total"] == 3 and names(newest)[0] == "Bogdan"
    bad = check(await client.get(base, params={"sort": "email"}, headers=auth(token)), 422)
    assert bad["errors"][0]["loc"][:2] == ["query", "sort"]
    # Every value every list documents is accepted (a key missing from the service would be a 500).
    paths = {
        "/api/v1/organisations": "/api/v1/organisations",
        "/api/v1/events": "/api/v1/events",
        "/api/v1/events/{event_id}/participants": base,
        "/api/v1/events/{event_id}/opportunities": f"/api/v1/events/{event['id']}/opportunities",
        "/api/v1/events/{event_id}/meeting-requests": f"/api/v1/events/{event['id']}/meeting-requests",
        "/api/v1/events/{event_id}/meetings": f"/api/v1/events/{event['id']}/meetings",
        "/api/v1/events/{event_id}/deliveries": f"/api/v1/events/{event['id']}/deliveries",
        "/api/v1/events/{event_id}/participants/{participant_id}/suggestions": suggestions,
    }
    for template, url in paths.items():
        param = next(p for p in spec["paths"][template]["get"]["parameters"] if p["name"] == "sort")
        items = next(v for v in param["schema"]["anyOf"] if v.get("type") == "array")["items"]
        for value in resolve(spec, items)["enum"]:
            check(await client.get(url, params={"sort": value}, headers=auth(token)), 200)
