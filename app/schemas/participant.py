from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import (
    CountryCode,
    Direction,
    Email,
    ExternalId,
    Id,
    Input,
    Keywords,
    LanguageCode,
    LongText,
    OpportunityType,
    OrganisationKind,
    OrganisationName,
    PersonName,
    Schema,
    Sectors,
    ShortText,
    Time,
    Title,
)
from app.schemas.organisation import OrganisationSummary

MAX_OPPORTUNITIES = 20

OFFER_EXAMPLE: dict[str, Any] = {
    "title": "Edge AI platform for predictive maintenance",
    "description": "We offer our edge AI stack for pilots with manufacturing SMEs in Transylvania.",
    "type": "technology",
    "keywords": ["edge AI", "predictive maintenance", "industry 4.0"],
}
REQUEST_EXAMPLE: dict[str, Any] = {
    "title": "Partners for a Horizon Europe proposal",
    "description": "Looking for a Spanish or German research partner for a Cluster 4 call.",
    "type": "eu_project_partner",
    "keywords": ["Horizon Europe", "robotics"],
}
OPPORTUNITY_EXAMPLE: dict[str, Any] = {
    "id": 301,
    "participant_id": 42,
    "direction": "offer",
    **OFFER_EXAMPLE,
    "created_at": "2025-07-02T10:15:00+03:00",
    "updated_at": "2025-07-02T10:15:00+03:00",
}
PARTICIPANT_EXAMPLE: dict[str, Any] = {
    "id": 42,
    "event_id": 3,
    "external_id": "REG-2025-0042",
    "name": "Ioana Popescu",
    "email": "ioana.popescu@clujit.ro",
    "job_title": "Innovation manager",
    "languages": ["ro", "en", "de"],
    "organisation": {
        "id": 12,
        "name": "Cluj IT Cluster",
        "kind": "cluster",
        "country": "RO",
        "city": "Cluj-Napoca",
        "sectors": ["ict", "digital-innovation-hubs"],
    },
    "session_ids": [5],
    "blocked_slots": ["2025-07-08T11:40:00+03:00"],
    "max_meetings": 8,
    "listed": True,
    "offers": [OPPORTUNITY_EXAMPLE],
    "requests": [
        {
            "id": 302,
            "participant_id": 42,
            "direction": "request",
            **REQUEST_EXAMPLE,
            "created_at": "2025-07-02T10:16:00+03:00",
            "updated_at": "2025-07-02T10:16:00+03:00",
        }
    ],
    "version": 6,
    "created_at": "2025-07-01T09:30:00+03:00",
    "updated_at": "2025-07-03T12:05:00+03:00",
}
IMPORT_PARTICIPANT_EXAMPLE: dict[str, Any] = {
    "external_id": "REG-2025-0107",
    "name": "Javier Martínez",
    "email": "j.martinez@clusterbasque.es",
    "job_title": "International projects lead",
    "languages": ["es", "en"],
    "organisation": {
        "name": "Basque Mobility Cluster",
        "kind": "cluster",
        "country": "ES",
        "city": "San Sebastián",
        "sectors": ["mobility"],
    },
    "offers": [{"title": "Testbed for autonomous shuttles", "type": "technology", "keywords": ["autonomous driving"]}],
    "requests": [REQUEST_EXAMPLE],
    "max_meetings": 10,
    "listed": True,
}
# The imported participant as another participant of the event sees him: private fields are null.
PUBLIC_PARTICIPANT_EXAMPLE: dict[str, Any] = {
    "id": 107,
    "event_id": 3,
    "external_id": IMPORT_PARTICIPANT_EXAMPLE["external_id"],
    "name": IMPORT_PARTICIPANT_EXAMPLE["name"],
    "email": None,
    "job_title": IMPORT_PARTICIPANT_EXAMPLE["job_title"],
    "languages": IMPORT_PARTICIPANT_EXAMPLE["languages"],
    "organisation": {"id": 19, **IMPORT_PARTICIPANT_EXAMPLE["organisation"]},
    "session_ids": None,
    "blocked_slots": None,
    "max_meetings": None,
    "listed": True,
    "offers": [
        {
            "id": 318,
            "participant_id": 107,
            "direction": "offer",
            "description": "",
            **IMPORT_PARTICIPANT_EXAMPLE["offers"][0],
            "created_at": "2025-07-02T16:40:00+03:00",
            "updated_at": "2025-07-02T16:40:00+03:00",
        }
    ],
    "requests": [
        {
            "id": 319,
            "participant_id": 107,
            "direction": "request",
            **REQUEST_EXAMPLE,
            "created_at": "2025-07-02T16:40:00+03:00",
            "updated_at": "2025-07-02T16:40:00+03:00",
        }
    ],
    "version": 3,
    "created_at": "2025-07-02T16:40:00+03:00",
    "updated_at": "2025-07-04T13:47:00+03:00",
}


class OpportunityIn(Input):
    title: Title = Field(examples=["Partners for a Horizon Europe proposal"])
    description: LongText = ""
    type: OpportunityType = OpportunityType.other
    keywords: Keywords = Field(default_factory=list)


class OpportunityCreate(OpportunityIn):
    model_config = ConfigDict(json_schema_extra={"examples": [{"direction": "offer", **OFFER_EXAMPLE}]})

    direction: Direction


class OpportunityUpdate(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"title": "Edge AI pilots for food-processing SMEs", "keywords": ["edge AI"]}]}
    )

    direction: Direction | None = None
    title: Title | None = None
    description: LongText | None = None
    type: OpportunityType | None = None
    keywords: Keywords | None = None


class OpportunityRead(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [OPPORTUNITY_EXAMPLE]})

    id: int
    participant_id: int
    direction: Direction
    type: OpportunityType
    title: str
    description: str
    keywords: list[str]
    created_at: datetime
    updated_at: datetime


class OrganisationRef(Input):
    """An organisation given inline: matched to an existing one by name and country."""

    name: OrganisationName
    kind: OrganisationKind = OrganisationKind.other
    country: CountryCode
    city: ShortText | None = None
    region: ShortText | None = None
    website: str | None = Field(default=None, max_length=500)
    sectors: Sectors = Field(default_factory=list)
    description: LongText = ""
    keywords: Keywords = Field(default_factory=list)


class ParticipantCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "external_id": "REG-2025-0042",
                    "name": "Ioana Popescu",
                    "email": "ioana.popescu@clujit.ro",
                    "job_title": "Innovation manager",
                    "languages": ["ro", "en", "de"],
                    "organisation_id": 12,
                    "session_ids": [5],
                    "max_meetings": 8,
                    "listed": True,
                    "offers": [OFFER_EXAMPLE],
                    "requests": [REQUEST_EXAMPLE],
                }
            ]
        }
    )

    external_id: ExternalId | None = Field(default=None)
    name: PersonName = Field(examples=["Ioana Popescu"])
    email: Email
    job_title: ShortText | None = None
    languages: list[LanguageCode] = Field(default_factory=list, max_length=20, examples=[["ro", "en"]])
    organisation_id: Id | None = Field(default=None, description="An existing organisation…")
    organisation: OrganisationRef | None = Field(default=None, description="…or one given inline")
    session_ids: list[Id] | None = Field(default=None, max_length=20, description="Sessions attended; null means all")
    max_meetings: int | None = Field(default=None, ge=0, le=100)
    listed: bool = Field(default=True, description="Consent to be listed and suggested to others")
    offers: list[OpportunityIn] = Field(default_factory=list, max_length=MAX_OPPORTUNITIES)
    requests: list[OpportunityIn] = Field(default_factory=list, max_length=MAX_OPPORTUNITIES)


class ParticipantUpdate(Input):
    """Fields a participant may change on their own profile; organisers may change all."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"job_title": "Head of innovation", "max_meetings": 6, "blocked_slots": ["2025-07-08T11:40:00+03:00"]}
            ]
        }
    )

    name: PersonName | None = None
    job_title: ShortText | None = None
    languages: list[LanguageCode] | None = Field(default=None, max_length=20)
    session_ids: list[Id] | None = Field(default=None, max_length=20)
    max_meetings: int | None = Field(default=None, ge=0, le=100)
    listed: bool | None = None
    blocked_slots: list[Time] | None = Field(
        default=None, max_length=200, description="Slot starts (see GET …/slots) when this participant cannot meet"
    )
    email: Email | None = Field(default=None, description="Organisers only")
    external_id: ExternalId | None = Field(default=None, description="Organisers only")
    organisation_id: Id | None = Field(default=None, description="Organisers only")


ORGANISER_ONLY_FIELDS = frozenset({"email", "external_id", "organisation_id"})


class ParticipantRead(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [PARTICIPANT_EXAMPLE]})

    id: int
    event_id: int
    external_id: str | None
    name: str
    email: str | None = Field(description="Shown to organisers and to the participant themself only")
    job_title: str | None
    languages: list[str]
    organisation: OrganisationSummary
    session_ids: list[int] | None = Field(description="Only for organisers and the participant themself")
    blocked_slots: list[datetime] | None = Field(description="Only for organisers and the participant themself")
    max_meetings: int | None
    listed: bool
    offers: list[OpportunityRead]
    requests: list[OpportunityRead]
    version: int = Field(
        description="Grows with every change of the profile, its offers and requests and its organisation; "
        'the ETag is W/"<version>"'
    )
    created_at: datetime
    updated_at: datetime


class AccessToken(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "token": "p_3J9xQ2vK7mWcR1tYz8LhN0aB",
                    "link": "https://matchmaker.clujit.ro/e/cmr-cluj-2025?access_token=p_3J9xQ2vK7mWcR1tYz8LhN0aB",
                }
            ]
        }
    )

    token: str = Field(description="Bearer token for this participant; shown once")
    link: str = Field(description="Personal link that carries the token")


class ImportParticipant(Input):
    external_id: ExternalId | None = Field(default=None)
    name: PersonName
    email: Email
    job_title: ShortText | None = None
    languages: list[LanguageCode] = Field(default_factory=list, max_length=20)
    organisation: OrganisationRef
    offers: list[OpportunityIn] = Field(default_factory=list, max_length=MAX_OPPORTUNITIES)
    requests: list[OpportunityIn] = Field(default_factory=list, max_length=MAX_OPPORTUNITIES)
    max_meetings: int | None = Field(default=None, ge=0, le=100)
    listed: bool = True


class ImportBody(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"participants": [IMPORT_PARTICIPANT_EXAMPLE]}]})

    participants: list[ImportParticipant] = Field(max_length=50_000)


class ImportedRef(BaseModel):
    id: int
    external_id: str | None
    email: str


class ImportResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "created": 1,
                    "updated": 0,
                    "organisations_created": 1,
                    "participants": [
                        {"id": 107, "external_id": "REG-2025-0107", "email": "j.martinez@clusterbasque.es"}
                    ],
                }
            ]
        }
    )

    created: int
    updated: int
    organisations_created: int
    participants: list[ImportedRef]
