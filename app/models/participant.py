from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Participant(SQLModel, table=True):
    """A person representing an organisation at one event."""

    __table_args__ = (
        UniqueConstraint("event_id", "email_key"),
        UniqueConstraint("event_id", "external_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    organisation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    external_id: str | None = Field(default=None, max_length=200)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    email_key: str = Field(max_length=320)  # lower-cased email: uniqueness per event
    job_title: str | None = Field(default=None, max_length=200)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # None means every session of the event
    session_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    max_meetings: int | None = Field(default=None)
    blocked_slots: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )  # UTC ISO starts
    listed: bool = Field(default=True)  # consent to be listed and suggested to others
    token_hash: str | None = Field(default=None, sa_column=Column(String(128), unique=True, nullable=True))
    token_issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    version: int = Field(default=1)
    matched_version: int | None = Field(default=None)  # profile version the stored suggestions reflect
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Opportunity(SQLModel, table=True):
    """Something a participant offers or requests."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    direction: str = Field(max_length=8)  # offer | request
    type: str = Field(default="other", max_length=32)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    position: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
