from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import Id, Input, Time
from app.schemas.participant import PUBLIC_PARTICIPANT_EXAMPLE, ParticipantRead

REQUEST_MESSAGE_EXAMPLE = "Bună ziua! We are looking for a Spanish partner for a Horizon Europe robotics call."

# Meeting 215: Ioana Popescu (42) and Javier Martínez (107), from request 88, at the first slot on table T01
# of event 3 (the same meeting as in the table plan, agenda and export examples).
TABLE_EXAMPLE: dict[str, Any] = {"id": 33, "name": "T01", "online": False, "link": None}
MEETING_EXAMPLE: dict[str, Any] = {
    "id": 215,
    "event_id": 3,
    "participant_ids": [42, 107],
    "starts_at": "2025-07-08T10:00:00+03:00",
    "ends_at": "2025-07-08T10:20:00+03:00",
    "table": TABLE_EXAMPLE,
    "status": "scheduled",
    "locked": False,
    "source": "request",
    "request_id": 88,
    "score": 0.71,
    "unplaced_reason": None,
    "cancel_reason": None,
    "sequence": 2,
    "updated_at": "2025-07-06T18:20:00+03:00",
}


class RequestStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"
    expired = "expired"


class MeetingStatus(StrEnum):
    unscheduled = "unscheduled"
    scheduled = "scheduled"
    cancelled = "cancelled"


class RequestDirection(StrEnum):
    incoming = "incoming"
    outgoing = "outgoing"


class MeetingRequestCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "to_participant_id": 107,
                    "message": REQUEST_MESSAGE_EXAMPLE,
                }
            ]
        }
    )

    to_participant_id: Id
    message: str = Field(default="", max_length=2000)
    from_participant_id: Id | None = Field(default=None, description="Organisers only: on whose behalf")


class MeetingRequestRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 88,
                    "event_id": 3,
                    "from_participant_id": 42,
                    "to_participant_id": 107,
                    "status": "accepted",
                    "message": REQUEST_MESSAGE_EXAMPLE,
                    "created_by": "participant",
                    "created_at": "2025-07-04T09:12:00+03:00",
                    "answered_at": "2025-07-04T13:47:00+03:00",
                    "meeting_id": 215,
                }
            ]
        }
    )

    id: int
    event_id: int
    from_participant_id: int
    to_participant_id: int
    status: RequestStatus
    message: str
    created_by: str = Field(description="participant or organiser")
    created_at: datetime
    answered_at: datetime | None
    meeting_id: int | None = Field(default=None, description="The meeting an accepted request became")


class TableRef(BaseModel):
    id: int
    name: str
    online: bool
    link: str | None


class MeetingRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [MEETING_EXAMPLE]})

    id: int
    event_id: int
    participant_ids: list[int] = Field(description="The two participants [a, b]")
    starts_at: datetime | None = Field(description="In the event's time zone; null while unscheduled")
    ends_at: datetime | None
    table: TableRef | None
    status: MeetingStatus
    locked: bool
    source: str = Field(description="request, suggestion (fill-in) or organiser")
    request_id: int | None
    score: float
    unplaced_reason: str | None = Field(description="Why the scheduler could not place it")
    cancel_reason: str | None
    sequence: int = Field(description="Grows on every change (iCalendar SEQUENCE)")
    updated_at: datetime


class MeetingCreate(Input):
    """An organiser books a meeting by hand."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"participant_ids": [42, 107], "starts_at": "2025-07-08T10:25:00+03:00", "table_id": 31, "locked": True}
            ]
        }
    )

    participant_ids: list[Id] = Field(min_length=2, max_length=2)
    starts_at: Time | None = Field(default=None, description="A slot start; null leaves it unscheduled")
    table_id: Id | None = None
    locked: bool = False


class MeetingUpdate(Input):
    """Move (slot and/or table) or lock a meeting."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"starts_at": "2025-07-08T14:50:00+03:00", "table_id": 32, "locked": True}]}
    )

    starts_at: Time | None = None
    table_id: Id | None = None
    locked: bool | None = None


class SwapBody(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"with_meeting_id": 219}]})

    with_meeting_id: Id


class ScheduleRunCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"fill_from_suggestions": True, "replan": True, "time_limit": 20.0, "fill_per_participant": 3}]
        }
    )

    fill_from_suggestions: bool = Field(
        default=False, description="Also place the best mutual suggestions not yet requested"
    )
    replan: bool = Field(
        default=True,
        description="Keep meetings where they are unless moving them helps (few moves); false: plan afresh",
    )
    time_limit: float = Field(default=10.0, gt=0, le=300, description="Solver time limit, seconds")
    fill_per_participant: int = Field(default=3, ge=0, le=20, description="Fill-in candidates per participant")


class AgendaItem(BaseModel):
    meeting_id: int
    starts_at: datetime | None
    ends_at: datetime | None
    table: TableRef | None
    partner: ParticipantRead
    status: MeetingStatus
    locked: bool
    unplaced_reason: str | None


class Agenda(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": 42,
                    "event_id": 3,
                    "timezone": "Europe/Bucharest",
                    "published": True,
                    "items": [
                        {
                            "meeting_id": MEETING_EXAMPLE["id"],
                            "starts_at": MEETING_EXAMPLE["starts_at"],
                            "ends_at": MEETING_EXAMPLE["ends_at"],
                            "table": TABLE_EXAMPLE,
                            "partner": PUBLIC_PARTICIPANT_EXAMPLE,
                            "status": "scheduled",
                            "locked": False,
                            "unplaced_reason": None,
                        }
                    ],
                }
            ]
        }
    )

    participant_id: int
    event_id: int
    timezone: str
    published: bool = Field(description="Whether the organiser has published the schedule")
    items: list[AgendaItem]


class SlotRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "index": 0,
                    "session_id": 5,
                    "starts_at": "2025-07-08T10:00:00+03:00",
                    "ends_at": "2025-07-08T10:20:00+03:00",
                }
            ]
        }
    )

    index: int
    session_id: int
    starts_at: datetime
    ends_at: datetime


class NoShowBody(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"replan": True}]})

    replan: bool = Field(default=False, description="Re-plan right away to fill the freed slots")
