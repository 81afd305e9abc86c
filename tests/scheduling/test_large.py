"""The large-event path (b-matching, colouring, repair) and the break lower bound."""

from __future__ import annotations

import random

import pytest

from app.scheduling import Attendee, MeetingToPlace, SchedulingProblem, Slot, solve
from app.scheduling import solver as solver_module
from app.scheduling.bounds import break_lower_bound
from app.scheduling.large import score_upper_bound
from app.scheduling.prepare import prepare

from .checks import assert_hard_rules


def event(seed: int) -> SchedulingProblem:
    rng = random.Random(seed)
    slots = tuple(Slot(t, t // 6) for t in range(12))
    attendees = tuple(
        Attendee(i, frozenset(range(12)) if rng.random() < 0.8 else frozenset(range(6)), cap=rng.randint(2, 6))
        for i in range(120)
    )
    pairs = {tuple(sorted(rng.sample(range(120), 2))) for _ in range(500)}
    meetings = tuple(
        MeetingToPlace(i, a, b, must=rng.random() < 0.1, score=round(rng.random(), 3))
        for i, (a, b) in enumerate(sorted(pairs))
    )
    locked = MeetingToPlace(10_000, 0, 1, locked_slot=3, locked_table=0)
    return SchedulingProblem(slots, 20, attendees, (*meetings, locked))


def test_large_path_keeps_the_hard_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver_module, "LARGE_MODEL", 100)
    problem = event(1)
    result = solve(problem, time_limit=5)
    assert result.status == "heuristic"
    assert_hard_rules(problem, result)
    assert result.bound is not None and result.objective is not None
    assert result.objective <= result.bound + 1e-6
    assert result.gap is not None and result.gap < 0.05
    assert result.objective <= score_upper_bound(prepare(problem)) + 1e-6


def test_large_path_places_all_musts_it_can(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver_module, "LARGE_MODEL", 100)
    problem = event(2)
    exact = solve(problem, time_limit=10)
    heuristic_result = solve(problem, time_limit=5)
    assert heuristic_result.stats["must_placed"] >= exact.stats["must_placed"] - 1


def test_break_lower_bound_is_tight_on_a_forced_break() -> None:
    # attendee 1 can only meet in slots 0 and 2: one break is forced
    ends = frozenset({0, 2})
    problem = SchedulingProblem(
        slots=tuple(Slot(t, 0) for t in range(3)),
        tables=2,
        attendees=(Attendee(1, ends), Attendee(2, ends), Attendee(3, ends)),
        meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 1, 3)),
    )
    result = solve(problem, time_limit=5)
    assert break_lower_bound(prepare(problem), {0: 0, 1: 2}) == 1
    assert (result.total_breaks, result.status) == (1, "optimal")
