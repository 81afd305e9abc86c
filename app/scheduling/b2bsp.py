"""The Business-to-Business Meetings Scheduling Problem (B2BSP) benchmark format.

Instances are MiniZinc data files from the constraint-programming literature (Bofill, Coll,
Suy, Villaret, CP 2014 / CPAIOR 2015): agreed meetings get a time slot each, nobody is in two
meetings at once, at most ``nTables`` meetings run in a slot, session 1 meetings are held in
the morning, 2 in the afternoon, 3 in either; participants may have forbidden slots, meetings
may be fixed to a slot. The published objective is the total number of breaks (idle runs
between two meetings of a participant, counted over the whole day, lunch included) and their
spread between participants.

Mapping to :class:`SchedulingProblem`: dzn slot ``s`` (1-based) becomes slot ``s - 1``; all
slots form one session because the published break count spans the lunch boundary; the
morning/afternoon rule becomes the meeting's ``allowed`` slots, forbidden slots are removed
from the participant's ``available`` slots and a fixed meeting is ``locked_slot`` (its table
is still chosen by the scheduler). Meeting ids and attendee ids stay 1-based as in the file.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.scheduling.dzn import DznValue, parse_dzn_values
from app.scheduling.solver import solve
from app.scheduling.types import (
    Attendee,
    MeetingToPlace,
    ScheduleResult,
    SchedulingProblem,
    Slot,
)

MORNING, AFTERNOON, ANY_SESSION = 1, 2, 3


@dataclass(frozen=True, slots=True)
class B2BSPInstance:
    """One B2BSP instance, 1-based as in the file.

    ``requested[m]`` is ``(a, b, session)`` of meeting ``m + 1``; ``forbidden[p]`` the forbidden
    slots of participant ``p + 1`` (placeholder zeros removed); ``fixed[m]`` the slot meeting
    ``m + 1`` is fixed to (0 = free); ``precedences[m]`` the meetings that must come before
    meeting ``m + 1``.
    """

    n_business: int
    n_meetings: int
    n_tables: int
    n_total_slots: int
    n_morning_slots: int
    requested: tuple[tuple[int, int, int], ...]
    forbidden: tuple[frozenset[int], ...]
    fixed: tuple[int, ...]
    precedences: tuple[frozenset[int], ...]


def parse_dzn(text: str) -> B2BSPInstance:
    """Parse a B2BSP instance from MiniZinc data text.

    Parameters
    ----------
    text:
        Content of a ``.dzn`` file with ``nBusiness``, ``nMeetings``, ``nTables``,
        ``nTotalSlots``, ``nMorningSlots``, ``requested`` and optionally ``forbidden``,
        ``fixed`` and ``precedences``.

    Returns
    -------
    B2BSPInstance
        The instance, checked for consistent sizes and ids.

    Example
    -------
    >>> inst = parse_dzn('''nBusiness = 3; nMeetings = 2; nTables = 1; nTotalSlots = 2;
    ... nMorningSlots = 1; requested = [| 1, 2, 3 | 2, 3, 1 |];''')
    >>> inst.requested, inst.forbidden, inst.fixed
    (((1, 2, 3), (2, 3, 1)), (frozenset(), frozenset(), frozenset()), (0, 0))
    """
    values = parse_dzn_values(text)
    n_business = _int(values, "nBusiness")
    n_meetings = _int(values, "nMeetings")
    requested = tuple(_meeting_row(row) for row in _rows(values, "requested"))
    forbidden = _sets(values, "forbidden", n_business)
    instance = B2BSPInstance(
        n_business=n_business,
        n_meetings=n_meetings,
        n_tables=_int(values, "nTables"),
        n_total_slots=_int(values, "nTotalSlots"),
        n_morning_slots=_int(values, "nMorningSlots"),
        requested=requested,
        forbidden=tuple(slots - {0} for slots in forbidden),
        fixed=tuple(_ints(values, "fixed", n_meetings)),
        precedences=_sets(values, "precedences", n_meetings),
    )
    _check(instance)
    return instance


def to_problem(instance: B2BSPInstance) -> SchedulingProblem:
    """Translate a B2BSP instance into the scheduler's problem (0-based slots, one session).

    Parameters
    ----------
    instance:
        A parsed instance.

    Returns
    -------
    SchedulingProblem
        Every requested meeting is a must-meeting with id ``m`` (1-based); sessions become
        ``allowed`` slots, forbidden slots are removed from availability, fixed meetings are
        locked to their slot.

    Example
    -------
    >>> inst = parse_dzn('''nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2;
    ... nMorningSlots = 1; requested = [| 1, 2, 2 |];''')
    >>> to_problem(inst).meetings[0].allowed
    frozenset({1})
    """
    total = instance.n_total_slots
    slots = tuple(Slot(index=t, session=0) for t in range(total))
    attendees = tuple(
        Attendee(id=p + 1, available=frozenset(range(total)) - {s - 1 for s in banned})
        for p, banned in enumerate(instance.forbidden)
    )
    morning = frozenset(range(instance.n_morning_slots))
    afternoon = frozenset(range(instance.n_morning_slots, total))
    allowed_by_session = {MORNING: morning, AFTERNOON: afternoon, ANY_SESSION: None}
    meetings = tuple(
        MeetingToPlace(
            id=m + 1,
            a=a,
            b=b,
            allowed=allowed_by_session[session],
            locked_slot=instance.fixed[m] - 1 if instance.fixed[m] else None,
        )
        for m, (a, b, session) in enumerate(instance.requested)
    )
    return SchedulingProblem(slots=slots, tables=instance.n_tables, attendees=attendees, meetings=meetings)


def solve_instance(path: Path, time_limit: float) -> dict[str, object]:
    """Solve one ``.dzn`` file and report it as the ``matchmaker b2bsp`` command prints it.

    Parameters
    ----------
    path:
        The instance file.
    time_limit:
        Seconds the solver may use.

    Returns
    -------
    dict
        ``instance, participants, meetings, placed, total_breaks, break_spread, seconds,
        optimal`` plus ``slots`` (``{"<meeting 1-based>": slot 1-based}``) and ``unplaced``
        (``[{"meeting": m, "reason": r}]``). ``seconds`` covers parsing and solving.

    Example
    -------
    >>> report = solve_instance(Path("tic-12.original.dzn"), 10.0)  # doctest: +SKIP
    >>> report["placed"], report["total_breaks"]  # doctest: +SKIP
    (125, 0)
    """
    started = time.perf_counter()
    instance = parse_dzn(path.read_text(encoding="utf-8"))
    if any(instance.precedences):
        raise ValueError(f"{path.name}: precedence constraints are not supported")
    result = solve(to_problem(instance), time_limit=time_limit)
    return _report(path, instance, result, time.perf_counter() - started)


def _report(path: Path, instance: B2BSPInstance, result: ScheduleResult, seconds: float) -> dict[str, object]:
    placements = sorted(result.placements, key=lambda placement: placement.meeting_id)
    return {
        "instance": path.name.removesuffix(".dzn"),
        "participants": instance.n_business,
        "meetings": instance.n_meetings,
        "placed": len(placements),
        "total_breaks": result.total_breaks,
        "break_spread": result.break_spread,
        "seconds": round(seconds, 3),
        "optimal": result.status == "optimal",
        "slots": {str(p.meeting_id): p.slot + 1 for p in placements},
        "unplaced": [
            {"meeting": u.meeting_id, "reason": u.reason.value}
            for u in sorted(result.unplaced, key=lambda u: u.meeting_id)
        ],
    }


def _int(values: dict[str, DznValue], name: str) -> int:
    value = values.get(name)
    if not isinstance(value, int):
        raise ValueError(f"{name} must be an integer")
    return value


def _rows(values: dict[str, DznValue], name: str) -> list[list[int]]:
    value = values.get(name)
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise ValueError(f"{name} must be a two-dimensional array")
    return [row for row in value if isinstance(row, list)]


def _ints(values: dict[str, DznValue], name: str, size: int) -> list[int]:
    value: DznValue = values.get(name, [0] * size)
    if not isinstance(value, list) or not all(isinstance(item, int) for item in value):
        raise ValueError(f"{name} must be an array of integers")
    return [item for item in value if isinstance(item, int)]


def _sets(values: dict[str, DznValue], name: str, size: int) -> tuple[frozenset[int], ...]:
    empty: list[frozenset[int]] = [frozenset()] * size
    value: DznValue = values.get(name, empty)
    if not isinstance(value, list) or not all(isinstance(item, frozenset) for item in value):
        raise ValueError(f"{name} must be an array of sets")
    return tuple(item for item in value if isinstance(item, frozenset))


def _meeting_row(row: Sequence[int]) -> tuple[int, int, int]:
    if len(row) != 3:
        raise ValueError(f"a requested row needs a, b, session: {row}")
    return row[0], row[1], row[2]


def _check(instance: B2BSPInstance) -> None:
    sizes = {
        "requested": (len(instance.requested), instance.n_meetings),
        "forbidden": (len(instance.forbidden), instance.n_business),
        "fixed": (len(instance.fixed), instance.n_meetings),
        "precedences": (len(instance.precedences), instance.n_meetings),
    }
    for name, (found, expected) in sizes.items():
        if found != expected:
            raise ValueError(f"{name} has {found} entries, expected {expected}")
    participants = range(1, instance.n_business + 1)
    slots = range(1, instance.n_total_slots + 1)
    for a, b, session in instance.requested:
        if a not in participants or b not in participants or a == b:
            raise ValueError(f"meeting {a}-{b} names an unknown or the same participant")
        if session not in (MORNING, AFTERNOON, ANY_SESSION):
            raise ValueError(f"meeting {a}-{b} has session {session}, expected 1, 2 or 3")
    if any(slot and slot not in slots for slot in instance.fixed):
        raise ValueError("a fixed slot lies outside 1..nTotalSlots")
    if not 0 <= instance.n_morning_slots <= instance.n_total_slots:
        raise ValueError("nMorningSlots must lie in 0..nTotalSlots")
