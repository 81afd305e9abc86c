"""Import 10,000 participants through the real API (CSV and JSON) on SQLite and PostgreSQL.

    .venv/bin/python -m bench.import_speed [--rows 10000] [--pg postgresql://postgres@127.0.0.1:5432/test]

Prints a markdown table: seconds for the first import (all new) and a re-import (all upserts).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
import uuid
from typing import Any

import asyncpg
from httpx import ASGITransport, AsyncClient

from app.config import Settings
from app.db import create_sessionmaker, session_scope
from app.main import create_app
from app.migrate import upgrade
from app.services import auth
from app.services.imports import records_to_csv
from app.services.organisations import ensure_default_sectors

COUNTRIES = ["RO", "DE", "IT", "ES", "FR", "PL", "HU", "BG", "GR", "PT", "AT", "BE", "NL", "SI", "MD"]
KINDS = ["cluster", "company", "company", "company", "university", "research", "public_authority"]
SECTORS = ["ict", "automotive", "agrifood", "energy", "health", "textiles", "circular-economy", "smart-cities"]
WORDS = (
    "digitalizare platformă IoT producție parteneri cercetare energie regenerabilă sensors machine learning "
    "supply chain logistics circular economy recycling textiles agrifood traceability Horizon Europe"
).split()


def records(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)

    def text(k: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(k))

    out = []
    for i in range(n):
        org = i // 3
        out.append(
            {
                "external_id": f"x{i}",
                "name": f"Person {i}",
                "email": f"person{i}@example.org",
                "job_title": "Manager",
                "languages": ["ro", "en"],
                "max_meetings": None,
                "listed": True,
                "organisation": {
                    "name": f"Organisation {org}",
                    "kind": rnd.choice(KINDS),
                    "country": COUNTRIES[org % 15],
                    "city": None,
                    "region": None,
                    "website": None,
                    "sectors": rnd.sample(SECTORS, 2),
                    "description": text(40),
                    "keywords": [rnd.choice(WORDS)],
                },
                "offers": [
                    {"title": text(4), "description": text(20), "type": "technology", "keywords": []} for _ in range(2)
                ],
                "requests": [
                    {"title": text(4), "description": text(20), "type": "rd_cooperation", "keywords": []}
                    for _ in range(2)
                ],
            }
        )
    return out


async def run(url: str, rows: list[dict[str, Any]]) -> dict[str, float]:
    settings = Settings(database_url=url, secret_key="bench" * 10)
    await asyncio.to_thread(upgrade, url)
    app = create_app(settings)
    async with session_scope(create_sessionmaker(app.state.engine)) as s:
        await ensure_default_sectors(s)
        await auth.create_organiser(s, "bench@example.org", "bench-password")
    csv_bytes = records_to_csv(rows).encode()
    out: dict[str, float] = {}
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://b", timeout=600) as c:
        tok = (
            await c.post("/api/v1/auth/token", data={"username": "bench@example.org", "password": "bench-password"})
        ).json()["access_token"]
        h = {"Authorization": f"Bearer {tok}"}
        for label in ("csv", "json"):
            ev = (
                await c.post(
                    "/api/v1/events",
                    headers=h,
                    json={
                        "name": f"Bench {label}",
                        "timezone": "Europe/Bucharest",
                        "starts_at": "2025-07-01T09:00:00+03:00",
                        "ends_at": "2025-07-01T18:00:00+03:00",
                    },
                )
            ).json()
            path = f"/api/v1/events/{ev['id']}/participants/import"
            for phase in ("create", "upsert"):
                t = time.perf_counter()
                if label == "csv":
                    r = await c.post(path, headers=h, files={"file": ("p.csv", csv_bytes, "text/csv")})
                else:
                    r = await c.post(path, headers=h, json={"participants": rows})
                assert r.status_code == 200, r.text[:500]
                out[f"{label} {phase}"] = time.perf_counter() - t
        t = time.perf_counter()
        r = await c.get(f"/api/v1/events/{ev['id']}/participants/export", headers=h)
        out["csv export"] = time.perf_counter() - t
    await app.state.engine.dispose()
    return out


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    rows = records(args.rows)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite"] = await run(f"sqlite+aiosqlite:///{tmp}/bench.db", rows)
    name = f"mm_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.pg)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = args.pg.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        results["PostgreSQL"] = await run(f"{base}/{name}", rows)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    cols = list(next(iter(results.values())))
    print(
        f"Import of {args.rows:,} participants (2 offers + 2 requests each, "
        f"{args.rows // 3:,} organisations), seconds\n"
    )
    print("| database | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for db, r in results.items():
        print(f"| {db} | " + " | ".join(f"{r[c]:.2f}" for c in cols) + " |")


if __name__ == "__main__":
    asyncio.run(main())
