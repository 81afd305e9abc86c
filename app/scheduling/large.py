"""Very large events: choose meetings by b-matching, then colour them into slots.

A boolean per (meeting, slot) is too many variables at thousands of attendees, and the slot
is the easy part once the meetings are chosen: every attendee meets at most ``min(cap,
available slots)`` times, far fewer than there are slots, so a greedy edge colouring with a
one-step repair places nearly everything. The choice of meetings is a max-weight b-matching,
solved with HiGHS (``scipy.optimize.milp``):

* maximise ``BIG * musts + scores`` (``BIG`` exceeds every possible score total, so must-
  meetings come first),
* each attendee meets at most their upper bound (cap, candidate meetings, candidate slots),
  and at least ``min(F, upper bound)`` for the largest fairness floor ``F`` whose LP is
  feasible (binary search),
* no more meetings than table-slots in total.

The LP relaxation of the last model bounds the fill-in score from above; the result reports
it, so ``gap`` says how far the schedule can be from the best.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, vstack

from app.scheduling.evaluate import SCORE_SCALE, evaluate
from app.scheduling.heuristic import close_gaps, greedy_schedule
from app.scheduling.highs import solve_lp
from app.scheduling.prepare import Prepared
from app.scheduling.solver import Outcome

MILP_SHARE = 0.4  # share of the time limit the integer b-matching may use


@dataclass(frozen=True, slots=True)
class _Selection:
    """Columns of the b-matching: which meetings, with what weight and degree rows."""

    meetings: np.ndarray  # meeting positions with a candidate slot
    weight: np.ndarray  # objective weight per column (maximised)
    incidence: csr_matrix  # attendee x column
    lower_fixed: np.ndarray  # 1 for locked meetings
    capacity: float  # table-slots for unlocked meetings


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
        upper bound on it (given the must-meetings and fairness floor chosen).
    """
    started = time.perf_counter()
    selection = _columns(prepared)
    floor = _fairness_floor(prepared, selection)
    lower = _degree_floors(prepared, floor)
    chosen, lp_bound = _choose(selection, prepared, lower, MILP_SHARE * time_limit)
    order = _placement_order(prepared, chosen)
    slot_of = close_gaps(prepared, greedy_schedule(prepared, order))
    evaluation = evaluate(prepared, slot_of)
    big = _big(prepared)
    must_bound = sum(1 for k in selection.meetings if prepared.meeting(int(k)).must)
    score_bound = max(0.0, lp_bound - big * must_bound) / SCORE_SCALE
    return Outcome(
        slot_of=slot_of,
        status="heuristic",
        objective=evaluation.score_units / SCORE_SCALE,
        bound=max(score_bound, evaluation.score_units / SCORE_SCALE),
        stats={
            "fairness_target": float(floor),
            "selection_seconds": time.perf_counter() - started,
            "chosen": float(len(chosen)),
        },
    )


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


def _big(prepared: Prepared) -> float:
    positive = sum(max(0, round(m.score * SCORE_SCALE)) for m in prepared.problem.meetings)
    return float(positive + 1)


def _columns(prepared: Prepared, scores_only: bool = False) -> _Selection:
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
    if scores_only:
        keep = np.array([not prepared.meeting(int(k)).must for k in meetings], dtype=bool)
        meetings, weight = meetings[keep], weight[keep]
    ends = np.array([prepared.ends[int(k)] for k in meetings], dtype=int).reshape(-1, 2)
    rows = ends.ravel()
    cols = np.repeat(np.arange(len(meetings)), 2)
    incidence = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(prepared.n_attendees, len(meetings)))
    locked = np.array([prepared.locked[int(k)] for k in meetings], dtype=float)
    return _Selection(
        meetings=meetings,
        weight=weight,
        incidence=incidence,
        lower_fixed=locked,
        capacity=float(sum(prepared.free_tables)),
    )


def _fairness_floor(prepared: Prepared, selection: _Selection) -> int:
    """Largest F whose degree floors ``min(F, upper)`` keep the b-matching LP feasible."""
    active = prepared.active()
    low, high = 0, max((prepared.upper[p] for p in active), default=0)
    upper = np.array(prepared.upper, dtype=float)
    while low < high:
        middle = (low + high + 1) // 2
        if _lp(selection, upper, _degree_floors(prepared, middle), feasibility=True) is not None:
            low = middle
        else:
            high = middle - 1
    return low


def _degree_floors(prepared: Prepared, floor: int) -> np.ndarray:
    return np.array([min(floor, bound) for bound in prepared.upper], dtype=float)


def _constraints(selection: _Selection, upper: np.ndarray, lower: np.ndarray) -> list[LinearConstraint]:
    unlocked = (1.0 - selection.lower_fixed).reshape(1, -1)
    return [
        LinearConstraint(selection.incidence, lower, upper),
        LinearConstraint(unlocked, 0.0, selection.capacity),
    ]


def _lp(selection: _Selection, upper: np.ndarray, lower: np.ndarray, feasibility: bool = False) -> float | None:
    if len(selection.meetings) == 0:
        return 0.0
    unlocked = (1.0 - selection.lower_fixed).reshape(1, -1)
    value = solve_lp(
        np.zeros(len(selection.meetings)) if feasibility else -selection.weight,
        _stack(selection.incidence, -selection.incidence, unlocked),
        np.concatenate([upper, -lower, [selection.capacity]]),
        bounds=list(zip(selection.lower_fixed, np.ones(len(selection.meetings)), strict=True)),
    )
    return None if value is None else -value


def _stack(*blocks: csr_matrix | np.ndarray) -> csr_matrix:
    return csr_matrix(vstack([csr_matrix(block) for block in blocks]))


def _choose(selection: _Selection, prepared: Prepared, lower: np.ndarray, seconds: float) -> tuple[list[int], float]:
    """Integer b-matching (HiGHS MILP); returns chosen meeting positions and the LP bound."""
    if len(selection.meetings) == 0:
        return [], 0.0
    upper = np.array(prepared.upper, dtype=float)
    lp_bound = _lp(selection, upper, lower)
    result = milp(
        -selection.weight,
        constraints=_constraints(selection, upper, lower),
        integrality=np.ones(len(selection.meetings), dtype=np.int_),
        bounds=Bounds(selection.lower_fixed, np.ones(len(selection.meetings))),
        options={"time_limit": max(0.1, seconds), "mip_rel_gap": 1e-4},
    )
    if result.x is None:
        chosen = list(range(len(selection.meetings)))
    else:
        chosen = [i for i, value in enumerate(result.x) if value > 0.5]
    return [int(selection.meetings[i]) for i in chosen], lp_bound if lp_bound is not None else 0.0


def _placement_order(prepared: Prepared, chosen: list[int]) -> list[int]:
    """Chosen meetings (locked, musts, then by score), then the rest as fill-ins by score."""
    picked = set(chosen)

    def key(k: int) -> tuple[int, int, float, int, int]:
        meeting = prepared.meeting(k)
        rank = 0 if prepared.locked[k] else 1 if meeting.must else 2
        return (0 if k in picked else 1), rank, -meeting.score, len(prepared.candidates[k]), k

    return sorted((k for k in range(prepared.n_meetings) if prepared.candidates[k]), key=key)
