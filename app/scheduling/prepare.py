"""Index a scheduling problem once: dense positions, candidate slots, locked occupancy, bounds.

Every solver path works on positions (attendee ``p``, meeting ``k``, slot ``t``) rather than
ids. Inconsistent input that no schedule could honour (two locked meetings clashing, unknown
attendees, slots out of range) raises ``ValueError`` naming what to change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.scheduling.types import MeetingToPlace, SchedulingProblem


@dataclass(frozen=True, slots=True)
class Prepared:
    """A validated problem in dense form (positions, not ids)."""

    problem: SchedulingProblem
    sessions: tuple[int, ...]  # session of each slot
    attendee_ids: tuple[int, ...]  # attendee position -> id
    ends: tuple[tuple[int, int], ...]  # meeting position -> (a, b) attendee positions
    candidates: tuple[tuple[int, ...], ...]  # meeting position -> slots it may take
    locked: tuple[bool, ...]  # meeting position -> locked to its slot
    meetings_of: tuple[tuple[int, ...], ...]  # attendee position -> meeting positions
    caps: tuple[int | None, ...]  # attendee position -> cap (never below its locked meetings)
    free_tables: tuple[int, ...]  # slot -> tables not taken by locked meetings
    upper: tuple[int, ...]  # attendee position -> upper bound on its meetings

    @property
    def n_slots(self) -> int:
        return len(self.sessions)

    @property
    def n_attendees(self) -> int:
        return len(self.attendee_ids)

    @property
    def n_meetings(self) -> int:
        return len(self.ends)

    def meeting(self, k: int) -> MeetingToPlace:
        return self.problem.meetings[k]

    def active(self) -> tuple[int, ...]:
        """Attendee positions with at least one meeting that has a candidate slot."""
        return tuple(p for p, bound in enumerate(self.upper) if bound > 0)


def prepare(problem: SchedulingProblem) -> Prepared:
    """Validate ``problem`` and compute its dense form.

    Parameters
    ----------
    problem:
        The scheduling problem.

    Returns
    -------
    Prepared
        Positions, candidate slots (common availability, ``allowed``, minus slots blocked by
        locked meetings of either side or full of locked meetings), caps and upper bounds.

    Example
    -------
    >>> from app.scheduling.types import Attendee, Slot
    >>> problem = SchedulingProblem(
    ...     slots=(Slot(0, 0), Slot(1, 0)), tables=1,
    ...     attendees=(Attendee(1, frozenset({0, 1})), Attendee(2, frozenset({1}))),
    ...     meetings=(MeetingToPlace(id=9, a=1, b=2),))
    >>> prepare(problem).candidates
    ((1,),)
    """
    sessions = _sessions(problem)
    index_of = _attendee_index(problem)
    ends = tuple(_ends(meeting, index_of) for meeting in problem.meetings)
    _check_meetings(problem, len(sessions))
    occupied = _locked_occupancy(problem, ends)
    free_tables = _free_tables(problem, len(sessions))
    candidates = tuple(_candidates(problem, k, ends[k], occupied, free_tables) for k in range(len(ends)))
    meetings_of: list[list[int]] = [[] for _ in index_of]
    for k, (a, b) in enumerate(ends):
        meetings_of[a].append(k)
        meetings_of[b].append(k)
    locked = tuple(meeting.locked_slot is not None for meeting in problem.meetings)
    caps = _caps(problem, meetings_of, locked)
    upper = tuple(_upper_bound(caps[p], mine, candidates) for p, mine in enumerate(meetings_of))
    return Prepared(
        problem=problem,
        sessions=sessions,
        attendee_ids=tuple(attendee.id for attendee in problem.attendees),
        ends=ends,
        candidates=candidates,
        locked=locked,
        meetings_of=tuple(tuple(mine) for mine in meetings_of),
        caps=caps,
        free_tables=free_tables,
        upper=upper,
    )


def _sessions(problem: SchedulingProblem) -> tuple[int, ...]:
    if [slot.index for slot in problem.slots] != list(range(len(problem.slots))):
        raise ValueError("slots must be listed in time order with indices 0, 1, 2, ...")
    if problem.tables < 0:
        raise ValueError("the number of tables cannot be negative")
    return tuple(slot.session for slot in problem.slots)


def _attendee_index(problem: SchedulingProblem) -> dict[int, int]:
    index_of = {attendee.id: p for p, attendee in enumerate(problem.attendees)}
    if len(index_of) != len(problem.attendees):
        raise ValueError("attendee ids must be unique")
    return index_of


def _ends(meeting: MeetingToPlace, index_of: dict[int, int]) -> tuple[int, int]:
    if meeting.a == meeting.b:
        raise ValueError(f"meeting {meeting.id} pairs attendee {meeting.a} with themselves")
    for attendee in (meeting.a, meeting.b):
        if attendee not in index_of:
            raise ValueError(f"meeting {meeting.id} names unknown attendee {attendee}")
    return index_of[meeting.a], index_of[meeting.b]


def _check_meetings(problem: SchedulingProblem, n_slots: int) -> None:
    ids = Counter(meeting.id for meeting in problem.meetings)
    if duplicated := [meeting_id for meeting_id, seen in ids.items() if seen > 1]:
        raise ValueError(f"meeting ids must be unique, repeated: {sorted(duplicated)[:5]}")
    for meeting in problem.meetings:
        if meeting.locked_slot is not None and not 0 <= meeting.locked_slot < n_slots:
            raise ValueError(f"meeting {meeting.id} is locked to unknown slot {meeting.locked_slot}")
        if meeting.locked_table is not None:
            if meeting.locked_slot is None:
                raise ValueError(f"meeting {meeting.id} locks a table but no slot")
            if not 0 <= meeting.locked_table < problem.tables:
                raise ValueError(f"meeting {meeting.id} is locked to unknown table {meeting.locked_table}")


def _locked_occupancy(problem: SchedulingProblem, ends: tuple[tuple[int, int], ...]) -> dict[tuple[int, int], int]:
    """(attendee position, slot) -> the locked meeting position holding it."""
    occupied: dict[tuple[int, int], int] = {}
    tables: set[tuple[int, int]] = set()
    for k, meeting in enumerate(problem.meetings):
        if meeting.locked_slot is None:
            continue
        for p in ends[k]:
            other = occupied.setdefault((p, meeting.locked_slot), k)
            if other != k:
                raise ValueError(
                    f"locked meetings {problem.meetings[other].id} and {meeting.id} put attendee "
                    f"{problem.attendees[p].id} in slot {meeting.locked_slot} twice; unlock one"
                )
        if meeting.locked_table is not None:
            key = (meeting.locked_slot, meeting.locked_table)
            if key in tables:
                raise ValueError(
                    f"two locked meetings use table {meeting.locked_table} in slot {meeting.locked_slot}; unlock one"
                )
            tables.add(key)
    return occupied


def _free_tables(problem: SchedulingProblem, n_slots: int) -> tuple[int, ...]:
    locked_per_slot = Counter(meeting.locked_slot for meeting in problem.meetings if meeting.locked_slot is not None)
    for slot, count in locked_per_slot.items():
        if count > problem.tables:
            raise ValueError(f"{count} locked meetings in slot {slot} but only {problem.tables} tables")
    return tuple(problem.tables - locked_per_slot[t] for t in range(n_slots))


def _candidates(
    problem: SchedulingProblem,
    k: int,
    ends: tuple[int, int],
    occupied: dict[tuple[int, int], int],
    free_tables: tuple[int, ...],
) -> tuple[int, ...]:
    meeting = problem.meetings[k]
    if meeting.locked_slot is not None:
        return (meeting.locked_slot,)
    a, b = ends
    common = problem.attendees[a].available & problem.attendees[b].available
    if meeting.allowed is not None:
        common &= meeting.allowed
    if not occupied and all(free_tables):  # the common case: nothing locked
        return tuple(sorted(t for t in common if 0 <= t < len(free_tables)))
    return tuple(
        t
        for t in sorted(common)
        if 0 <= t < len(free_tables) and free_tables[t] > 0 and (a, t) not in occupied and (b, t) not in occupied
    )


def _caps(problem: SchedulingProblem, meetings_of: list[list[int]], locked: tuple[bool, ...]) -> tuple[int | None, ...]:
    caps: list[int | None] = []
    for p, attendee in enumerate(problem.attendees):
        held = sum(1 for k in meetings_of[p] if locked[k])
        caps.append(None if attendee.cap is None else max(attendee.cap, held))
    return tuple(caps)


def _upper_bound(
    cap: int | None,
    mine: list[int],
    candidates: tuple[tuple[int, ...], ...],
) -> int:
    placeable = [k for k in mine if candidates[k]]
    slots = {t for k in placeable for t in candidates[k]}
    bound = min(len(placeable), len(slots))
    return bound if cap is None else min(bound, cap)
