"""No lost updates: ETags on profiles, If-Match on PATCH and DELETE, and runs started twice run once.

Participants, organisations and events carry a version; GET and PATCH answer with it as a weak ETag
(``W/"<version>"``) and a PATCH or DELETE with a stale If-Match is refused with 412. The compare and
the set are one SQL statement: the PostgreSQL tests hold the row locked until every concurrent
request has read the same version and is waiting to write, then let them go: exactly one wins.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.db import utcnow
from app.models import Event, Job, Organisation, Participant
from tests.factories import auth, check, create_event, create_participant, organiser_token, participant_token

API = "/api/v1"
CONCURRENT = 8


def tag(r: Response) -> str:
    return r.headers["ETag"]


def if_match(token: str, etag: str) -> dict[str, str]:
    return {**auth(token), "If-Match": etag}


async def resources(client: AsyncClient, db: AsyncEngine) -> tuple[str, list[tuple[str, str, str, Any]]]:
    """An organiser token and (name, url, field, table) for a participant, its organisation and the event."""
    token = await organiser_token(client, db)
    ev = await create_event(client, token)
    person = await create_participant(client, token, ev["id"])
    return token, [
        ("participant", f"{API}/events/{ev['id']}/participants/{person['id']}", "job_title", Participant),
        ("organisation", f"{API}/organisations/{person['organisation']['id']}", "city", Organisation),
        ("event", f"{API}/events/{ev['id']}", "venue", Event),
    ]


async def test_reads_and_changes_carry_the_version_as_etag(client: AsyncClient, db: AsyncEngine) -> None:
    token, items = await resources(client, db)
    for name, url, field, _ in items:
        first = await client.get(url, headers=auth(token))
        assert check(first, 200)["version"] == 1 and tag(first) == 'W/"1"', name
        changed = await client.patch(url, json={field: "A"}, headers=if_match(token, tag(first)))
        assert check(changed, 200)["version"] == 2 and tag(changed) == 'W/"2"', name
        again = await client.get(url, headers=auth(token))
        assert tag(again) == 'W/"2"' and again.json()[field] == "A"


async def test_a_stale_if_match_is_412_and_changes_nothing(client: AsyncClient, db: AsyncEngine) -> None:
    token, items = await resources(client, db)
    for name, url, field, _ in items:
        stale = tag(await client.get(url, headers=auth(token)))
        check(await client.patch(url, json={field: "first"}, headers=if_match(token, stale)), 200)
        r = await client.patch(url, json={field: "second"}, headers=if_match(token, stale))
        body = check(r, 412)
        assert r.headers["content-type"] == "application/problem+json", name
        assert "changed since you read it" in body["detail"] and "If-Match" in body["detail"]
        assert body["current_version"] == 2 and body["type"] == "/problems/precondition-failed"
        now = await client.get(url, headers=auth(token))
        assert now.json()[field] == "first" and tag(now) == 'W/"2"', name
        # a stale DELETE is refused too, and the resource stays
        assert (await client.delete(url, headers=if_match(token, stale))).status_code == 412
        assert (await client.get(url, headers=auth(token))).status_code == 200


async def test_if_match_forms(client: AsyncClient, db: AsyncEngine) -> None:
    token, items = await resources(client, db)
    name, url, field, _ = items[0]
    # no If-Match: applies unconditionally (documented); * matches any version; a list matches any member
    check(await client.patch(url, json={field: "no header"}, headers=auth(token)), 200)
    check(await client.patch(url, json={field: "star"}, headers=if_match(token, "*")), 200)
    r = await client.patch(url, json={field: "list"}, headers=if_match(token, 'W/"9", W/"3"'))
    assert check(r, 200)["version"] == 4
    # the strong form of our tag names the same version
    check(await client.patch(url, json={field: "strong"}, headers=if_match(token, '"4"')), 200)
    for bad in ['W/"abc"', "5", '"5', "W/5"]:
        r = await client.patch(url, json={field: "bad"}, headers=if_match(token, bad))
        assert r.status_code == 412, (bad, r.text)
    assert (await client.get(url, headers=auth(token))).json()[field] == "strong"
    # the participant themself sends If-Match like an organiser
    event_id = int(url.split("/")[4])
    me = await participant_token(client, token, event_id, int(url.rsplit("/", 1)[1]))
    etag = tag(await client.get(url, headers=auth(me)))
    check(await client.patch(url, json={field: "mine"}, headers=if_match(me, etag)), 200)
    check(await client.patch(url, json={field: "again"}, headers=if_match(me, etag)), 412)
    # a current If-Match lets DELETE through; the spec documents the header and the 412
    for _, url_, _, _ in (items[0], items[2]):  # (its organisation is no longer this organiser's to delete)
        etag = tag(await client.get(url_, headers=auth(token)))
        assert (await client.delete(url_, headers=if_match(token, etag))).status_code == 204, url_
        assert (await client.get(url_, headers=auth(token))).status_code == 404
    spec = check(await client.get("/openapi.json"), 200)
    update = spec["paths"]["/api/v1/events/{event_id}/participants/{participant_id}"]["patch"]
    assert "412" in update["responses"] and "ETag" in update["responses"]["200"]["headers"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in update["parameters"])


async def test_an_organisation_edit_moves_its_participants_etags(client: AsyncClient, db: AsyncEngine) -> None:
    token, items = await resources(client, db)
    participant_url, org_url = items[0][1], items[1][1]
    before = tag(await client.get(participant_url, headers=auth(token)))
    check(await client.patch(org_url, json={"name": "Renamed"}, headers=auth(token)), 200)
    # the participant's read shows the organisation: a PATCH from the old read must re-read first
    assert tag(await client.get(participant_url, headers=auth(token))) != before
    check(await client.patch(participant_url, json={"job_title": "x"}, headers=if_match(token, before)), 412)


# --- concurrency ---------------------------------------------------------------------------------


async def test_concurrent_offer_changes_each_move_the_version(client: AsyncClient, db: AsyncEngine) -> None:
    token, items = await resources(client, db)
    url = items[0][1]
    before = tag(await client.get(url, headers=auth(token)))
    app: FastAPI = client._transport.app  # type: ignore[attr-defined]
    async with clients(app, CONCURRENT) as many:
        added = await asyncio.gather(
            *(
                c.post(f"{url}/opportunities", json={"direction": "offer", "title": f"Offer {i}"}, headers=auth(token))
                for i, c in enumerate(many)
            )
        )
    assert all(r.status_code == 201 for r in added), [r.text[:200] for r in added]
    after = check(await client.get(url, headers=auth(token)), 200)
    assert after["version"] == 1 + CONCURRENT  # version = version + 1 in SQL: no increment is lost
    check(await client.patch(url, json={"job_title": "x"}, headers=if_match(token, before)), 412)


@asynccontextmanager
async def clients(app: FastAPI, n: int) -> AsyncIterator[list[AsyncClient]]:
    """Separate HTTP clients on the same app: each request gets its own session and connection."""
    made = [AsyncClient(transport=ASGITransport(app=app), base_url="http://test") for _ in range(n)]
    try:
        yield made
    finally:
        for c in made:
            await c.aclose()


async def _waiting_on_locks(db: AsyncEngine, n: int) -> None:
    """Until ``n`` other backends of this database wait for a lock (PostgreSQL)."""
    async with db.connect() as conn:
        for _ in range(600):
            waiting = await conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            await conn.rollback()  # a fresh snapshot for the next look
            if waiting == n:
                return
            await asyncio.sleep(0.05)
    raise AssertionError(f"{n} requests never all waited for the lock")


async def _held(db: AsyncEngine, hold: Callable[[AsyncConnection], Awaitable[None]], n: int, go: Any) -> Any:
    """Run ``go()`` while a transaction of our own holds a lock; release it once ``n`` requests wait on it."""
    async with db.connect() as conn:
        await hold(conn)
        task = asyncio.ensure_future(go())
        try:
            await _waiting_on_locks(db, n)
        finally:
            await conn.rollback()
        return await task


async def _patch_all(many: list[AsyncClient], url: str, field: str, token: str, etag: str) -> list[Response]:
    writes = (c.patch(url, json={field: f"writer {i}"}, headers=if_match(token, etag)) for i, c in enumerate(many))
    return list(await asyncio.gather(*writes))


async def _lock_row(table: Any, row_id: int, conn: AsyncConnection) -> None:
    await conn.execute(select(table.id).where(table.id == row_id).with_for_update())


async def test_concurrent_patches_with_one_version_give_one_success(
    client: AsyncClient, db: AsyncEngine, backend: str
) -> None:
    token, items = await resources(client, db)
    app: FastAPI = client._transport.app  # type: ignore[attr-defined]
    for name, url, field, table in items:
        etag = tag(await client.get(url, headers=auth(token)))
        async with clients(app, CONCURRENT) as many:
            go = partial(_patch_all, many, url, field, token, etag)
            if backend == "postgresql":
                # every request reads version 1, then waits at its UPDATE for the row we hold
                lock = partial(_lock_row, table, int(url.rsplit("/", 1)[1]))
                answers = await _held(db, lock, CONCURRENT, go)
            else:
                answers = await go()
        codes = sorted(r.status_code for r in answers)
        assert codes == [200] + [412] * (CONCURRENT - 1), (name, [r.text[:200] for r in answers])
        winner = next(r.json() for r in answers if r.status_code == 200)
        now = check(await client.get(url, headers=auth(token)), 200)
        assert now[field] == winner[field] and now["version"] == 2, name


async def _start_all(many: list[AsyncClient], url: str, body: Any, token: str) -> list[Response]:
    return list(await asyncio.gather(*(c.post(url, json=body, headers=auth(token)) for c in many)))


async def _active_run(event_id: int, kind: str, conn: AsyncConnection) -> None:
    """An uncommitted active run of our own: each request sees none, inserts one and waits on the index."""
    values = {"event_id": event_id, "kind": kind, "status": "queued", "params": {}, "attempts": 0}
    await conn.execute(insert(Job).values(**values, created_at=utcnow()))


async def test_a_run_started_by_many_at_once_runs_once(client: AsyncClient, db: AsyncEngine, backend: str) -> None:
    """The partial unique index decides: requests that all saw no active run race to insert one."""
    if backend != "postgresql":
        pytest.skip("the insert race needs PostgreSQL's concurrent writers; SQLite has one writer at a time")
    token = await organiser_token(client, db)
    ev = await create_event(client, token)
    for i in range(4):
        await create_participant(client, token, ev["id"], email=f"run{i}@example.org")
    app: FastAPI = client._transport.app  # type: ignore[attr-defined]
    for kind, path, body in [("matching", "matching-runs", None), ("scheduling", "schedule-runs", {})]:
        url = f"{API}/events/{ev['id']}/{path}"
        async with clients(app, CONCURRENT) as many:
            go = partial(_start_all, many, url, body, token)
            answers = await _held(db, partial(_active_run, ev["id"], kind), CONCURRENT, go)
        assert all(r.status_code == 202 for r in answers), [r.text[:200] for r in answers]
        assert len({r.json()["id"] for r in answers}) == 1, kind
        await app.state.runner.join()
        async with db.connect() as conn:
            runs = (await conn.execute(select(Job.status, Job.attempts).where(Job.kind == kind))).all()
        assert runs == [("succeeded", 1)], (kind, runs)
    async with db.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Job)) == 2
