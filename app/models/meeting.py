from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

OPEN_REQUEST = "status IN ('pending', 'accepted')"


class MeetingRequest(SQLModel, table=True):
    """A participant asks another for a meeting: pending -> accepted / declined / cancelled / expired."""

    __tablename__ = "meeting_request"
    __table_args__ = (
        # one open (pending or accepted) request per pair, whoever asked
        Index(
            "uq_meeting_request_open_pair",
            "event_id",
            "pair_low",
            "pair_high",
            unique=True,
            sqlite_where=text(OPEN_REQUEST),
            postgresql_where=text(OPEN_REQUEST),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    from_participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    to_participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    pair_low: int
    pair_high: int
    status: str = Field(default="pending", max_length=16)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by: str = Field(default="participant", max_length=16)  # participant | organiser
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


SCHEDULED = "status = 'scheduled' AND starts_at IS NOT NULL"


class Meeting(SQLModel, table=True):
    """Two participants, a slot and a table (or an online link)."""

    __table_args__ = (
        # a table hosts one meeting per slot
        Index(
            "uq_meeting_table_slot",
            "table_id",
            "starts_at",
            unique=True,
            sqlite_where=text(SCHEDULED),
            postgresql_where=text(SCHEDULED),
        ),
        UniqueConstraint("request_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    request_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("meeting_request.id", ondelete="SET NULL"), nullable=True)
    )
    a_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    b_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    status: str = Field(default="unscheduled", max_length=16)  # unscheduled | scheduled | cancelled
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    table_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("event_table.id", ondelete="SET NULL"), nullable=True)
    )
    locked: bool = Field(default=False)
    source: str = Field(default="request", max_length=16)  # request | suggestion | organiser
    score: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    unplaced_reason: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    cancel_reason: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    sequence: int = Field(default=0)  # iCalendar SEQUENCE: grows on every change
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class MeetingSeat(SQLModel, table=True):
    """One participant's seat in a scheduled meeting: nobody sits in two meetings at once."""

    __tablename__ = "meeting_seat"
    __table_args__ = (UniqueConstraint("participant_id", "starts_at"),)

    meeting_id: int = Field(sa_column=Column(Integer, ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True))
    participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    )
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
