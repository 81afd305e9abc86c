from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    name: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    city: str | None = Field(default=None, max_length=200)
    venue: str | None = Field(default=None, max_length=300)
    timezone: str = Field(max_length=64)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    meeting_minutes: int = Field(default=20)
    break_minutes: int = Field(default=5)
    max_meetings_per_participant: int = Field(default=10)
    status: str = Field(default="draft", max_length=16)
    max_open_requests: int = Field(default=20, sa_column_kwargs={"server_default": "20"})
    requests_deadline: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    schedule_published: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    matching_weights: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # ETag; bumped by every edit
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class EventOrganiser(SQLModel, table=True):
    __tablename__ = "event_organiser"

    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    organiser_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organiser.id", ondelete="CASCADE"), primary_key=True, index=True)
    )


class EventSession(SQLModel, table=True):
    """A matchmaking session: a time window in which meetings take place."""

    __tablename__ = "event_session"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class EventTable(SQLModel, table=True):
    """A named meeting table; an online table carries a link instead of a place."""

    __tablename__ = "event_table"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=100)
    position: int = Field(default=0)
    online: bool = Field(default=False)
    link: str | None = Field(default=None, max_length=500)
