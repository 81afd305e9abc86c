"""Load the demo data idempotently: running it twice changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.models import Event, Organisation, Organiser, Participant
from app.schemas.event import EventCreate
from app.schemas.organisation import OrganisationCreate
from app.security import PARTICIPANT_TOKEN_PREFIX, hash_participant_token
from app.services import auth, events, imports
from app.services import organisations as orgs
from app.services.common import fold

DATA = Path(__file__).parent / "data"
DEMO_ORGANISER_EMAIL = "organiser@demo.matchmaker.eu"
DEMO_ORGANISER_PASSWORD = "demo-organiser-2025"


@dataclass(frozen=True)
class DemoSummary:
    organisations_created: int
    event_id: int
    event_created: bool
    participants: int
    organiser_email: str
    organiser_password: str
    participant_id: int
    participant_name: str
    participant_token: str


def demo_participant_token(secret: str, email: str) -> str:
    """A stable token for the demo participant, so the printed link survives restarts."""
    digest = hmac.new(secret.encode(), f"demo:{email}".encode(), hashlib.sha256).hexdigest()
    return f"{PARTICIPANT_TOKEN_PREFIX}demo{digest[:40]}"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


async def _organiser(session: AsyncSession) -> int:
    found = await session.scalar(select(Organiser).where(col(Organiser.email) == DEMO_ORGANISER_EMAIL))
    if found is None:
        found = await auth.create_organiser(session, DEMO_ORGANISER_EMAIL, DEMO_ORGANISER_PASSWORD, "Demo organiser")
    assert found.id is not None
    return found.id


async def _organisations(session: AsyncSession, organiser_id: int) -> int:
    items: list[dict[str, Any]] = _load("organisations.json")
    created = 0
    ids: dict[str, int] = {}
    pending_members: list[tuple[str, list[str]]] = []
    for item in items:
        key = fold(item["name"])
        existing = await session.scalar(
            select(col(Organisation.id)).where(
                col(Organisation.name_key) == key, col(Organisation.country) == item["country"]
            )
        )
        if existing is None:
            data = OrganisationCreate.model_validate({k: v for k, v in item.items() if k != "member_of"})
            existing = (await orgs.create_organisation(session, data, created_by=organiser_id)).id
            created += 1
            pending_members.append((item["name"], item.get("member_of") or []))
        ids[key] = existing
    for name, clusters in pending_members:
        cluster_ids = [ids[fold(c)] for c in clusters if fold(c) in ids and fold(c) != fold(name)]
        if cluster_ids:
            from app.schemas.organisation import OrganisationUpdate

            await orgs.update_organisation(session, ids[fold(name)], OrganisationUpdate(cluster_ids=cluster_ids))
    return created


async def load_demo(session: AsyncSession, secret: str) -> DemoSummary:
    await orgs.ensure_default_sectors(session)
    organiser_id = await _organiser(session)
    created_orgs = await _organisations(session, organiser_id)
    data = _load("cluj_event.json")
    event_data = EventCreate.model_validate({**data["event"], "status": "open"})
    event = await session.scalar(select(Event).where(col(Event.slug) == event_data.slug))
    event_created = event is None
    if event is None:
        read = await events.create_event(session, event_data, organiser_id)
        event = await events.get_event(session, read.id)
        await imports.import_records(session, event, data["participants"], csv_mode=False)
    else:
        assert event.id is not None
        await events.add_organiser(session, event.id, organiser_id)
    assert event.id is not None
    first = data["participants"][0]["email"].lower()
    participant = await session.scalar(
        select(Participant).where(col(Participant.event_id) == event.id, col(Participant.email_key) == first)
    )
    assert participant is not None and participant.id is not None
    token = demo_participant_token(secret, first)
    participant.token_hash = hash_participant_token(token)
    await session.flush()
    count = len(data["participants"])
    return DemoSummary(
        organisations_created=created_orgs,
        event_id=event.id,
        event_created=event_created,
        participants=count,
        organiser_email=DEMO_ORGANISER_EMAIL,
        organiser_password=DEMO_ORGANISER_PASSWORD,
        participant_id=participant.id,
        participant_name=participant.name,
        participant_token=token,
    )
