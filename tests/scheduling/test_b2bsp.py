"""The B2BSP reader, its mapping to the scheduler, and the smallest published instance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.scheduling.b2bsp import parse_dzn, solve_instance, to_problem
from bench.b2bsp_validate import read_instance, validate

SMALL = """
% three participants, two meetings, one table
nBusiness = 3;
nMeetings = 3;
nTables = 1;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [| 1, 2, 1
             | 2, 3, 2
             | 1, 3, 3 |];
meetingsxBusiness = [{1, 2, 4}, {1, 2, 3}, {1, 3, 4}];
nMeetingsBusiness = [2, 2, 2];
forbidden = [{0}, {0, 4}, {1..2}];
fixed = [0, 3, 0];
precedences = [{}, {}, {}];
"""


def test_parse_small_instance() -> None:
    instance = parse_dzn(SMALL)
    assert (instance.n_business, instance.n_meetings, instance.n_tables) == (3, 3, 1)
    assert (instance.n_total_slots, instance.n_morning_slots) == (4, 2)
    assert instance.requested == ((1, 2, 1), (2, 3, 2), (1, 3, 3))
    assert instance.forbidden == (frozenset(), frozenset({4}), frozenset({1, 2}))  # 0 is a placeholder
    assert instance.fixed == (0, 3, 0)
    assert instance.precedences == (frozenset(), frozenset(), frozenset())


def test_optional_fields_default_to_empty() -> None:
    text = "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [|1,2,3|];"
    instance = parse_dzn(text)
    assert instance.forbidden == (frozenset(), frozenset())
    assert instance.fixed == (0,)


@pytest.mark.parametrize(
    "text",
    [
        "nBusiness = 2; nMeetings = 2; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [|1,2,3|];",
        "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [|1,1,3|];",
        "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [|1,2,4|];",
        "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2; nMorningSlots = 1; requested = [|1,2|];",
        "nBusiness = two;",
    ],
)
def test_malformed_instances_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_dzn(text)


def test_mapping_to_the_scheduler() -> None:
    problem = to_problem(parse_dzn(SMALL))
    assert [slot.session for slot in problem.slots] == [0, 0, 0, 0]  # breaks span the lunch boundary
    morning, afternoon, anytime = problem.meetings
    assert morning.allowed == frozenset({0, 1}) and afternoon.allowed == frozenset({2, 3})
    assert anytime.allowed is None
    assert afternoon.locked_slot == 2 and morning.locked_slot is None
    assert problem.attendees[1].available == frozenset({0, 1, 2})
    assert problem.attendees[2].available == frozenset({2, 3})


def test_solve_small_instance(tmp_path: Path) -> None:
    path = tmp_path / "small.dzn"
    path.write_text(SMALL, encoding="utf-8")
    report = solve_instance(path, time_limit=5)
    assert set(report) == {
        "instance", "participants", "meetings", "placed", "total_breaks", "break_spread",
        "seconds", "optimal", "slots", "unplaced",
    }  # fmt: skip
    verdict = validate(read_instance(SMALL), {int(m): t for m, t in report["slots"].items()})  # type: ignore[attr-defined]
    assert verdict.valid, verdict.errors
    assert report["placed"] == 3 and report["unplaced"] == []
    assert report["slots"]["2"] == 3  # type: ignore[index]  # fixed
    assert report["total_breaks"] == verdict.total_breaks
    json.dumps(report)


def test_tic12(tic12: Path) -> None:
    report = solve_instance(tic12, time_limit=20)
    assert (report["placed"], report["meetings"], report["total_breaks"]) == (125, 125, 0)
    assert report["optimal"] is True
    verdict = validate(
        read_instance(tic12.read_text(encoding="utf-8")),
        {int(m): t for m, t in report["slots"].items()},  # type: ignore[attr-defined]
    )
    assert verdict.valid, verdict.errors[:3]
    assert verdict.total_breaks == 0
