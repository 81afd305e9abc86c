"""Property-based fuzzing of every operation in the app's own OpenAPI spec (Schemathesis), SQLite and PostgreSQL.

Each operation starts from the same seeded world (an event with participants, requests, a scheduled
meeting, finished matching and scheduler runs, a webhook and its delivery; see tests/access_world.py)
and is called with generated data, valid and invalid, once as a participant (personal token) and once
as the event's organiser. Valid ("positive") cases aim their path and body ids at that world so they get
past 404s; invalid ("negative") cases keep the fuzzer's ids.

Every response must: not be a 5xx; have a status code documented for the operation; have the documented
content type; match the documented schema and headers. And a request the schema forbids must be refused.
Runs are derandomised (a fixed seed: reproducible in CI) and bounded by ``FUZZ_EXAMPLES`` per operation;
``MATCHMAKER_FUZZ_EXAMPLES`` and ``MATCHMAKER_FUZZ_COVERAGE=1`` (Schemathesis' boundary-value phase,
hundreds of cases per operation) make longer local runs.

The tests at the end are regressions for what the fuzzing found.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import traceback
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
import requests
import schemathesis
from fastapi import FastAPI
from httpx import AsyncClient
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.main import create_app
from app.services.webhooks import Outcome
from tests.access_world import Snapshot, World, fresh, restore, seeded
from tests.factories import auth, check, create_event, create_participant, organiser_token

FUZZ_EXAMPLES = int(os.environ.get("MATCHMAKER_FUZZ_EXAMPLES", "15"))
# Schemathesis' coverage phase (boundary and near-boundary values of every field, hundreds of cases per
# operation) is unbounded by max_examples: on for deep local runs, off in CI.
FUZZ_COVERAGE = os.environ.get("MATCHMAKER_FUZZ_COVERAGE", "") == "1"
# How long one call may take. This checks conformance, not speed (bench/ measures that): calls take
# milliseconds, but a CI box under load once stalled one past Schemathesis' default of 10 s. A call that
# still times out fails with what the database and the threads were doing (see _diagnosis).
CALL_TIMEOUT_SECONDS = 45
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,  # what the schema forbids is refused (4xx), so the spec does not over-promise
]


def _spec() -> dict[str, Any]:
    """The spec the app serves; it does not depend on the database."""
    spec_app = create_app(
        Settings(database_url="sqlite+aiosqlite://", secret_key="x" * 40, demo_mode=False, public_url="http://test")
    )
    return spec_app.openapi()


schema = schemathesis.openapi.from_dict(
    _spec(),
    config=schemathesis.Config.from_dict(
        {
            "seed": 20250701,
            "generation": {"mode": "all"},
            "phases": {"coverage": {"enabled": FUZZ_COVERAGE}},
            "max-stream-events": 1,  # live streams never end: read the first message, then hang up
        }
    ),
)


@pytest.fixture(scope="module")
async def world(settings: Settings, engine: AsyncEngine) -> AsyncIterator[tuple[World, Snapshot]]:
    async with seeded(settings, engine) as built:
        yield built


@dataclass
class Target:
    app: FastAPI
    world: World


@pytest.fixture
async def target(settings: Settings, world: tuple[World, Snapshot], engine: AsyncEngine) -> Target:
    """The seeded world, restored for this operation (the fuzzing of the one before may have deleted it), and
    a new app on it, as after a restart: nothing cached in the process outlives the data it was made from.
    Schemathesis serves the app over ASGI on its own event loop and ends its lifespan with the test."""
    await restore(engine, world[1])
    return Target(create_app(settings), fresh(world[0]))


def _path_ids(world: World, path: str) -> dict[str, Any]:
    return {
        "event_id": world.event,
        "participant_id": world.me,
        "opportunity_id": world.opportunity,
        "partner_id": world.peer,
        "request_id": world.incoming_request,
        "meeting_id": world.my_meeting,
        "run_id": world.schedule_run if "/schedule-runs/" in path else world.matching_run,
        "organisation_id": world.cluster,
        "webhook_id": world.webhook,
        "delivery_id": world.delivery,
    }


def _body_ids(world: World) -> dict[str, Any]:
    return {
        "to_participant_id": world.fourth,
        "from_participant_id": world.me,
        "participant_ids": [world.me, world.fourth],
        "with_meeting_id": world.other_meeting,
        "table_id": world.table,
        "organisation_id": world.my_organisation,
        "session_ids": [world.session],
        "cluster_ids": [world.cluster],
        "starts_at": world.slot,
        "blocked_slots": [world.slot],
    }


def aim(case: Case, world: World) -> None:
    """Point a valid case's ids at the seeded world, so it exercises more than 'not found'."""
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
        return
    ids = _path_ids(world, case.operation.path)
    if case.path_parameters:
        for name in case.path_parameters:
            if name in ids:
                case.path_parameters[name] = ids[name]
    if isinstance(case.body, dict):
        for name, value in _body_ids(world).items():
            if name in case.body:
                case.body[name] = value
    if case.query and "last_event_id" in case.query:
        case.query["last_event_id"] = 0
    if case.headers and "Last-Event-ID" in case.headers:
        case.headers["Last-Event-ID"] = "0"


def _streams(case: Case) -> bool:
    ok = case.operation.definition.raw.get("responses", {}).get("200", {})
    return "text/event-stream" in ok.get("content", {})


def _call_kwargs(case: Case, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    if not _streams(case):
        return {"headers": headers, "timeout": CALL_TIMEOUT_SECONDS}
    # A live stream never ends and sends only comments while idle: ask it to replay the world's domain
    # events (it hangs up after the first one), and stop waiting after a moment when it has none.
    if not (case.headers and "Last-Event-ID" in case.headers):
        headers["Last-Event-ID"] = "0"
    return {"headers": headers, "timeout": 2}


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_operation_conforms(case: Case, target: Target) -> None:
    world = target.world
    aim(case, world)
    for role in ("participant", "organiser"):
        kwargs = _call_kwargs(case, world.me_token if role == "participant" else world.organiser)
        response = _call(case, target, kwargs, role)
        case.validate_response(response, checks=CHECKS, headers=kwargs["headers"])
        if case.operation.path.endswith("/access-token") and response.status_code == 200:
            world.me_token = response.json()["token"]  # reissuing revoked the participant's old token


def _call(case: Case, target: Target, kwargs: dict[str, Any], role: str) -> Any:
    try:
        return case.call(app=target.app, **kwargs)
    except requests.exceptions.ReadTimeout:
        if kwargs["timeout"] >= CALL_TIMEOUT_SECONDS:
            raise
    # A stream's short deadline passed before it even answered (a stall on a loaded machine): once more,
    # with the budget of any call; an idle stream then runs until it.
    try:
        return case.call(app=target.app, **{**kwargs, "timeout": CALL_TIMEOUT_SECONDS})
    except requests.exceptions.ReadTimeout as exc:
        raise AssertionError(
            f"{case.method} {case.formatted_path} as {role}: no answer in {CALL_TIMEOUT_SECONDS} s\n"
            + _diagnosis(target.app.state.settings.database_url)
        ) from exc


def _diagnosis(database_url: str) -> str:
    """What every other thread is running, and on PostgreSQL every other session: who waits on whom."""
    me = threading.get_ident()
    names = {t.ident: t.name for t in threading.enumerate()}
    parts = [
        f"--- thread {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame)[-12:])
        for ident, frame in sys._current_frames().items()
        if ident != me
    ]
    if database_url.startswith("postgresql"):

        async def sessions() -> list[asyncpg.Record]:
            conn = await asyncpg.connect(database_url.replace("+asyncpg", ""), timeout=5)
            try:
                return await conn.fetch(
                    "SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_transaction,"
                    " pg_blocking_pids(pid) AS blocked_by, left(query, 300) AS query FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            finally:
                await conn.close()

        box: list[Any] = []  # this thread may be inside a running loop: query from a thread of its own
        worker = threading.Thread(target=lambda: box.append(asyncio.run(sessions())))
        worker.start()
        worker.join(15)
        parts.append("--- PostgreSQL sessions\n" + "\n".join(str(dict(row)) for row in (box[0] if box else [])))
    return "\n".join(parts)


# --- regressions the fuzzing found -----------------------------------------------------------------


async def _blocked_on_a_lock(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        waiting = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


@pytest.mark.parametrize("target_kind", ["event", "participant"])
async def test_deleting_while_the_outbox_is_dispatched_does_not_deadlock(
    target_kind: str, client: AsyncClient, db: AsyncEngine, backend: str
) -> None:
    """Found as a 500 (deadlock detected) on DELETE …/events/{id}: the dispatcher locks notification rows and
    then, through foreign-key checks, their event and recipient; a deletion locked them in the other order."""
    if backend != "postgresql":
        pytest.skip("row locks and deadlock detection are PostgreSQL's")
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    a, b = [await create_participant(client, org, event["id"]) for _ in range(2)]
    check(
        await client.post(
            f"/api/v1/events/{event['id']}/meeting-requests",
            json={"from_participant_id": a["id"], "to_participant_id": b["id"]},
            headers=auth(org),
        ),
        201,
    )  # a notification for b
    url = f"/api/v1/events/{event['id']}" + (f"/participants/{b['id']}" if target_kind == "participant" else "")
    async with db.connect() as dispatcher:
        await dispatcher.begin()  # what the dispatcher does: claim the rows, then update them again
        claimed = await dispatcher.execute(
            text("UPDATE notification SET dispatched_at = now() WHERE event_id = :e"), {"e": event["id"]}
        )
        assert claimed.rowcount >= 1
        deletion = asyncio.create_task(client.delete(url, headers=auth(org)))
        for _ in range(200):
            if await _blocked_on_a_lock(db) or deletion.done():
                break
            await asyncio.sleep(0.025)
        await dispatcher.execute(text("UPDATE notification SET private = NULL WHERE event_id = :e"), {"e": event["id"]})
        await dispatcher.commit()
    check(await deletion, 204)


async def test_a_malformed_if_match_is_judged_after_the_request_checks(client: AsyncClient, db: AsyncEngine) -> None:
    """Found as 412 answers to requests for missing resources and with invalid bodies (RFC 9110 §13.2.1:
    preconditions are evaluated after the request's own checks)."""
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    person = await create_participant(client, org, event["id"])
    url = f"/api/v1/events/{event['id']}/participants"
    headers = auth(org) | {"If-Match": "null"}
    check(await client.patch(f"{url}/999999", json={"job_title": "x"}, headers=headers), 404)
    check(await client.patch(f"{url}/{person['id']}", json={"job_title": 7}, headers=headers), 422)
    check(await client.delete(f"{url}/999999", headers=headers), 404)
    check(await client.delete(f"/api/v1/events/{event['id']}", headers=auth(org) | {"If-Match": "x"}), 412)
    refused = check(await client.patch(f"{url}/{person['id']}", json={"job_title": "x"}, headers=headers), 412)
    assert "names no version" in refused["detail"]
    assert check(await client.get(f"{url}/{person['id']}", headers=auth(org)), 200)["job_title"] != "x"


async def test_the_outbox_dispatcher_ends_its_round_before_stopping(
    client: AsyncClient, db: AsyncEngine, settings: Settings
) -> None:
    """Found as SQLite locked for 30 s after an app's shutdown (fuzzing restarts the app per operation): the
    dispatcher was cancelled inside a round, mid-statement. Now it finishes the round: the send in flight
    is recorded, and the database is free."""
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    a, b = [await create_participant(client, org, event["id"]) for _ in range(2)]
    hook = {"url": "https://hooks.example.invalid/hook", "secret": "regression-secret-0123"}
    check(await client.post(f"/api/v1/events/{event['id']}/webhooks", json=hook, headers=auth(org)), 201)
    request = {"from_participant_id": a["id"], "to_participant_id": b["id"]}
    check(await client.post(f"/api/v1/events/{event['id']}/meeting-requests", json=request, headers=auth(org)), 201)

    app = create_app(settings)
    sending = asyncio.Event()

    async def slow_post(*_: Any) -> Outcome:
        sending.set()
        await asyncio.sleep(0.3)
        return Outcome("delivered", response_status=204)

    app.state.dispatcher._post = slow_post
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(sending.wait(), 30)
    deliveries = check(await client.get(f"/api/v1/events/{event['id']}/deliveries", headers=auth(org)), 200)
    assert [d["status"] for d in deliveries["items"]] == ["delivered"]
    async with db.begin() as conn:  # writable at once (SQLite waited 30 s for a lock nobody would free)
        await conn.execute(text("DELETE FROM notification_delivery"))


async def test_query_text_with_nul_is_refused(client: AsyncClient, db: AsyncEngine) -> None:
    """Found as a 500 on PostgreSQL (text cannot hold NUL): GET …/opportunities?q=%00. Bodies refused NUL
    already; query-string text now does too, with the field named."""
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    base = f"/api/v1/events/{event['id']}"
    for url, field in (
        (f"{base}/opportunities?q=a%00b", "q"),
        (f"{base}/participants?q=%00", "q"),
        (f"{base}/participants?country=R%00", "country"),
        (f"{base}/participants?sector=ict%00", "sector"),
        ("/api/v1/events?q=%00", "q"),
        ("/api/v1/organisations?q=%00", "q"),
        ("/api/v1/organisations?country=%00O", "country"),
        ("/api/v1/organisations?sector=%00", "sector"),
    ):
        problem = check(await client.get(url, headers=auth(org)), 422)
        assert [e["loc"] for e in problem["errors"]] == [["query", field]], url
