"""Events: time window, matchmaking sessions, tables, and who organises them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.matching import DEFAULT_WEIGHTS
from app.models import Event, EventOrganiser, EventSession, EventTable, Notification, Participant
from app.schemas.common import Page
from app.schemas.event import (
    EventCreate,
    EventRead,
    EventUpdate,
    SessionIn,
    SessionRead,
    TableIn,
    TableRead,
    check_event_window,
)
from app.services import versions
from app.services.common import fold, in_zone, page_of, sorted_by


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:100] or "event"


async def get_event(session: AsyncSession, event_id: int) -> Event:
    event = await session.get(Event, event_id)
    if event is None:
        raise NotFound(f"Event {event_id} does not exist.")
    return event


async def is_organiser_of(session: AsyncSession, event_id: int, organiser_id: int) -> bool:
    found = await session.scalar(
        select(col(EventOrganiser.event_id)).where(
            col(EventOrganiser.event_id) == event_id, col(EventOrganiser.organiser_id) == organiser_id
        )
    )
    return found is not None


async def require_organiser(session: AsyncSession, event_id: int, organiser_id: int) -> Event:
    """The event, if this organiser manages it: 404 when missing, 403 when someone else's."""
    event = await get_event(session, event_id)
    if not await is_organiser_of(session, event_id, organiser_id):
        raise Forbidden(f"You do not organise event {event_id}.")
    return event


async def sessions_of(session: AsyncSession, event_id: int) -> list[EventSession]:
    rows = await session.scalars(
        select(EventSession)
        .where(col(EventSession.event_id) == event_id)
        .order_by(col(EventSession.starts_at), col(EventSession.id))
    )
    return list(rows.all())


async def tables_of(session: AsyncSession, event_id: int) -> list[EventTable]:
    rows = await session.scalars(
        select(EventTable)
        .where(col(EventTable.event_id) == event_id)
        .order_by(col(EventTable.position), col(EventTable.id))
    )
    return list(rows.all())


def _tables_from(data_tables: list[TableIn] | None, table_count: int | None) -> list[TableIn]:
    if data_tables is not None:
        return data_tables
    n = table_count or 0
    width = max(2, len(str(n)))
    return [TableIn(name=f"T{i:0{width}d}") for i in range(1, n + 1)]


def _check_tables(tables: list[TableIn]) -> None:
    seen: set[str] = set()
    for i, t in enumerate(tables):
        if t.name in seen:
            raise InvalidInput(
                "Table names must be unique.",
                errors=[
                    {"loc": ["body", "tables", i, "name"], "msg": f"'{t.name}' is used twice", "type": "value_error"}
                ],
            )
        seen.add(t.name)


async def _unique_slug(session: AsyncSession, wanted: str, exclude_id: int | None) -> str:
    existing = await session.scalar(select(col(Event.id)).where(col(Event.slug) == wanted))
    if existing is not None and existing != exclude_id:
        raise Conflict(f"The slug '{wanted}' is taken by event {existing}.")
    return wanted


async def _free_slug(session: AsyncSession, base: str) -> str:
    """A slug made from the name: 'name', else 'name-2', 'name-3', …"""
    taken = set((await session.scalars(select(col(Event.slug)).where(col(Event.slug).startswith(base)))).all())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


async def to_read(session: AsyncSession, event: Event) -> EventRead:
    return (await read_many(session, [event]))[0]


async def read_many(session: AsyncSession, events: Sequence[Event]) -> list[EventRead]:
    """Reads of several events in three queries, whatever their number."""
    ids = [e.id for e in events if e.id is not None]
    sessions: dict[int, list[EventSession]] = defaultdict(list)
    tables: dict[int, list[EventTable]] = defaultdict(list)
    for s in await session.scalars(
        select(EventSession)
        .where(col(EventSession.event_id).in_(ids))
        .order_by(col(EventSession.starts_at), col(EventSession.id))
    ):
        sessions[s.event_id].append(s)
    for t in await session.scalars(
        select(EventTable)
        .where(col(EventTable.event_id).in_(ids))
        .order_by(col(EventTable.position), col(EventTable.id))
    ):
        tables[t.event_id].append(t)
    counts = dict(
        (
            await session.execute(
                select(col(Participant.event_id), func.count())
                .where(col(Participant.event_id).in_(ids))
                .group_by(col(Participant.event_id))
            )
        ).all()
    )
    return [_read(e, sessions[e.id or 0], tables[e.id or 0], int(counts.get(e.id or 0, 0))) for e in events]


def _read(event: Event, sessions: Sequence[EventSession], tables: Sequence[EventTable], participants: int) -> EventRead:
    tz = event.timezone
    return EventRead(
        **event.model_dump(
            exclude={"starts_at", "ends_at", "created_at", "updated_at", "matching_weights", "requests_deadline"}
        ),
        requests_deadline=in_zone(event.requests_deadline, tz) if event.requests_deadline else None,
        starts_at=in_zone(event.starts_at, tz),
        ends_at=in_zone(event.ends_at, tz),
        created_at=in_zone(event.created_at, tz),
        updated_at=in_zone(event.updated_at, tz),
        sessions=[
            SessionRead(id=s.id or 0, name=s.name, starts_at=in_zone(s.starts_at, tz), ends_at=in_zone(s.ends_at, tz))
            for s in sessions
        ],
        tables=[TableRead.model_validate(t) for t in tables],
        table_count=len(tables),
        participant_count=participants,
        matching_weights={**DEFAULT_WEIGHTS.to_dict(), **(event.matching_weights or {})},
    )


async def create_event(session: AsyncSession, data: EventCreate, organiser_id: int) -> EventRead:
    problems = check_event_window(data.starts_at, data.ends_at, data.sessions)
    if problems:
        raise InvalidInput("The event's times do not fit together.", errors=problems)
    tables = _tables_from(data.tables, data.table_count)
    _check_tables(tables)
    slug = await _unique_slug(session, data.slug, None) if data.slug else await _free_slug(session, slugify(data.name))
    event = Event(
        **data.model_dump(exclude={"slug", "sessions", "tables", "table_count"}),
        slug=slug,
    )
    session.add(event)
    await session.flush()
    assert event.id is not None
    session.add(EventOrganiser(event_id=event.id, organiser_id=organiser_id))
    await _replace_sessions(session, event.id, data.sessions)
    await _replace_tables(session, event.id, tables)
    await session.flush()
    return await to_read(session, event)


async def _replace_sessions(session: AsyncSession, event_id: int, wanted: Sequence[SessionIn]) -> None:
    """Sync sessions: items with an id update that session, others are new, the rest go."""
    current = {s.id: s for s in await sessions_of(session, event_id) if s.id is not None}
    keep: set[int] = set()
    for i, item in enumerate(wanted):
        if item.id is not None:
            row = current.get(item.id)
            if row is None:
                raise InvalidInput(
                    "Unknown session id.",
                    errors=[
                        {
                            "loc": ["body", "sessions", i, "id"],
                            "msg": f"event has no session {item.id}",
                            "type": "value_error",
                        }
                    ],
                )
            row.name, row.starts_at, row.ends_at = item.name, item.starts_at, item.ends_at
            keep.add(item.id)
        else:
            session.add(EventSession(event_id=event_id, name=item.name, starts_at=item.starts_at, ends_at=item.ends_at))
    gone = [sid for sid in current if sid not in keep]
    if gone:
        await session.execute(delete(EventSession).where(col(EventSession.id).in_(gone)))
        await _forget_sessions(session, event_id, set(gone))


async def _forget_sessions(session: AsyncSession, event_id: int, gone: set[int]) -> None:
    participants = await session.scalars(
        select(Participant).where(col(Participant.event_id) == event_id, col(Participant.session_ids).is_not(None))
    )
    for p in participants:
        if p.session_ids and gone & set(p.session_ids):
            p.session_ids = [s for s in p.session_ids if s not in gone]


async def _replace_tables(session: AsyncSession, event_id: int, tables: Sequence[TableIn]) -> None:
    """Sync tables by name: existing names keep their id (meetings keep their table)."""
    current = {t.name: t for t in await tables_of(session, event_id)}
    wanted = {t.name for t in tables}
    gone = [t.id for name, t in current.items() if name not in wanted]
    if gone:
        await session.execute(delete(EventTable).where(col(EventTable.id).in_(gone)))
    for position, t in enumerate(tables):
        link = str(t.link) if t.link else None
        row = current.get(t.name)
        if row is None:
            session.add(EventTable(event_id=event_id, name=t.name, position=position, online=t.online, link=link))
        else:
            row.position, row.online, row.link = position, t.online, link


async def update_event(
    session: AsyncSession, event: Event, data: EventUpdate, expected: frozenset[int] | None = None
) -> EventRead:
    """Apply the fields given; with ``expected`` versions (If-Match) only if the event is still at one."""
    assert event.id is not None
    await versions.claim(session, event, expected, f"event {event.id}")
    changes = data.model_dump(exclude_unset=True, exclude={"sessions", "tables", "table_count"})
    for key, value in changes.items():
        if value is None:
            if key in {"city", "venue", "matching_weights", "requests_deadline"}:
                continue
            raise InvalidInput(
                f"'{key}' cannot be null.",
                errors=[{"loc": ["body", key], "msg": "may not be null", "type": "value_error"}],
            )
    starts_at: datetime = changes.get("starts_at") or event.starts_at
    ends_at: datetime = changes.get("ends_at") or event.ends_at
    sessions = data.sessions
    if sessions is None:
        sessions = [
            SessionIn(id=s.id, name=s.name, starts_at=s.starts_at, ends_at=s.ends_at)
            for s in await sessions_of(session, event.id)
        ]
    problems = check_event_window(starts_at, ends_at, sessions)
    if problems:
        raise InvalidInput("The event's times do not fit together.", errors=problems)
    if "slug" in changes:
        await _unique_slug(session, changes["slug"], event.id)
    for key, value in changes.items():
        setattr(event, key, value)
    event.updated_at = utcnow()
    if data.sessions is not None:
        await _replace_sessions(session, event.id, data.sessions)
    if data.tables is not None or data.table_count is not None:
        tables = _tables_from(data.tables, data.table_count)
        _check_tables(tables)
        await _replace_tables(session, event.id, tables)
    await session.flush()
    grid_fields = {"meeting_minutes", "break_minutes", "sessions", "tables", "table_count"}
    if grid_fields & data.model_fields_set:
        from app.services.meetings import unschedule_off_grid

        await unschedule_off_grid(session, event)
    return await to_read(session, event)


async def delete_event(session: AsyncSession, event: Event, expected: frozenset[int] | None = None) -> None:
    if expected is not None:
        await versions.claim(session, event, expected, f"event {event.id}")
    # The outbox dispatcher locks notification rows, then (FK checks) the event: remove the event's
    # notifications before the event, in the same order, or the cascade deadlocks with it on PostgreSQL.
    await session.execute(delete(Notification).where(col(Notification.event_id) == event.id))
    await session.delete(event)
    await session.flush()


async def list_events(
    session: AsyncSession,
    *,
    organiser_id: int | None,
    q: str | None,
    status: str | None,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
) -> Page[EventRead]:
    """Published events for everyone; an organiser also sees their own drafts."""
    stmt = select(Event)
    visible = col(Event.status) != "draft"
    if organiser_id is not None:
        mine = select(col(EventOrganiser.event_id)).where(col(EventOrganiser.organiser_id) == organiser_id)
        stmt = stmt.where(or_(visible, col(Event.id).in_(mine)))
    else:
        stmt = stmt.where(visible)
    if q:
        from app.services.organisations import text_match

        stmt = stmt.where(text_match(q, col(Event.name), col(Event.city)))
    if status:
        stmt = stmt.where(col(Event.status) == status)
    stmt = stmt.order_by(col(Event.starts_at).desc(), col(Event.id))
    columns = {"starts_at": col(Event.starts_at), "name": col(Event.name), "created_at": col(Event.created_at)}
    stmt = sorted_by(stmt, sort, columns, col(Event.id))
    rows, total = await page_of(session, stmt, limit, offset)
    return Page(items=await read_many(session, rows), total=total, limit=limit, offset=offset)


async def add_organiser(session: AsyncSession, event_id: int, organiser_id: int) -> None:
    if not await is_organiser_of(session, event_id, organiser_id):
        session.add(EventOrganiser(event_id=event_id, organiser_id=organiser_id))
        await session.flush()
