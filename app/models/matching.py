from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

ACTIVE_JOB = "status IN ('queued', 'running')"


class Job(SQLModel, table=True):
    """A long run (matching, scheduling, import) with its status, progress and timings."""

    __table_args__ = (
        # one active run per event and kind, even when two organisers press "run" at once
        Index(
            "uq_job_active",
            "event_id",
            "kind",
            unique=True,
            sqlite_where=text(ACTIVE_JOB),
            postgresql_where=text(ACTIVE_JOB),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: str = Field(max_length=16)  # matching | scheduling | import
    status: str = Field(default="queued", max_length=16)  # queued | running | succeeded | failed
    progress: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class Suggestion(SQLModel, table=True):
    """A partner suggested to a participant, as the engine ranked and explained it."""

    __table_args__ = (UniqueConstraint("participant_id", "partner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    partner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    run_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("job.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    engine_version: str = Field(sa_column=Column(String(32), nullable=False))
    rank: int
    score: float = Field(sa_column=Column(Float, nullable=False))
    score_for_me: float = Field(sa_column=Column(Float, nullable=False))
    score_for_them: float = Field(sa_column=Column(Float, nullable=False))
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source: str = Field(default="run", max_length=16)  # run | refresh
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ParticipantBlock(SQLModel, table=True):
    """A partner a participant never wants suggested again (hidden, blocked)."""

    __tablename__ = "participant_block"

    participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    )
    blocked_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    reason: str = Field(default="hidden", max_length=16)  # hidden | blocked
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
