from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field

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

ORGANISATION_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "name": "Cluj IT Cluster",
    "kind": "cluster",
    "country": "RO",
    "city": "Cluj-Napoca",
    "region": "Nord-Vest",
    "website": "https://www.clujit.ro/",
    "description": "Association of software companies, universities and public bodies in Transylvania.",
    "sectors": ["ict", "digital-innovation-hubs"],
    "keywords": ["software", "AI", "smart city"],
    "esca_label": "gold",
    "size": 120,
    "cluster_ids": [],
    "member_count": 87,
    "version": 4,
    "created_at": "2025-07-01T09:12:00+03:00",
    "updated_at": "2025-07-03T16:40:00+03:00",
}


class SectorRead(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"slug": "ict", "name": "ICT and software"}]})

    slug: str
    name: str


class SectorCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"slug": "space-tech", "name": "Space technologies"}]})

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Transilvania Digital Innovation Hub",
                    "kind": "cluster",
                    "country": "RO",
                    "city": "Cluj-Napoca",
                    "region": "Nord-Vest",
                    "website": "https://www.tdih.ro/",
                    "description": "European Digital Innovation Hub helping SMEs adopt AI, HPC and cybersecurity.",
                    "sectors": ["ict", "digital-innovation-hubs"],
                    "keywords": ["AI", "HPC", "cybersecurity"],
                    "esca_label": "silver",
                    "size": 45,
                    "cluster_ids": [12],
                }
            ]
        }
    )

    cluster_ids: list[Id] = Field(
        default_factory=list, max_length=50, description="Clusters this organisation is a member of"
    )


class OrganisationUpdate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"city": "Cluj-Napoca", "keywords": ["AI", "HPC", "cybersecurity"], "size": 52}]
        }
    )

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
    model_config = ConfigDict(json_schema_extra={"examples": [ORGANISATION_EXAMPLE]})

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
