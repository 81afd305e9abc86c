"""Running CP-SAT: budgets, seeds, worker portfolios and determinism in one place.

Determinism: every call sets ``random_seed`` and ``num_workers``; with more than one worker
``interleave_search`` runs the parallel portfolio in deterministic batches. Each call is
limited by deterministic time (:data:`DETERMINISTIC_PER_SECOND` units per second of budget)
and by wall-clock time as a safety net, so the same input and seed give the same schedule
unless the safety net ends a search first (a much slower machine).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

DETERMINISTIC_PER_SECOND = 3.0

# Portfolios: feasibility probes and break minimisation are clause-learning searches that
# the LP workers only slow down; "core" (core-guided search) proves lower bounds on breaks.
PROBE_WORKERS = ("no_lp", "quick_restart_no_lp", "default_lp", "fixed")
COMPACT_WORKERS = ("no_lp", "core", "quick_restart_no_lp", "default_lp", "max_lp")

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True, slots=True)
class Search:
    """How to run CP-SAT: seed, workers and the overall deadline (``time.perf_counter``)."""

    seed: int
    workers: int
    deadline: float

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.perf_counter())

    def share(self, fraction: float) -> float:
        """Seconds equal to ``fraction`` of the time left."""
        return fraction * self.remaining()

    def run(
        self, model: cp_model.CpModel, seconds: float, portfolio: tuple[str, ...] = ()
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        """Solve ``model`` for at most ``seconds`` (and never past the deadline)."""
        budget = max(0.01, min(seconds, self.remaining()))
        solver = cp_model.CpSolver()
        parameters = solver.parameters
        parameters.max_time_in_seconds = budget
        parameters.max_deterministic_time = budget * DETERMINISTIC_PER_SECOND
        parameters.random_seed = self.seed
        parameters.num_workers = self.workers
        if self.workers > 1:
            parameters.interleave_search = True
            parameters.subsolvers.extend(portfolio[: self.workers])
        elif portfolio:
            parameters.linearization_level = 0 if portfolio[0] == "no_lp" else 1
        return solver, solver.solve(model)
