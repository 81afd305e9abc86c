"""Meeting scheduler: pairs, slots and tables in; placements and reasons out.

Pure and deterministic: no database, FastAPI, settings or clock. See :func:`solve`.
"""

from app.scheduling.breaks import count_breaks
from app.scheduling.explain import explain_unplaceable
from app.scheduling.solver import solve
from app.scheduling.types import (
    Attendee,
    MeetingToPlace,
    Placement,
    ScheduleResult,
    SchedulingProblem,
    Slot,
    Unplaced,
    UnplacedReason,
)

__all__ = [
    "Attendee",
    "MeetingToPlace",
    "Placement",
    "ScheduleResult",
    "SchedulingProblem",
    "Slot",
    "Unplaced",
    "UnplacedReason",
    "count_breaks",
    "explain_unplaceable",
    "solve",
]
