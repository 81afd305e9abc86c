"""Checks shared by the scheduler tests."""

from __future__ import annotations

from collections import Counter

from app.scheduling.types import ScheduleResult, SchedulingProblem


def assert_hard_rules(problem: SchedulingProblem, result: ScheduleResult) -> None:
    """Every hard rule of the contract holds for ``result``."""
    meetings = {meeting.id: meeting for meeting in problem.meetings}
    attendees = {attendee.id: attendee for attendee in problem.attendees}
    placed = [placement.meeting_id for placement in result.placements]
    unplaced = [entry.meeting_id for entry in result.unplaced]
    assert len(placed) == len(set(placed)), "a meeting is placed twice"
    assert set(placed).isdisjoint(unplaced), "a meeting is both placed and unplaced"
    assert sorted(placed + unplaced) == sorted(meetings), "every meeting is placed or explained"
    seats: set[tuple[int, int]] = set()
    tables: set[tuple[int, int]] = set()
    count: Counter[int] = Counter()
    for placement in result.placements:
        meeting = meetings[placement.meeting_id]
        assert 0 <= placement.slot < len(problem.slots)
        assert 0 <= placement.table < problem.tables
        if meeting.locked_slot is not None:
            assert placement.slot == meeting.locked_slot, "a locked meeting moved"
            if meeting.locked_table is not None:
                assert placement.table == meeting.locked_table, "a locked meeting changed table"
        else:
            for person in (meeting.a, meeting.b):
                assert placement.slot in attendees[person].available, "outside availability"
            assert meeting.allowed is None or placement.slot in meeting.allowed, "outside allowed slots"
        for person in (meeting.a, meeting.b):
            assert (person, placement.slot) not in seats, "an attendee is in two meetings at once"
            seats.add((person, placement.slot))
            count[person] += 1
        assert (placement.table, placement.slot) not in tables, "a table holds two meetings at once"
        tables.add((placement.table, placement.slot))
    locked = Counter(
        person for meeting in problem.meetings if meeting.locked_slot is not None for person in (meeting.a, meeting.b)
    )
    for person, meetings_held in count.items():
        cap = attendees[person].cap
        assert cap is None or meetings_held <= max(cap, locked[person]), "a cap is exceeded"
