"""Running CP-SAT: budgets, seeds, workers and determinism in one place.

Determinism. Every call sets ``random_seed`` and ``num_workers``; with more than one worker
``interleave_search`` runs the portfolio in deterministic batches. Budgets are kept on a
*deterministic* clock: each call may use ``seconds * DETERMINISTIC_PER_SECOND`` units of
CP-SAT's deterministic time, and what it used (not the wall time it took) is subtracted from
the budget left for later stages. So the same input and seed take the same path and give the
same schedule, whatever the machine load. The wall clock is only a safety net: every call also
stops at the overall deadline (``time_limit`` after the start), which on a much slower or
overloaded machine may end a search earlier than its deterministic budget.
``DETERMINISTIC_PER_SECOND`` is below one because a deterministic unit takes 0.5-1.6 s of wall
time on the 2-core machine we measured; 0.6 keeps the safety net out of the way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

DETERMINISTIC_PER_SECOND = 0.6

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(slots=True)
class _Clock:
    budget: float  # seconds granted
    spent: float = 0.0  # seconds used, counted in deterministic time


@dataclass(frozen=True, slots=True)
class Search:
    """How to run CP-SAT: seed, workers, the deterministic budget and the wall-clock deadline."""

    seed: int
    workers: int
    deadline: float  # time.perf_counter() value: the safety net
    clock: _Clock = field(default_factory=lambda: _Clock(0.0))

    @classmethod
    def start(cls, seed: int, workers: int, seconds: float) -> Search:
        """A search allowed ``seconds`` from now."""
        return cls(seed, max(1, workers), time.perf_counter() + seconds, _Clock(seconds))

    def with_workers(self, workers: int) -> Search:
        """The same budget and clock, another number of workers."""
        return Search(self.seed, max(1, workers), self.deadline, self.clock)

    def child(self, fraction: float) -> Search:
        """A search with ``fraction`` of the budget left; call :meth:`absorb` when done."""
        return Search(self.seed, self.workers, self.deadline, _Clock(self.share(fraction)))

    def absorb(self, child: Search) -> None:
        """Count what a child search spent."""
        self.clock.spent += child.clock.spent

    def remaining(self) -> float:
        """Seconds of budget left (deterministic)."""
        return max(0.0, self.clock.budget - self.clock.spent)

    def exhausted(self, minimum: float = 0.05) -> bool:
        """Less than ``minimum`` seconds of budget left, or past the wall-clock deadline."""
        return self.remaining() < minimum or time.perf_counter() >= self.deadline

    def share(self, fraction: float) -> float:
        """Seconds equal to ``fraction`` of the budget left."""
        return fraction * self.remaining()

    def run(
        self, model: cp_model.CpModel, seconds: float, portfolio: tuple[str, ...] = ()
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        """Solve ``model`` with at most ``seconds`` of budget.

        ``portfolio`` names CP-SAT subsolvers for multi-worker runs; with one worker, a
        portfolio starting with ``"no_lp"`` switches the LP relaxation off.
        """
        solver = self._solver(seconds, self.workers, self.seed, portfolio)
        status = solver.solve(model)
        self.clock.spent += solver.response_proto.deterministic_time / DETERMINISTIC_PER_SECOND
        return solver, status

    def race(
        self, models: Sequence[cp_model.CpModel], seconds: float, portfolio: tuple[str, ...] = ()
    ) -> list[tuple[cp_model.CpSolver, cp_model.CpSolverStatus]]:
        """Run one single-worker search per model in parallel threads (a portfolio of models).

        The first model has priority, which keeps the outcome deterministic: when it is solved
        to optimality the others are stopped and only its result is returned; otherwise every
        search runs to its own end and all results are returned (in model order). Model ``i``
        gets seed ``seed + i``. The budget counts the longest search that is kept.
        """
        if len(models) == 1:
            return [self.run(models[0], seconds, portfolio)]
        solvers = [self._solver(seconds, 1, self.seed + i, portfolio) for i in range(len(models))]
        statuses: list[cp_model.CpSolverStatus] = [cp_model.UNKNOWN] * len(models)

        def work(i: int) -> None:
            statuses[i] = solvers[i].solve(models[i])

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(models))]
        for thread in threads:
            thread.start()
        threads[0].join()
        kept = len(models)
        if statuses[0] == cp_model.OPTIMAL:
            kept = 1
            for solver in solvers[1:]:
                solver.stop_search()
        for thread in threads[1:]:
            thread.join()
        used = max(solver.response_proto.deterministic_time for solver in solvers[:kept])
        self.clock.spent += used / DETERMINISTIC_PER_SECOND
        return list(zip(solvers[:kept], statuses[:kept], strict=True))

    def _solver(self, seconds: float, workers: int, seed: int, portfolio: tuple[str, ...]) -> cp_model.CpSolver:
        budget = max(0.01, min(seconds, self.remaining()))
        solver = cp_model.CpSolver()
        parameters = solver.parameters
        parameters.max_deterministic_time = budget * DETERMINISTIC_PER_SECOND
        parameters.max_time_in_seconds = max(0.01, self.deadline - time.perf_counter())
        parameters.random_seed = seed
        parameters.num_workers = workers
        if workers > 1:
            parameters.interleave_search = True
            parameters.subsolvers.extend(portfolio[:workers])
        elif portfolio:
            parameters.linearization_level = 0 if portfolio[0] == "no_lp" else 1
        return solver
