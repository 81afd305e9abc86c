"""Tables after slots: a cheap, stable assignment once every slot holds at most ``tables`` meetings.

Any slot assignment with at most ``tables`` meetings per slot has a table assignment, so tables
never need the optimiser. Within each slot, in time order:

1. a meeting locked to a table keeps it;
2. a meeting keeps its ``current_table`` (re-planning) when that table is still free;
3. otherwise it takes the table one of its attendees used in their previous meeting, so hosts
   stay put;
4. otherwise the lowest free table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.scheduling.prepare import Prepared


def assign_tables(prepared: Prepared, slot_of: Mapping[int, int]) -> dict[int, int]:
    """Give each placed meeting a table.

    Parameters
    ----------
    prepared:
        The indexed problem.
    slot_of:
        Meeting position to slot for every placed meeting; at most ``tables`` per slot.

    Returns
    -------
    dict
        Meeting position to table index.

    Example
    -------
    >>> from app.scheduling.prepare import prepare
    >>> from app.scheduling.types import Attendee, MeetingToPlace, SchedulingProblem, Slot
    >>> everyone = frozenset({0, 1})
    >>> problem = SchedulingProblem(
    ...     slots=(Slot(0, 0), Slot(1, 0)), tables=2,
    ...     attendees=tuple(Attendee(i, everyone) for i in (1, 2, 3)),
    ...     meetings=(MeetingToPlace(1, 1, 2, current_table=1), MeetingToPlace(2, 1, 3)))
    >>> assign_tables(prepare(problem), {0: 0, 1: 1})
    {0: 1, 1: 1}
    """
    by_slot: dict[int, list[int]] = {}
    for k, t in slot_of.items():
        by_slot.setdefault(t, []).append(k)
    table_of: dict[int, int] = {}
    last_table: dict[int, int] = {}  # attendee position -> table of their latest meeting
    for t in sorted(by_slot):
        _assign_slot(prepared, sorted(by_slot[t], key=_order_key(prepared)), table_of, last_table)
    return table_of


def _order_key(prepared: Prepared) -> Callable[[int], tuple[int, int, int]]:
    def key(k: int) -> tuple[int, int, int]:
        meeting = prepared.meeting(k)
        rank = 0 if meeting.locked_table is not None else 1 if meeting.current_table is not None else 2
        return rank, meeting.id, k

    return key


def _assign_slot(prepared: Prepared, meetings: list[int], table_of: dict[int, int], last_table: dict[int, int]) -> None:
    taken: set[int] = set()
    for k in meetings:
        table = _choose(prepared, k, taken, last_table)
        taken.add(table)
        table_of[k] = table
    for k in meetings:
        for p in prepared.ends[k]:
            last_table[p] = table_of[k]


def _choose(prepared: Prepared, k: int, taken: set[int], last_table: dict[int, int]) -> int:
    meeting = prepared.meeting(k)
    a, b = prepared.ends[k]
    wishes = (meeting.locked_table, meeting.current_table, last_table.get(a), last_table.get(b))
    for table in wishes:
        if table is not None and 0 <= table < prepared.problem.tables and table not in taken:
            return table
    return next(table for table in range(prepared.problem.tables) if table not in taken)
