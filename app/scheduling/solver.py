"""The scheduler's entry point: lexicographic optimisation with CP-SAT.

Levels, in order (each is optimised, then frozen as a constraint for the next):

1. ``must``: placed must-meetings (maximise); the common case "all of them fit" is first
   tried as a pure feasibility search;
2. ``fairness``: the largest F such that every attendee with a candidate meeting has at least
   ``min(F, their upper bound)`` meetings (maximise; the upper bound -- cap, candidate meetings,
   candidate slots -- keeps one attendee with a single possible meeting from capping everyone);
3. ``score``: total mutual score of placed fill-ins (maximise);
4. ``compact``: total breaks, then their spread (minimise; see :mod:`app.scheduling.compact`).

A re-plan (some meetings already have a slot) puts ``moves`` -- previously placed meetings moved
to another slot or dropped (minimise) -- right after ``must``: people already hold their
agendas, so fairness, score and compactness improve only without moving more meetings.

A level whose value already meets a known bound is frozen without a solve. Very large events
(more meeting-slot pairs than :data:`LARGE_MODEL`) go to the b-matching heuristic of
:mod:`app.scheduling.large`. CP-SAT runs are deterministic; see :mod:`app.scheduling.search`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from app.scheduling.compact import compact
from app.scheduling.cpsat import Expression, ScheduleModel, clear_objective
from app.scheduling.evaluate import SCORE_SCALE, Evaluation, evaluate
from app.scheduling.explain import unplaced_reasons
from app.scheduling.heuristic import close_gaps, greedy_schedule
from app.scheduling.prepare import Prepared, prepare
from app.scheduling.search import FOUND, Search
from app.scheduling.tables import assign_tables
from app.scheduling.types import Placement, ScheduleResult, SchedulingProblem

LARGE_MODEL = 60_000  # meeting-slot pairs above which the heuristic path is used
SMALL_MODEL = 20_000  # below this many pairs the placement levels run on one worker
WARM_START_PAIRS = 5_000  # from this many pairs, the large-event heuristic may warm-start
MATCHING_WARM_START_SECONDS = 1.0
PLACEMENT_SHARE = 0.3  # of the time left, for each placement level
REPLAN_MOVES_SHARE = 0.2  # of the time left, for the moves level of a re-plan
MUST_PROBE_PORTFOLIO = ("no_lp", "quick_restart_no_lp")  # "do all musts fit?" is a SAT search

Freeze = Callable[[ScheduleModel], None]


@dataclass(slots=True)
class Outcome:
    """What a solver path hands back: a schedule and how good it is known to be."""

    slot_of: dict[int, int]
    status: str
    objective: float | None = None
    bound: float | None = None
    stats: dict[str, float] = field(default_factory=dict)


def solve(problem: SchedulingProblem, *, time_limit: float = 10.0, seed: int = 0, workers: int = 2) -> ScheduleResult:
    """Schedule meetings into slots and tables, lexicographically optimal where proven.

    Parameters
    ----------
    problem:
        Slots, tables, attendees (availability, caps) and meetings (must / may, locked,
        current placement).
    time_limit:
        Seconds for the whole solve (the exact path spreads them over the levels).
    seed:
        Random seed of the solver; same input and seed give the same result.
    workers:
        CP-SAT search workers (threads).

    Returns
    -------
    ScheduleResult
        Placements with tables, reasons for unplaced meetings, ``status`` ("optimal" when every
        level is proven, "feasible" otherwise, "heuristic" on the large-event path), the first
        unproven level's value and bound (``objective``, ``bound``, ``gap``), breaks, spread,
        moves and per-level figures in ``stats``.

    Example
    -------
    >>> from app.scheduling.types import Attendee, MeetingToPlace, Slot
    >>> everyone = frozenset({0, 1, 2})
    >>> problem = SchedulingProblem(
    ...     slots=tuple(Slot(t, 0) for t in range(3)), tables=2,
    ...     attendees=tuple(Attendee(i, everyone) for i in (1, 2, 3)),
    ...     meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 1, 3)))
    >>> result = solve(problem, time_limit=5)
    >>> result.status, len(result.placements), result.total_breaks
    ('optimal', 2, 0)
    """
    started = time.perf_counter()
    prepared = prepare(problem)
    if sum(len(slots) for slots in prepared.candidates) > LARGE_MODEL:
        from app.scheduling.large import solve_large

        outcome = solve_large(prepared, time_limit=time_limit)
    else:
        # keep a little of the limit for tables, reasons and figures after the last search
        search = Search.start(seed, workers, time_limit - min(0.5, 0.05 * time_limit))
        outcome = Lexicographic(prepared, search).run()
    return build_result(prepared, outcome, time.perf_counter() - started)


def build_result(prepared: Prepared, outcome: Outcome, seconds: float) -> ScheduleResult:
    """Tables, reasons and figures for a finished schedule."""
    tables = assign_tables(prepared, outcome.slot_of)
    evaluation = evaluate(prepared, outcome.slot_of)
    placements = tuple(
        Placement(meeting_id=prepared.meeting(k).id, slot=t, table=tables[k])
        for k, t in sorted(outcome.slot_of.items())
    )
    table_moves = sum(
        1
        for k, table in tables.items()
        if prepared.meeting(k).current_table not in (None, table)
        and prepared.meeting(k).current_slot == outcome.slot_of[k]
        and not prepared.locked[k]
    )
    return ScheduleResult(
        placements=placements,
        unplaced=unplaced_reasons(prepared, outcome.slot_of),
        status=outcome.status,
        objective=outcome.objective,
        bound=outcome.bound,
        gap=_gap(outcome.objective, outcome.bound),
        seconds=seconds,
        total_breaks=evaluation.total_breaks,
        break_spread=evaluation.break_spread,
        moved=evaluation.moves + table_moves,
        stats=outcome.stats | evaluation.as_stats(),
    )


def _gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1.0, abs(objective))


@dataclass(slots=True)
class _Level:
    """One objective level: how to build it, its direction, how to read it off a schedule."""

    name: str
    build: Callable[[ScheduleModel], Expression]
    maximise: bool
    value_of: Callable[[Evaluation], int]
    bound: int | None  # best possible value, if known


class Lexicographic:
    """Runs the levels of the exact path; each finished level becomes a frozen constraint."""

    def __init__(self, prepared: Prepared, search: Search) -> None:
        self.prepared = prepared
        self.model = ScheduleModel(prepared)
        # One worker is faster on small models (and needs no interleaving to be deterministic).
        self.threads = search.workers  # the compact level runs its own single-worker searches
        workers = 1 if len(self.model.x) < SMALL_MODEL else search.workers
        self.search = search.with_workers(workers)
        self.best = self._warm_start()
        self.frozen: list[Freeze] = []
        self.unproven: tuple[float, float | None] | None = None
        self.stats: dict[str, float] = {}

    def _warm_start(self) -> dict[int, int]:
        """The greedy schedule; for larger events with a choice of meetings, the better of it and
        the large-event heuristic (b-matching with a fairness floor), which CP-SAT may not beat
        within its budget at that size."""
        greedy = close_gaps(self.prepared, greedy_schedule(self.prepared))
        choice = any(not m.must for m in self.prepared.problem.meetings)
        if not choice or len(self.model.x) < WARM_START_PAIRS:
            return greedy
        from app.scheduling.large import heuristic_schedule

        matched = heuristic_schedule(self.prepared, seconds=MATCHING_WARM_START_SECONDS)

        def rank(slot_of: dict[int, int]) -> tuple[int, int, int]:
            evaluation = evaluate(self.prepared, slot_of)
            return evaluation.must_placed, evaluation.fairness, evaluation.score_units

        return matched if rank(matched) > rank(greedy) else greedy

    def run(self) -> Outcome:
        """Optimise every level in turn; returns the final schedule."""
        meetings = self.prepared.problem.meetings
        has_fill_ins = any(not meeting.must for meeting in meetings)
        has_current = any(m.current_slot is not None and m.locked_slot is None for m in meetings)
        if not self._place_all_musts():
            self._optimise(self._must_level())
        if has_current:
            # a re-plan: people already hold their agendas, so stability comes before fairness,
            # score and compactness; new meetings still fill the slots that are free
            self._optimise(self._moves_level(), share=REPLAN_MOVES_SHARE)
        if has_fill_ins or self.stats["must"] < self._must_count():
            self._optimise(self._fairness_level())
        if has_fill_ins:
            self._optimise(self._score_level())
        fixed_counts = not has_fill_ins and self.stats["must"] == self._must_count()
        self._compact(1.0, fixed_counts)
        objective, bound = self.unproven or (self.stats["total_breaks"], self.stats["total_breaks"])
        return Outcome(
            slot_of=self.best,
            status="feasible" if self.unproven else "optimal",
            objective=objective,
            bound=bound,
            stats=self.stats,
        )

    # -- levels -------------------------------------------------------------------------------

    def _wanted_musts(self) -> list[int]:
        return [
            k for k in range(self.prepared.n_meetings) if self.prepared.meeting(k).must and self.prepared.candidates[k]
        ]

    def _must_count(self) -> int:
        return len(self._wanted_musts())

    def _place_all_musts(self) -> bool:
        """Try the common case first: every must-meeting with a candidate slot fits."""
        wanted = self._wanted_musts()
        per_attendee = Counter(p for k in wanted for p in self.prepared.ends[k])
        if any(count > self.prepared.upper[p] for p, count in per_attendee.items()):
            return False
        if any(k not in self.best for k in wanted):
            probe = self.model.hinted_clone(self.best)
            for k in wanted:
                probe.add_exactly_one(
                    probe.get_bool_var_from_proto_index(self.model.x[k, t].index) for t in self.prepared.candidates[k]
                )
            solver, status = self.search.run(probe, self.search.share(PLACEMENT_SHARE), MUST_PROBE_PORTFOLIO)
            if status in FOUND:
                self.best = self.model.schedule(solver)
        if any(k not in self.best for k in wanted):
            return False
        self._freeze(lambda model: model.require(wanted))
        self.stats["must"] = float(len(wanted))
        return True

    def _must_level(self) -> _Level:
        return _Level("must", ScheduleModel.must_placed, True, lambda e: e.must_placed, self._must_count())

    def _fairness_level(self) -> _Level:
        active = self.prepared.active()
        top = max((self.prepared.upper[p] for p in active), default=0)
        return _Level("fairness", ScheduleModel.fairness, True, lambda e: e.fairness, top)

    def _score_level(self) -> _Level:
        bound = sum(
            max(0, round(self.prepared.meeting(k).score * SCORE_SCALE))
            for k in range(self.prepared.n_meetings)
            if not self.prepared.meeting(k).must and self.prepared.candidates[k]
        )
        return _Level("score", ScheduleModel.score, True, lambda e: e.score_units, bound)

    def _moves_level(self) -> _Level:
        return _Level("moves", ScheduleModel.moves, False, lambda e: e.moves, 0)

    # -- generic level solve ------------------------------------------------------------------

    def _optimise(self, level: _Level, share: float = PLACEMENT_SHARE, portfolio: tuple[str, ...] = ()) -> None:
        current = level.value_of(evaluate(self.prepared, self.best))
        if (level.bound is None or current != level.bound) and self.search.exhausted():
            self._mark_unproven(current, level.bound)
        elif level.bound is None or current != level.bound:
            expression = level.build(self.model)
            if level.maximise:
                self.model.model.maximize(expression)
            else:
                self.model.model.minimize(expression)
            self.model.hint(self.best)
            solver, status = self.search.run(self.model.model, self.search.share(share), portfolio)
            clear_objective(self.model.model)
            found = self.model.schedule(solver) if status in FOUND else self.best
            value = level.value_of(evaluate(self.prepared, found))
            better = value > current if level.maximise else value < current
            if better:
                self.best, current = found, value
            if status != cp_model.OPTIMAL:
                bound = float(solver.best_objective_bound) if status in FOUND else level.bound
                self._mark_unproven(current, bound)
        self.stats[level.name] = float(current)
        self._freeze(_level_freeze(level, current))

    def _compact(self, share: float, fixed_counts: bool) -> None:
        """The last level: it is not frozen, nothing follows it."""
        search = self.search.child(share).with_workers(self.threads)
        result = compact(self.prepared, self.best, self._apply_frozen, search, fixed_counts)
        self.search.absorb(search)
        self.best = result.slot_of
        evaluation = evaluate(self.prepared, self.best)
        self.stats["total_breaks"] = float(evaluation.total_breaks)
        self.stats["breaks_lower_bound"] = float(result.lower)
        if not result.proven:
            self._mark_unproven(float(evaluation.total_breaks), float(result.lower))

    # -- helpers ------------------------------------------------------------------------------

    def _freeze(self, freeze: Freeze) -> None:
        self.frozen.append(freeze)
        freeze(self.model)

    def _apply_frozen(self, model: ScheduleModel) -> None:
        for freeze in self.frozen:
            freeze(model)

    def _mark_unproven(self, value: float, bound: float | None) -> None:
        if self.unproven is None:
            self.unproven = (value, bound)


def _level_freeze(level: _Level, value: int) -> Freeze:
    def freeze(model: ScheduleModel) -> None:
        expression = level.build(model)
        if level.maximise:
            model.model.add(expression >= value)
        else:
            model.model.add(expression <= value)

    return freeze
