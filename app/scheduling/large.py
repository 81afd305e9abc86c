"""Very large events: choose meetings by b-matching, then colour them into slots.

A boolean per (meeting, slot) is too many variables at thousands of attendees, and the slot
is the easy part once the meetings are chosen: every attendee meets at most ``min(cap,
candidate slots)`` times, usually far fewer than there are slots. So:

1. the most must-meetings any b-matching can hold (HiGHS ``milp``; caps, candidate slots and
   the table-slots in total as degree and size limits);
2. the fairness floor: the largest F such that, keeping those musts, every attendee can have
   ``min(F, upper bound)`` meetings in the LP (searched down from the top with doubling steps,
   then bisected: two or three LPs);
3. the selection: an integer b-matching maximising ``BIG * musts + scores`` under those floors
   (lowered again if integrality makes them infeasible);
4. the slots: a greedy edge colouring, tightest attendees first (meetings / reachable slots),
   a small CP-SAT re-solve around any meeting it could not place, and a gap-closing pass.

The LP relaxation of step 3 (with the same floors and musts) bounds the fill-in score from
above; the result reports it, so ``gap`` says how far the schedule can be from the best.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, vstack

from app.scheduling.evaluate import SCORE_SCALE, evaluate
from app.scheduling.heuristic import close_gaps, greedy_schedule
from app.scheduling.highs import solve_lp
from app.scheduling.prepare import Prepared
from app.scheduling.search import DETERMINISTIC_PER_SECOND
from app.scheduling.solver import Outcome

MILP_SHARE = 0.4  # share of the time limit the integer b-matching may use
MILP_FLOOR_TRIES = 3  # fairness floors tried (from the LP's down) before ranking all candidates
REPAIR_LIMIT = 600  # meetings the repair model may move


@dataclass(frozen=True, slots=True)
class _Selection:
    """Columns of the b-matching: which meetings, with what weight and degree rows."""

    meetings: np.ndarray  # meeting positions with a candidate slot
    weight: np.ndarray  # objective weight per column (maximised)
    incidence: csr_matrix  # attendee x column
    lower_fixed: np.ndarray  # 1 for locked meetings
    capacity: float  # table-slots for unlocked meetings
    rows: csr_matrix  # degree <= upper, -degree <= -lower, unlocked total <= capacity, -musts <= -target
    must: np.ndarray  # 1 for must-meeting columns
    must_target: float = 0.0  # must-meetings the selection has to keep


def solve_large(prepared: Prepared, time_limit: float) -> Outcome:
    """Schedule a very large event heuristically.

    Parameters
    ----------
    prepared:
        The indexed problem.
    time_limit:
        Seconds; the integer b-matching gets at most :data:`MILP_SHARE` of them.

    Returns
    -------
    Outcome
        Status "heuristic"; ``objective`` is the fill-in score reached and ``bound`` the LP
        upper bound on it given the fairness floor and the must-meetings placed.
    """
    started = time.perf_counter()
    selection = _with_must_target(prepared, _columns(prepared), MILP_SHARE * time_limit / 2)
    floor = _fairness_floor(prepared, selection)
    chosen, lower = _choose(selection, prepared, floor, MILP_SHARE * time_limit)
    slot_of = _place(prepared, chosen, time_limit)
    evaluation = evaluate(prepared, slot_of)
    score = evaluation.score_units / SCORE_SCALE
    bound = _score_bound(prepared, lower, evaluation.must_placed)
    return Outcome(
        slot_of=slot_of,
        status="heuristic",
        objective=score,
        bound=max(bound, score),
        stats={
            "fairness_target": float(lower.max(initial=0.0)),
            "chosen": float(len(chosen)),
            "chosen_unplaced": float(sum(1 for k in chosen if k not in slot_of)),
            "large_path_seconds": time.perf_counter() - started,
        },
    )


def heuristic_schedule(prepared: Prepared, seconds: float) -> dict[int, int]:
    """The large-event schedule alone (no bound): a warm start for the exact model.

    Parameters
    ----------
    prepared:
        The indexed problem.
    seconds:
        Time for the integer b-matching and the repair.

    Returns
    -------
    dict
        Meeting position -> slot; all hard rules hold.
    """
    selection = _with_must_target(prepared, _columns(prepared), MILP_SHARE * seconds / 2)
    chosen, _ = _choose(selection, prepared, _fairness_floor(prepared, selection), MILP_SHARE * seconds)
    return _place(prepared, chosen, seconds)


def _place(prepared: Prepared, chosen: list[int], seconds: float) -> dict[int, int]:
    """Colour the chosen meetings into slots (tightest first), repair, close gaps."""
    slot_of = greedy_schedule(prepared, _placement_order(prepared, chosen))
    failed = [k for k in chosen if k not in slot_of]
    if failed:
        slot_of = repair(prepared, slot_of, failed, seconds=max(0.1, 0.1 * seconds))
    return close_gaps(prepared, slot_of, rounds=2)


def score_upper_bound(prepared: Prepared) -> float:
    """LP bound on the fill-in score: max-weight b-matching with caps and total table-slots.

    Parameters
    ----------
    prepared:
        The indexed problem.

    Returns
    -------
    float
        Upper bound on the total score of fill-ins (no fairness floor, musts ignored).
    """
    selection = _columns(prepared, scores_only=True)
    upper = np.array(prepared.upper, dtype=float)
    result = _lp(selection, upper, np.zeros_like(upper))
    return 0.0 if result is None else result / SCORE_SCALE


def repair(prepared: Prepared, slot_of: dict[int, int], failed: list[int], seconds: float) -> dict[int, int]:
    """Re-solve the neighbourhood of meetings the greedy could not place, with a small CP-SAT.

    Every meeting of the failed meetings' attendees and of their partners may change slot;
    all of them stay placed, and as many failed meetings as possible are added.

    Parameters
    ----------
    prepared:
        The indexed problem.
    slot_of:
        A valid schedule.
    failed:
        Meeting positions to add.
    seconds:
        Time for the small model.

    Returns
    -------
    dict
        A valid schedule with at least the meetings of ``slot_of``.
    """
    around = {p for k in failed for p in prepared.ends[k]}
    around |= {q for p in list(around) for k in prepared.meetings_of[p] if k in slot_of for q in prepared.ends[k]}
    free = sorted({k for p in around for k in prepared.meetings_of[p] if k in slot_of} | set(failed))
    if len(free) > REPAIR_LIMIT:
        free = sorted(
            set(failed)
            | {
                k
                for p in {q for f in failed for q in prepared.ends[f]}
                for k in prepared.meetings_of[p]
                if k in slot_of
            }
        )
    return _resolve(prepared, slot_of, free, set(failed), seconds)


def _resolve(
    prepared: Prepared, slot_of: dict[int, int], free: list[int], optional: set[int], seconds: float
) -> dict[int, int]:
    fixed = {k: t for k, t in slot_of.items() if k not in free}
    busy = {(p, t) for k, t in fixed.items() for p in prepared.ends[k]}
    load = Counter(t for k, t in fixed.items() if not prepared.locked[k])
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for k in free:
        a, b = prepared.ends[k]
        for t in prepared.candidates[k]:
            if (a, t) not in busy and (b, t) not in busy:
                x[k, t] = model.new_bool_var(f"x_{k}_{t}")
                model.add_hint(x[k, t], slot_of.get(k) == t)
        literals = [x[k, t] for t in prepared.candidates[k] if (k, t) in x]
        if k in optional:
            model.add_at_most_one(literals)
        else:
            model.add_exactly_one(literals)
    for p in {p for k in free for p in prepared.ends[k]}:
        for t in range(prepared.n_slots):
            literals = [x[k, t] for k in prepared.meetings_of[p] if (k, t) in x]
            if len(literals) > 1:
                model.add_at_most_one(literals)
    for t in range(prepared.n_slots):
        literals = [x[k, t] for k in free if (k, t) in x and not prepared.locked[k]]
        if literals:
            model.add(sum(literals) <= prepared.free_tables[t] - load[t])
    model.maximize(sum(x[k, t] for (k, t) in x if k in optional))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.max_deterministic_time = seconds * DETERMINISTIC_PER_SECOND
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return slot_of
    return fixed | {k: t for (k, t), literal in x.items() if solver.boolean_value(literal)}


def _big(prepared: Prepared) -> float:
    positive = sum(max(0, round(m.score * SCORE_SCALE)) for m in prepared.problem.meetings)
    return float(positive + 1)


def _columns(prepared: Prepared, scores_only: bool = False, keep_musts: bool = False) -> _Selection:
    meetings = np.array([k for k in range(prepared.n_meetings) if prepared.candidates[k]], dtype=int)
    big = _big(prepared)
    weight = np.array(
        [
            (0.0 if scores_only else big)
            if prepared.meeting(int(k)).must
            else float(round(prepared.meeting(int(k)).score * SCORE_SCALE))
            for k in meetings
        ]
    )
    if scores_only and not keep_musts:
        keep = np.array([not prepared.meeting(int(k)).must for k in meetings], dtype=bool)
        meetings, weight = meetings[keep], weight[keep]
    ends = np.array([prepared.ends[int(k)] for k in meetings], dtype=int).reshape(-1, 2)
    rows = ends.ravel()
    cols = np.repeat(np.arange(len(meetings)), 2)
    incidence = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(prepared.n_attendees, len(meetings)))
    locked = np.array([prepared.locked[int(k)] for k in meetings], dtype=float)
    must = np.array([1.0 if prepared.meeting(int(k)).must else 0.0 for k in meetings])
    return _Selection(
        meetings=meetings,
        weight=weight,
        incidence=incidence,
        lower_fixed=locked,
        capacity=float(sum(prepared.free_tables)),
        rows=_stack(incidence, -incidence, (1.0 - locked).reshape(1, -1), -must.reshape(1, -1)),
        must=must,
    )


def _with_must_target(prepared: Prepared, selection: _Selection, seconds: float) -> _Selection:
    """Fix how many must-meetings the selection keeps: the most any b-matching can hold."""
    if not selection.must.any():
        return selection
    upper = np.array(prepared.upper, dtype=float)
    result = milp(
        -selection.must,
        constraints=_constraints(selection, upper, np.zeros(prepared.n_attendees)),
        integrality=np.ones(len(selection.meetings), dtype=np.int_),
        bounds=Bounds(selection.lower_fixed, np.ones(len(selection.meetings))),
        options={"time_limit": max(0.1, seconds), "mip_rel_gap": 0.0},
    )
    target = 0.0 if result.x is None else float(np.round(selection.must @ np.round(result.x)))
    return replace(selection, must_target=target)


def _fairness_floor(prepared: Prepared, selection: _Selection) -> int:
    """Largest F whose degree floors ``min(F, upper)`` keep the b-matching LP feasible.

    Searches down from the largest upper bound with doubling steps, then bisects; F is
    usually near the top, so this takes two or three LPs.
    """
    top = max((prepared.upper[p] for p in prepared.active()), default=0)
    upper = np.array(prepared.upper, dtype=float)

    def feasible(floor: int) -> bool:
        return floor == 0 or _lp(selection, upper, _degree_floors(prepared, floor), feasibility=True) is not None

    if feasible(top):
        return top
    high, step = top, 1  # high: known infeasible
    low = max(0, high - step)
    while not feasible(low):
        high, step = low, step * 2
        low = max(0, high - step)
    while high - low > 1:  # low feasible, high infeasible
        middle = (low + high) // 2
        low, high = (middle, high) if feasible(middle) else (low, middle)
    return low


def _degree_floors(prepared: Prepared, floor: int) -> np.ndarray:
    return np.array([min(floor, bound) for bound in prepared.upper], dtype=float)


def _constraints(selection: _Selection, upper: np.ndarray, lower: np.ndarray) -> list[LinearConstraint]:
    unlocked = (1.0 - selection.lower_fixed).reshape(1, -1)
    return [
        LinearConstraint(selection.incidence, lower, upper),
        LinearConstraint(unlocked, 0.0, selection.capacity),
        LinearConstraint(selection.must.reshape(1, -1), selection.must_target, np.inf),
    ]


def _lp(selection: _Selection, upper: np.ndarray, lower: np.ndarray, feasibility: bool = False) -> float | None:
    if len(selection.meetings) == 0:
        return 0.0
    value = solve_lp(
        np.zeros(len(selection.meetings)) if feasibility else -selection.weight,
        selection.rows,
        np.concatenate([upper, -lower, [selection.capacity, -selection.must_target]]),
        bounds=np.column_stack([selection.lower_fixed, np.ones(len(selection.meetings))]),
    )
    return None if value is None else -value


def _stack(*blocks: csr_matrix | np.ndarray) -> csr_matrix:
    return csr_matrix(vstack([csr_matrix(block) for block in blocks]))


def _choose(selection: _Selection, prepared: Prepared, floor: int, seconds: float) -> tuple[list[int], np.ndarray]:
    """Integer b-matching (HiGHS MILP): the chosen meeting positions and the degree floors used.

    The LP-feasible fairness floor can be integer-infeasible (odd cycles); then the floor is
    lowered until the MILP finds a selection (a few tries), else every candidate is ranked.
    """
    upper = np.array(prepared.upper, dtype=float)
    deadline = time.perf_counter() + seconds
    for attempt in range(floor, max(-1, floor - MILP_FLOOR_TRIES), -1):
        lower = _degree_floors(prepared, max(0, attempt))
        if len(selection.meetings) == 0:
            return [], lower
        result = milp(
            -selection.weight,
            constraints=_constraints(selection, upper, lower),
            integrality=np.ones(len(selection.meetings), dtype=np.int_),
            bounds=Bounds(selection.lower_fixed, np.ones(len(selection.meetings))),
            options={"time_limit": max(0.1, deadline - time.perf_counter()), "mip_rel_gap": 1e-4},
        )
        if result.x is not None:
            return [int(selection.meetings[i]) for i, value in enumerate(result.x) if value > 0.5], lower
    return [int(k) for k in selection.meetings], _degree_floors(prepared, 0)


def _score_bound(prepared: Prepared, lower: np.ndarray, musts: int) -> float:
    """LP bound on the fill-in score with the fairness floors and at least ``musts`` musts."""
    selection = _columns(prepared, scores_only=True, keep_musts=True)
    must_row = np.array([1.0 if prepared.meeting(int(k)).must else 0.0 for k in selection.meetings])
    unlocked = (1.0 - selection.lower_fixed).reshape(1, -1)
    upper = np.array(prepared.upper, dtype=float)
    value = solve_lp(
        -selection.weight,
        _stack(selection.incidence, -selection.incidence, unlocked, -must_row.reshape(1, -1)),
        np.concatenate([upper, -lower, [selection.capacity], [-float(musts)]]),
        bounds=np.column_stack([selection.lower_fixed, np.ones(len(selection.meetings))]),
    )
    return 0.0 if value is None else -value / SCORE_SCALE


def _placement_order(prepared: Prepared, chosen: list[int]) -> list[int]:
    """Chosen meetings hardest first, then the others as fill-ins by descending score.

    Hardest: the larger share of an attendee's available slots their chosen meetings take
    (an attendee with 12 meetings in 12 slots must get a perfect assignment).
    """
    picked = set(chosen)
    degree = Counter(p for k in chosen for p in prepared.ends[k])
    reach = [len({t for k in mine for t in prepared.candidates[k]}) or 1 for mine in prepared.meetings_of]

    def tightness(k: int) -> tuple[float, float]:
        shares = sorted((degree[p] / reach[p] for p in prepared.ends[k]), reverse=True)
        return shares[0], shares[1]

    def key(k: int) -> tuple[int, float, float, float, int]:
        meeting = prepared.meeting(k)
        rank = 0 if prepared.locked[k] else 1 if meeting.must else 2
        if k in picked:
            first, second = tightness(k)
            return 0, rank, -first, -second, k
        return 1, rank, -meeting.score, 0.0, k

    return sorted((k for k in range(prepared.n_meetings) if prepared.candidates[k]), key=key)
