"""Level 4: compact agendas -- fewest breaks, then the smallest spread of breaks.

The placement levels are frozen into fresh models, and the stages below each keep the best
schedule found (judged by exact evaluation, not by the solver's own objective):

1. probe: search for ``total breaks <= lower bound`` (the pattern LP bound of
   :mod:`app.scheduling.bounds`, else 0) as a pure feasibility problem; an infeasible probe
   raises the bound by one. Schedules without breaks, and the B2BSP instances whose LP bound
   is tight, are found here in about a second.
2. capped: minimise total breaks with the spread of breaks at most :data:`SPREAD_CAP` -- a
   search restriction, not a rule (the B2BSP literature bounds the spread the same way). It
   steers clause learning towards balanced agendas and finds good schedules much sooner.
   This stage states table capacity as sequential counters (see :mod:`app.scheduling.cpsat`).
3. open: minimise total breaks without the cap, from the best schedule; its optimum proves
   the level optimal.
4. spread: with total breaks frozen, minimise the spread.

All four stages run CP-SAT with one worker and no LP relaxation: on these clause-learning
searches that beats every multi-worker portfolio we measured, and it is deterministic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from app.scheduling.bounds import break_lower_bound
from app.scheduling.cpsat import BreakTerms, ScheduleModel
from app.scheduling.evaluate import evaluate
from app.scheduling.prepare import Prepared
from app.scheduling.search import FOUND, Search

SPREAD_CAP = 2
REPROBE_SHARE = 0.1  # of the time left, for a probe after a refutation
PROBE_SHARE, CAPPED_SHARE, OPEN_SHARE = 0.2, 0.85, 0.7  # of the time left at each stage
SEARCH_ONLY = ("no_lp",)  # one worker, no LP relaxation


@dataclass(slots=True)
class Compacted:
    """Result of the compactness level."""

    slot_of: dict[int, int]
    lower: int  # proven lower bound on total breaks
    proven: bool  # total breaks and spread both proven optimal


def compact(
    prepared: Prepared,
    slot_of: dict[int, int],
    freeze: Callable[[ScheduleModel], None],
    search: Search,
    counts_fixed: bool,
) -> Compacted:
    """Minimise breaks, then spread, keeping every earlier level at its frozen value.

    Parameters
    ----------
    prepared:
        The indexed problem.
    slot_of:
        A schedule meeting the frozen levels (the starting point).
    freeze:
        Adds the frozen earlier levels to a model.
    search:
        Seed and deadline; this level may use all the time left.
    counts_fixed:
        Whether the frozen levels fix the set of placed meetings (every placeable meeting is
        a must-meeting and all are placed). If not, the probe and capped stages keep the set
        of the starting schedule (a fast, fixed-count search) and the open stage frees it.

    Returns
    -------
    Compacted
        The most compact schedule found, the lower bound on breaks and whether it is proven.
    """
    stages = _Stages(prepared, slot_of, freeze, search.with_workers(1), counts_fixed, search.workers)
    stages.probe()
    stages.capped()
    stages.open()
    spread_proven = stages.spread()
    total = evaluate(prepared, stages.best).total_breaks
    return Compacted(stages.best, stages.lower, total <= stages.lower and spread_proven)


class _Stages:
    def __init__(
        self,
        prepared: Prepared,
        slot_of: dict[int, int],
        freeze: Callable[[ScheduleModel], None],
        search: Search,
        counts_fixed: bool,
        threads: int,
    ) -> None:
        self.prepared = prepared
        self.threads = max(1, threads)
        # Re-planning: start from the current schedule (fewer moves later). Otherwise the
        # starting schedule is arbitrary, and hinting it slows the break searches down.
        self.replanning = any(m.current_slot is not None for m in prepared.problem.meetings)
        self.best = slot_of
        self.freeze = freeze
        self.search = search
        self.counts_fixed = counts_fixed
        self.lower = break_lower_bound(prepared, slot_of) if counts_fixed else 0

    def total(self) -> int:
        return evaluate(self.prepared, self.best).total_breaks

    def _model(self, capacity: str, keep_set: bool = True) -> tuple[ScheduleModel, BreakTerms]:
        model = ScheduleModel(self.prepared, capacity="sequential" if capacity == "sequential" else "linear")
        self.freeze(model)
        counts = None
        if keep_set or self.counts_fixed:
            if not self.counts_fixed:
                model.fix_set(self.best)
            counts = Counter(p for k in self.best for p in self.prepared.ends[k])
        terms = model.breaks(counts)
        model.model.add(terms.total >= self.lower)
        return model, terms

    def probe(self) -> None:
        """Probe the bound; after a refutation the next probe gets less time (a probe that
        succeeds mostly does so in a second or two, the hard levels are left to the capped
        search)."""
        budget = self.search.share(PROBE_SHARE)
        while self.total() > self.lower and budget > 0.05 and not self.search.exhausted():
            model, terms = self._model("linear")
            model.model.add(terms.total <= self.lower)
            spent = self.search.clock.spent
            solver, status = self._run(model, budget, hint=self.replanning)
            budget -= self.search.clock.spent - spent
            if status == cp_model.INFEASIBLE and not self.counts_fixed:
                return
            if status == cp_model.INFEASIBLE:
                self.lower += 1
                budget = min(budget, self.search.share(REPROBE_SHARE))
            elif not self._take(model, solver, status):
                return

    def capped(self) -> None:
        """Capped search; with two threads, a race of both table-capacity encodings."""
        if self.total() <= self.lower or self.search.exhausted():
            return
        models = []
        for capacity in ("sequential", "linear")[: self.threads]:
            model, terms = self._model(capacity)
            model.model.add(terms.spread <= SPREAD_CAP)
            model.model.minimize(terms.total)
            models.append(model)
        seconds = self.search.share(CAPPED_SHARE)
        if self.replanning:
            for model in models:
                model.hint(self.best)
        for model, (solver, status) in zip(
            models, self.search.race([m.model for m in models], seconds, SEARCH_ONLY), strict=False
        ):
            self._take(model, solver, status)

    def open(self) -> None:
        if self.total() <= self.lower or self.search.exhausted():
            return
        model, terms = self._model("sequential", keep_set=False)
        model.model.minimize(terms.total)
        solver, status = self._run(model, self.search.share(OPEN_SHARE))
        self._take(model, solver, status)
        if status == cp_model.OPTIMAL:
            self.lower = self.total()
        elif status in FOUND:
            self.lower = max(self.lower, int(solver.best_objective_bound + 0.999))

    def spread(self) -> bool:
        """Minimise the spread with total breaks frozen; True when proven optimal."""
        current = evaluate(self.prepared, self.best)
        if current.break_spread == 0:
            return True
        if self.search.exhausted():
            return False
        model, terms = self._model("sequential", keep_set=False)
        model.model.add(terms.total <= current.total_breaks)
        model.model.minimize(terms.spread)
        solver, status = self._run(model, self.search.remaining())
        self._take(model, solver, status)
        return status == cp_model.OPTIMAL

    def _run(
        self, model: ScheduleModel, seconds: float, hint: bool = True
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        if hint:
            model.hint(self.best)
        return self.search.run(model.model, seconds, SEARCH_ONLY)

    def _take(self, model: ScheduleModel, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> bool:
        """Keep the solver's schedule if it is lexicographically better; True if one was found."""
        if status not in FOUND:
            return False
        found = model.schedule(solver)
        new, old = evaluate(self.prepared, found), evaluate(self.prepared, self.best)
        if (new.total_breaks, new.break_spread) < (old.total_breaks, old.break_spread):
            self.best = found
        return True
