"""Hard rules hold on random instances (hypothesis): no double booking, availability, caps, locks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scheduling import Attendee, MeetingToPlace, SchedulingProblem, Slot, solve

from .checks import assert_hard_rules


@st.composite
def problems(draw: st.DrawFn) -> SchedulingProblem:
    """Small events: 2-6 slots in 1-2 sessions, 3-7 attendees, up to 12 meetings, some locked."""
    n_slots = draw(st.integers(2, 6))
    split = draw(st.integers(0, n_slots))
    slots = tuple(Slot(index=t, session=0 if t < split else 1) for t in range(n_slots))
    n_people = draw(st.integers(3, 7))
    everyone = range(n_slots)
    attendees = tuple(
        Attendee(
            id=100 + i,
            available=frozenset(draw(st.sets(st.sampled_from(everyone), min_size=1))),
            cap=draw(st.one_of(st.none(), st.integers(0, 4))),
        )
        for i in range(n_people)
    )
    tables = draw(st.integers(1, 3))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_people - 1), st.integers(0, n_people - 1)).filter(lambda ab: ab[0] != ab[1]),
            max_size=12,
        )
    )
    meetings = []
    busy: set[tuple[int, int]] = set()  # (attendee, slot) taken by locked meetings
    locked_tables: set[tuple[int, int]] = set()
    for i, (a, b) in enumerate(pairs):
        ids = (100 + a, 100 + b)
        kind = draw(st.sampled_from(["must", "may", "locked", "current"]))
        slot = draw(st.sampled_from(everyone))
        table = draw(st.integers(0, tables - 1))
        lockable = all((p, slot) not in busy for p in ids) and (slot, table) not in locked_tables
        lockable &= sum(1 for s, _ in locked_tables if s == slot) < tables
        if kind == "locked" and lockable:
            busy.update((p, slot) for p in ids)
            locked_tables.add((slot, table))
            meetings.append(MeetingToPlace(id=i, a=ids[0], b=ids[1], locked_slot=slot, locked_table=table))
            continue
        allowed = draw(st.one_of(st.none(), st.frozensets(st.sampled_from(everyone), min_size=1)))
        meetings.append(
            MeetingToPlace(
                id=i,
                a=ids[0],
                b=ids[1],
                must=kind != "may",
                score=draw(st.floats(0, 1)) if kind == "may" else 0.0,
                allowed=allowed,
                current_slot=slot if kind == "current" else None,
                current_table=table if kind == "current" else None,
            )
        )
    return SchedulingProblem(slots=slots, tables=tables, attendees=attendees, meetings=tuple(meetings))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_hard_rules_hold(problem: SchedulingProblem) -> None:
    result = solve(problem, time_limit=1.0)
    assert_hard_rules(problem, result)
    assert result.status in {"optimal", "feasible"}
