"""Meetings, slots and tables in; placements and reasons out: the scheduler's contract.

The scheduler is pure: no database, FastAPI, settings or clock. Slots and tables are
dense 0-based indices; the service layer maps them to times and table names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class UnplacedReason(StrEnum):
    NO_COMMON_FREE_SLOT = "no_common_free_slot"
    CAP_REACHED = "cap_reached"
    NO_TABLE_LEFT = "no_table_left"
    CONFLICT = "conflict"  # placeable alone, but not together with the rest (solver's choice)


@dataclass(frozen=True, slots=True)
class Slot:
    index: int  # 0-based, in time order
    session: int  # slots of one session are consecutive; a gap is only counted inside a session


@dataclass(frozen=True, slots=True)
class Attendee:
    id: int
    available: frozenset[int]  # slot indices this participant can meet in
    cap: int | None = None  # max meetings (None = no cap)


@dataclass(frozen=True, slots=True)
class MeetingToPlace:
    id: int
    a: int  # attendee ids
    b: int
    must: bool = True  # accepted request (must) or fill-in suggestion (may)
    score: float = 0.0  # mutual score, used for fill-ins
    allowed: frozenset[int] | None = None  # extra restriction of slots (None = any)
    locked_slot: int | None = None  # locked meetings keep slot and table
    locked_table: int | None = None
    current_slot: int | None = None  # where it is now (re-planning: moving it costs)
    current_table: int | None = None


@dataclass(frozen=True, slots=True)
class SchedulingProblem:
    slots: tuple[Slot, ...]
    tables: int  # number of tables; table indices 0..tables-1
    attendees: tuple[Attendee, ...]
    meetings: tuple[MeetingToPlace, ...]


@dataclass(frozen=True, slots=True)
class Placement:
    meeting_id: int
    slot: int
    table: int


@dataclass(frozen=True, slots=True)
class Unplaced:
    meeting_id: int
    reason: UnplacedReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleResult:
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    status: str  # "optimal" | "feasible" | "heuristic"
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None  # relative optimality gap when the solver gives one
    seconds: float = 0.0
    total_breaks: int = 0
    break_spread: int = 0  # max - min breaks per participant with meetings
    moved: int = 0  # previously placed meetings that changed slot or table
    stats: dict[str, float] = field(default_factory=dict)
