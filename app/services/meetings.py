"""Meetings: listing, manual booking, moves, swaps, locks, cancellations, no-shows.

The database has the last word on the hard rules: ``meeting_seat`` is unique per participant
and slot, and a partial unique index allows one scheduled meeting per table and slot, so two
concurrent bookings cannot both succeed. Services check first to say *why* a booking is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app import notify
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Event, EventTable, Meeting, MeetingRequest, MeetingSeat, Participant
from app.schemas.common import Page
from app.schemas.meeting import MeetingCreate, MeetingRead, MeetingUpdate, TableRef
from app.services.common import in_zone, page_of, sorted_by
from app.services.events import sessions_of, tables_of
from app.services.grid import GridSlot, build_grid
from app.services.participants import get_participant, refuse_erased


def to_read(m: Meeting, tz: str, tables: dict[int, EventTable]) -> MeetingRead:
    table = tables.get(m.table_id) if m.table_id is not None else None
    return MeetingRead(
        id=m.id or 0,
        event_id=m.event_id,
        participant_ids=[m.a_id, m.b_id],
        starts_at=in_zone(m.starts_at, tz) if m.starts_at else None,
        ends_at=in_zone(m.ends_at, tz) if m.ends_at else None,
        table=TableRef(id=table.id or 0, name=table.name, online=table.online, link=table.link) if table else None,
        status=m.status,
        locked=m.locked,
        source=m.source,
        request_id=m.request_id,
        score=m.score,
        unplaced_reason=m.unplaced_reason,
        cancel_reason=m.cancel_reason,
        sequence=m.sequence,
        updated_at=in_zone(m.updated_at, tz),
    )


async def table_map(session: AsyncSession, event_id: int) -> dict[int, EventTable]:
    return {t.id: t for t in await tables_of(session, event_id) if t.id is not None}


async def grid_of(session: AsyncSession, event: Event) -> list[GridSlot]:
    assert event.id is not None
    return build_grid(event, await sessions_of(session, event.id))


async def list_meetings(
    session: AsyncSession,
    event: Event,
    *,
    participant_id: int | None,
    status: str | None,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
) -> Page[MeetingRead]:
    stmt = select(Meeting).where(col(Meeting.event_id) == event.id)
    if participant_id is not None:
        stmt = stmt.where(or_(col(Meeting.a_id) == participant_id, col(Meeting.b_id) == participant_id))
    if status:
        stmt = stmt.where(col(Meeting.status) == status)
    stmt = stmt.order_by(
        col(Meeting.starts_at).is_(None), col(Meeting.starts_at), col(Meeting.table_id), col(Meeting.id)
    )
    columns = {
        "starts_at": col(Meeting.starts_at),
        "status": col(Meeting.status),
        "created_at": col(Meeting.created_at),
    }
    stmt = sorted_by(stmt, sort, columns, col(Meeting.id))
    rows, total = await page_of(session, stmt, limit, offset)
    tables = await table_map(session, event.id or 0)
    return Page(items=[to_read(m, event.timezone, tables) for m in rows], total=total, limit=limit, offset=offset)


async def get_meeting(session: AsyncSession, event: Event, meeting_id: int) -> Meeting:
    m = await session.get(Meeting, meeting_id)
    if m is None or m.event_id != event.id:
        raise NotFound(f"Event {event.id} has no meeting {meeting_id}.")
    return m


def _slot_at(grid: Sequence[GridSlot], starts_at: datetime) -> GridSlot:
    for slot in grid:
        if slot.starts_at == starts_at:
            return slot
    starts = ", ".join(s.starts_at.isoformat() for s in grid[:6])
    raise InvalidInput(
        f"{starts_at.isoformat()} is not a slot start of this event (slots start at {starts}…; see GET …/slots).",
        errors=[{"loc": ["body", "starts_at"], "msg": "not a slot of the event's time grid", "type": "value_error"}],
    )


async def _busy_reason(
    session: AsyncSession, meeting: Meeting, starts_at: datetime, table_id: int | None, ignore: Sequence[int]
) -> str | None:
    """Why this meeting cannot go to that slot and table, or None."""
    for pid in (meeting.a_id, meeting.b_id):
        other = await session.scalar(
            select(col(MeetingSeat.meeting_id)).where(
                col(MeetingSeat.participant_id) == pid,
                col(MeetingSeat.starts_at) == starts_at,
                col(MeetingSeat.meeting_id).not_in(ignore),
            )
        )
        if other is not None:
            return f"participant {pid} already has meeting {other} in that slot"
    if table_id is not None:
        other = await session.scalar(
            select(col(Meeting.id)).where(
                col(Meeting.table_id) == table_id,
                col(Meeting.starts_at) == starts_at,
                col(Meeting.status) == "scheduled",
                col(Meeting.id).not_in(ignore),
            )
        )
        if other is not None:
            return f"table {table_id} already hosts meeting {other} in that slot"
    return None


async def _free_table(session: AsyncSession, event: Event, starts_at: datetime, ignore: Sequence[int]) -> int:
    taken = set(
        (
            await session.scalars(
                select(col(Meeting.table_id)).where(
                    col(Meeting.event_id) == event.id,
                    col(Meeting.starts_at) == starts_at,
                    col(Meeting.status) == "scheduled",
                    col(Meeting.id).not_in(ignore),
                )
            )
        ).all()
    )
    for t in await tables_of(session, event.id or 0):
        if t.id not in taken:
            return t.id or 0
    raise Conflict("Every table is taken in that slot.")


def _unavailable(p: Participant, slot: GridSlot) -> str | None:
    if p.session_ids is not None and slot.session_id not in p.session_ids:
        return f"participant {p.id} does not attend that session"
    if slot.starts_at.isoformat() in p.blocked_slots:
        return f"participant {p.id} blocked that slot"
    return None


async def clear_seats(session: AsyncSession, meeting_ids: Sequence[int]) -> None:
    if meeting_ids:
        await session.execute(delete(MeetingSeat).where(col(MeetingSeat.meeting_id).in_(meeting_ids)))


async def place(session: AsyncSession, meeting: Meeting, slot: GridSlot | None, table_id: int | None) -> None:
    """Put a meeting in a slot and table (or unschedule it), with its seats; bumps SEQUENCE."""
    assert meeting.id is not None
    changed = (meeting.starts_at, meeting.table_id) != ((slot.starts_at if slot else None), table_id)
    meeting.starts_at = slot.starts_at if slot else None
    meeting.ends_at = slot.ends_at if slot else None
    meeting.table_id = table_id if slot else None
    meeting.status = "scheduled" if slot else "unscheduled"
    if changed:
        meeting.sequence += 1
        meeting.updated_at = utcnow()
    if slot is not None:
        await session.execute(
            insert(MeetingSeat),
            [
                {"meeting_id": meeting.id, "participant_id": pid, "starts_at": slot.starts_at}
                for pid in (meeting.a_id, meeting.b_id)
            ],
        )


async def _book(
    session: AsyncSession,
    event: Event,
    meeting: Meeting,
    starts_at: datetime | None,
    table_id: int | None,
    ignore: Sequence[int],
    before: notify.MeetingState | None = None,
) -> None:
    """Check, then place; the unique constraints decide races. ``before``: the state to announce changes from."""
    assert meeting.id is not None
    before = before or notify.meeting_state(meeting)
    await clear_seats(session, [meeting.id])
    if starts_at is None:
        await place(session, meeting, None, None)
        notify.meeting_changed(session, meeting, before)
        return
    slot = _slot_at(await grid_of(session, event), starts_at)
    for pid in (meeting.a_id, meeting.b_id):
        reason = _unavailable(await get_participant(session, event.id or 0, pid), slot)
        if reason:
            raise Conflict(f"Cannot book that slot: {reason}.")
    if table_id is not None and table_id not in await table_map(session, event.id or 0):
        raise InvalidInput(f"Event {event.id} has no table {table_id}.")
    reason = await _busy_reason(session, meeting, slot.starts_at, table_id, [meeting.id, *ignore])
    if reason:
        raise Conflict(f"Cannot book that slot: {reason}.")
    if table_id is None:
        table_id = await _free_table(session, event, slot.starts_at, [meeting.id, *ignore])
    try:
        await place(session, meeting, slot, table_id)
        await session.flush()
    except IntegrityError:  # a concurrent booking took the seat or the table first
        raise Conflict("Cannot book that slot: someone booked it a moment ago; reload and choose another.") from None
    notify.meeting_changed(session, meeting, before)


async def create_meeting(session: AsyncSession, event: Event, data: MeetingCreate) -> MeetingRead:
    assert event.id is not None
    a, b = data.participant_ids
    pa = await get_participant(session, event.id, a)
    pb = await get_participant(session, event.id, b)
    await refuse_erased(session, [a, b])
    if a == b or pa.organisation_id == pb.organisation_id:
        raise InvalidInput("A meeting needs two participants from different organisations.")
    existing = await session.scalar(
        select(col(Meeting.id)).where(
            col(Meeting.event_id) == event.id,
            col(Meeting.status) != "cancelled",
            or_(
                (col(Meeting.a_id) == a) & (col(Meeting.b_id) == b), (col(Meeting.a_id) == b) & (col(Meeting.b_id) == a)
            ),
        )
    )
    if existing is not None:
        raise Conflict(f"These two already have meeting {existing}.")
    meeting = Meeting(event_id=event.id, a_id=a, b_id=b, source="organiser", locked=data.locked)
    session.add(meeting)
    await session.flush()
    await _book(session, event, meeting, data.starts_at, data.table_id, [])
    return to_read(meeting, event.timezone, await table_map(session, event.id))


async def update_meeting(session: AsyncSession, event: Event, meeting_id: int, data: MeetingUpdate) -> MeetingRead:
    meeting = await get_meeting(session, event, meeting_id)
    if meeting.status == "cancelled":
        raise Conflict(f"Meeting {meeting_id} is cancelled.")
    changes = data.model_dump(exclude_unset=True)
    if "starts_at" in changes or "table_id" in changes:
        starts_at = changes.get("starts_at", meeting.starts_at)
        table_id = changes.get("table_id", meeting.table_id if "starts_at" not in changes else None)
        await _book(session, event, meeting, starts_at, table_id, [])
    if changes.get("locked") is not None:
        meeting.locked = bool(changes["locked"])
    await session.flush()
    return to_read(meeting, event.timezone, await table_map(session, event.id or 0))


async def swap_meetings(session: AsyncSession, event: Event, meeting_id: int, other_id: int) -> list[MeetingRead]:
    """Exchange the slots and tables of two scheduled meetings."""
    first = await get_meeting(session, event, meeting_id)
    second = await get_meeting(session, event, other_id)
    if first.id == second.id or first.status != "scheduled" or second.status != "scheduled":
        raise Conflict("Swap needs two different scheduled meetings.")
    if first.locked or second.locked:
        raise Conflict("Locked meetings do not move; unlock first.")
    assert first.id is not None and second.id is not None
    a_slot, a_table, b_slot, b_table = first.starts_at, first.table_id, second.starts_at, second.table_id
    first_before, second_before = notify.meeting_state(first), notify.meeting_state(second)
    await clear_seats(session, [first.id, second.id])
    first.starts_at = second.starts_at = None
    first.table_id = second.table_id = None
    await session.flush()
    await _book(session, event, first, b_slot, b_table, [second.id], first_before)
    await _book(session, event, second, a_slot, a_table, [first.id], second_before)
    tables = await table_map(session, event.id or 0)
    return [to_read(first, event.timezone, tables), to_read(second, event.timezone, tables)]


async def cancel_meeting_row(
    session: AsyncSession, meeting: Meeting, reason: str, *, tell: Sequence[int] | None = None
) -> None:
    """Cancel a meeting (and its accepted request); ``tell``: who hears of it (default: both participants)."""
    assert meeting.id is not None
    await clear_seats(session, [meeting.id])
    meeting.status, meeting.cancel_reason = "cancelled", reason
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    if meeting.request_id is not None:
        request = await session.get(MeetingRequest, meeting.request_id)
        if request is not None and request.status == "accepted":
            request.status, request.answered_at = "cancelled", utcnow()
    await session.flush()
    if tell is None:
        notify.meeting_cancelled(session, meeting)
    else:
        payload = notify.meeting_payload(meeting, reason=reason)
        kind = notify.MEETING_CANCELLED
        notify.record(session, event_id=meeting.event_id, recipients=tell, kind=kind, payload=payload)


async def cancel_meeting(
    session: AsyncSession, event: Event, meeting_id: int, reason: str = "organiser"
) -> MeetingRead:
    meeting = await get_meeting(session, event, meeting_id)
    if meeting.status == "cancelled":
        raise Conflict(f"Meeting {meeting_id} is cancelled already.")
    await cancel_meeting_row(session, meeting, reason)
    return to_read(meeting, event.timezone, await table_map(session, event.id or 0))


async def cancel_for_participant(session: AsyncSession, meeting: Meeting, participant_id: int) -> None:
    """A participant cancels their meeting (either side)."""
    if participant_id not in (meeting.a_id, meeting.b_id):
        from app.errors import Forbidden

        raise Forbidden("Only the two participants (or an organiser) may cancel this meeting.")
    await cancel_meeting_row(session, meeting, f"cancelled_by_{participant_id}")


async def no_show(session: AsyncSession, event: Event, participant_id: int) -> int:
    """Cancel a participant's meetings that have not started yet. Returns how many."""
    assert event.id is not None
    await get_participant(session, event.id, participant_id)
    now = utcnow()
    meetings = (
        await session.scalars(
            select(Meeting).where(
                col(Meeting.event_id) == event.id,
                col(Meeting.status) != "cancelled",
                or_(col(Meeting.a_id) == participant_id, col(Meeting.b_id) == participant_id),
                or_(col(Meeting.starts_at).is_(None), col(Meeting.starts_at) > now),
            )
        )
    ).all()
    for m in meetings:
        await cancel_meeting_row(session, m, "no_show")
    return len(meetings)


async def unschedule_off_grid(session: AsyncSession, event: Event) -> int:
    """After the grid or the tables change: meetings no longer on a slot or a table go back to unscheduled.

    Returns how many; blocked slots that are no longer slots are forgotten too.
    """
    assert event.id is not None
    grid = {s.starts_at: s for s in await grid_of(session, event)}
    tables = set(await table_map(session, event.id))
    moved = 0
    scheduled = (
        await session.scalars(
            select(Meeting).where(col(Meeting.event_id) == event.id, col(Meeting.status) == "scheduled")
        )
    ).all()
    for m in scheduled:
        slot = grid.get(m.starts_at) if m.starts_at else None
        if slot is not None and slot.ends_at == m.ends_at and m.table_id in tables:
            continue
        await clear_seats(session, [m.id or 0])
        before = notify.meeting_state(m)
        m.status, m.starts_at, m.ends_at, m.table_id = "unscheduled", None, None, None
        m.unplaced_reason, m.sequence, m.updated_at = "grid_changed", m.sequence + 1, utcnow()
        notify.meeting_changed(session, m, before)
        moved += 1
    keys = {t.isoformat() for t in grid}
    people = await session.scalars(select(Participant).where(col(Participant.event_id) == event.id))
    for p in people:
        if p.blocked_slots and not set(p.blocked_slots) <= keys:
            p.blocked_slots = [b for b in p.blocked_slots if b in keys]
    await session.flush()
    return moved
