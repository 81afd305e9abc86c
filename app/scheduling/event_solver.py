"""The event scheduler: which meetings to hold, in which slot, at which table.

Two models, chosen by size:

* **exact** (up to ``EXACT_MAX_VARS`` meeting-slot pairs): one CP-SAT model with a boolean per
  meeting and feasible slot, solved lexicographically — first the meetings (must-meetings, then
  the fewest meetings anyone gets, then the fill-in score), then, with that fixed, compact
  agendas (fewest blocks of consecutive meetings) and fewest moves;
* **large**: a CP-SAT b-matching chooses the meetings (one boolean per meeting: caps, free slots),
  then a greedy, most-constrained-first slot assignment places them. The b-matching's bound is
  the bound reported.

Tables are given per slot afterwards (any slot with at most ``tables`` meetings fits): a meeting
keeps its table when it stays in its slot, else takes a table one of its people had just before.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from app.scheduling.breaks import count_breaks
from app.scheduling.types import (
    MeetingToPlace,
    Placement,
    ScheduleResult,
    SchedulingProblem,
    Unplaced,
    UnplacedReason,
)

EXACT_MAX_VARS = 20_000
SCORE_SCALE = 1000  # mutual scores in [0, 1] become integers for CP-SAT


@dataclass(frozen=True, slots=True)
class _Prepared:
    feasible: dict[int, tuple[int, ...]]  # meeting id -> slots it may take
    caps: dict[int, int]  # attendee id -> most meetings they can have
    unplaceable: dict[int, Unplaced]  # meetings that cannot be placed whatever the others do
    candidates: tuple[MeetingToPlace, ...]


def solve(problem: SchedulingProblem, *, time_limit: float = 10.0, seed: int = 0, workers: int = 2) -> ScheduleResult:
    """Place the meetings of one event.

    Parameters
    ----------
    problem:
        Slots, tables, attendees (availability and cap) and the meetings to place.
    time_limit:
        Seconds for the solver (split over its stages); a feasible result always comes back.
    seed, workers:
        CP-SAT's random seed and threads; with ``interleave_search`` the result is the same for
        the same input and seed.

    Returns
    -------
    ScheduleResult
        Placements, unplaced meetings with their reason, status (``optimal``, ``feasible`` or
        ``heuristic``), objective, bound and gap of the meeting selection, breaks and moves.

    Example
    -------
    >>> from app.scheduling.types import Attendee, MeetingToPlace, SchedulingProblem, Slot
    >>> p = SchedulingProblem((Slot(0, 0), Slot(1, 0)), 1,
    ...     (Attendee(1, frozenset({0, 1})), Attendee(2, frozenset({1}))), (MeetingToPlace(7, 1, 2),))
    >>> [(x.meeting_id, x.slot, x.table) for x in solve(p).placements]
    [(7, 1, 0)]
    """
    started = time.perf_counter()
    prep = _prepare(problem)
    n_vars = sum(len(prep.feasible[m.id]) for m in prep.candidates)
    exact = _solve_exact(problem, prep, time_limit, seed, workers) if n_vars <= EXACT_MAX_VARS else None
    if exact is None:  # too large, or nothing found in time: the fast model always answers
        exact = _solve_large(problem, prep, time_limit, seed, workers)
    slots, status, objective, bound = exact
    return _result(problem, prep, slots, status, objective, bound, time.perf_counter() - started)


# --- preparation ----------------------------------------------------------------------


def _prepare(problem: SchedulingProblem) -> _Prepared:
    people = {a.id: a for a in problem.attendees}
    all_slots = frozenset(s.index for s in problem.slots)
    caps = {a.id: min(a.cap if a.cap is not None else len(all_slots), len(a.available)) for a in problem.attendees}
    feasible: dict[int, tuple[int, ...]] = {}
    unplaceable: dict[int, Unplaced] = {}
    candidates = []
    for m in sorted(problem.meetings, key=lambda m: m.id):
        if m.locked_slot is not None:
            feasible[m.id] = (m.locked_slot,)
            candidates.append(m)
            continue
        common = people[m.a].available & people[m.b].available & (m.allowed if m.allowed is not None else all_slots)
        if not common:
            unplaceable[m.id] = Unplaced(
                m.id, UnplacedReason.NO_COMMON_FREE_SLOT, "the two have no free slot in common"
            )
        elif caps[m.a] == 0 or caps[m.b] == 0:
            who = m.a if caps[m.a] == 0 else m.b
            unplaceable[m.id] = Unplaced(m.id, UnplacedReason.CAP_REACHED, f"participant {who} takes no meetings")
        else:
            feasible[m.id] = tuple(sorted(common))
            candidates.append(m)
    return _Prepared(feasible, caps, unplaceable, tuple(candidates))


def _tiers(problem: SchedulingProblem, prep: _Prepared) -> tuple[int, int, int]:
    """Integer weights that make must > fairness > score a strict order."""
    score_total = sum(round(m.score * SCORE_SCALE) for m in prep.candidates if not m.must)
    max_min = max(prep.caps.values(), default=0)
    w_fair = score_total + 1
    w_must = w_fair * (max_min + 1) + 1
    return w_must, w_fair, 1


def _askers(prep: _Prepared) -> dict[int, list[MeetingToPlace]]:
    """Attendees with at least one must-meeting: nobody of them should end with none."""
    by_person: dict[int, list[MeetingToPlace]] = defaultdict(list)
    for m in prep.candidates:
        by_person[m.a].append(m)
        by_person[m.b].append(m)
    return {p: ms for p, ms in by_person.items() if any(m.must for m in ms)}


def _parameters(solver: cp_model.CpSolver, time_limit: float, seed: int, workers: int) -> None:
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.interleave_search = True  # deterministic with several workers


# --- exact model ------------------------------------------------------------------------


def _solve_exact(
    problem: SchedulingProblem, prep: _Prepared, time_limit: float, seed: int, workers: int
) -> tuple[dict[int, int], str, float | None, float | None] | None:
    started = time.perf_counter()
    model = cp_model.CpModel()
    x = {(m.id, s): model.new_bool_var(f"x{m.id}_{s}") for m in prep.candidates for s in prep.feasible[m.id]}
    placed = {}
    for m in prep.candidates:
        placed[m.id] = model.new_bool_var(f"p{m.id}")
        model.add(sum(x[m.id, s] for s in prep.feasible[m.id]) == placed[m.id])
        if m.locked_slot is not None:
            model.add(placed[m.id] == 1)
    per_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    per_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (mid, s), var in x.items():
        m = _by_id(prep)[mid]
        per_person_slot[m.a, s].append(var)
        per_person_slot[m.b, s].append(var)
        per_slot[s].append(var)
    for vars_ in per_person_slot.values():
        model.add_at_most_one(vars_)
    for vars_ in per_slot.values():
        model.add(sum(vars_) <= problem.tables)
    counts = _count_meetings(model, prep, placed)
    for person, count in counts.items():
        model.add(count <= prep.caps[person])
    selection = _selection_objective(model, problem, prep, placed, counts)
    model.maximize(selection)
    _hint_current(model, prep, x)
    solver = cp_model.CpSolver()
    _parameters(solver, time_limit * 0.5, seed, workers)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    objective, bound = solver.objective_value, solver.best_objective_bound
    proved = status == cp_model.OPTIMAL
    # stage 2: keep the chosen meetings, make agendas compact and move few meetings
    chosen = {m.id for m in prep.candidates if solver.value(placed[m.id])}
    for m in prep.candidates:
        model.add(placed[m.id] == int(m.id in chosen))
    # no hint from stage 1: its scattered agendas trap the search (measured on a Cluj-sized event:
    # 120 breaks with it, 16 without); a greedy compact assignment is kept as a fallback instead
    model.clear_hints()  # type: ignore[no-untyped-call]
    _hint_current(model, prep, x)
    greedy = _assign_greedily(problem, prep, [m for m in prep.candidates if m.id in chosen])
    blocks = _blocks(model, problem, prep, x, chosen)
    moves = [
        x[m.id, s]
        for m in prep.candidates
        if m.current_slot is not None
        for s in prep.feasible[m.id]
        if s != m.current_slot
    ]
    replanning = bool(moves)
    if replanning:  # people already hold their agendas: move as few as possible, then compact
        model.minimize((len(blocks) + 1) * sum(moves) + sum(blocks))
    else:
        model.minimize(sum(blocks))
    second = cp_model.CpSolver()
    _parameters(second, max(0.1, time_limit - (time.perf_counter() - started)), seed, workers)
    status2 = second.solve(model)
    options = [{mid: s for (mid, s), var in x.items() if solver.value(var)}]
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        options.append({mid: s for (mid, s), var in x.items() if second.value(var)})
    if len(greedy) == len(chosen):
        options.append(greedy)

    def cost(o: Mapping[int, int]) -> tuple[int, int]:
        breaks, moved = _total_breaks(problem, prep, o), _moves(prep, o)
        return (moved, breaks) if replanning else (breaks, moved)

    slots = min(options, key=cost)
    return slots, "optimal" if proved else "feasible", objective, bound


def _total_breaks(problem: SchedulingProblem, prep: _Prepared, slots: Mapping[int, int]) -> int:
    return sum(count_breaks(ss, problem.slots) for ss in _slots_per_person(prep, slots).values())


def _moves(prep: _Prepared, slots: Mapping[int, int]) -> int:
    return sum(1 for m in prep.candidates if m.current_slot is not None and slots.get(m.id) != m.current_slot)


def _by_id(prep: _Prepared) -> Mapping[int, MeetingToPlace]:
    return {m.id: m for m in prep.candidates}


def _count_meetings(
    model: cp_model.CpModel, prep: _Prepared, placed: Mapping[int, cp_model.IntVar]
) -> dict[int, cp_model.LinearExpr]:
    terms: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for m in prep.candidates:
        terms[m.a].append(placed[m.id])
        terms[m.b].append(placed[m.id])
    return {p: sum(v) for p, v in terms.items()}  # type: ignore[misc]


def _selection_objective(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    prep: _Prepared,
    placed: Mapping[int, cp_model.IntVar],
    counts: Mapping[int, cp_model.LinearExpr],
) -> cp_model.LinearExpr:
    """must-meetings, then the minimum number of meetings among those who asked, then score."""
    w_must, w_fair, w_score = _tiers(problem, prep)
    askers = _askers(prep)
    fewest = model.new_int_var(0, max(prep.caps.values(), default=0), "fewest")
    for person in askers:
        model.add(fewest <= counts[person])
    if not askers:
        model.add(fewest == 0)
    must = sum(placed[m.id] for m in prep.candidates if m.must)
    score = sum(round(m.score * SCORE_SCALE) * placed[m.id] for m in prep.candidates if not m.must)
    return w_must * must + w_fair * fewest + w_score * score


def _hint_current(model: cp_model.CpModel, prep: _Prepared, x: Mapping[tuple[int, int], cp_model.IntVar]) -> None:
    for m in prep.candidates:
        if m.current_slot is not None and (m.id, m.current_slot) in x:
            model.add_hint(x[m.id, m.current_slot], 1)


def _blocks(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    prep: _Prepared,
    x: Mapping[tuple[int, int], cp_model.IntVar],
    chosen: set[int],
) -> list[cp_model.IntVar]:
    """One boolean per (person, slot) where a run of consecutive meetings starts."""
    session_of = {s.index: s.session for s in problem.slots}
    busy_terms: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (mid, s), var in x.items():
        m = _by_id(prep)[mid]
        busy_terms[m.a, s].append(var)
        busy_terms[m.b, s].append(var)
    starts = []
    per_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (person, s), terms in busy_terms.items():
        previous = busy_terms.get((person, s - 1)) if session_of.get(s - 1) == session_of[s] else None
        start = model.new_bool_var(f"start{person}_{s}")
        # a block starts at s when busy at s and not busy at s-1 (within the session)
        model.add(start >= sum(terms) - (sum(previous) if previous else 0))
        starts.append(start)
        per_person[person].append(start)
    meetings: dict[int, int] = defaultdict(int)
    for m in prep.candidates:
        if m.id in chosen:
            meetings[m.a] += 1
            meetings[m.b] += 1
    for person, person_starts in per_person.items():
        if meetings[person]:  # anyone with meetings has at least one block (a cut the solver cannot see)
            model.add(sum(person_starts) >= 1)
    return starts


# --- large model --------------------------------------------------------------------------


def _solve_large(
    problem: SchedulingProblem, prep: _Prepared, time_limit: float, seed: int, workers: int
) -> tuple[dict[int, int], str, float | None, float | None]:
    """Exact capped b-matching (HiGHS MILP) chooses the meetings, a greedy pass gives them slots.

    The model matters more than the solver here: one variable per meeting instead of one per
    meeting and slot. Falls back to a greedy selection if the MILP finds nothing in time.
    """
    chosen = _select_milp(problem, prep, time_limit * 0.7) or _select_greedily(prep)
    slots = _assign_greedily(problem, prep, [m for m in prep.candidates if m.id in chosen])
    bound = lp_bound(problem, prep)
    return slots, "heuristic", float(_selection_value(problem, prep, slots)), bound


def _selection_matrix(problem: SchedulingProblem, prep: _Prepared) -> tuple[Any, Any, Any, Any]:
    """The b-matching as a linear program: objective, constraint matrix, right-hand side, bounds."""
    import numpy as np
    from scipy.sparse import coo_matrix

    ms = prep.candidates
    w_must, w_fair, w_score = _tiers(problem, prep)
    people = sorted(prep.caps)
    row = {p: i for i, p in enumerate(people)}
    askers = sorted(_askers(prep))
    n = len(ms)
    # variables: y_m in [0, 1] for each meeting, then f (the fewest meetings of an asker)
    c = np.array([-(w_must if m.must else w_score * round(m.score * SCORE_SCALE)) for m in ms] + [-w_fair], dtype=float)
    rows, cols, vals = [], [], []
    meetings_of: dict[int, list[int]] = defaultdict(list)
    for j, m in enumerate(ms):
        for person in (m.a, m.b):
            rows.append(row[person])
            cols.append(j)
            vals.append(1.0)
            meetings_of[person].append(j)
    base = len(people)
    for k, person in enumerate(askers):  # f - sum(y of person) <= 0
        rows += [base + k] * (len(meetings_of[person]) + 1)
        cols += [n, *meetings_of[person]]
        vals += [1.0] + [-1.0] * len(meetings_of[person])
    a_ub = coo_matrix(
        (np.array(vals), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
        shape=(base + len(askers), n + 1),
    ).tocsr()
    caps = [float(prep.caps[p]) for p in people]
    b_ub = np.array(caps + [0.0] * len(askers))
    fewest_max = float(max(caps, default=0)) if askers else 0.0
    lower = np.array([1.0 if m.locked_slot is not None else 0.0 for m in ms] + [0.0])
    upper = np.array([1.0] * n + [fewest_max])
    return c, a_ub, b_ub, (lower, upper)


def _select_milp(problem: SchedulingProblem, prep: _Prepared, time_limit: float) -> set[int] | None:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    if not prep.candidates:
        return set()
    c, a_ub, b_ub, (lower, upper) = _selection_matrix(problem, prep)
    result = milp(
        c,
        constraints=LinearConstraint(a_ub, -np.inf, b_ub),
        integrality=np.ones(len(c), dtype=np.int64),
        bounds=Bounds(lower, upper),
        options={"time_limit": max(0.1, time_limit), "disp": False},
    )
    if result.x is None:
        return None
    return {m.id for j, m in enumerate(prep.candidates) if result.x[j] > 0.5}


def _select_greedily(prep: _Prepared) -> set[int]:
    """Locked, then must-meetings, then fill-ins by score, within every cap."""
    left = dict(prep.caps)
    chosen: set[int] = set()
    order = sorted(prep.candidates, key=lambda m: (m.locked_slot is None, not m.must, -m.score, m.id))
    for m in order:
        if left[m.a] > 0 and left[m.b] > 0:
            chosen.add(m.id)
            left[m.a] -= 1
            left[m.b] -= 1
    return chosen


def lp_bound(problem: SchedulingProblem, prep: _Prepared) -> float | None:
    """Upper bound of the selection objective: the LP relaxation of the capped b-matching (HiGHS)."""
    from scipy.optimize import linprog

    if not prep.candidates:
        return 0.0
    c, a_ub, b_ub, (lower, upper) = _selection_matrix(problem, prep)
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=list(zip(lower, upper, strict=True)), method="highs")
    return -float(result.fun) if result.status == 0 and result.fun is not None else None


def _selection_value(problem: SchedulingProblem, prep: _Prepared, slots: Mapping[int, int]) -> int:
    w_must, w_fair, w_score = _tiers(problem, prep)
    count: dict[int, int] = defaultdict(int)
    must = score = 0
    for m in prep.candidates:
        if m.id in slots:
            count[m.a] += 1
            count[m.b] += 1
            must += int(m.must)
            score += 0 if m.must else round(m.score * SCORE_SCALE)
    fewest = min((count[p] for p in _askers(prep)), default=0)
    return w_must * must + w_fair * fewest + w_score * score


def _assign_greedily(problem: SchedulingProblem, prep: _Prepared, chosen: Iterable[MeetingToPlace]) -> dict[int, int]:
    """Most constrained first; each meeting takes the feasible slot where its people are busy next to it."""
    busy: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    slots: dict[int, int] = {}
    order = sorted(chosen, key=lambda m: (m.locked_slot is None, not m.must, len(prep.feasible[m.id]), m.id))
    for m in order:
        options = [
            s for s in prep.feasible[m.id] if s not in busy[m.a] and s not in busy[m.b] and load[s] < problem.tables
        ]
        if not options:
            continue
        best = min(options, key=lambda s: (s != m.current_slot, -_adjacent(s, busy[m.a], busy[m.b]), load[s], s))
        slots[m.id] = best
        busy[m.a].add(best)
        busy[m.b].add(best)
        load[best] += 1
    return slots


def _adjacent(slot: int, *busy: set[int]) -> int:
    return sum((slot - 1) in b or (slot + 1) in b for b in busy)


# --- result -------------------------------------------------------------------------------


def _result(
    problem: SchedulingProblem,
    prep: _Prepared,
    slots: Mapping[int, int],
    status: str,
    objective: float | None,
    bound: float | None,
    seconds: float,
) -> ScheduleResult:
    tables = assign_tables(problem, slots)
    placements = tuple(Placement(mid, slots[mid], tables[mid]) for mid in sorted(slots))
    count: dict[int, int] = defaultdict(int)
    load: dict[int, int] = defaultdict(int)
    for m in prep.candidates:
        if m.id in slots:
            count[m.a] += 1
            count[m.b] += 1
            load[slots[m.id]] += 1
    unplaced = list(prep.unplaceable.values()) + [
        _why(problem, prep, m, count, load) for m in prep.candidates if m.id not in slots
    ]
    per_person = _slots_per_person(prep, slots)
    breaks = {p: count_breaks(ss, problem.slots) for p, ss in per_person.items()}
    moved = sum(
        1
        for m in prep.candidates
        if m.current_slot is not None and (slots.get(m.id) != m.current_slot or tables.get(m.id) != m.current_table)
    )
    gap = None
    if objective is not None and bound is not None and bound > 0:
        gap = max(0.0, (bound - objective) / bound)
    return ScheduleResult(
        placements=placements,
        unplaced=tuple(sorted(unplaced, key=lambda u: u.meeting_id)),
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        seconds=seconds,
        total_breaks=sum(breaks.values()),
        break_spread=(max(breaks.values()) - min(breaks.values())) if breaks else 0,
        moved=moved,
    )


def _why(
    problem: SchedulingProblem, prep: _Prepared, m: MeetingToPlace, count: Mapping[int, int], load: Mapping[int, int]
) -> Unplaced:
    """Why a meeting stayed out, given how many meetings each person and slot got."""
    for person in (m.a, m.b):
        if count[person] >= prep.caps[person]:
            return Unplaced(m.id, UnplacedReason.CAP_REACHED, f"participant {person} has reached their meeting cap")
    if all(load[s] >= problem.tables for s in prep.feasible[m.id]):
        return Unplaced(m.id, UnplacedReason.NO_TABLE_LEFT, "every table is taken in the slots both are free")
    return Unplaced(m.id, UnplacedReason.CONFLICT, "their common free slots are taken by other meetings of theirs")


def _slots_per_person(prep: _Prepared, slots: Mapping[int, int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for m in prep.candidates:
        if m.id in slots:
            out[m.a].append(slots[m.id])
            out[m.b].append(slots[m.id])
    return out


def assign_tables(problem: SchedulingProblem, slots: Mapping[int, int]) -> dict[int, int]:
    """A table per placed meeting: locked and unmoved meetings keep theirs, others follow their people."""
    meetings = {m.id: m for m in problem.meetings}
    tables: dict[int, int] = {}
    taken: dict[int, set[int]] = defaultdict(set)
    last_table: dict[int, int] = {}
    by_slot: dict[int, list[int]] = defaultdict(list)
    for mid, s in slots.items():
        by_slot[s].append(mid)
    for s in sorted(by_slot):
        ids = sorted(by_slot[s], key=lambda i: (meetings[i].locked_table is None, meetings[i].current_slot != s, i))
        for mid in ids:
            m = meetings[mid]
            wish = [
                m.locked_table,
                m.current_table if m.current_slot == s else None,
                last_table.get(m.a),
                last_table.get(m.b),
            ]
            table = next((t for t in wish if t is not None and t not in taken[s] and t < problem.tables), None)
            if table is None:
                table = next(t for t in range(problem.tables) if t not in taken[s])
            tables[mid] = table
            taken[s].add(table)
            last_table[m.a] = last_table[m.b] = table
    return tables
