"""Live updates over SSE against a real uvicorn server: delivery, replay, auth, several processes.

Each test starts the app in uvicorn on a free port in a thread of its own (the ASGI test transport
buffers whole responses, so it cannot read an endless stream) and talks to it over real HTTP.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app import notify
from app.config import Settings
from app.db import create_sessionmaker, session_scope, utcnow
from app.main import create_app
from app.models import Notification, NotificationDelivery
from app.schemas.live import Kind, LiveEvent
from tests.factories import auth, check, create_event, create_participant, organiser_token, participant_token

API = "/api/v1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The app in a real uvicorn server on a thread; yields its base URL."""
    app = create_app(settings)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)


@pytest.fixture
def live_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"live_keepalive_seconds": 0.5, "live_poll_seconds": 0.3})


@pytest.fixture
async def server(db: AsyncEngine, live_settings: Settings) -> AsyncIterator[str]:
    with serve(live_settings) as url:
        yield url


@dataclass
class Stream:
    """An open SSE response, parsed into messages by a background reader."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    status: int = 0
    content_type: str = ""
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def events(self) -> list[LiveEvent]:
        return [LiveEvent.model_validate_json(m["data"]) for m in self.messages if "data" in m]

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[LiveEvent]:
        deadline = time.monotonic() + timeout
        while len(self.events()) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"only {len(self.events())} of {count} events arrived: {self.messages}"
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except TimeoutError:
                pass
        return self.events()


@asynccontextmanager
async def open_stream(url: str, headers: dict[str, str] | None = None) -> AsyncIterator[Stream]:
    stream = Stream()
    opened = asyncio.Event()

    async def read() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(30, read=None)) as client:
            async with client.stream("GET", url, headers=headers or {}) as response:
                stream.status, stream.content_type = response.status_code, response.headers.get("content-type", "")
                opened.set()
                current: dict[str, Any] = {}
                async for line in response.aiter_lines():
                    if line.startswith(":"):
                        stream.comments.append(line[1:].strip())
                        stream.arrived.set()
                    elif line == "":
                        if current:
                            stream.messages.append(current)
                            current = {}
                            stream.arrived.set()
                    else:
                        name, _, value = line.partition(":")
                        current[name] = value[1:] if value.startswith(" ") else value

    task = asyncio.create_task(read())
    await asyncio.wait({task, asyncio.create_task(opened.wait())}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()
    # "connected" arrives once the stream is subscribed; only then may the test trigger changes
    deadline = time.monotonic() + 10
    while "connected" not in stream.comments and stream.status == 200:
        assert time.monotonic() < deadline, "the stream never said it was connected"
        await asyncio.sleep(0.02)
    try:
        yield stream
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass


@dataclass
class World:
    base: str
    client: httpx.AsyncClient
    organiser: str
    event_id: int
    people: list[int]
    tokens: list[str]

    def stream_url(self, participant: int | None = None) -> str:
        if participant is None:
            return f"{self.base}{API}/events/{self.event_id}/stream"
        return f"{self.base}{API}/events/{self.event_id}/participants/{participant}/stream"

    async def request(self, sender: int, to: int, message: str = "Shall we meet?") -> dict[str, Any]:
        body = {"to_participant_id": self.people[to], "message": message}
        r = await self.client.post(
            f"{API}/events/{self.event_id}/meeting-requests", json=body, headers=auth(self.tokens[sender])
        )
        return dict(check(r, 201))


async def make_world(base: str, db: AsyncEngine, people: int = 3) -> World:
    client = httpx.AsyncClient(base_url=base, timeout=30)
    organiser = await organiser_token(client, db)
    event = await create_event(client, organiser)
    ids = [(await create_participant(client, organiser, event["id"]))["id"] for _ in range(people)]
    tokens = [await participant_token(client, organiser, event["id"], pid) for pid in ids]
    return World(base, client, organiser, event["id"], ids, tokens)


@pytest.fixture
async def world(server: str, db: AsyncEngine) -> AsyncIterator[World]:
    w = await make_world(server, db)
    yield w
    await w.client.aclose()


async def test_a_participant_hears_of_a_request_as_it_happens(world: World) -> None:
    async with open_stream(world.stream_url(world.people[1]), auth(world.tokens[1])) as stream:
        assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
        sent = await world.request(0, 1, "Let us talk about sensors")
        [event] = await stream.wait_for(1)
    assert event.kind == "request.created" and event.recipient_id == world.people[1]
    assert event.payload.model_dump(exclude_none=True) == {
        "request_id": sent["id"],
        "from_participant_id": world.people[0],
        "to_participant_id": world.people[1],
        "status": "pending",
        "from_name": event.payload.from_name,  # type: ignore[union-attr]
        "message": "Let us talk about sensors",
    }
    [message] = [m for m in stream.messages if "data" in m]
    assert message["event"] == "request.created" and message["id"] == str(event.id)
    assert "email" not in message["data"]
    assert stream.messages[0] == {"retry": "3000"}  # EventSource waits 3 s before reconnecting


async def test_the_stream_only_carries_the_participants_own_events_and_keeps_alive(world: World) -> None:
    async with open_stream(world.stream_url(world.people[2]), auth(world.tokens[2])) as stream:
        await world.request(0, 1)  # not for participant 2
        await world.request(1, 2)  # for participant 2
        [event] = await stream.wait_for(1)
        await asyncio.sleep(1.2)  # keep-alive every 0.5 s in these tests
    assert event.kind == "request.created" and event.payload.from_participant_id == world.people[1]  # type: ignore[union-attr]
    assert len(stream.events()) == 1
    assert stream.comments.count("keep-alive") >= 1


async def test_last_event_id_replays_what_was_missed(world: World) -> None:
    async with open_stream(world.stream_url(world.people[2]), auth(world.tokens[2])) as stream:
        await world.request(0, 2)
        [first] = await stream.wait_for(1)
    missed = await world.request(1, 2)  # while disconnected
    headers = auth(world.tokens[2]) | {"Last-Event-ID": str(first.id)}
    async with open_stream(world.stream_url(world.people[2]), headers) as again:
        [replayed] = await again.wait_for(1)
        r = await world.client.post(
            f"{API}/events/{world.event_id}/meeting-requests/{missed['id']}/cancel", headers=auth(world.tokens[1])
        )
        check(r, 200)
        events = await again.wait_for(2)
    assert replayed.kind == "request.created" and replayed.payload.request_id == missed["id"]  # type: ignore[union-attr]
    assert replayed.id > first.id
    assert [e.kind for e in events] == ["request.created", "request.cancelled"]
    # the query parameter does the same (for a new EventSource after a fresh ticket)
    url = world.stream_url(world.people[2]) + f"?last_event_id={first.id - 1}"
    async with open_stream(url, auth(world.tokens[2])) as third:
        kinds = [e.kind for e in await third.wait_for(3)]
    assert kinds == ["request.created", "request.created", "request.cancelled"]


async def test_nobody_opens_another_participants_stream(world: World) -> None:
    r = await world.client.get(world.stream_url(world.people[1]), headers=auth(world.tokens[0]))
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    r = await world.client.get(world.stream_url(), headers=auth(world.tokens[0]))
    assert r.status_code == 403
    r = await world.client.get(world.stream_url(world.people[1]))
    assert r.status_code == 401
    r = await world.client.get(world.stream_url(999_999), headers=auth(world.organiser))
    assert r.status_code == 404
    r = await world.client.get(
        world.stream_url(world.people[1]), headers=auth(world.tokens[1]) | {"Last-Event-ID": "x"}
    )
    assert r.status_code == 422


async def test_the_organiser_stream_sees_everything_in_the_event(world: World) -> None:
    async with open_stream(world.stream_url(), auth(world.organiser)) as stream:
        request = await world.request(0, 1)
        r = await world.client.post(
            f"{API}/events/{world.event_id}/meeting-requests/{request['id']}/accept", headers=auth(world.tokens[1])
        )
        check(r, 200)
        events = await stream.wait_for(2)
    assert [(e.kind, e.recipient_id) for e in events] == [
        ("request.created", world.people[1]),
        ("request.answered", world.people[0]),
    ]
    assert events[1].payload.status == "accepted" and events[1].payload.meeting_id is not None  # type: ignore[union-attr]


async def test_a_stream_ticket_opens_the_stream_without_a_header(world: World) -> None:
    r = await world.client.post(f"{API}/events/{world.event_id}/stream-tickets", headers=auth(world.tokens[1]))
    ticket = check(r, 201)
    assert ticket["url"].endswith(f"/participants/{world.people[1]}/stream?access_token={ticket['ticket']}")
    url = world.stream_url(world.people[1]) + f"?access_token={ticket['ticket']}"
    async with open_stream(url) as stream:
        await world.request(0, 1)
        [event] = await stream.wait_for(1)
    assert event.kind == "request.created"
    # the ticket opens no other participant's stream, and no event-wide stream
    other = world.stream_url(world.people[2]) + f"?access_token={ticket['ticket']}"
    assert (await world.client.get(other)).status_code == 403
    assert (await world.client.get(world.stream_url() + f"?access_token={ticket['ticket']}")).status_code == 403
    # a participant asks only for their own stream
    r = await world.client.post(
        f"{API}/events/{world.event_id}/stream-tickets",
        json={"participant_id": world.people[2]},
        headers=auth(world.tokens[1]),
    )
    assert r.status_code == 403
    # reissuing the personal token voids the tickets made from the old one
    await participant_token(world.client, world.organiser, world.event_id, world.people[1])
    assert (await world.client.get(url)).status_code == 401
    assert (await world.client.get(url.replace("access_token=", "access_token=x"))).status_code == 401


async def test_an_organiser_ticket_opens_the_event_stream(world: World, db: AsyncEngine) -> None:
    r = await world.client.post(f"{API}/events/{world.event_id}/stream-tickets", headers=auth(world.organiser))
    ticket = check(r, 201)
    async with open_stream(ticket["url"].replace("http://test", world.base)) as stream:
        await world.request(2, 0)
        [event] = await stream.wait_for(1)
    assert event.recipient_id == world.people[0]
    other = await create_event(world.client, world.organiser)
    wrong_event = f"{world.base}{API}/events/{other['id']}/stream?access_token={ticket['ticket']}"
    assert (await world.client.get(wrong_event)).status_code == 401


async def test_a_rolled_back_change_announces_nothing(world: World, db: AsyncEngine) -> None:
    body = {"to_participant_id": world.people[0], "message": "me"}
    r = await world.client.post(
        f"{API}/events/{world.event_id}/meeting-requests", json=body, headers=auth(world.tokens[0])
    )
    assert r.status_code == 422
    async with session_scope(create_sessionmaker(db)) as session:
        notify.record(
            session, event_id=world.event_id, recipients=[world.people[0]], kind="request.created", payload={}
        )
        await session.rollback()
        assert notify.staged(session) == []
    async with session_scope(create_sessionmaker(db)) as session:
        kinds = (await session.scalars(select(Notification.kind))).all()  # type: ignore[call-overload]
    assert sorted(kinds) == ["participant.invited"] * 3  # the three personal links, nothing else


async def test_concurrent_changes_all_arrive_once_in_id_order(world: World, db: AsyncEngine) -> None:
    extra = [(await create_participant(world.client, world.organiser, world.event_id))["id"] for _ in range(12)]
    tokens = [await participant_token(world.client, world.organiser, world.event_id, pid) for pid in extra]
    async with open_stream(world.stream_url(world.people[0]), auth(world.tokens[0])) as stream:

        async def ask(token: str) -> None:
            r = await world.client.post(
                f"{API}/events/{world.event_id}/meeting-requests",
                json={"to_participant_id": world.people[0]},
                headers=auth(token),
            )
            check(r, 201)

        await asyncio.gather(*(ask(t) for t in tokens))
        events = await stream.wait_for(len(tokens))
        await asyncio.sleep(0.8)  # nothing more, nothing twice
    ids = [e.id for e in stream.events()]
    assert len(ids) == len(tokens) and ids == sorted(set(ids))
    assert {e.payload.from_participant_id for e in events} == set(extra)  # type: ignore[union-attr]


async def test_outbox_ids_grow_in_commit_order_not_insert_order(world: World, db: AsyncEngine, backend: str) -> None:
    """Two transactions on two connections: the one that inserts first but commits last ends with the
    larger id, so a reader that has seen the other's row (``id > last seen``) cannot pass over it. The
    database does it (a deferred trigger renumbers at ``COMMIT``), whoever writes the rows; while one
    transaction is open, another can insert and commit: nothing is locked before ``COMMIT``."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: ids are in commit order by construction")

    def row(note: str) -> dict[str, Any]:
        return {
            "event_id": world.event_id,
            "recipient_id": world.people[0],
            "kind": "request.created",
            "payload": {"n": note},
            "lead": True,
            "created_at": utcnow(),
        }

    returning = insert(Notification).returning(Notification.id)  # type: ignore[arg-type]
    async with db.connect() as early, db.connect() as late:
        first = (await early.execute(returning, [row("inserted first, committed last")])).scalar_one()
        second = (await late.execute(returning, [row("inserted second, committed first")])).scalar_one()
        assert first < second  # the sequence hands ids out in insert order
        await asyncio.wait_for(late.commit(), timeout=5)
        await early.commit()
    async with db.connect() as conn:
        rows = (await conn.execute(select(Notification.id, Notification.payload).order_by(Notification.id))).all()  # type: ignore[call-overload]
    order = [payload["n"] for _, payload in rows if "n" in payload]
    assert order == ["inserted second, committed first", "inserted first, committed last"]

    # A restore writes rows with their final ids, and deliveries that reference them: left as they are.
    async with db.begin() as conn:
        await conn.execute(text(f"SET LOCAL {notify.KEEP_OUTBOX_IDS} = 'on'"))
        await conn.execute(insert(Notification), [{**row("restored"), "id": 1_000_000}])
        delivery = {"notification_id": 1_000_000, "event_id": world.event_id, "channel": "email", "status": "pending"}
        await conn.execute(insert(NotificationDelivery), [delivery])
    async with db.connect() as conn:
        restored = await conn.scalar(select(Notification.id).where(Notification.payload["n"].as_string() == "restored"))  # type: ignore[call-overload,index]
    assert restored == 1_000_000


@pytest.mark.parametrize("redis", [False, True], ids=["polling", "redis"])
async def test_every_process_delivers(db: AsyncEngine, live_settings: Settings, redis: bool) -> None:
    """Two API processes (two servers, two hubs) on one database: a change made through one reaches
    a stream held by the other; with Redis the other process is woken at once instead of polling."""
    other = live_settings.model_copy(update={"live_poll_seconds": 30.0 if redis else 0.3})
    first = live_settings
    if redis:
        first = first.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
        other = other.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
    with serve(first) as a, serve(other) as b:
        w = await make_world(a, db)
        try:
            async with open_stream(
                f"{b}{API}/events/{w.event_id}/participants/{w.people[1]}/stream", auth(w.tokens[1])
            ) as stream:
                await asyncio.sleep(0.5 if redis else 0)  # the subscriber to Redis is listening
                started = time.monotonic()
                await w.request(0, 1)
                [event] = await stream.wait_for(1, timeout=10)
                took = time.monotonic() - started
        finally:
            await w.client.aclose()
    assert event.kind == "request.created"
    if redis:  # process b polls only every 30 s here: only the Redis wake-up explains a fast arrival
        assert took < 5, took


def test_the_kinds_of_the_contract_are_the_recorded_kinds() -> None:
    assert set(notify.KINDS) == set(Kind.__args__)  # type: ignore[attr-defined]


def test_payloads_never_carry_email_addresses() -> None:
    from sqlalchemy.orm import Session

    with pytest.raises(ValueError, match="email"):
        notify.record(Session(), event_id=1, recipients=[1], kind="request.created", payload={"from_email": "a@b"})
    with pytest.raises(ValueError, match="unknown"):
        notify.record(Session(), event_id=1, recipients=[1], kind="request.exploded", payload={})


async def test_the_spec_documents_the_streams(world: World) -> None:
    spec = check(await world.client.get("/openapi.json"), 200)
    op = spec["paths"]["/api/v1/events/{event_id}/participants/{participant_id}/stream"]["get"]
    item = op["responses"]["200"]["content"]["text/event-stream"]["itemSchema"]
    assert item["properties"]["data"]["contentSchema"] == {"$ref": "#/components/schemas/LiveEvent"}
    schemas = spec["components"]["schemas"]
    for name in ("LiveEvent", "RequestPayload", "MeetingPayload", "SchedulePayload", "SuggestionsPayload"):
        assert name in schemas, name
    assert set(schemas["LiveEventKind"]["enum"]) == set(notify.KINDS)
    assert json.dumps(spec).count("text/event-stream") >= 2


async def _finish(client: httpx.AsyncClient, token: str, url: str) -> dict[str, Any]:
    started = check(await client.post(url, json={}, headers=auth(token)), 202)
    for _ in range(400):
        run = check(await client.get(f"{url}/{started['id']}", headers=auth(token)), 200)
        if run["status"] in ("succeeded", "failed"):
            assert run["status"] == "succeeded", run
            return dict(run)
        await asyncio.sleep(0.05)
    raise AssertionError("the run did not finish")


async def _outbox(db: AsyncEngine) -> list[tuple[str, int | None, dict[str, Any]]]:
    async with create_sessionmaker(db)() as session:
        rows = (await session.scalars(select(Notification).order_by(Notification.id))).all()  # type: ignore[arg-type]
    return [(n.kind, n.recipient_id, n.payload) for n in rows]


async def test_runs_and_deadlines_record_their_domain_events(client: httpx.AsyncClient, db: AsyncEngine) -> None:
    """Matching run, scheduling run and request expiry each leave their events in the outbox."""
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    eid = event["id"]
    ids = [(await create_participant(client, org, eid))["id"] for _ in range(4)]
    run = await _finish(client, org, f"{API}/events/{eid}/matching-runs")
    refreshed = [(r, p) for k, r, p in await _outbox(db) if k == "suggestions.refreshed"]
    assert refreshed[0] == (None, {"run_id": run["id"], "source": "run"})  # the organisers' row comes first
    assert {r for r, _ in refreshed[1:]} <= set(ids) and len(refreshed) > 1

    t0 = await participant_token(client, org, eid, ids[0])
    t1 = await participant_token(client, org, eid, ids[1])
    requests = f"{API}/events/{eid}/meeting-requests"
    first = check(await client.post(requests, json={"to_participant_id": ids[1]}, headers=auth(t0)), 201)
    check(await client.post(f"{requests}/{first['id']}/accept", headers=auth(t1)), 200)
    await _finish(client, org, f"{API}/events/{eid}/schedule-runs")
    scheduled = [(r, p) for k, r, p in await _outbox(db) if k == "meeting.scheduled"]
    assert [r for r, _ in scheduled] == [ids[0], ids[1]]  # both participants, one row each
    payload = scheduled[0][1]
    assert payload == scheduled[1][1] and payload["participant_ids"] == [ids[0], ids[1]]
    assert payload["starts_at"] is not None and payload["table_id"] is not None
    assert payload["previous_starts_at"] is None

    check(await client.post(requests, json={"to_participant_id": ids[2]}, headers=auth(t0)), 201)
    patch = {"requests_deadline": "2020-01-01T00:00:00Z"}
    check(await client.patch(f"{API}/events/{eid}", json=patch, headers=auth(org)), 200)
    check(await client.get(requests, headers=auth(org)), 200)  # a read applies the deadline
    [(recipient, payload)] = [(r, p) for k, r, p in await _outbox(db) if k == "request.expired"]
    assert recipient == ids[0] and payload["to_participant_id"] == ids[2] and payload["status"] == "expired"


async def test_a_hub_started_by_a_stream_stops_with_the_last_one(db: AsyncEngine) -> None:
    """Without the app's lifespan (an in-process test client), no follower task outlives the streams."""
    from app.services.notifications import LiveHub, StreamFilter

    hub = LiveHub(create_sessionmaker(db), poll_seconds=0.1)
    async with hub.subscribe(StreamFilter(1, 1)):
        async with hub.subscribe(StreamFilter(1)):
            assert hub.running
        assert hub.running
    assert not hub.running
    await hub.start()  # the lifespan's start is for good
    async with hub.subscribe(StreamFilter(1)):
        pass
    assert hub.running
    await hub.stop()
    assert not hub.running
