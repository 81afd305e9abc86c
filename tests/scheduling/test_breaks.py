"""Breaks: idle runs between two meetings of an attendee within a session."""

from __future__ import annotations

from app.scheduling import Slot, count_breaks
from app.scheduling.breaks import break_spread, breaks_by_attendee

DAY = [Slot(t, 0 if t < 4 else 1) for t in range(8)]


def test_count_breaks() -> None:
    assert count_breaks([], DAY) == 0
    assert count_breaks([2], DAY) == 0
    assert count_breaks([0, 1, 2], DAY) == 0
    assert count_breaks([0, 3], DAY) == 1  # one run of two idle slots is one break
    assert count_breaks([0, 2, 3, 5, 7], DAY) == 2
    assert count_breaks([3, 4], DAY) == 0  # across the session boundary: not a break
    assert count_breaks([1, 6], DAY) == 0
    assert count_breaks([2, 0, 0], DAY) == 1  # order and duplicates do not matter


def test_breaks_by_attendee_and_spread() -> None:
    breaks = breaks_by_attendee({1: [0, 2], 2: [0, 1], 3: []}, DAY)
    assert breaks == {1: 1, 2: 0}
    assert break_spread(breaks) == 1
    assert break_spread({}) == 0
