"""The whole-event document (``matchmaker-event/1``): what an export writes and an import reads.

Ids in the document are the exporting database's ids. They only tie the document together
(a meeting names its participants and table by them); an import assigns new ids and follows
every reference. Times carry offsets (the export writes them in the event's time zone).
Limits follow the database columns, so whatever one server stored another can load.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.schemas.common import (
    MAX_ID,
    Actor,
    CountryCode,
    EscaLabel,
    EventStatus,
    FinishedJobStatus,
    OpportunityType,
    OrganisationKind,
    Time,
    TimeZoneName,
)
from app.schemas.meeting import MeetingStatus, RequestStatus

FORMAT = "matchmaker-event/1"

DocId = Annotated[int, Field(ge=1, le=MAX_ID, description="An id of the exporting database (a local reference)")]
Text = Annotated[str, Field(max_length=100_000)]
Count = Annotated[int, Field(ge=0, le=MAX_ID)]
Score = Annotated[float, Field(ge=0, le=1)]
Weight = Annotated[int, Field(ge=0, le=1000)] | Annotated[float, Field(ge=0, le=1000)]
# A document is at most MATCHMAKER_MAX_IMPORT_BYTES (50 MB): no list can hold more items than that allows.
MANY = 1_000_000


Str8 = Annotated[str, StringConstraints(max_length=8)]
Str16 = Annotated[str, StringConstraints(max_length=16)]
Str32 = Annotated[str, StringConstraints(max_length=32)]
Str100 = Annotated[str, StringConstraints(max_length=100)]
Str128 = Annotated[str, StringConstraints(max_length=128)]
Str200 = Annotated[str, StringConstraints(max_length=200)]
Str300 = Annotated[str, StringConstraints(max_length=300)]
Str500 = Annotated[str, StringConstraints(max_length=500)]


class Doc(BaseModel):
    """Unknown fields are refused: a typo must not be dropped silently."""

    model_config = ConfigDict(extra="forbid")


class EventDoc(Doc):
    slug: Annotated[str, StringConstraints(min_length=2, max_length=120, pattern=r"^[a-z0-9-]+$")]
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    description: Text = ""
    city: Str200 | None = None
    venue: Str300 | None = None
    timezone: TimeZoneName
    starts_at: Time
    ends_at: Time
    meeting_minutes: int = Field(ge=5, le=240)
    break_minutes: int = Field(ge=0, le=120)
    max_meetings_per_participant: int = Field(ge=0, le=1000)
    status: EventStatus
    max_open_requests: int = Field(ge=0, le=100_000)
    requests_deadline: Time | None = None
    schedule_published: bool = False
    matching_weights: dict[Str32, Weight] | None = Field(
        default=None, max_length=50, description="The organiser's overrides of the engine's weights; null: the defaults"
    )
    created_at: Time
    updated_at: Time


class SessionDoc(Doc):
    id: DocId
    name: Str200
    starts_at: Time
    ends_at: Time


class TableDoc(Doc):
    id: DocId
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    position: int = Field(ge=0, le=MAX_ID)
    online: bool = False
    link: Str500 | None = None


class SectorDoc(Doc):
    slug: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    name: Str200


class OrganisationDoc(Doc):
    id: DocId
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    kind: OrganisationKind
    country: CountryCode
    city: Str200 | None = None
    region: Str200 | None = None
    website: Str500 | None = None
    description: Text = ""
    keywords: list[Str100] = Field(default_factory=list, max_length=200)
    esca_label: EscaLabel = EscaLabel.none
    size: int | None = Field(default=None, ge=0, le=MAX_ID)
    sectors: list[Str100] = Field(default_factory=list, max_length=200, description="Sector slugs")
    cluster_ids: list[DocId] = Field(
        default_factory=list, max_length=1000, description="Clusters (organisations of this document) it belongs to"
    )
    created_at: Time
    updated_at: Time


class OpportunityDoc(Doc):
    id: DocId
    type: OpportunityType
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    description: Text = ""
    keywords: list[Str100] = Field(default_factory=list, max_length=200)
    position: int = Field(ge=0, le=MAX_ID)
    created_at: Time
    updated_at: Time


class ParticipantDoc(Doc):
    id: DocId
    organisation_id: DocId
    external_id: Str200 | None = None
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    email: Annotated[str, StringConstraints(min_length=3, max_length=320)]
    job_title: Str200 | None = None
    languages: list[Str8] = Field(default_factory=list, max_length=50)
    session_ids: list[DocId] | None = Field(default=None, max_length=100, description="Null: every session")
    max_meetings: int | None = Field(default=None, ge=0, le=1000)
    blocked_slots: list[Time] = Field(default_factory=list, max_length=2000, description="Slot starts")
    listed: bool = True
    token_hash: Str128 | None = Field(
        default=None,
        description="SHA-256 of the personal token: carried so invitation links keep working after an import",
    )
    token_issued_at: Time | None = None
    version: int = Field(ge=1, le=MAX_ID)
    matched_version: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The profile version the stored suggestions reflect"
    )
    offers: list[OpportunityDoc] = Field(default_factory=list, max_length=1000)
    requests: list[OpportunityDoc] = Field(default_factory=list, max_length=1000)
    created_at: Time
    updated_at: Time


class BlockDoc(Doc):
    """A partner a participant hid ("not interested") or blocked."""

    participant_id: DocId
    blocked_id: DocId
    reason: Str16 = "hidden"
    created_at: Time


class MeetingRequestDoc(Doc):
    id: DocId
    from_participant_id: DocId
    to_participant_id: DocId
    status: RequestStatus
    message: Text = ""
    created_by: Actor = "participant"
    created_at: Time
    answered_at: Time | None = None


class MeetingDoc(Doc):
    id: DocId
    request_id: DocId | None = None
    participant_ids: list[DocId] = Field(min_length=2, max_length=2, description="[a, b]")
    status: MeetingStatus
    starts_at: Time | None = None
    ends_at: Time | None = None
    table_id: DocId | None = None
    locked: bool = False
    source: Str16 = "request"
    score: Score = 0.0
    unplaced_reason: Str32 | None = None
    cancel_reason: Str32 | None = None
    sequence: int = Field(default=0, ge=0, le=MAX_ID)
    created_at: Time
    updated_at: Time


class JobDoc(Doc):
    """A finished matching or scheduling run: history, and the run the stored suggestions came from."""

    id: DocId
    kind: Str16
    status: FinishedJobStatus
    progress: float = Field(ge=0, le=1)
    params: dict[str, Any] = Field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: Text | None = None
    attempts: int = Field(default=0, ge=0, le=MAX_ID)
    created_at: Time
    started_at: Time | None = None
    finished_at: Time | None = None


class SuggestionDoc(Doc):
    participant_id: DocId = Field(description="Whose list")
    partner_id: DocId
    run_id: DocId | None = Field(default=None, description="The job that ranked it; null after a refresh")
    engine_version: Str32
    rank: int = Field(ge=0, le=MAX_ID)
    score: Score
    score_for_me: Score
    score_for_them: Score
    reasons: list[dict[str, Any]] = Field(
        default_factory=list, max_length=100, description="As the engine gave them; mine_id/theirs_id are opportunities"
    )
    source: Str16 = "run"
    created_at: Time


class ErasureDoc(Doc):
    """A participant whose personal data was erased: the row stays as a tombstone."""

    participant_id: DocId
    erased_at: Time
    erased_by: Actor
    meetings_cancelled: Count = 0
    requests_withdrawn: Count = 0
    partners_notified: Count = 0


class EventDocument(Doc):
    """One event with everything that belongs to it; see docs/event-export.md."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "format": "matchmaker-event/1",
                    "exported_at": "2025-07-09T10:00:00+03:00",
                    "event": {
                        "slug": "cmr-cluj-2025",
                        "name": "Clusters Meet Regions Cluj-Napoca 2025",
                        "city": "Cluj-Napoca",
                        "timezone": "Europe/Bucharest",
                        "starts_at": "2025-07-08T09:00:00+03:00",
                        "ends_at": "2025-07-08T18:00:00+03:00",
                        "meeting_minutes": 20,
                        "break_minutes": 5,
                        "max_meetings_per_participant": 10,
                        "status": "closed",
                        "max_open_requests": 20,
                        "schedule_published": True,
                        "created_at": "2025-06-02T11:00:00+03:00",
                        "updated_at": "2025-07-08T18:30:00+03:00",
                    },
                    "sessions": [
                        {
                            "id": 5,
                            "name": "Morning matchmaking",
                            "starts_at": "2025-07-08T10:00:00+03:00",
                            "ends_at": "2025-07-08T12:30:00+03:00",
                        }
                    ],
                    "tables": [{"id": 31, "name": "T01", "position": 0}],
                    "sectors": [{"slug": "ict", "name": "ICT and software"}],
                    "organisations": [
                        {
                            "id": 12,
                            "name": "Cluj IT Cluster",
                            "kind": "cluster",
                            "country": "RO",
                            "city": "Cluj-Napoca",
                            "sectors": ["ict"],
                            "created_at": "2025-06-02T11:05:00+03:00",
                            "updated_at": "2025-06-02T11:05:00+03:00",
                        }
                    ],
                    "participants": [
                        {
                            "id": 42,
                            "organisation_id": 12,
                            "name": "Ioana Popescu",
                            "email": "ioana.popescu@clujit.ro",
                            "languages": ["ro", "en"],
                            "version": 6,
                            "offers": [
                                {
                                    "id": 301,
                                    "type": "technology",
                                    "title": "Edge AI platform for predictive maintenance",
                                    "position": 0,
                                    "created_at": "2025-07-02T10:15:00+03:00",
                                    "updated_at": "2025-07-02T10:15:00+03:00",
                                }
                            ],
                            "created_at": "2025-07-01T09:30:00+03:00",
                            "updated_at": "2025-07-03T12:05:00+03:00",
                        }
                    ],
                }
            ]
        }
    )

    format: Literal["matchmaker-event/1"] = Field(description="The format and its version")
    exported_at: Time
    event: EventDoc
    sessions: list[SessionDoc] = Field(default_factory=list, max_length=10_000)
    tables: list[TableDoc] = Field(default_factory=list, max_length=10_000)
    sectors: list[SectorDoc] = Field(
        default_factory=list, max_length=10_000, description="Every sector the organisations name"
    )
    organisations: list[OrganisationDoc] = Field(
        default_factory=list,
        max_length=MANY,
        description="The participants' organisations and the clusters they belong to",
    )
    participants: list[ParticipantDoc] = Field(default_factory=list, max_length=MANY)
    blocks: list[BlockDoc] = Field(default_factory=list, max_length=MANY)
    meeting_requests: list[MeetingRequestDoc] = Field(default_factory=list, max_length=MANY)
    meetings: list[MeetingDoc] = Field(default_factory=list, max_length=MANY)
    jobs: list[JobDoc] = Field(default_factory=list, max_length=MANY)
    suggestions: list[SuggestionDoc] = Field(default_factory=list, max_length=MANY)
    erasures: list[ErasureDoc] = Field(default_factory=list, max_length=MANY)


class ImportCounts(BaseModel):
    sessions: int
    tables: int
    participants: int
    opportunities: int
    blocks: int
    meeting_requests: int
    meetings: int
    jobs: int
    suggestions: int
    erasures: int


class EventImportResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": 9,
                    "slug": "cmr-cluj-2025-copy",
                    "organisations_created": 0,
                    "organisations_reused": 1,
                    "sectors_created": 0,
                    "tokens_kept": 1,
                    "tokens_dropped": 0,
                    "counts": {
                        "sessions": 1,
                        "tables": 1,
                        "participants": 1,
                        "opportunities": 1,
                        "blocks": 0,
                        "meeting_requests": 0,
                        "meetings": 0,
                        "jobs": 0,
                        "suggestions": 0,
                        "erasures": 0,
                    },
                }
            ]
        }
    )

    event_id: int = Field(description="The new event's id")
    slug: str
    organisations_created: int
    organisations_reused: int = Field(description="Matched to existing ones by folded name and country")
    sectors_created: int
    tokens_kept: int = Field(description="Personal links that keep working")
    tokens_dropped: int = Field(description="Tokens not carried (asked so, or already used in this database)")
    counts: ImportCounts
