"""Who may call what: every route of the app as six callers, and what participants get to see.

The callers: anonymous, the participant themself (``me``), another participant of the same event
(``peer``), a participant of another event (``outsider``), the organiser of another event and the
organiser of this event. ``MATRIX`` has one row per route of ``app.routes`` (a new route without a
row fails ``test_every_route_has_a_row``) with the status each caller must get. Every call starts
from the same seeded world (tests/access_world.py): a successful change is rolled back by restoring
the snapshot before the next caller.

Every answer to a caller other than the event's organiser is also searched for what must not reach
them: the email address or personal token of any other participant, anything of a participant who
did not consent to be listed (in any format: JSON, CSV, iCalendar, SVG, event streams, problem
details), and the private fields of any other participant's profile in JSON (``email``,
``session_ids``, ``blocked_slots``, ``max_meetings`` must be null).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import Mount

from app.config import Settings
from app.main import create_app
from tests.access_world import UNLISTED_NAME, UNLISTED_OFFER, Snapshot, World, fresh, restore, seeded
from tests.factories import auth, check, event_body, participant_body

ROLES = ("anonymous", "me", "peer", "outsider", "other_organiser", "organiser")
CALLER = ("203.0.113.7", 41000)  # not loopback: operator-only routes treat loopback callers as local
PRIVATE_FIELDS = ("email", "session_ids", "blocked_slots", "max_meetings")

Expect = tuple[int, int, int, int, int, int]


def public(ok: int) -> Expect:
    return (ok, ok, ok, ok, ok, ok)


def signed_in(ok: int) -> Expect:
    return (401, ok, ok, ok, ok, ok)


def any_organiser(ok: int) -> Expect:
    return (401, 403, 403, 403, ok, ok)


def event_organisers(ok: int) -> Expect:
    return (401, 403, 403, 403, 403, ok)


def event_members(ok: int) -> Expect:
    return (401, ok, ok, 403, 403, ok)


def self_or_organisers(ok: int) -> Expect:
    """Routes on ``me``'s own resources: ``peer`` is another participant of the event."""
    return (401, ok, 403, 403, 403, ok)


Body = Callable[[World], Any]


@dataclass(frozen=True)
class Row:
    expect: Expect
    json: Body | None = None
    form: Body | None = None
    url: str | None = None  # instead of the route's path (a mount's file, a query string)
    stream: bool = False
    jobs: bool = False  # starts background jobs: wait for them before restoring
    data: bool = True  # False: a document about the API (its examples are not anyone's data)


E = "/api/v1/events/{event_id}"
P = E + "/participants/{me}"

MATRIX: dict[tuple[str, str], Row] = {
    # auth
    ("POST", "/api/v1/auth/token"): Row(
        public(200), form=lambda w: {"username": "organiser@world.example", "password": "world-password-1"}
    ),
    ("GET", "/api/v1/auth/me"): Row(signed_in(200)),
    # organisations and sectors
    ("GET", "/api/v1/organisations"): Row(public(200)),
    ("POST", "/api/v1/organisations"): Row(
        any_organiser(201), json=lambda w: {"name": "Access Test Org", "kind": "company", "country": "DE"}
    ),
    ("GET", "/api/v1/organisations/{organisation_id}"): Row(public(200)),
    ("PATCH", "/api/v1/organisations/{organisation_id}"): Row(event_organisers(200), json=lambda w: {"city": "Cluj"}),
    ("DELETE", "/api/v1/organisations/{organisation_id}"): Row(event_organisers(204)),
    ("GET", "/api/v1/organisations/{organisation_id}/members"): Row(public(200)),
    ("GET", "/api/v1/sectors"): Row(public(200)),
    ("POST", "/api/v1/sectors"): Row(any_organiser(201), json=lambda w: {"slug": "space-tech", "name": "Space"}),
    # events
    ("POST", "/api/v1/events"): Row(any_organiser(201), json=lambda w: event_body()),
    ("GET", "/api/v1/events"): Row(public(200)),
    ("GET", E): Row(public(200)),
    ("PATCH", E): Row(event_organisers(200), json=lambda w: {"venue": "Hall B"}),
    ("DELETE", E): Row(event_organisers(204)),
    ("GET", E + "/export"): Row(event_organisers(200)),
    ("POST", "/api/v1/events/import"): Row(
        any_organiser(201), json=lambda w: w.extra["document"], url="/api/v1/events/import?slug=copy&tokens=drop"
    ),
    # participants and opportunities
    ("GET", E + "/participants"): Row(event_members(200)),
    ("POST", E + "/participants"): Row(event_organisers(201), json=lambda w: participant_body()),
    ("POST", E + "/participants/import"): Row(
        event_organisers(200), json=lambda w: {"participants": [participant_body()]}
    ),
    ("GET", E + "/participants/export"): Row(event_organisers(200)),
    ("GET", P): Row(event_members(200)),
    ("PATCH", P): Row(self_or_organisers(200), json=lambda w: {"job_title": "CTO"}),
    ("DELETE", P): Row(event_organisers(204)),
    ("POST", P + "/erase"): Row(self_or_organisers(200)),
    ("POST", P + "/access-token"): Row(event_organisers(200)),
    ("GET", E + "/opportunities"): Row(event_members(200)),
    ("POST", P + "/opportunities"): Row(
        self_or_organisers(201), json=lambda w: {"direction": "offer", "title": "Test bench time"}
    ),
    ("PATCH", P + "/opportunities/{opportunity_id}"): Row(self_or_organisers(200), json=lambda w: {"title": "New"}),
    ("DELETE", P + "/opportunities/{opportunity_id}"): Row(self_or_organisers(204)),
    # matching
    ("POST", E + "/matching-runs"): Row(event_organisers(202), jobs=True),
    ("GET", E + "/matching-runs/{matching_run}"): Row(event_organisers(200)),
    ("GET", P + "/suggestions"): Row(self_or_organisers(200)),
    ("POST", P + "/suggestions/{peer}/hide"): Row(self_or_organisers(204)),
    ("DELETE", P + "/suggestions/{fourth}/hide"): Row(self_or_organisers(204)),
    # meeting requests and meetings
    ("POST", E + "/meeting-requests"): Row(
        (401, 201, 403, 403, 403, 201), json=lambda w: {"from_participant_id": w.me, "to_participant_id": w.fourth}
    ),
    ("GET", E + "/meeting-requests"): Row(event_members(200)),
    ("POST", E + "/meeting-requests/{incoming_request}/accept"): Row(self_or_organisers(200)),
    ("POST", E + "/meeting-requests/{incoming_request}/decline"): Row(self_or_organisers(200)),
    ("POST", E + "/meeting-requests/{outgoing_request}/cancel"): Row(self_or_organisers(200)),
    ("GET", E + "/slots"): Row(event_members(200)),
    ("GET", E + "/meetings"): Row(event_members(200)),
    ("POST", E + "/meetings"): Row(event_organisers(201), json=lambda w: {"participant_ids": [w.third, w.fourth]}),
    ("PATCH", E + "/meetings/{my_meeting}"): Row(event_organisers(200), json=lambda w: {"locked": True}),
    ("POST", E + "/meetings/{my_meeting}/swap"): Row(
        event_organisers(200), json=lambda w: {"with_meeting_id": w.other_meeting}
    ),
    ("POST", E + "/meetings/{my_meeting}/cancel"): Row(self_or_organisers(200)),
    ("POST", P + "/no-show"): Row(event_organisers(200), json=lambda w: {}),
    ("POST", E + "/schedule-runs"): Row(event_organisers(202), json=lambda w: {"time_limit": 2}, jobs=True),
    ("GET", E + "/schedule-runs/{schedule_run}"): Row(event_organisers(200)),
    ("POST", E + "/schedule/publish"): Row(event_organisers(204)),
    # agendas, exports, reports
    ("GET", P + "/agenda"): Row(self_or_organisers(200)),
    ("GET", P + "/agenda.ics"): Row(self_or_organisers(200)),
    ("GET", E + "/meetings/export"): Row(event_organisers(200)),
    ("GET", E + "/table-plan"): Row(event_organisers(200)),
    ("GET", E + "/report"): Row(event_organisers(200)),
    ("GET", E + "/report/meetings-per-participant.svg"): Row(event_organisers(200)),
    # live updates and webhooks
    ("GET", P + "/stream"): Row(self_or_organisers(200), stream=True),
    ("GET", E + "/stream"): Row(event_organisers(200), stream=True),
    ("POST", E + "/stream-tickets"): Row(event_members(201)),
    ("POST", E + "/webhooks"): Row(
        event_organisers(201), json=lambda w: {"url": "https://hooks.example.org/mm", "secret": "a-secret-of-16-chars"}
    ),
    ("GET", E + "/webhooks"): Row(event_organisers(200)),
    ("GET", E + "/webhooks/{webhook}"): Row(event_organisers(200)),
    ("PATCH", E + "/webhooks/{webhook}"): Row(event_organisers(200), json=lambda w: {"description": "CRM"}),
    ("DELETE", E + "/webhooks/{webhook}"): Row(event_organisers(204)),
    ("GET", E + "/deliveries"): Row(event_organisers(200)),
    ("POST", E + "/deliveries/{delivery}/retry"): Row(event_organisers(200)),
    # operations, documentation, pages
    ("GET", "/healthz"): Row(public(200)),
    ("GET", "/readyz"): Row(public(200)),
    ("GET", "/metrics"): Row(any_organiser(200)),
    ("GET", "/openapi.json"): Row(public(200), data=False),
    ("GET", "/docs"): Row(public(200)),
    ("GET", "/docs/oauth2-redirect"): Row(public(200)),
    ("GET", "/redoc"): Row(public(200)),
    ("MOUNT", "/static-offline-docs"): Row(public(200), url="/static-offline-docs/swagger-ui.css"),
    ("MOUNT", "/ui"): Row(public(200), url="/ui/"),
    ("GET", "/"): Row(public(307)),
}

# The path parameter of each route, named for the world's id it takes.
PATH_IDS = {
    "{event_id}": "{event}",
    "{participant_id}": "{me}",
    "{organisation_id}": "{organisation}",
    "{opportunity_id}": "{opportunity}",
    "{partner_id}": "{peer}",
    "{webhook_id}": "{webhook}",
    "{delivery_id}": "{delivery}",
}


def _route_keys(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, with the matrix's names for ids."""
    keys: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        original = route.original_route
        if isinstance(original, Mount):
            keys.add(("MOUNT", str(route.path)))
            continue
        for method in sorted((route.methods or set()) - {"HEAD"}):
            keys.add((method, str(route.path)))
    return keys


def _matrix_key_for(method: str, path: str) -> tuple[str, str]:
    """The app's path template with generic ids, for comparing with ``app.routes``."""
    generic = (
        path.replace("{me}", "{participant_id}")
        .replace("{peer}", "{partner_id}")
        .replace("{fourth}", "{partner_id}")
        .replace("{webhook}", "{webhook_id}")
        .replace("{delivery}", "{delivery_id}")
    )
    for specific, name in (
        ("{matching_run}", "{run_id}"),
        ("{schedule_run}", "{run_id}"),
        ("{incoming_request}", "{request_id}"),
        ("{outgoing_request}", "{request_id}"),
        ("{my_meeting}", "{meeting_id}"),
    ):
        generic = generic.replace(specific, name)
    return method, generic


def _spec_app() -> FastAPI:
    return create_app(
        Settings(database_url="sqlite+aiosqlite://", secret_key="x" * 40, demo_mode=False, public_url="http://test")
    )


def test_every_route_has_a_row() -> None:
    served = _route_keys(_spec_app())
    covered = {_matrix_key_for(m, p) for m, p in MATRIX}
    assert served - covered == set(), "routes without a row in the access matrix"
    assert covered - served == set(), "rows for routes the app no longer serves"


# --- the world and the callers ------------------------------------------------------------------


@dataclass
class Env:
    app: FastAPI
    client: AsyncClient
    world: World
    snapshot: Snapshot
    engine: AsyncEngine
    calls: list[tuple[str, str, int, str]] = field(default_factory=list)

    def token(self, role: str) -> str | None:
        w = self.world
        return {
            "anonymous": None,
            "me": w.me_token,
            "peer": w.peer_token,
            "outsider": w.outsider_token,
            "other_organiser": w.other_organiser,
            "organiser": w.organiser,
        }[role]


@asynccontextmanager
async def _app(settings: Settings) -> AsyncIterator[tuple[FastAPI, AsyncClient]]:
    app = create_app(settings)
    try:
        async with AsyncClient(transport=ASGITransport(app=app, client=CALLER), base_url="http://test") as client:
            yield app, client
        await app.state.runner.join()
    finally:
        await app.state.engine.dispose()


@pytest.fixture(scope="module")
async def world(settings: Settings, engine: AsyncEngine) -> AsyncIterator[tuple[World, Snapshot]]:
    async with seeded(settings, engine) as (world, snapshot):
        async with _app(settings) as (_, client):
            document = await client.get(f"/api/v1/events/{world.event}/export", headers=auth(world.organiser))
            world.extra["document"] = check(document, 200)
        yield world, snapshot


@pytest.fixture
async def env(settings: Settings, engine: AsyncEngine, world: tuple[World, Snapshot]) -> AsyncIterator[Env]:
    """The seeded world, restored, and a new app on it (nothing cached outlives the data it was made from)."""
    await restore(engine, world[1])
    async with _app(settings) as (app, client):
        yield Env(app, client, fresh(world[0]), world[1], engine)


def _ids(world: World) -> dict[str, Any]:
    return {
        "event": world.event,
        "me": world.me,
        "peer": world.peer,
        "fourth": world.fourth,
        "organisation": world.my_organisation,
        "opportunity": world.opportunity,
        "webhook": world.webhook,
        "delivery": world.delivery,
        "matching_run": world.matching_run,
        "schedule_run": world.schedule_run,
        "incoming_request": world.incoming_request,
        "outgoing_request": world.outgoing_request,
        "my_meeting": world.my_meeting,
    }


def _url(method: str, path: str, row: Row, world: World) -> str:
    if row.url is not None:
        return row.url
    for generic, specific in PATH_IDS.items():
        path = path.replace(generic, specific)
    ids = _ids(world)
    if method == "DELETE" and path.startswith("/api/v1/organisations/"):
        ids["organisation"] = world.cluster  # nobody represents the cluster: it may be deleted
    return path.format(**ids)


async def _open_stream(app: FastAPI, url: str, headers: dict[str, str]) -> tuple[int, str]:
    """Status and what a never-ending response (SSE) sent within a moment."""
    status, body, started = 0, bytearray(), asyncio.Event()
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"test")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": CALLER,
        "server": ("test", 80),
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected until cancelled
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            started.set()
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    task = asyncio.create_task(app(scope, receive, send))
    await asyncio.wait_for(started.wait(), 30)
    await asyncio.wait({task}, timeout=0.5)  # an error ends at once; a stream replays the world's events
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return status, body.decode(errors="replace")


async def _call(env: Env, method: str, path: str, row: Row, role: str) -> tuple[int, str]:
    token = env.token(role)
    headers = auth(token) if token else {}
    url = _url(method, path, row, env.world)
    if row.stream:
        return await _open_stream(env.app, url, headers | {"Last-Event-ID": "0"})
    kwargs: dict[str, Any] = {"headers": headers}
    if row.json is not None:
        kwargs["json"] = row.json(env.world)
    if row.form is not None:
        kwargs["data"] = row.form(env.world)
    response = await env.client.request("GET" if method == "MOUNT" else method, url, **kwargs)
    return response.status_code, response.text


# --- what must not reach a caller ----------------------------------------------------------------


def _own_participant(world: World, role: str) -> int | None:
    return {"me": world.me, "peer": world.peer, "outsider": world.outsider}.get(role)


def _profiles(value: Any) -> list[dict[str, Any]]:
    """Every participant profile in a JSON document (objects with an id, an email key and session_ids)."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if {"id", "email", "session_ids"} <= value.keys() and isinstance(value["id"], int):
            found.append(value)
        for v in value.values():
            found += _profiles(v)
    elif isinstance(value, list):
        for v in value:
            found += _profiles(v)
    return found


def leaks(world: World, role: str, text: str, *, data: bool = True) -> list[str]:
    """What of other participants' private data ``text`` (an answer to ``role``) contains."""
    if role == "organiser":
        return []
    own = _own_participant(world, role)
    problems = [f"email of participant {pid}" for pid, email in world.emails.items() if pid != own and email in text]
    tokens = {world.me: world.me_token, world.peer: world.peer_token, world.outsider: world.outsider_token}
    problems += [f"token of participant {pid}" for pid, token in tokens.items() if pid != own and token in text]
    problems += [f"the unlisted participant's {what}" for what in (UNLISTED_NAME, UNLISTED_OFFER) if what in text]
    with contextlib.suppress(ValueError):
        for profile in _profiles(json.loads(text)) if data else []:
            if profile["id"] != own:
                shown = [f for f in PRIVATE_FIELDS if profile.get(f) is not None]
                problems += [f"{f} of participant {profile['id']}" for f in shown]
    return problems


# --- the matrix -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=[f"{m} {p}" for m, p in sorted(MATRIX)])
async def test_route_access(method: str, path: str, env: Env) -> None:
    row = MATRIX[(method, path)]
    got: dict[str, int] = {}
    leaked: dict[str, list[str]] = {}
    for role in ROLES:
        status, text = await _call(env, method, path, row, role)
        got[role] = status
        if found := leaks(env.world, role, text, data=row.data):
            leaked[role] = found
        if method not in ("GET", "MOUNT") and status < 400:  # undo the change for the next caller
            if row.jobs:
                await env.app.state.runner.join()
            await restore(env.engine, env.snapshot)
    assert got == dict(zip(ROLES, row.expect, strict=True))
    assert leaked == {}


async def test_the_leak_check_finds_private_data(env: Env) -> None:
    """The organiser's answers hold everything the check looks for: read as a participant's, each is a leak."""
    w = env.world
    listing = await env.client.get(f"/api/v1/events/{w.event}/participants?limit=200", headers=auth(w.organiser))
    found = leaks(w, "me", check(listing, 200) and listing.text)
    assert f"email of participant {w.peer}" in found
    assert f"the unlisted participant's {UNLISTED_NAME}" in found
    offers = await env.client.get(f"/api/v1/events/{w.event}/opportunities?limit=200", headers=auth(w.organiser))
    assert f"the unlisted participant's {UNLISTED_OFFER}" in leaks(w, "peer", check(offers, 200) and offers.text)
    patched = await env.client.patch(
        f"/api/v1/events/{w.event}/participants/{w.peer}", json={"max_meetings": 3}, headers=auth(w.organiser)
    )
    assert f"max_meetings of participant {w.peer}" in leaks(w, "me", check(patched, 200) and patched.text)
    mine = f"/api/v1/events/{w.event}/participants/{w.me}"
    suggestions = check(await env.client.get(f"{mine}/suggestions", headers=auth(w.me_token)), 200)
    agenda = check(await env.client.get(f"{mine}/agenda", headers=auth(w.me_token)), 200)
    partners = _profiles(suggestions) + _profiles(agenda)  # the scan of the matrix reads these
    assert {p["id"] for p in partners} >= {w.peer, w.third} and all(p["email"] is None for p in partners)
    status, stream = await _open_stream(
        env.app, f"/api/v1/events/{w.event}/participants/{w.me}/stream", auth(w.me_token) | {"Last-Event-ID": "0"}
    )
    assert status == 200 and "data:" in stream  # the replay reached the scan


async def test_unlisted_participant_is_invisible_to_participants(env: Env) -> None:
    w = env.world
    url = f"/api/v1/events/{w.event}/participants/{w.unlisted}"
    check(await env.client.get(url, headers=auth(w.peer_token)), 404)
    check(await env.client.get(url, headers=auth(w.organiser)), 200)
    request = {"to_participant_id": w.unlisted}
    check(
        await env.client.post(f"/api/v1/events/{w.event}/meeting-requests", json=request, headers=auth(w.me_token)), 404
    )


async def test_credentials_in_the_query_string_follow_the_same_rules(env: Env) -> None:
    """Calendar feeds take the personal token as ?token=, event streams a stream ticket as ?access_token=."""
    w = env.world
    feed = f"/api/v1/events/{w.event}/participants/{w.me}/agenda.ics"
    for token, status in (
        (None, 401),
        ("mmp_not-a-token", 401),
        (w.outsider_token, 403),
        (w.peer_token, 403),
        (w.other_organiser, 403),
        (w.me_token, 200),
        (w.organiser, 200),
    ):
        response = await env.client.get(feed, params={"token": token} if token else {})
        assert response.status_code == status, (token, response.text)
        assert leaks(w, "me", response.text) == [] or token == w.organiser
    tickets = "/api/v1/events/{}/stream-tickets"
    mine = check(await env.client.post(tickets.format(w.event), headers=auth(w.me_token)), 201)["ticket"]
    theirs = check(await env.client.post(tickets.format(w.other_event), headers=auth(w.outsider_token)), 201)["ticket"]
    stream = f"/api/v1/events/{w.event}/participants/{w.me}/stream?access_token="
    assert (await _open_stream(env.app, stream + mine, {}))[0] == 200
    assert (await _open_stream(env.app, stream + theirs, {}))[0] == 401  # a ticket opens its own event only
    assert (await _open_stream(env.app, f"/api/v1/events/{w.event}/stream?access_token={mine}", {}))[0] == 403
    peer = check(await env.client.post(tickets.format(w.event), headers=auth(w.peer_token)), 201)["ticket"]
    assert (await _open_stream(env.app, stream + peer, {}))[0] == 403  # another participant's stream
