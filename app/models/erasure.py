"""Tombstones of participants whose personal data was erased (GDPR Art. 17)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class ParticipantErasure(SQLModel, table=True):
    """The participant row stays (counts, meetings that took place) without personal data; this says so."""

    __tablename__ = "participant_erasure"

    participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    )
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    erased_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    erased_by: str = Field(sa_column=Column(String(16), nullable=False))  # organiser | participant
    meetings_cancelled: int = Field(default=0)
    requests_withdrawn: int = Field(default=0)
    partners_notified: int = Field(default=0)
