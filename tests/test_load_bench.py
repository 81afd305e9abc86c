"""The load benchmark's seed data, and the two hot-path changes it led to (agenda tables, refresh check)."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from app.db import create_sessionmaker, session_scope
from app.models import EventTable, Meeting, Participant
from app.services.agenda import tables_used
from app.services.matching import profile_changed
from bench.load.seed import import_rows
from tests.factories import auth, check, create_event, organiser_token, participant_token

API = "/api/v1"


async def _changed(db: AsyncEngine, event_id: int, participant_id: int) -> bool:
    async with session_scope(create_sessionmaker(db)) as s:
        return await profile_changed(s, event_id, participant_id)


async def test_seed_rows_import_and_profile_changed_follows_matching(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    eid = (await create_event(client, token))["id"]
    rows = import_rows(12)
    imported = check(
        await client.post(f"{API}/events/{eid}/participants/import", json={"participants": rows}, headers=auth(token)),
        200,
    )
    assert imported["created"] == 12
    pid = imported["participants"][0]["id"]
    assert await _changed(db, eid, pid)  # never ranked yet
    assert not await _changed(db, eid + 1000, pid)  # not a participant of that event
    run = check(await client.post(f"{API}/events/{eid}/matching-runs", json={}, headers=auth(token)), 202)
    await client._transport.app.state.runner.join()  # type: ignore[attr-defined]
    job: dict[str, Any] = check(
        await client.get(f"{API}/events/{eid}/matching-runs/{run['id']}", headers=auth(token)), 200
    )
    assert job["status"] == "succeeded", job
    assert not await _changed(db, eid, pid)
    me = await participant_token(client, token, eid, pid)
    # a profile change whose background refresh has not run yet (a PATCH schedules one at once)
    async with session_scope(create_sessionmaker(db)) as s:
        await s.execute(update(Participant).where(col(Participant.id) == pid).values(version=Participant.version + 1))
    assert await _changed(db, eid, pid)
    # the read re-ranks the changed profile, after which nothing is due any more
    check(await client.get(f"{API}/events/{eid}/participants/{pid}/suggestions", headers=auth(me)), 200)
    assert not await _changed(db, eid, pid)


async def test_tables_used_loads_only_the_meetings_tables(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    eid = (await create_event(client, token, table_count=5))["id"]
    async with session_scope(create_sessionmaker(db)) as s:
        tables = (await s.scalars(select(EventTable).where(col(EventTable.event_id) == eid))).all()
        assert len(tables) == 5
        second, fourth = tables[1], tables[3]
        meetings = [
            Meeting(event_id=eid, a_id=1, b_id=2, table_id=second.id),
            Meeting(event_id=eid, a_id=1, b_id=3, table_id=fourth.id),
            Meeting(event_id=eid, a_id=1, b_id=4, table_id=second.id),
            Meeting(event_id=eid, a_id=1, b_id=5, table_id=None),
        ]
        used = await tables_used(s, meetings)
        assert {k: v.name for k, v in used.items()} == {second.id: second.name, fourth.id: fourth.name}
        assert await tables_used(s, meetings[3:]) == {}
