from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Sector(SQLModel, table=True):
    """The controlled sector vocabulary; organisers can add entries."""

    slug: str = Field(sa_column=Column(String(64), primary_key=True))
    name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Organisation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("name_key", "country"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)
    name_key: str = Field(max_length=300, index=True)  # folded name: duplicates check
    kind: str = Field(max_length=32, index=True)
    country: str = Field(max_length=2, index=True)
    city: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=500)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    esca_label: str = Field(default="none", max_length=16)
    size: int | None = Field(default=None)
    created_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("organiser.id", ondelete="SET NULL"), nullable=True)
    )
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # ETag; bumped by every edit
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class OrganisationSector(SQLModel, table=True):
    __tablename__ = "organisation_sector"

    organisation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    )
    sector_slug: str = Field(
        sa_column=Column(String(64), ForeignKey("sector.slug", ondelete="RESTRICT"), primary_key=True, index=True)
    )


class Membership(SQLModel, table=True):
    """An organisation (usually a company) is a member of a cluster."""

    member_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    )
    cluster_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("organisation.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        )
    )
