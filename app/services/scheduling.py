"""Scheduling around the pure scheduler: build the problem from SQL, solve, apply atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app import notify
from app.db import BULK_ROWS, analyze, session_scope
from app.jobs import JobContext
from app.models import Event, EventTable, Meeting, MeetingRequest, MeetingSeat, Participant, ParticipantBlock
from app.models import Suggestion as SuggestionRow
from app.scheduling import solve
from app.scheduling.types import Attendee, MeetingToPlace, ScheduleResult, SchedulingProblem, Slot
from app.services.events import sessions_of, tables_of
from app.services.grid import GridSlot, build_grid
from app.services.meetings import clear_seats, place


@dataclass
class Instance:
    """A problem and what its indices and ids stand for."""

    problem: SchedulingProblem
    grid: list[GridSlot]
    tables: list[EventTable]
    meetings: dict[int, Meeting]  # existing meetings by id (detached snapshot)
    states: dict[int, tuple[Any, ...]]  # their state when the problem was built
    candidates: dict[int, tuple[int, int, float]]  # negative id -> (a, b, score) fill-in


def _available(p: Participant, grid: list[GridSlot], frozen_before: datetime | None) -> frozenset[int]:
    blocked = set(p.blocked_slots)
    return frozenset(
        s.index
        for s in grid
        if (p.session_ids is None or s.session_id in p.session_ids)
        and s.starts_at.isoformat() not in blocked
        and (frozen_before is None or s.starts_at >= frozen_before)
    )


async def _fill_candidates(
    session: AsyncSession, event_id: int, taken: set[tuple[int, int]], per_participant: int
) -> dict[int, tuple[int, int, float]]:
    """The best mutual suggestions that are not yet requested, declined, hidden or met."""
    rows = (
        await session.execute(
            select(col(SuggestionRow.participant_id), col(SuggestionRow.partner_id), col(SuggestionRow.score))
            .where(col(SuggestionRow.event_id) == event_id, col(SuggestionRow.rank) <= per_participant)
            .order_by(col(SuggestionRow.score).desc(), col(SuggestionRow.participant_id), col(SuggestionRow.partner_id))
        )
    ).all()
    requested = {
        (low, high)
        for low, high in await session.execute(
            select(col(MeetingRequest.pair_low), col(MeetingRequest.pair_high)).where(
                col(MeetingRequest.event_id) == event_id
            )
        )
    }
    hidden = {
        tuple(sorted(pair))
        for pair in await session.execute(
            select(col(ParticipantBlock.participant_id), col(ParticipantBlock.blocked_id))
            .join(Participant, col(Participant.id) == col(ParticipantBlock.participant_id))
            .where(col(Participant.event_id) == event_id)
        )
    }
    unlisted = set(
        (
            await session.scalars(
                select(col(Participant.id)).where(
                    col(Participant.event_id) == event_id, col(Participant.listed).is_(False)
                )
            )
        ).all()
    )
    declined_or_hidden = requested | hidden
    out: dict[int, tuple[int, int, float]] = {}
    seen = taken | declined_or_hidden
    for a, b, score in rows:
        pair = (min(a, b), max(a, b))
        if pair in seen or a in unlisted or b in unlisted:  # no consent, no fill-in meeting
            continue
        seen.add(pair)
        out[-(len(out) + 1)] = (pair[0], pair[1], float(score))
    return out


async def build_instance(
    session: AsyncSession,
    event: Event,
    *,
    fill: bool,
    per_participant: int,
    replan: bool,
    frozen_before: datetime | None,
) -> Instance:
    assert event.id is not None
    grid = build_grid(event, await sessions_of(session, event.id))
    tables = await tables_of(session, event.id)
    table_index = {t.id: i for i, t in enumerate(tables)}
    slot_index = {s.starts_at: s.index for s in grid}
    meetings = {
        m.id: m
        for m in (
            await session.scalars(
                select(Meeting).where(col(Meeting.event_id) == event.id, col(Meeting.status) != "cancelled")
            )
        ).all()
        if m.id is not None
    }
    taken = {(min(m.a_id, m.b_id), max(m.a_id, m.b_id)) for m in meetings.values()}
    candidates = await _fill_candidates(session, event.id, taken, per_participant) if fill else {}
    people_ids = {p for m in meetings.values() for p in (m.a_id, m.b_id)} | {
        p for a, b, _ in candidates.values() for p in (a, b)
    }
    people = (await session.scalars(select(Participant).where(col(Participant.id).in_(people_ids)))).all()
    attendees = tuple(
        Attendee(
            id=p.id or 0,
            available=_available(p, grid, frozen_before),
            cap=p.max_meetings if p.max_meetings is not None else event.max_meetings_per_participant,
        )
        for p in sorted(people, key=lambda p: p.id or 0)
    )
    to_place = []
    for m in sorted(meetings.values(), key=lambda m: m.id or 0):
        current_slot = slot_index.get(m.starts_at) if m.starts_at and m.status == "scheduled" else None
        current_table = table_index.get(m.table_id) if current_slot is not None else None
        frozen = frozen_before is not None and m.starts_at is not None and m.starts_at < frozen_before
        locked = (m.locked or frozen) and current_slot is not None
        to_place.append(
            MeetingToPlace(
                id=m.id or 0,
                a=m.a_id,
                b=m.b_id,
                must=m.source != "suggestion",
                score=m.score,
                locked_slot=current_slot if locked else None,
                locked_table=current_table if locked else None,
                current_slot=current_slot if replan else None,
                current_table=current_table if replan else None,
            )
        )
    to_place += [MeetingToPlace(id=i, a=a, b=b, must=False, score=s) for i, (a, b, s) in candidates.items()]
    problem = SchedulingProblem(
        slots=tuple(Slot(s.index, s.session_index) for s in grid),
        tables=len(tables),
        attendees=attendees,
        meetings=tuple(to_place),
    )
    return Instance(problem, grid, tables, meetings, {i: _state(m) for i, m in meetings.items()}, candidates)


def _state(m: Meeting) -> tuple[Any, ...]:
    return (m.status, m.starts_at, m.table_id, m.locked, m.sequence)


async def apply_result(session: AsyncSession, event: Event, inst: Instance, result: ScheduleResult) -> dict[str, Any]:
    """Write the placements in one transaction: clear the movable meetings, then place them.

    The solve ran without a transaction open; a meeting that changed meanwhile (cancelled, moved or
    locked by hand) is left as it is now, and placements that would collide with it are dropped.
    """
    current = {
        m.id: m for m in (await session.scalars(select(Meeting).where(col(Meeting.id).in_(list(inst.meetings))))).all()
    }
    changed = {
        mid for mid, m in inst.meetings.items() if mid not in current or _state(current[mid]) != inst.states[mid]
    }
    movable = [
        m
        for mid, m in current.items()
        if mid not in changed and m.status != "cancelled" and not (m.locked and m.status == "scheduled")
    ]
    before = {m.id: (m.starts_at, m.table_id, m.status, m.sequence) for m in movable}
    await clear_seats(session, [m.id for m in movable if m.id is not None])
    for m in movable:
        m.status, m.starts_at, m.table_id = "unscheduled", None, None
    await session.flush()
    busy = await _busy_cells(session, event)
    placed = {p.meeting_id: p for p in result.placements}
    created, dropped = 0, 0
    fill_ins: list[Meeting] = []
    for meeting_id, p in sorted(placed.items()):
        slot, table = inst.grid[p.slot], inst.tables[p.table]
        pair = (
            inst.candidates[meeting_id][:2]
            if meeting_id < 0
            else (current[meeting_id].a_id, current[meeting_id].b_id)
            if meeting_id in current
            else None
        )
        if pair is None or (meeting_id > 0 and current[meeting_id].id not in before):
            continue  # locked or changed meanwhile: stays as it is
        cells = {("p", pair[0], slot.starts_at), ("p", pair[1], slot.starts_at), ("t", table.id, slot.starts_at)}
        if cells & busy:
            dropped += 1  # a meeting booked by hand during the solve took that seat or table
            continue
        busy |= cells
        if meeting_id < 0:
            a, b, score = inst.candidates[meeting_id]
            meeting = Meeting(event_id=event.id or 0, a_id=a, b_id=b, source="suggestion", score=score)
            session.add(meeting)
            await session.flush()
            created += 1
            fill_ins.append(meeting)
        else:
            meeting = current[meeting_id]
        await place(session, meeting, slot, table.id)
        meeting.unplaced_reason = None
    reasons = {u.meeting_id: u for u in result.unplaced}
    for m in movable:
        if m.status != "scheduled":
            u = reasons.get(m.id or 0)
            m.unplaced_reason = u.reason.value if u else "conflict"
        starts_at, table_id, status, sequence = before[m.id]
        # calendars update a meeting whose SEQUENCE grew: grow it only when something changed
        m.sequence = sequence + int((m.starts_at, m.table_id, m.status) != (starts_at, table_id, status))
        notify.meeting_changed(session, m, (starts_at, table_id, status))
    for m in fill_ins:
        notify.meeting_changed(session, m, (None, None, "unscheduled"))
    await session.flush()
    if len(movable) + created >= BULK_ROWS:
        await analyze(session, "meeting", "meeting_seat")
    return {
        "created_fill_ins": created,
        "changed_during_run": len(changed),
        "dropped_for_manual_bookings": dropped,
        "unplaced": [
            {"meeting_id": u.meeting_id, "reason": u.reason.value, "detail": u.detail}
            for u in result.unplaced
            if u.meeting_id > 0
        ],
    }


async def _busy_cells(session: AsyncSession, event: Event) -> set[tuple[str, Any, Any]]:
    """Seats and tables taken by meetings that stay where they are (locked, changed by hand)."""
    cells: set[tuple[str, Any, Any]] = set()
    for pid, start in await session.execute(
        select(col(MeetingSeat.participant_id), col(MeetingSeat.starts_at))
        .join(Meeting, col(Meeting.id) == col(MeetingSeat.meeting_id))
        .where(col(Meeting.event_id) == event.id)
    ):
        cells.add(("p", pid, start))
    for table_id, table_start in await session.execute(
        select(col(Meeting.table_id), col(Meeting.starts_at)).where(
            col(Meeting.event_id) == event.id, col(Meeting.status) == "scheduled"
        )
    ):
        cells.add(("t", table_id, table_start))
    return cells


async def run_scheduling(ctx: JobContext) -> dict[str, Any]:
    """The scheduling job: build, solve (in a worker thread), apply."""
    params = ctx.params
    t0 = time.perf_counter()
    async with session_scope(ctx.sessionmaker) as session:
        event = await session.get(Event, ctx.event_id)
        assert event is not None
        frozen = datetime.fromisoformat(params["freeze_before"]) if params.get("freeze_before") else None
        inst = await build_instance(
            session,
            event,
            fill=bool(params.get("fill_from_suggestions")),
            per_participant=int(params.get("fill_per_participant", 3)),
            replan=bool(params.get("replan", True)),
            frozen_before=frozen,
        )
    t1 = time.perf_counter()
    ctx.set_progress(0.1)
    limit = float(params.get("time_limit", 10.0))
    # no transaction is open while the solver works
    result = await anyio.to_thread.run_sync(lambda: solve(inst.problem, time_limit=limit, seed=0, workers=2))
    t2 = time.perf_counter()
    ctx.set_progress(0.9)
    async with session_scope(ctx.sessionmaker) as session:
        event = await session.get(Event, ctx.event_id)
        assert event is not None
        applied = await apply_result(session, event, inst, result)
    t3 = time.perf_counter()
    must = [m for m in inst.problem.meetings if m.must]
    placed_ids = {p.meeting_id for p in result.placements}
    return {
        "slots": len(inst.grid),
        "tables": len(inst.tables),
        "must": len(must),
        "must_placed": sum(1 for m in must if m.id in placed_ids),
        "fill_in_candidates": len(inst.candidates),
        "fill_ins_placed": applied["created_fill_ins"]
        + sum(1 for m in inst.problem.meetings if not m.must and m.id > 0 and m.id in placed_ids),
        "placed": len(result.placements),
        "unplaced": applied["unplaced"],
        "solver_status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "total_breaks": result.total_breaks,
        "break_spread": result.break_spread,
        "moved": result.moved,
        "changed_during_run": applied["changed_during_run"],
        "dropped_for_manual_bookings": applied["dropped_for_manual_bookings"],
        "timings": {"build_s": round(t1 - t0, 4), "solve_s": round(t2 - t1, 4), "apply_s": round(t3 - t2, 4)},
    }
