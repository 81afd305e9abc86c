"""Read every objective level off a finished schedule (the solver-independent truth)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from app.scheduling.breaks import break_spread, breaks_by_attendee
from app.scheduling.prepare import Prepared

SCORE_SCALE = 1000  # keep equal to cpsat.SCORE_SCALE: scores are compared in thousandths


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Values of the objective levels for one schedule."""

    must_placed: int
    fairness: int
    score_units: int  # fill-in score in thousandths, as the model counts it
    total_breaks: int
    break_spread: int
    moves: int  # previously placed, unlocked meetings not in their current slot

    def as_stats(self) -> dict[str, float]:
        return {
            "must_placed": float(self.must_placed),
            "fairness_floor": float(self.fairness),
            "fill_in_score": self.score_units / SCORE_SCALE,
        }


def evaluate(prepared: Prepared, slot_of: Mapping[int, int]) -> Evaluation:
    """Compute the level values of ``slot_of`` (meeting position -> slot).

    Parameters
    ----------
    prepared:
        The indexed problem.
    slot_of:
        A schedule.

    Returns
    -------
    Evaluation
        Must-meetings placed, fairness floor, fill-in score, breaks, spread and moves.

    Example
    -------
    >>> from app.scheduling.prepare import prepare
    >>> from app.scheduling.types import Attendee, MeetingToPlace, SchedulingProblem, Slot
    >>> everyone = frozenset({0, 1, 2})
    >>> problem = SchedulingProblem(
    ...     slots=tuple(Slot(t, 0) for t in range(3)), tables=1,
    ...     attendees=tuple(Attendee(i, everyone) for i in (1, 2, 3)),
    ...     meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 1, 3, must=False, score=0.5)))
    >>> e = evaluate(prepare(problem), {0: 0, 1: 2})
    >>> e.must_placed, e.fairness, e.score_units, e.total_breaks, e.break_spread
    (1, 2, 500, 1, 1)
    """
    count: Counter[int] = Counter(p for k in slot_of for p in prepared.ends[k])
    slots_by_attendee: dict[int, list[int]] = {}
    for k, t in slot_of.items():
        for p in prepared.ends[k]:
            slots_by_attendee.setdefault(p, []).append(t)
    breaks = breaks_by_attendee(slots_by_attendee, prepared.problem.slots)
    return Evaluation(
        must_placed=sum(1 for k in slot_of if prepared.meeting(k).must),
        fairness=fairness_floor(prepared, count),
        score_units=sum(
            round(prepared.meeting(k).score * SCORE_SCALE) for k in slot_of if not prepared.meeting(k).must
        ),
        total_breaks=sum(breaks.values()),
        break_spread=break_spread(breaks),
        moves=sum(
            1
            for k in range(prepared.n_meetings)
            if prepared.meeting(k).current_slot is not None
            and not prepared.locked[k]
            and slot_of.get(k) != prepared.meeting(k).current_slot
        ),
    )


def fairness_floor(prepared: Prepared, count: Mapping[int, int]) -> int:
    """Largest F with ``count[p] >= min(F, upper[p])`` for every active attendee ``p``."""
    active = prepared.active()
    top = max((prepared.upper[p] for p in active), default=0)
    short = [count.get(p, 0) for p in active if count.get(p, 0) < prepared.upper[p]]
    return min([top, *short])
