"""Pairs that must never be suggested because of meeting requests (declined ones)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.models import MeetingRequest


async def declined_pairs(session: AsyncSession, event_id: int) -> list[tuple[int, int]]:
    """(from, to) of declined meeting requests of the event."""
    rows = await session.execute(
        select(col(MeetingRequest.from_participant_id), col(MeetingRequest.to_participant_id)).where(
            col(MeetingRequest.event_id) == event_id, col(MeetingRequest.status) == "declined"
        )
    )
    return [(a, b) for a, b in rows]
