"""The service's event scheduler at the issue's two scales.

    .venv/bin/python -m bench.event_scheduler_scale [--seed 1]

1. A Cluj-like event: 81 participants, 150 accepted requests, one afternoon of 12 slots, 40 tables,
   cap 8: time to the proven optimum of the meeting selection (must-meetings, fairness, score) under
   a 1 s limit, and the breaks reached with 1 s and 5 s.
2. 2,000 participants, 12,000 candidate (fill-in) meetings with scores, 24 slots in two sessions,
   600 tables, caps 8-12, 90% availability: objective against the LP bound of the capped
   b-matching, and time.
"""

from __future__ import annotations

import argparse
import random
import time

from app.scheduling.event_solver import solve
from app.scheduling.types import Attendee, MeetingToPlace, SchedulingProblem, Slot


def cluj_like(seed: int) -> SchedulingProblem:
    rnd = random.Random(seed)
    slots = tuple(Slot(i, 0) for i in range(12))
    people = tuple(Attendee(i, frozenset(range(12)), 8) for i in range(81))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 150:
        a, b = rnd.sample(range(81), 2)
        pairs.add((min(a, b), max(a, b)))
    meetings = tuple(MeetingToPlace(i + 1, a, b) for i, (a, b) in enumerate(sorted(pairs)))
    return SchedulingProblem(slots, 40, people, meetings)


def large(seed: int) -> SchedulingProblem:
    rnd = random.Random(seed)
    slots = tuple(Slot(i, i // 12) for i in range(24))
    people = tuple(
        Attendee(i, frozenset(s for s in range(24) if rnd.random() > 0.1), rnd.randint(8, 12)) for i in range(2000)
    )
    pairs: dict[tuple[int, int], float] = {}
    while len(pairs) < 12000:
        a, b = rnd.sample(range(2000), 2)
        pairs[(min(a, b), max(a, b))] = rnd.random()
    meetings = tuple(
        MeetingToPlace(i + 1, a, b, must=False, score=score) for i, ((a, b), score) in enumerate(sorted(pairs.items()))
    )
    return SchedulingProblem(slots, 600, people, meetings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = []
    for name, problem, limit in (
        ("Cluj-like, 1 s limit", cluj_like(args.seed), 1.0),
        ("Cluj-like, 5 s limit", cluj_like(args.seed), 5.0),
        ("2,000 participants, 2 s limit", large(args.seed + 1), 2.0),
    ):
        started = time.perf_counter()
        result = solve(problem, time_limit=limit)
        seconds = time.perf_counter() - started
        share = result.objective / result.bound if result.objective is not None and result.bound else None
        rows.append(
            (name, len(problem.meetings), len(result.placements), result.status, share, result.total_breaks, seconds)
        )
    print("| instance | meetings | placed | status | objective / bound | breaks | seconds |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for name, n, placed, status, share, breaks, seconds in rows:
        ratio = f"{share:.4%}" if share is not None else "-"
        print(f"| {name} | {n:,} | {placed:,} | {status} | {ratio} | {breaks} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
