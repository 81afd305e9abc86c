"""Fast slot assignment with bit masks: greedy placement, one-step repair, gap closing.

Used as the warm start of the exact model and, for very large events, as the scheduler
itself (after the meetings have been chosen by the b-matching in :mod:`large`). Slots of an
attendee are bits of an integer, so "free for both" is ``~(busy[a] | busy[b]) & candidates``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.scheduling.prepare import Prepared


@dataclass(slots=True)
class _State:
    """Mutable bookkeeping of a partial schedule."""

    busy: list[int]  # attendee -> bit mask of slots taken
    count: list[int]  # attendee -> meetings placed
    load: list[int]  # slot -> unlocked meetings placed
    at: dict[tuple[int, int], int]  # (attendee, slot) -> meeting
    slot_of: dict[int, int]
    full: int = 0  # mask of slots whose free tables are all taken


class SlotMasks:
    """Precomputed masks: candidate slots per meeting, session structure."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.candidates = [_mask(slots) for slots in prepared.candidates]
        sessions = prepared.sessions
        self.continues = _mask(t for t in range(1, len(sessions)) if sessions[t] == sessions[t - 1])
        self.session_masks = [_mask(t for t, s in enumerate(sessions) if s == session) for session in set(sessions)]

    def neighbours(self, busy: int) -> int:
        """Slots right before or after a taken slot, within the same session."""
        return ((busy << 1) & self.continues) | ((busy & self.continues) >> 1)

    def breaks(self, busy: int) -> int:
        """Breaks of an attendee whose taken slots are the bits of ``busy``."""
        if not busy:
            return 0
        starts = busy & ~((busy << 1) & self.continues)
        used = 0
        for session in self.session_masks:
            if busy & session:
                used += 1
        return starts.bit_count() - used


def greedy_schedule(prepared: Prepared, order: Sequence[int] | None = None) -> dict[int, int]:
    """Place meetings one by one in the first slot that keeps agendas compact.

    Parameters
    ----------
    prepared:
        The indexed problem.
    order:
        Meeting positions to try, in order; default: locked, then must-meetings with the fewest
        candidate slots first, then fill-ins by descending score.

    Returns
    -------
    dict
        Meeting position -> slot for every meeting placed; all hard rules hold.

    Example
    -------
    >>> from app.scheduling.prepare import prepare
    >>> from app.scheduling.types import Attendee, MeetingToPlace, SchedulingProblem, Slot
    >>> everyone = frozenset({0, 1, 2})
    >>> problem = SchedulingProblem(
    ...     slots=tuple(Slot(t, 0) for t in range(3)), tables=1,
    ...     attendees=tuple(Attendee(i, everyone) for i in (1, 2, 3)),
    ...     meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 1, 3)))
    >>> greedy_schedule(prepare(problem))
    {0: 0, 1: 1}
    """
    masks = SlotMasks(prepared)
    state = _State(
        busy=[0] * prepared.n_attendees,
        count=[0] * prepared.n_attendees,
        load=[0] * prepared.n_slots,
        at={},
        slot_of={},
    )
    for k in default_order(prepared) if order is None else order:
        if prepared.candidates[k] and k not in state.slot_of:
            _place_one(prepared, masks, state, k)
    return state.slot_of


def default_order(prepared: Prepared) -> list[int]:
    """Locked first, then must-meetings (fewest candidates first), then fill-ins by score;
    within each group, meetings already placed (re-planning) before the others."""

    def key(k: int) -> tuple[int, int, float, int, int]:
        meeting = prepared.meeting(k)
        rank = 0 if prepared.locked[k] else 1 if meeting.must else 2
        placed_before = 0 if meeting.current_slot is not None else 1
        return rank, placed_before, -meeting.score, len(prepared.candidates[k]), meeting.id

    return sorted(range(prepared.n_meetings), key=key)


def close_gaps(prepared: Prepared, slot_of: dict[int, int], rounds: int = 3) -> dict[int, int]:
    """Move single meetings to free slots while that removes breaks of its two attendees.

    Parameters
    ----------
    prepared:
        The indexed problem.
    slot_of:
        A valid schedule (meeting position -> slot).
    rounds:
        Passes over all meetings.

    Returns
    -------
    dict
        A valid schedule with no more breaks than before.
    """
    masks = SlotMasks(prepared)
    state = _state_of(prepared, slot_of)
    for _ in range(rounds):
        moved = False
        for k in sorted(state.slot_of):
            if not prepared.locked[k]:
                moved |= _improve_one(prepared, masks, state, k)
        if not moved:
            break
    return state.slot_of


def _state_of(prepared: Prepared, slot_of: dict[int, int]) -> _State:
    state = _State(
        busy=[0] * prepared.n_attendees,
        count=[0] * prepared.n_attendees,
        load=[0] * prepared.n_slots,
        at={},
        slot_of={},
    )
    for k, t in slot_of.items():
        _put(prepared, state, k, t)
    return state


def _place_one(prepared: Prepared, masks: SlotMasks, state: _State, k: int) -> bool:
    a, b = prepared.ends[k]
    if prepared.locked[k]:
        _put(prepared, state, k, prepared.candidates[k][0])
        return True
    if _at_cap(prepared, state, a) or _at_cap(prepared, state, b):
        return False
    free = masks.candidates[k] & ~(state.busy[a] | state.busy[b]) & ~_full(prepared, state)
    current = prepared.meeting(k).current_slot
    if current is not None and free >> current & 1:  # re-planning: stay put when possible
        _put(prepared, state, k, current)
        return True
    if free:
        _put(prepared, state, k, _best_slot(masks, state, free, a, b))
        return True
    return _repair(prepared, masks, state, k)


def _best_slot(masks: SlotMasks, state: _State, free: int, a: int, b: int) -> int:
    """The earliest free slot next to meetings of both a and b, else of either, else any."""
    near_a, near_b = (masks.neighbours(state.busy[p]) for p in (a, b))
    for preferred in (free & near_a & near_b, free & (near_a | near_b), free):
        if preferred:
            return (preferred & -preferred).bit_length() - 1
    raise ValueError("no free slot")


def _repair(prepared: Prepared, masks: SlotMasks, state: _State, k: int) -> bool:
    """Free a slot for ``k`` by moving the one meeting that blocks it there."""
    a, b = prepared.ends[k]
    open_slots = masks.candidates[k] & ~_full(prepared, state)
    for t in _bits(open_slots):
        blockers = {state.at[p, t] for p in (a, b) if (p, t) in state.at}
        if len(blockers) != 1:
            continue
        (blocker,) = blockers
        if prepared.locked[blocker]:
            continue
        c, d = prepared.ends[blocker]
        others = masks.candidates[blocker] & ~(state.busy[c] | state.busy[d])
        others &= ~_full(prepared, state)
        if others:
            _take(prepared, state, blocker)
            _put(prepared, state, blocker, _best_slot(masks, state, others, c, d))
            _put(prepared, state, k, t)
            return True
    return False


def _improve_one(prepared: Prepared, masks: SlotMasks, state: _State, k: int) -> bool:
    a, b = prepared.ends[k]
    here = state.slot_of[k]
    before = masks.breaks(state.busy[a]) + masks.breaks(state.busy[b])
    if before == 0:
        return False
    _take(prepared, state, k)
    free = masks.candidates[k] & ~(state.busy[a] | state.busy[b]) & ~_full(prepared, state)
    # only a slot next to another meeting of a or b can remove a break
    free &= masks.neighbours(state.busy[a]) | masks.neighbours(state.busy[b])
    best, best_breaks = here, before
    for t in _bits(free):
        bit = 1 << t
        after = masks.breaks(state.busy[a] | bit) + masks.breaks(state.busy[b] | bit)
        if after < best_breaks:
            best, best_breaks = t, after
    _put(prepared, state, k, best)
    return best != here


def _put(prepared: Prepared, state: _State, k: int, t: int) -> None:
    for p in prepared.ends[k]:
        state.busy[p] |= 1 << t
        state.count[p] += 1
        state.at[p, t] = k
    if not prepared.locked[k]:
        state.load[t] += 1
        if state.load[t] >= prepared.free_tables[t]:
            state.full |= 1 << t
    state.slot_of[k] = t


def _take(prepared: Prepared, state: _State, k: int) -> None:
    t = state.slot_of.pop(k)
    for p in prepared.ends[k]:
        state.busy[p] &= ~(1 << t)
        state.count[p] -= 1
        del state.at[p, t]
    if not prepared.locked[k]:
        state.load[t] -= 1
        if state.load[t] < prepared.free_tables[t]:
            state.full &= ~(1 << t)


def _at_cap(prepared: Prepared, state: _State, p: int) -> bool:
    cap = prepared.caps[p]
    return cap is not None and state.count[p] >= cap


def _full(prepared: Prepared, state: _State) -> int:
    return state.full


def _mask(slots: Iterable[int]) -> int:
    mask = 0
    for t in slots:
        mask |= 1 << t
    return mask


def _bits(mask: int) -> list[int]:
    return [t for t in range(mask.bit_length()) if mask >> t & 1]
