from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

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


class OpportunityIn(Input):
    title: Title = Field(examples=["Partners for a Horizon Europe proposal"])
    description: LongText = ""
    type: OpportunityType = OpportunityType.other
    keywords: Keywords = Field(default_factory=list)


class OpportunityCreate(OpportunityIn):
    direction: Direction


class OpportunityUpdate(Input):
    direction: Direction | None = None
    title: Title | None = None
    description: LongText | None = None
    type: OpportunityType | None = None
    keywords: Keywords | None = None


class OpportunityRead(Schema):
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
        description='Grows with every change of the profile, its offers and requests and its organisation; '
        'the ETag is W/"<version>"'
    )
    created_at: datetime
    updated_at: datetime


class AccessToken(BaseModel):
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
    participants: list[ImportParticipant] = Field(max_length=50_000)


class ImportedRef(BaseModel):
    id: int
    external_id: str | None
    email: str


class ImportResult(BaseModel):
    created: int
    updated: int
    organisations_created: int
    participants: list[ImportedRef]
