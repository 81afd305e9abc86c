"""A small, realistic event world for the fuzz and access tests: two organisers, two events, people in both.

Built once per database through the real API (the organiser accounts are inserted with one precomputed
password hash: argon2 costs ~0.2 s per hash on purpose), then saved as a snapshot of every table's rows;
each test restores the snapshot (ids included) so it starts from the same world, whatever the test
before it deleted or changed.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from httpx import ASGITransport, AsyncClient
from sqlalchemy import Integer, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db import create_sessionmaker, metadata, session_scope
from app.main import create_app
from app.models import Organiser
from app.notify import KEEP_OUTBOX_IDS
from app.security import create_organiser_token, hash_password
from app.services.organisations import ensure_default_sectors
from tests.factories import auth, check, create_event, create_participant, participant_token

API = "/api/v1"
UNLISTED_NAME = "Ulrike Unlisted-Quietly"  # did not consent to be listed: no other participant may see her
UNLISTED_OFFER = "Confidential pilot line for unlisted partners"


@cache
def _password_hash() -> str:
    return hash_password("world-password-1")


@dataclass
class World:
    """Tokens and ids of one seeded world. ``event`` is organised by ``organiser``; ``other_event`` by
    ``other_organiser``. In ``event``: ``me`` (holds ``me_token``), ``peer`` (``peer_token``), ``third`` and
    ``fourth`` (whom ``me`` hid from their suggestions), and ``unlisted``, who did not consent to be listed; in
    ``other_event``: ``outsider`` (``outsider_token``)."""

    organiser: str
    other_organiser: str
    event: int
    other_event: int
    me: int
    peer: int
    third: int
    fourth: int
    outsider: int
    unlisted: int
    me_token: str
    peer_token: str
    outsider_token: str
    emails: dict[int, str]
    opportunity: int  # one of me's offers
    incoming_request: int  # peer -> me, pending
    outgoing_request: int  # me -> third, accepted: became my_meeting
    my_meeting: int  # me <-> third, from an accepted request
    other_meeting: int  # peer <-> fourth, booked by hand at the first slot
    cluster: int  # an organisation of kind cluster, me's organisation is a member
    my_organisation: int
    session: int
    table: int
    slot: str
    matching_run: int
    schedule_run: int
    webhook: int
    delivery: int  # of the webhook, pending
    extra: dict[str, Any] = field(default_factory=dict)


async def _organiser(db: AsyncEngine, secret: str, email: str) -> str:
    async with session_scope(create_sessionmaker(db)) as session:
        organiser = Organiser(email=email, name=email.split("@")[0], password_hash=_password_hash())
        session.add(organiser)
        await session.flush()
        assert organiser.id is not None
        return create_organiser_token(organiser.id, secret, 60)


async def _wait(client: AsyncClient, url: str, token: str) -> dict[str, Any]:
    for _ in range(600):
        job = check(await client.get(url, headers=auth(token)), 200)
        if job["status"] in ("succeeded", "failed"):
            assert job["status"] == "succeeded", job
            return dict(job)
        await asyncio.sleep(0.02)
    raise AssertionError(f"{url} did not finish")


async def build_world(client: AsyncClient, db: AsyncEngine, secret: str) -> World:
    org = await _organiser(db, secret, "organiser@world.example")
    other_org = await _organiser(db, secret, "other-organiser@world.example")
    event = await create_event(client, org, table_count=4)
    other_event = await create_event(client, other_org)
    e = event["id"]
    people = [await create_participant(client, org, e) for _ in range(4)]
    me, peer, third, fourth = (p["id"] for p in people)
    outsider = await create_participant(client, other_org, other_event["id"])
    unlisted = await create_participant(
        client,
        org,
        e,
        name=UNLISTED_NAME,
        listed=False,
        offers=[{"title": UNLISTED_OFFER, "description": "IoT sensors and AI research", "type": "technology"}],
    )
    me_token = await participant_token(client, org, e, me)
    peer_token = await participant_token(client, org, e, peer)
    outsider_token = await participant_token(client, other_org, other_event["id"], outsider["id"])

    cluster = check(
        await client.post(
            f"{API}/organisations",
            json={"name": "World Cluster", "kind": "cluster", "country": "RO", "sectors": ["ict"]},
            headers=auth(org),
        ),
        201,
    )
    my_org = people[0]["organisation"]["id"]
    check(
        await client.patch(f"{API}/organisations/{my_org}", json={"cluster_ids": [cluster["id"]]}, headers=auth(org)),
        200,
    )

    base = f"{API}/events/{e}"
    hook = {"url": "https://hooks.example.invalid/matchmaker-hook", "secret": "world-webhook-secret-0123"}
    webhook = check(await client.post(f"{base}/webhooks", json=hook, headers=auth(org)), 201)
    incoming = check(
        await client.post(f"{base}/meeting-requests", json={"to_participant_id": me}, headers=auth(peer_token)), 201
    )
    outgoing = check(
        await client.post(f"{base}/meeting-requests", json={"to_participant_id": third}, headers=auth(me_token)), 201
    )
    accepted = check(await client.post(f"{base}/meeting-requests/{outgoing['id']}/accept", headers=auth(org)), 200)
    slots = check(await client.get(f"{base}/slots", headers=auth(org)), 200)
    table = event["tables"][0]["id"]
    booked = check(
        await client.post(
            f"{base}/meetings",
            json={"participant_ids": [peer, fourth], "starts_at": slots[0]["starts_at"], "table_id": table},
            headers=auth(org),
        ),
        201,
    )
    hide = f"{base}/participants/{me}/suggestions/{fourth}/hide"
    check(await client.post(hide, headers=auth(me_token)), 204)  # me is not interested in fourth
    run = check(await client.post(f"{base}/matching-runs", headers=auth(org)), 202)
    await _wait(client, f"{base}/matching-runs/{run['id']}", org)
    schedule = check(await client.post(f"{base}/schedule-runs", json={"time_limit": 5}, headers=auth(org)), 202)
    await _wait(client, f"{base}/schedule-runs/{schedule['id']}", org)

    return World(
        organiser=org,
        other_organiser=other_org,
        event=e,
        other_event=other_event["id"],
        me=me,
        peer=peer,
        third=third,
        fourth=fourth,
        outsider=outsider["id"],
        unlisted=unlisted["id"],
        me_token=me_token,
        peer_token=peer_token,
        outsider_token=outsider_token,
        emails={p["id"]: p["email"] for p in [*people, outsider, unlisted]},
        opportunity=people[0]["offers"][0]["id"],
        incoming_request=incoming["id"],
        outgoing_request=outgoing["id"],
        my_meeting=accepted["meeting_id"],
        other_meeting=booked["id"],
        cluster=cluster["id"],
        my_organisation=my_org,
        session=event["sessions"][0]["id"],
        table=table,
        slot=slots[1]["starts_at"],
        matching_run=run["id"],
        schedule_run=schedule["id"],
        webhook=webhook["id"],
        delivery=0,
    )


# --- snapshot and restore ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, list[dict[str, Any]]]


async def wipe(engine: AsyncEngine) -> None:
    tables = [f'"{t.name}"' for t in reversed(metadata.sorted_tables)]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))


async def take_snapshot(engine: AsyncEngine) -> Snapshot:
    async with engine.connect() as conn:
        return Snapshot(
            {t.name: [dict(r._mapping) for r in await conn.execute(t.select())] for t in metadata.sorted_tables}
        )


async def restore(engine: AsyncEngine, snapshot: Snapshot) -> None:
    """Every table back to the snapshot's rows, ids and sequences included."""
    await wipe(engine)
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # the outbox rows keep their ids (deliveries reference them)
            await conn.execute(text(f"SET LOCAL {KEEP_OUTBOX_IDS} = 'on'"))
        for table in metadata.sorted_tables:
            if rows := snapshot.rows[table.name]:
                await conn.execute(table.insert(), rows)
        if conn.dialect.name != "postgresql":
            return
        for table in metadata.sorted_tables:  # rows came with their ids: move the sequences past them
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and isinstance(pk[0].type, Integer):
                name = pk[0].name
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{name}'), "
                        f'COALESCE(MAX("{name}"), 0) + 1, false) FROM "{table.name}"'
                    )
                )


@asynccontextmanager
async def seeded(settings: Settings, engine: AsyncEngine) -> AsyncIterator[tuple[World, Snapshot]]:
    """Build the world once on an empty database; yield it and its snapshot; leave the database empty."""
    await wipe(engine)
    async with session_scope(create_sessionmaker(engine)) as session:
        await ensure_default_sectors(session)
    app = create_app(settings)
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            world = await build_world(client, engine, settings.secret_key)
            await app.state.runner.join()
            world.delivery = await _first_delivery(app, client, world)
        snapshot = await take_snapshot(engine)
    finally:
        await app.state.engine.dispose()
    try:
        yield world, snapshot
    finally:
        await wipe(engine)


async def _first_delivery(app: Any, client: AsyncClient, world: World) -> int:
    """Fan the outbox out to the world's webhook (the app's dispatcher, one round, nothing sent)."""
    assert app.state.dispatcher is not None, "the world needs the outbox dispatcher (MATCHMAKER_DISPATCH_ENABLED)"
    await app.state.dispatcher.fan_out()
    page = check(await client.get(f"{API}/events/{world.event}/deliveries", headers=auth(world.organiser)), 200)
    return int(page["items"][0]["id"])


def fresh(world: World) -> World:
    """A copy to hand to one test (tests may replace tokens in it)."""
    return dataclasses.replace(world, emails=dict(world.emails), extra=dict(world.extra))
