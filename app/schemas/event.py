from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from app.schemas.common import (
    EventStatus,
    Id,
    Input,
    LongText,
    Name,
    OneLine,
    PersonName,
    Schema,
    ShortText,
    Time,
    TimeZoneName,
    Url,
)
from app.schemas.matching import MatchingWeightsIn

MAX_SESSIONS = 20
MAX_TABLES = 1000

EVENT_CREATE_EXAMPLE: dict[str, Any] = {
    "name": "Clusters Meet Regions Cluj-Napoca 2025",
    "slug": "cmr-cluj-2025",
    "description": "B2B matchmaking of European clusters, hosted by Cluj IT Cluster.",
    "city": "Cluj-Napoca",
    "venue": "Cluj Innovation Park",
    "timezone": "Europe/Bucharest",
    "starts_at": "2025-07-08T09:00:00+03:00",
    "ends_at": "2025-07-08T18:00:00+03:00",
    "sessions": [
        {
            "name": "Morning matchmaking",
            "starts_at": "2025-07-08T10:00:00+03:00",
            "ends_at": "2025-07-08T12:30:00+03:00",
        },
        {
            "name": "Afternoon matchmaking",
            "starts_at": "2025-07-08T14:00:00+03:00",
            "ends_at": "2025-07-08T17:00:00+03:00",
        },
    ],
    "meeting_minutes": 20,
    "break_minutes": 5,
    "table_count": 30,
    "max_meetings_per_participant": 10,
    "status": "draft",
    "max_open_requests": 20,
    "requests_deadline": "2025-07-07T18:00:00+03:00",
}
EVENT_EXAMPLE: dict[str, Any] = {
    "id": 3,
    "slug": "cmr-cluj-2025",
    "name": "Clusters Meet Regions Cluj-Napoca 2025",
    "description": "B2B matchmaking of European clusters, hosted by Cluj IT Cluster.",
    "city": "Cluj-Napoca",
    "venue": "Cluj Innovation Park",
    "timezone": "Europe/Bucharest",
    "starts_at": "2025-07-08T09:00:00+03:00",
    "ends_at": "2025-07-08T18:00:00+03:00",
    "sessions": [
        {
            "id": 5,
            "name": "Morning matchmaking",
            "starts_at": "2025-07-08T10:00:00+03:00",
            "ends_at": "2025-07-08T12:30:00+03:00",
        }
    ],
    "meeting_minutes": 20,
    "break_minutes": 5,
    "table_count": 3,
    "tables": [
        {"id": 31, "name": "Online 1", "online": True, "link": "https://meet.example.eu/cmr-cluj-online-1"},
        {"id": 32, "name": "Online 2", "online": True, "link": "https://meet.example.eu/cmr-cluj-online-2"},
        {"id": 33, "name": "T01", "online": False, "link": None},
    ],
    "max_meetings_per_participant": 10,
    "status": "open",
    "matching_weights": {
        "complementarity": 0.55,
        "profile": 0.2,
        "sectors": 0.1,
        "kind": 0.1,
        "cross_border_bonus": 0.05,
        "max_per_organisation": 1,
        "max_per_country": 4,
    },
    "max_open_requests": 20,
    "requests_deadline": "2025-07-07T18:00:00+03:00",
    "schedule_published": False,
    "participant_count": 148,
    "version": 9,
    "created_at": "2025-06-02T11:00:00+03:00",
    "updated_at": "2025-07-04T15:20:00+03:00",
}


class SessionIn(Input):
    id: Id | None = Field(default=None, description="Give the id to keep an existing session on update")
    name: PersonName = Field(examples=["Matchmaking afternoon"])
    starts_at: Time = Field(examples=["2025-07-01T14:00:00+03:00"])
    ends_at: Time = Field(examples=["2025-07-01T18:00:00+03:00"])

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("a session must end after it starts")
        return self


class TableIn(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine] = Field(
        examples=["T01"]
    )
    online: bool = False
    link: Url | None = Field(default=None, description="Video link of an online table")


class EventBase(Input):
    name: Name = Field(examples=["Clusters Meet Regions Cluj-Napoca"])
    slug: str | None = Field(
        default=None,
        min_length=2,
        max_length=120,
        pattern=r"^[a-z0-9-]+$",
        description="URL name; made from the name when left out",
    )
    description: LongText = ""
    city: ShortText | None = Field(default=None, examples=["Cluj-Napoca"])
    venue: ShortText | None = None
    timezone: TimeZoneName
    starts_at: Time
    ends_at: Time
    sessions: list[SessionIn] = Field(default_factory=list, max_length=MAX_SESSIONS)
    meeting_minutes: int = Field(default=20, ge=5, le=240)
    break_minutes: int = Field(default=5, ge=0, le=120)
    table_count: int | None = Field(
        default=None, ge=0, le=MAX_TABLES, description="Creates tables T01..Tn when `tables` is not given"
    )
    tables: list[TableIn] | None = Field(default=None, max_length=MAX_TABLES)
    max_meetings_per_participant: int = Field(default=10, ge=1, le=100)
    status: EventStatus = EventStatus.draft
    matching_weights: MatchingWeightsIn | None = Field(default=None, description="Null: the engine's defaults")
    max_open_requests: int = Field(default=20, ge=1, le=500, description="Pending requests a participant may have")
    requests_deadline: Time | None = Field(default=None, description="Pending requests expire at this time")


def check_event_window(starts_at: datetime, ends_at: datetime, sessions: list[SessionIn]) -> list[dict[str, Any]]:
    """Per-field problems of an event's time window and its sessions."""
    problems: list[dict[str, Any]] = []
    if ends_at <= starts_at:
        problems.append(
            {"loc": ["body", "ends_at"], "msg": "the event must end after it starts", "type": "value_error"}
        )
    for i, s in enumerate(sessions):
        if s.starts_at < starts_at or s.ends_at > ends_at:
            problems.append(
                {
                    "loc": ["body", "sessions", i],
                    "msg": "the session must lie within the event's starts_at and ends_at",
                    "type": "value_error",
                }
            )
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.starts_at < a.ends_at:
            problems.append(
                {
                    "loc": ["body", "sessions"],
                    "msg": f"sessions '{a.name}' and '{b.name}' overlap",
                    "type": "value_error",
                }
            )
    return problems


class EventCreate(EventBase):
    model_config = ConfigDict(json_schema_extra={"examples": [EVENT_CREATE_EXAMPLE]})


class EventUpdate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "open", "venue": "Cluj Innovation Park, Hall B", "max_meetings_per_participant": 12}
            ]
        }
    )

    name: Name | None = None
    slug: str | None = Field(default=None, min_length=2, max_length=120, pattern=r"^[a-z0-9-]+$")
    description: LongText | None = None
    city: ShortText | None = None
    venue: ShortText | None = None
    timezone: TimeZoneName | None = None
    starts_at: Time | None = None
    ends_at: Time | None = None
    sessions: list[SessionIn] | None = Field(default=None, max_length=MAX_SESSIONS)
    meeting_minutes: int | None = Field(default=None, ge=5, le=240)
    break_minutes: int | None = Field(default=None, ge=0, le=120)
    tables: list[TableIn] | None = Field(default=None, max_length=MAX_TABLES)
    table_count: int | None = Field(default=None, ge=0, le=MAX_TABLES)
    max_meetings_per_participant: int | None = Field(default=None, ge=1, le=100)
    status: EventStatus | None = None
    matching_weights: MatchingWeightsIn | None = Field(default=None, description="Null: back to the defaults")
    max_open_requests: int | None = Field(default=None, ge=1, le=500)
    requests_deadline: Time | None = None


class SessionRead(Schema):
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime


class TableRead(Schema):
    id: int
    name: str
    online: bool
    link: str | None


class EventRead(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [EVENT_EXAMPLE]})

    id: int
    slug: str
    name: str
    description: str
    city: str | None
    venue: str | None
    timezone: str
    starts_at: datetime = Field(description="In the event's time zone")
    ends_at: datetime
    sessions: list[SessionRead]
    meeting_minutes: int
    break_minutes: int
    table_count: int
    tables: list[TableRead]
    max_meetings_per_participant: int
    status: EventStatus
    matching_weights: MatchingWeightsIn = Field(description="The weights in force (the defaults unless set)")
    max_open_requests: int
    requests_deadline: datetime | None
    schedule_published: bool
    participant_count: int
    version: int = Field(description='Grows with every change of the event; the ETag is W/"<version>"')
    created_at: datetime
    updated_at: datetime
