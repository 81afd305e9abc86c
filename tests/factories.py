"""Plain factory functions: ``create_<thing>(client, token, **overrides)``."""

from __future__ import annotations

import itertools
from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import create_sessionmaker, session_scope
from app.services import auth as auth_service

_counter = itertools.count(1)


def check(response: Response, status: int) -> Any:
    assert response.status_code == status, f"{response.status_code} != {status}: {response.text}"
    return response.json() if response.content else None


async def create_organiser(db: AsyncEngine, email: str | None = None, password: str = "s3cret-pass") -> tuple[str, str]:
    email = email or f"organiser{next(_counter)}@example.org"
    async with session_scope(create_sessionmaker(db)) as session:
        await auth_service.create_organiser(session, email, password)
    return email, password


async def organiser_token(client: AsyncClient, db: AsyncEngine, email: str | None = None) -> str:
    email, password = await create_organiser(db, email)
    body = check(await client.post("/api/v1/auth/token", data={"username": email, "password": password}), 200)
    return str(body["access_token"])


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def event_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"Clusters Meet Regions {next(_counter)}",
        "city": "Cluj-Napoca",
        "timezone": "Europe/Bucharest",
        "starts_at": "2025-07-01T09:00:00+03:00",
        "ends_at": "2025-07-02T17:00:00+03:00",
        "sessions": [
            {"name": "Matchmaking", "starts_at": "2025-07-01T14:00:00+03:00", "ends_at": "2025-07-01T18:00:00+03:00"}
        ],
        "meeting_minutes": 20,
        "break_minutes": 5,
        "table_count": 10,
        "max_meetings_per_participant": 8,
        "status": "open",
    }
    body.update(overrides)
    return body


async def create_event(client: AsyncClient, token: str, **overrides: Any) -> dict[str, Any]:
    return dict(check(await client.post("/api/v1/events", json=event_body(**overrides), headers=auth(token)), 201))


def participant_body(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    body: dict[str, Any] = {
        "external_id": f"ext-{n}",
        "name": f"Person {n}",
        "email": f"person{n}@example.org",
        "job_title": "Cluster manager",
        "languages": ["en", "ro"],
        "organisation": {
            "name": f"Organisation {n}",
            "kind": "company",
            "country": "RO",
            "city": "Cluj-Napoca",
            "sectors": ["ict"],
            "description": "Software for factories",
            "keywords": ["iot"],
        },
        "offers": [
            {"title": "IoT platform for factories", "description": "Sensors and dashboards", "type": "technology"}
        ],
        "requests": [
            {
                "title": "Research partner for AI",
                "description": "Machine learning on sensor data",
                "type": "rd_cooperation",
            }
        ],
    }
    body.update(overrides)
    return body


async def create_participant(client: AsyncClient, token: str, event_id: int, **overrides: Any) -> dict[str, Any]:
    r = await client.post(
        f"/api/v1/events/{event_id}/participants", json=participant_body(**overrides), headers=auth(token)
    )
    return dict(check(r, 201))


async def participant_token(client: AsyncClient, token: str, event_id: int, participant_id: int) -> str:
    r = await client.post(f"/api/v1/events/{event_id}/participants/{participant_id}/access-token", headers=auth(token))
    return str(check(r, 200)["token"])
