"""Seed a PostgreSQL database for the load benchmark: one event, N participants, suggestions, agendas, tokens.

Runs in-process through the real API (``httpx.ASGITransport``), as ``bench/import_speed.py`` does: the
organiser creates the event, bulk-imports the synthetic participants of ``bench/matching_speed.py``, runs
matching and the scheduler (``fill_from_suggestions``) once. Participant tokens are minted with
``app.security`` and stored hashed, exactly as ``services.participants.issue_token`` does, but in one
statement (5,000 API calls would only slow the set-up). Each load participant also gets a few pending
incoming requests, so that answering (accept / decline) has something to answer.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import asyncpg
from httpx import ASGITransport, AsyncClient

from app.config import Settings
from app.db import create_sessionmaker, session_scope
from app.main import create_app
from app.security import hash_participant_token, new_participant_token
from app.services import auth
from app.services.organisations import ensure_default_sectors
from bench.matching_speed import synthetic_event

ORGANISER = ("load@example.org", "load-bench-password")
# synthetic sectors -> the project's default sector slugs
SECTOR_SLUGS = {
    "manufacturing": "advanced-manufacturing",
    "textile": "textiles",
    "wood": "wood-furniture",
    "environment": "circular-economy",
    "creative": "creative-industries",
    "finance": "digital-innovation-hubs",
}


@dataclass
class Seeded:
    event_id: int
    organiser_token: str
    participants: list[dict[str, Any]]  # [{"id", "token"}] for the load users
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_rows(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """The synthetic event of ``bench.matching_speed`` in the import format of the API."""
    rows = []
    for i, p in enumerate(synthetic_event(n, seed, plant=False)["participants"]):
        rows.append(
            {
                "external_id": p["id"],
                "name": f"Person {i}",
                "email": f"person{i}@example.org",
                "job_title": "Manager",
                "languages": p["languages"],
                "organisation": {
                    "name": p["organisation"],
                    "kind": p["organisation_kind"],
                    "country": p["country"],
                    "sectors": sorted({SECTOR_SLUGS.get(s, s) for s in p["sectors"]}),
                    "description": p["profile"],
                    "keywords": [],
                },
                "offers": p["offers"],
                "requests": p["requests"],
            }
        )
    return rows


EVENT = {
    "name": "Load benchmark",
    "city": "Cluj-Napoca",
    "timezone": "Europe/Bucharest",
    "starts_at": "2026-06-10T09:00:00+03:00",
    "ends_at": "2026-06-10T18:00:00+03:00",
    "sessions": [
        {
            "name": "Matchmaking afternoon",
            "starts_at": "2026-06-10T14:00:00+03:00",
            "ends_at": "2026-06-10T18:00:00+03:00",
        }
    ],
    "meeting_minutes": 20,
    "break_minutes": 0,
    "table_count": 1000,
    "max_meetings_per_participant": 8,
}


async def _wait_job(client: AsyncClient, app: Any, path: str, headers: dict[str, str]) -> dict[str, Any]:
    await app.state.runner.join()
    job: dict[str, Any] = (await client.get(path, headers=headers)).json()
    if job["status"] != "succeeded":
        raise RuntimeError(f"{path}: {job}")
    return job


async def seed(url: str, n: int, load_users: int, incoming_per_user: int, secret: str) -> Seeded:
    """Fill the (migrated, empty) database at ``url`` and return what the load users need."""
    settings = Settings(database_url=url, secret_key=secret, demo_mode=False, log_level="WARNING")
    app = create_app(settings)
    seconds: dict[str, float] = {}
    async with session_scope(create_sessionmaker(app.state.engine)) as s:
        await ensure_default_sectors(s)
        await auth.create_organiser(s, *ORGANISER)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://seed", timeout=3600) as c:
        form = {"username": ORGANISER[0], "password": ORGANISER[1]}
        token = (await c.post("/api/v1/auth/token", data=form)).json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        r = await c.post("/api/v1/events", headers=h, json=EVENT)
        r.raise_for_status()
        event_id = r.json()["id"]
        base = f"/api/v1/events/{event_id}"
        t = time.perf_counter()
        r = await c.post(f"{base}/participants/import", headers=h, json={"participants": import_rows(n)})
        if r.status_code != 200:
            raise RuntimeError(f"import: {r.status_code} {r.text[:800]}")
        seconds["import"] = time.perf_counter() - t
        t = time.perf_counter()
        r = await c.post(f"{base}/matching-runs", headers=h, json={})
        r.raise_for_status()
        await _wait_job(c, app, f"{base}/matching-runs/{r.json()['id']}", h)
        seconds["matching"] = time.perf_counter() - t
        t = time.perf_counter()
        r = await c.post(f"{base}/schedule-runs", headers=h, json={"fill_from_suggestions": True})
        r.raise_for_status()
        await _wait_job(c, app, f"{base}/schedule-runs/{r.json()['id']}", h)
        seconds["scheduling"] = time.perf_counter() - t
    await app.state.engine.dispose()
    t = time.perf_counter()
    users, counts = await _tokens_and_inbox(url, event_id, load_users, incoming_per_user)
    seconds["tokens_and_inbox"] = time.perf_counter() - t
    return Seeded(event_id, token, users, seconds, counts)


async def _tokens_and_inbox(
    url: str, event_id: int, load_users: int, incoming_per_user: int
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch("SELECT id, organisation_id FROM participant WHERE event_id = $1 ORDER BY id", event_id)
        org = {r["id"]: r["organisation_id"] for r in rows}
        ids = list(org)
        load_ids = ids[:load_users]
        tokens = {pid: new_participant_token() for pid in load_ids}
        await conn.executemany(
            "UPDATE participant SET token_hash = $2, token_issued_at = now() WHERE id = $1",
            [(pid, hash_participant_token(tok)) for pid, tok in tokens.items()],
        )
        met = {
            frozenset((r["a_id"], r["b_id"]))
            for r in await conn.fetch("SELECT a_id, b_id FROM meeting WHERE event_id = $1", event_id)
        }
        # senders come from outside the load pool, so load users never request someone who already asked them
        outsiders = ids[load_users:]
        rng = random.Random(11)
        inbox: list[tuple[int, int, int, int, int]] = []
        for pid in load_ids:
            senders: set[int] = set()
            while len(senders) < incoming_per_user:
                x = rng.choice(outsiders)
                if org[x] != org[pid] and frozenset((x, pid)) not in met:
                    senders.add(x)
            inbox += [(event_id, x, pid, min(x, pid), max(x, pid)) for x in senders]
        await conn.executemany(
            "INSERT INTO meeting_request (event_id, from_participant_id, to_participant_id, pair_low, pair_high,"
            " status, message, created_by, created_at)"
            " VALUES ($1, $2, $3, $4, $5, 'pending', '', 'participant', now())",
            inbox,
        )
        # These rows bypass the app, so nothing refreshed the planner's statistics: without them the
        # inbox query read all of the event's open requests through the wrong index (2.1 ms instead of
        # 0.2 ms in PostgreSQL). A production server's autovacuum analyses a table within a minute of
        # such a change; this machine's PostgreSQL runs with autovacuum off, so the seed does it.
        await conn.execute("ANALYZE meeting_request")
        counts = {
            "participants": len(ids),
            "meetings": len(met),
            "suggestions": await conn.fetchval("SELECT count(*) FROM suggestion WHERE event_id = $1", event_id),
            "seeded_pending_requests": len(inbox),
        }
    finally:
        await conn.close()
    return [{"id": pid, "token": tokens[pid]} for pid in load_ids], counts


def run_seed(url: str, n: int, load_users: int, incoming_per_user: int, secret: str) -> Seeded:
    return asyncio.run(seed(url, n, load_users, incoming_per_user, secret))
