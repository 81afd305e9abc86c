"""Unplaced meetings come with the right reason."""

from __future__ import annotations

from app.scheduling import (
    Attendee,
    MeetingToPlace,
    SchedulingProblem,
    Slot,
    UnplacedReason,
    explain_unplaceable,
    solve,
)

from .checks import assert_hard_rules

TWO_SLOTS = (Slot(0, 0), Slot(1, 0))
BOTH = frozenset({0, 1})


def reasons(problem: SchedulingProblem) -> dict[int, UnplacedReason]:
    result = solve(problem, time_limit=5)
    assert_hard_rules(problem, result)
    return {entry.meeting_id: entry.reason for entry in result.unplaced}


def test_no_common_free_slot() -> None:
    problem = SchedulingProblem(
        slots=TWO_SLOTS,
        tables=2,
        attendees=(Attendee(1, frozenset({0})), Attendee(2, frozenset({1}))),
        meetings=(MeetingToPlace(7, 1, 2),),
    )
    assert reasons(problem) == {7: UnplacedReason.NO_COMMON_FREE_SLOT}
    static = explain_unplaceable(problem)
    assert [(entry.meeting_id, entry.reason) for entry in static] == [(7, UnplacedReason.NO_COMMON_FREE_SLOT)]
    assert "share no slot" in static[0].detail


def test_locked_meeting_takes_the_only_common_slot() -> None:
    problem = SchedulingProblem(
        slots=TWO_SLOTS,
        tables=2,
        attendees=(Attendee(1, BOTH), Attendee(2, frozenset({0})), Attendee(3, BOTH)),
        meetings=(MeetingToPlace(1, 1, 3, locked_slot=0), MeetingToPlace(2, 1, 2)),
    )
    assert reasons(problem) == {2: UnplacedReason.NO_COMMON_FREE_SLOT}


def test_cap_reached() -> None:
    problem = SchedulingProblem(
        slots=TWO_SLOTS,
        tables=2,
        attendees=(Attendee(1, BOTH, cap=1), Attendee(2, BOTH), Attendee(3, BOTH)),
        meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 1, 3)),
    )
    found = reasons(problem)
    assert list(found.values()) == [UnplacedReason.CAP_REACHED]


def test_no_table_left() -> None:
    problem = SchedulingProblem(
        slots=(Slot(0, 0),),
        tables=1,
        attendees=tuple(Attendee(i, frozenset({0})) for i in (1, 2, 3, 4)),
        meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 3, 4)),
    )
    assert list(reasons(problem).values()) == [UnplacedReason.NO_TABLE_LEFT]


def test_conflict_with_the_attendees_other_meetings() -> None:
    # 1 meets 2 and 3, all only free in slot 0: one of the two cannot happen
    problem = SchedulingProblem(
        slots=TWO_SLOTS,
        tables=2,
        attendees=(Attendee(1, frozenset({0})), Attendee(2, frozenset({0})), Attendee(3, frozenset({0}))),
        meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 1, 3)),
    )
    assert list(reasons(problem).values()) == [UnplacedReason.CONFLICT]


def test_a_placeable_must_meeting_is_never_left_out() -> None:
    problem = SchedulingProblem(
        slots=TWO_SLOTS,
        tables=1,
        attendees=tuple(Attendee(i, BOTH) for i in (1, 2, 3, 4)),
        meetings=(MeetingToPlace(1, 1, 2), MeetingToPlace(2, 3, 4)),
    )
    assert reasons(problem) == {}
