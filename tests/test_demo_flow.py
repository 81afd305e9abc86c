"""The issue's acceptance flow on the demo event: match, request, accept, schedule, agendas."""

import asyncio
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import create_sessionmaker, session_scope
from app.demo.loader import DEMO_ORGANISER_EMAIL, DEMO_ORGANISER_PASSWORD, load_demo
from tests.conftest import SECRET
from tests.factories import auth, check, participant_token

API = "/api/v1"


async def wait(client: AsyncClient, token: str, path: str) -> dict[str, Any]:
    started = check(await client.post(path, json={}, headers=auth(token)), 202)
    for _ in range(600):
        run = check(await client.get(f"{path}/{started['id']}", headers=auth(token)), 200)
        if run["status"] in ("succeeded", "failed"):
            assert run["status"] == "succeeded", run
            return dict(run)
        await asyncio.sleep(0.05)
    raise AssertionError(f"{path} did not finish")


async def test_demo_event_from_requests_to_agendas(client: AsyncClient, db: AsyncEngine) -> None:
    async with session_scope(create_sessionmaker(db)) as session:
        demo = await load_demo(session, SECRET)
    eid = demo.event_id
    login = {"username": DEMO_ORGANISER_EMAIL, "password": DEMO_ORGANISER_PASSWORD}
    org = check(await client.post(f"{API}/auth/token", data=login), 200)["access_token"]
    run = await wait(client, org, f"{API}/events/{eid}/matching-runs")
    assert run["result"]["participants"] == 80

    people = check(await client.get(f"{API}/events/{eid}/participants", params={"limit": 200}, headers=auth(org)), 200)[
        "items"
    ]
    tokens = {p["id"]: await participant_token(client, org, eid, p["id"]) for p in people[:30]}
    requested: set[tuple[int, int]] = set()
    for pid, token in tokens.items():
        suggestions = check(
            await client.get(f"{API}/events/{eid}/participants/{pid}/suggestions", headers=auth(token)), 200
        )
        assert suggestions["items"], f"participant {pid} has no suggestions"
        assert any(r["type"] in ("request_offer", "offer_request") for s in suggestions["items"] for r in s["reasons"])
        for s in suggestions["items"][:3]:
            partner = s["participant"]["id"]
            if (min(pid, partner), max(pid, partner)) in requested:
                continue
            requested.add((min(pid, partner), max(pid, partner)))
            check(
                await client.post(
                    f"{API}/events/{eid}/meeting-requests", json={"to_participant_id": partner}, headers=auth(token)
                ),
                201,
            )
    pending = check(
        await client.get(
            f"{API}/events/{eid}/meeting-requests", params={"status": "pending", "limit": 200}, headers=auth(org)
        ),
        200,
    )
    for r in pending["items"]:
        receiver = tokens.get(r["to_participant_id"]) or await participant_token(
            client, org, eid, r["to_participant_id"]
        )
        tokens[r["to_participant_id"]] = receiver
        check(await client.post(f"{API}/events/{eid}/meeting-requests/{r['id']}/accept", headers=auth(receiver)), 200)

    schedule = await wait(client, org, f"{API}/events/{eid}/schedule-runs")
    result = schedule["result"]
    assert result["must"] == len(requested) and result["must_placed"] == result["must"], result
    meetings = check(await client.get(f"{API}/events/{eid}/meetings", params={"limit": 200}, headers=auth(org)), 200)
    assert meetings["total"] == len(requested) and all(m["status"] == "scheduled" for m in meetings["items"])

    pid, token = next(iter(tokens.items()))
    agenda = check(await client.get(f"{API}/events/{eid}/participants/{pid}/agenda", headers=auth(token)), 200)
    assert agenda["items"]
    for item in agenda["items"]:
        assert item["starts_at"].endswith("+03:00") and item["table"]["name"] and item["partner"]["name"]
    ics = await client.get(f"{API}/events/{eid}/participants/{pid}/agenda.ics", params={"token": token})
    assert ics.status_code == 200 and "BEGIN:VEVENT" in ics.text and "TZID=Europe/Bucharest" in ics.text


async def test_a_large_scheduling_run_leaves_planner_statistics(
    client: AsyncClient, db: AsyncEngine, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scheduling run that writes many meetings analyses ``meeting`` and ``meeting_seat`` in its own
    transaction (``app.db.analyze``): the agendas and inboxes read right after it are planned with the
    new rows counted, not as empty tables."""
    if backend != "postgresql":
        pytest.skip("SQLite plans without statistics")
    monkeypatch.setattr("app.services.scheduling.BULK_ROWS", 10)  # the demo event, not 500 meetings
    async with session_scope(create_sessionmaker(db)) as session:
        demo = await load_demo(session, SECRET)
    login = {"username": DEMO_ORGANISER_EMAIL, "password": DEMO_ORGANISER_PASSWORD}
    org = check(await client.post(f"{API}/auth/token", data=login), 200)["access_token"]

    async def analysed() -> dict[str, tuple[float, Any]]:
        """reltuples, and when an ANALYZE command last ran (autovacuum's sets last_autoanalyze instead)."""
        async with db.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT c.relname, c.reltuples, s.last_analyze FROM pg_class c"
                    " JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname IN ('meeting', 'meeting_seat')"
                )
            )
            return {name: (float(n), at) for name, n, at in rows}

    before = await analysed()
    await wait(client, org, f"{API}/events/{demo.event_id}/matching-runs")
    started = check(
        await client.post(
            f"{API}/events/{demo.event_id}/schedule-runs", json={"fill_from_suggestions": True}, headers=auth(org)
        ),
        202,
    )
    for _ in range(600):
        run = check(
            await client.get(f"{API}/events/{demo.event_id}/schedule-runs/{started['id']}", headers=auth(org)), 200
        )
        if run["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.05)
    assert run["status"] == "succeeded", run
    placed = run["result"]["fill_ins_placed"]
    assert placed >= 10, run["result"]
    after = await analysed()
    for table in ("meeting", "meeting_seat"):  # analysed by the run: later than any earlier ANALYZE
        assert after[table][1] is not None and (before[table][1] is None or after[table][1] > before[table][1])
    assert after["meeting"][0] >= placed and after["meeting_seat"][0] >= 2 * placed
