"""Organiser read-outs: the table plan and the event report."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class PlanFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


# --- table plan -------------------------------------------------------------------------


class PlanPerson(BaseModel):
    id: int
    name: str
    organisation: str


class PlanCell(BaseModel):
    meeting_id: int
    participants: list[PlanPerson] = Field(description="The two participants at the table")


class PlanSlot(BaseModel):
    starts_at: datetime = Field(description="In the event's time zone")
    ends_at: datetime
    tables: dict[str, PlanCell | None] = Field(description="Table name -> the meeting there, or null when free")


class TablePlan(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "timezone": "Europe/Bucharest",
                    "tables": ["T01"],
                    "slots": [
                        {
                            "starts_at": "2025-07-08T10:00:00+03:00",
                            "ends_at": "2025-07-08T10:20:00+03:00",
                            "tables": {
                                "T01": {
                                    "meeting_id": 215,
                                    "participants": [
                                        {"id": 42, "name": "Ioana Popescu", "organisation": "Cluj IT Cluster"},
                                        {
                                            "id": 107,
                                            "name": "Javier Martínez",
                                            "organisation": "Basque Mobility Cluster",
                                        },
                                    ],
                                }
                            },
                        }
                    ],
                }
            ]
        }
    )

    timezone: str
    tables: list[str] = Field(description="Table names in their order in the room")
    slots: list[PlanSlot] = Field(description="Every slot of the time grid, in time order")


# --- event report -----------------------------------------------------------------------


class ParticipantCounts(BaseModel):
    total: int
    listed: int = Field(description="Consented to be listed and suggested")


class RequestCounts(BaseModel):
    sent: int = Field(description="All requests, whatever their status now")
    pending: int
    accepted: int
    declined: int
    cancelled: int
    expired: int


class MeetingCounts(BaseModel):
    scheduled: int
    unscheduled: int
    cancelled: int
    from_requests: int = Field(description="Live (not cancelled) meetings that came from accepted requests")
    fill_ins: int = Field(description="Live meetings the scheduler added from mutual suggestions")
    by_organiser: int = Field(description="Live meetings booked by hand")


class MeetingsPerParticipant(BaseModel):
    min: int | None = Field(description="Fewest scheduled meetings a participant has; null without participants")
    median: float | None
    max: int | None
    mean: float | None
    histogram: dict[int, int] = Field(description="Number of scheduled meetings -> participants with that many")


class NoMeetingReasons(BaseModel):
    """Each participant without a scheduled meeting counted once, under the first reason that applies."""

    cap_zero: int = Field(description="Their meeting cap is 0")
    unavailable: int = Field(description="They attend no session, or blocked every slot of the sessions they attend")
    not_placed: int = Field(description="They have accepted meetings, but none is scheduled")
    no_accepted_requests: int = Field(description="They have no live meeting at all (no accepted request or booking)")


class WithoutMeetings(BaseModel):
    total: int
    reasons: NoMeetingReasons
    not_placed_reasons: dict[str, int] = Field(
        description="The `not_placed` participants by the most common reason their meetings were not placed "
        "(scheduler reasons such as no_common_free_slot, cap_reached, no_table_left, conflict; "
        "not_scheduled_yet when the scheduler has not looked at them)"
    )


class IdleGaps(BaseModel):
    """An idle gap: a maximal run of free slots between two of a participant's meetings in one session."""

    total: int = Field(description="Gaps over all participants")
    idle_slots: int = Field(description="Free slots inside those gaps")
    per_participant_mean: float | None = Field(description="Mean gaps per participant with a scheduled meeting")
    max: int = Field(description="Most gaps one participant has")
    longest: int = Field(description="Longest gap, in slots")


class EventReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": 3,
                    "timezone": "Europe/Bucharest",
                    "generated_at": "2025-07-08T19:00:00+03:00",
                    "participants": {"total": 148, "listed": 141},
                    "countries": {"RO": 92, "DE": 21, "ES": 18, "IT": 17},
                    "organisation_kinds": {"company": 97, "cluster": 24, "university": 15, "research": 12},
                    "requests": {
                        "sent": 612,
                        "pending": 0,
                        "accepted": 401,
                        "declined": 98,
                        "cancelled": 31,
                        "expired": 82,
                    },
                    "acceptance_rate": 0.80,
                    "meetings": {
                        "scheduled": 389,
                        "unscheduled": 12,
                        "cancelled": 27,
                        "from_requests": 374,
                        "fill_ins": 21,
                        "by_organiser": 6,
                    },
                    "meetings_per_participant": {
                        "min": 0,
                        "median": 5.0,
                        "max": 10,
                        "mean": 5.26,
                        "histogram": {"0": 6, "3": 20, "5": 61, "8": 41, "10": 20},
                    },
                    "without_meetings": {
                        "total": 6,
                        "reasons": {"cap_zero": 1, "unavailable": 2, "not_placed": 2, "no_accepted_requests": 1},
                        "not_placed_reasons": {"no_common_free_slot": 2},
                    },
                    "idle_gaps": {"total": 54, "idle_slots": 71, "per_participant_mean": 0.38, "max": 3, "longest": 4},
                    "countries_met": 9,
                    "cross_border_share": 0.42,
                }
            ]
        }
    )

    event_id: int
    timezone: str
    generated_at: datetime = Field(description="In the event's time zone")
    participants: ParticipantCounts
    countries: dict[str, int] = Field(description="Participants per organisation country, most first")
    organisation_kinds: dict[str, int] = Field(description="Participants per organisation kind, most first")
    requests: RequestCounts
    acceptance_rate: float | None = Field(
        description="Accepted / answered (accepted + declined); requests accepted and later cancelled count as "
        "accepted. Null before any answer"
    )
    meetings: MeetingCounts
    meetings_per_participant: MeetingsPerParticipant
    without_meetings: WithoutMeetings
    idle_gaps: IdleGaps
    countries_met: int = Field(description="Distinct pairs of different countries that met in scheduled meetings")
    cross_border_share: float | None = Field(
        description="Share of scheduled meetings between organisations of different countries; null without meetings"
    )
