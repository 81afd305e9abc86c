from __future__ import annotations

from datetime import datetime

from pydantic import Field

from app.schemas.common import (
    CountryCode,
    EscaLabel,
    Id,
    Input,
    Keywords,
    LongText,
    OrganisationKind,
    OrganisationName,
    Schema,
    Sectors,
    ShortText,
    Url,
)


class SectorRead(Schema):
    slug: str
    name: str


class SectorCreate(Input):
    slug: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9-]+$", examples=["space-tech"])
    name: ShortText = Field(min_length=1, examples=["Space technologies"])


class OrganisationBase(Input):
    name: OrganisationName = Field(examples=["Transilvania IT Cluster"])
    kind: OrganisationKind
    country: CountryCode
    city: ShortText | None = None
    region: ShortText | None = None
    website: Url | None = None
    description: LongText = ""
    sectors: Sectors = Field(default_factory=list, examples=[["ict", "digital-innovation-hubs"]])
    keywords: Keywords = Field(default_factory=list)
    esca_label: EscaLabel = EscaLabel.none
    size: int | None = Field(default=None, ge=0, le=10_000_000, description="Members or employees")


class OrganisationCreate(OrganisationBase):
    cluster_ids: list[Id] = Field(
        default_factory=list, max_length=50, description="Clusters this organisation is a member of"
    )


class OrganisationUpdate(Input):
    name: OrganisationName | None = None
    kind: OrganisationKind | None = None
    country: CountryCode | None = None
    city: ShortText | None = None
    region: ShortText | None = None
    website: Url | None = None
    description: LongText | None = None
    sectors: Sectors | None = None
    keywords: Keywords | None = None
    esca_label: EscaLabel | None = None
    size: int | None = Field(default=None, ge=0, le=10_000_000)
    cluster_ids: list[Id] | None = Field(default=None, max_length=50)


class OrganisationRead(Schema):
    id: int
    name: str
    kind: OrganisationKind
    country: str
    city: str | None
    region: str | None
    website: str | None
    description: str
    sectors: list[str]
    keywords: list[str]
    esca_label: EscaLabel
    size: int | None
    cluster_ids: list[int] = Field(description="Clusters this organisation is a member of")
    member_count: int = Field(description="Members, for a cluster")
    version: int = Field(description='Grows with every change; the ETag is W/"<version>"')
    created_at: datetime
    updated_at: datetime


class OrganisationSummary(Schema):
    """The part of an organisation shown beside a participant."""

    id: int
    name: str
    kind: OrganisationKind
    country: str
    city: str | None
    sectors: list[str]
