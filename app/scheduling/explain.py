"""Why a meeting was not placed, in words an organiser can act on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from app.scheduling.prepare import Prepared, prepare
from app.scheduling.types import SchedulingProblem, Unplaced, UnplacedReason


def explain_unplaceable(problem: SchedulingProblem) -> tuple[Unplaced, ...]:
    """List the meetings that no schedule can place, before solving.

    A meeting is unplaceable when its two attendees share no available slot (within the
    meeting's ``allowed`` slots) that is not already taken by a locked meeting of either or
    filled to the last table by locked meetings.

    Parameters
    ----------
    problem:
        The scheduling problem.

    Returns
    -------
    tuple of Unplaced
        One entry per unplaceable meeting, in input order, with reason and detail.

    Example
    -------
    >>> from app.scheduling.types import Attendee, MeetingToPlace, Slot
    >>> problem = SchedulingProblem(
    ...     slots=(Slot(0, 0), Slot(1, 0)), tables=1,
    ...     attendees=(Attendee(1, frozenset({0})), Attendee(2, frozenset({1}))),
    ...     meetings=(MeetingToPlace(id=5, a=1, b=2),))
    >>> [(u.meeting_id, u.reason.value) for u in explain_unplaceable(problem)]
    [(5, 'no_common_free_slot')]
    """
    prepared = prepare(problem)
    return tuple(static_reason(prepared, k) for k in range(prepared.n_meetings) if not prepared.candidates[k])


def static_reason(prepared: Prepared, k: int) -> Unplaced:
    """Reason for a meeting without candidate slots (see :func:`explain_unplaceable`)."""
    problem = prepared.problem
    meeting = prepared.meeting(k)
    a, b = prepared.ends[k]
    common = problem.attendees[a].available & problem.attendees[b].available
    common = frozenset(t for t in common if 0 <= t < prepared.n_slots)
    names = f"attendees {meeting.a} and {meeting.b}"
    if not common:
        return _unplaced(k, prepared, UnplacedReason.NO_COMMON_FREE_SLOT, f"{names} share no slot")
    if meeting.allowed is not None and not common & meeting.allowed:
        detail = f"none of the slots {names} share is allowed for this meeting"
        return _unplaced(k, prepared, UnplacedReason.NO_COMMON_FREE_SLOT, detail)
    usable = common if meeting.allowed is None else common & meeting.allowed
    if problem.tables == 0:
        return _unplaced(k, prepared, UnplacedReason.NO_TABLE_LEFT, "the event has no tables")
    if all(prepared.free_tables[t] == 0 for t in usable if not _locked_busy(prepared, k, t)):
        if any(not _locked_busy(prepared, k, t) for t in usable):
            detail = f"locked meetings fill every table in the slots {names} share"
            return _unplaced(k, prepared, UnplacedReason.NO_TABLE_LEFT, detail)
    detail = f"locked meetings of {names} take every slot they share"
    return _unplaced(k, prepared, UnplacedReason.NO_COMMON_FREE_SLOT, detail)


def unplaced_reasons(prepared: Prepared, slot_of: Mapping[int, int]) -> tuple[Unplaced, ...]:
    """Reasons for every meeting missing from the final schedule ``slot_of``.

    Parameters
    ----------
    prepared:
        The indexed problem.
    slot_of:
        Meeting position to slot for every placed meeting.

    Returns
    -------
    tuple of Unplaced
        In input order. ``no_common_free_slot``: nothing shared at all (see
        :func:`explain_unplaceable`); ``cap_reached``: an attendee is at their cap;
        ``conflict``: their other meetings take every shared slot, or the solver left it out
        for a higher-priority goal; ``no_table_left``: shared free slots exist but every table
        is taken in them.

    Example
    -------
    >>> from app.scheduling.types import Attendee, MeetingToPlace, Slot
    >>> problem = SchedulingProblem(
    ...     slots=(Slot(0, 0),), tables=1,
    ...     attendees=tuple(Attendee(i, frozenset({0}), cap=1) for i in (1, 2, 3)),
    ...     meetings=(MeetingToPlace(id=1, a=1, b=2), MeetingToPlace(id=2, a=1, b=3)))
    >>> [u.reason.value for u in unplaced_reasons(prepare(problem), {0: 0})]
    ['cap_reached']
    """
    load = Counter(slot_of.values())
    busy = {(p, t) for placed, t in slot_of.items() for p in prepared.ends[placed]}
    held = Counter(p for placed in slot_of for p in prepared.ends[placed])
    return tuple(_reason(prepared, k, load, busy, held) for k in range(prepared.n_meetings) if k not in slot_of)


def _reason(
    prepared: Prepared,
    k: int,
    load: Counter[int],
    busy: set[tuple[int, int]],
    held: Counter[int],
) -> Unplaced:
    if not prepared.candidates[k]:
        return static_reason(prepared, k)
    meeting = prepared.meeting(k)
    for p, attendee_id in zip(prepared.ends[k], (meeting.a, meeting.b), strict=True):
        cap = prepared.caps[p]
        if cap is not None and held[p] >= cap:
            detail = f"attendee {attendee_id} already has {held[p]} meetings (cap {cap})"
            return _unplaced(k, prepared, UnplacedReason.CAP_REACHED, detail)
    a, b = prepared.ends[k]
    idle = [t for t in prepared.candidates[k] if (a, t) not in busy and (b, t) not in busy]
    names = f"attendees {meeting.a} and {meeting.b}"
    if not idle:
        detail = f"other meetings of {names} take every slot they share"
        return _unplaced(k, prepared, UnplacedReason.CONFLICT, detail)
    if all(load[t] >= prepared.problem.tables for t in idle):
        detail = f"every table is taken in the {len(idle)} slot(s) where {names} are both free"
        return _unplaced(k, prepared, UnplacedReason.NO_TABLE_LEFT, detail)
    detail = "left out by the optimiser (a higher-priority goal or the time limit)"
    return _unplaced(k, prepared, UnplacedReason.CONFLICT, detail)


def _locked_busy(prepared: Prepared, k: int, t: int) -> bool:
    ends = set(prepared.ends[k])
    return any(
        other != k
        and prepared.locked[other]
        and prepared.candidates[other] == (t,)
        and ends & set(prepared.ends[other])
        for p in ends
        for other in prepared.meetings_of[p]
    )


def _unplaced(k: int, prepared: Prepared, reason: UnplacedReason, detail: str) -> Unplaced:
    return Unplaced(meeting_id=prepared.meeting(k).id, reason=reason, detail=detail)
