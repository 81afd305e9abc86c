"""A lower bound on total breaks from the linear relaxation of an agenda-pattern model.

When the set of meetings to place is fixed, each attendee's agenda is a set of busy slots.
Agendas with no break are windows of consecutive slots, with one break two blocks; any other
agenda is represented by an "escape" column that costs 2 and leaves the busy slots free. The
LP chooses a convex combination of agendas per attendee, linked to fractional meeting-slot
assignments under the table capacity. Because every real schedule is a feasible point of
this LP, its optimum bounds the total breaks from below, and on short days (few slots, many
full agendas) it is tight: it proves the optimum of the B2BSP "tic"/"forumt" instances.

The column count grows with the square of the number of slots, so the bound is only computed
for small models (:data:`PATTERN_COLUMN_LIMIT`); otherwise it is 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from scipy.sparse import coo_matrix

from app.scheduling.highs import solve_lp
from app.scheduling.prepare import Prepared

PATTERN_COLUMN_LIMIT = 8_000
ESCAPE_COST = 2.0

Pattern = tuple[int, tuple[int, ...]]  # (breaks, busy slots)


def break_lower_bound(prepared: Prepared, slot_of: Mapping[int, int]) -> int:
    """Lower bound on the total breaks of any schedule placing exactly the meetings of ``slot_of``.

    Parameters
    ----------
    prepared:
        The indexed problem.
    slot_of:
        The current schedule; the bound applies when every meeting is a must-meeting placed in
        it and all slots form one session (otherwise, or when the LP would be large, 0).

    Returns
    -------
    int
        The rounded-up LP optimum, or 0.

    Example
    -------
    >>> from app.scheduling.prepare import prepare
    >>> from app.scheduling.types import Attendee, MeetingToPlace, SchedulingProblem, Slot
    >>> ends = frozenset({0, 2})  # attendee 1 can only meet in slots 0 and 2
    >>> problem = SchedulingProblem(
    ...     slots=tuple(Slot(t, 0) for t in range(3)), tables=2,
    ...     attendees=(Attendee(1, ends), Attendee(2, ends), Attendee(3, ends)),
    ...     meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 1, 3)))
    >>> break_lower_bound(prepare(problem), {0: 0, 1: 2})
    1
    """
    if not _applies(prepared, slot_of):
        return 0
    patterns = {p: _patterns(prepared, p) for p, mine in enumerate(prepared.meetings_of) if len(mine) >= 2}
    if not patterns:
        return 0
    columns = sum(len(slots) for slots in prepared.candidates)
    columns += sum(len(found) + 1 for found in patterns.values())
    if columns > PATTERN_COLUMN_LIMIT:
        return 0
    value = _solve_lp(prepared, patterns)
    return 0 if value is None else max(0, math.ceil(value - 1e-6))


def _applies(prepared: Prepared, slot_of: Mapping[int, int]) -> bool:
    one_session = len(set(prepared.sessions)) <= 1
    all_must = all(meeting.must for meeting in prepared.problem.meetings)
    return one_session and all_must and len(slot_of) == prepared.n_meetings


def _patterns(prepared: Prepared, p: int) -> list[Pattern]:
    mine = prepared.meetings_of[p]
    usable = {t for k in mine for t in prepared.candidates[k]}
    n, slots = len(mine), prepared.n_slots
    found: list[Pattern] = []
    for start in range(slots - n + 1):
        block = tuple(range(start, start + n))
        if usable.issuperset(block):
            found.append((0, block))
    for first in range(1, n):
        for start in range(slots):
            head = tuple(range(start, start + first))
            if head[-1] >= slots or not usable.issuperset(head):
                continue
            for later in range(head[-1] + 2, slots - (n - first) + 1):
                tail = tuple(range(later, later + n - first))
                if usable.issuperset(tail):
                    found.append((1, head + tail))
    return found


def _solve_lp(prepared: Prepared, patterns: dict[int, list[Pattern]]) -> float | None:
    columns: dict[tuple[str, int, int], int] = {}
    cost: list[float] = []

    def column(key: tuple[str, int, int], price: float) -> int:
        columns[key] = len(cost)
        cost.append(price)
        return columns[key]

    for k, slots in enumerate(prepared.candidates):
        for t in slots:
            column(("x", k, t), 0.0)
    for p, found in patterns.items():
        for j, (breaks, _) in enumerate(found):
            column(("z", p, j), float(breaks))
        column(("e", p, 0), ESCAPE_COST)
    equal = _Rows()
    upper = _Rows()
    for k, slots in enumerate(prepared.candidates):
        equal.add({columns["x", k, t]: 1.0 for t in slots}, 1.0)
    for t in range(prepared.n_slots):
        meetings = [k for k in range(prepared.n_meetings) if ("x", k, t) in columns]
        unlocked = [columns["x", k, t] for k in meetings if not prepared.locked[k]]
        upper.add(dict.fromkeys(unlocked, 1.0), float(prepared.free_tables[t]))
    for p, found in patterns.items():
        escape = columns["e", p, 0]
        equal.add({escape: 1.0} | {columns["z", p, j]: 1.0 for j in range(len(found))}, 1.0)
        for t in range(prepared.n_slots):
            busy = {columns["x", k, t]: 1.0 for k in prepared.meetings_of[p] if ("x", k, t) in columns}
            cover = {columns["z", p, j]: 1.0 for j, (_, slots) in enumerate(found) if t in slots}
            upper.add(busy | dict.fromkeys(cover, -1.0) | {escape: -1.0}, 0.0)
            upper.add(dict.fromkeys(busy, -1.0) | cover, 0.0)
    return solve_lp(
        np.array(cost),
        upper.matrix(len(cost)),
        np.array(upper.bounds),
        equal.matrix(len(cost)),
        np.array(equal.bounds),
    )


class _Rows:
    """Sparse constraint rows collected as coordinates."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.values: list[float] = []
        self.bounds: list[float] = []

    def add(self, coefficients: dict[int, float], bound: float) -> None:
        row = len(self.bounds)
        for col, value in coefficients.items():
            self.rows.append(row)
            self.cols.append(col)
            self.values.append(value)
        self.bounds.append(bound)

    def matrix(self, width: int) -> coo_matrix:
        coordinates = (np.array(self.rows, dtype=int), np.array(self.cols, dtype=int))
        return coo_matrix((np.array(self.values), coordinates), shape=(len(self.bounds), width))
