"""A participant's agenda: as JSON, and as an iCalendar (RFC 5545) feed calendar apps subscribe to.

Calendar apps match events by UID and apply a change only when SEQUENCE grew, so every meeting keeps
one UID for life and carries the meeting's own ``sequence`` (bumped on every move or cancellation).
A cancelled meeting that once had a time stays in the feed as STATUS:CANCELLED, so calendars that
imported it remove it instead of keeping a ghost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from icalendar import Calendar
from icalendar import Event as VEvent
from pydantic import TypeAdapter
from sqlalchemy import bindparam, case, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.models import Event, EventTable, Meeting, Organisation, Participant
from app.schemas.meeting import Agenda, AgendaItem, MeetingStatus, TableRef
from app.services.common import in_zone, revalidated_body
from app.services.participants import Viewer, get_participant, reads_by_version

PRODID = "-//Matchmaker//B2B agenda//EN"


@dataclass(frozen=True, slots=True)
class Person:
    """A participant with the organisation facts that exports and calendars print."""

    id: int
    name: str
    email: str
    job_title: str | None
    organisation: str
    country: str
    kind: str


async def people_of(session: AsyncSession, event_id: int, ids: Sequence[int] | None = None) -> dict[int, Person]:
    """The event's participants (or those of ``ids``) with their organisations, by id, in one query."""
    stmt = (
        select(Participant, Organisation)
        .join(Organisation, col(Organisation.id) == col(Participant.organisation_id))
        .where(col(Participant.event_id) == event_id)
    )
    if ids is not None:
        stmt = stmt.where(col(Participant.id).in_(sorted(set(ids))))
    return {
        p.id: Person(p.id, p.name, p.email, p.job_title, o.name, o.country, o.kind)
        for p, o in await session.execute(stmt)
        if p.id is not None
    }


_TABLES_BY_ID = select(EventTable).where(col(EventTable.id).in_(bindparam("ids", expanding=True)))  # built once


async def tables_used(session: AsyncSession, meetings: Sequence[Meeting]) -> dict[int, EventTable]:
    """The tables of these meetings by id: an agenda needs a handful, not the event's hundreds (load benchmark)."""
    ids = sorted({m.table_id for m in meetings if m.table_id is not None})
    if not ids:
        return {}
    rows = await session.scalars(_TABLES_BY_ID, {"ids": ids})
    return {t.id: t for t in rows.all() if t.id is not None}


def _table_ref(m: Meeting, tables: dict[int, EventTable]) -> TableRef | None:
    t = tables.get(m.table_id) if m.table_id is not None else None
    return TableRef(id=t.id or 0, name=t.name, online=t.online, link=t.link) if t else None


async def agenda(session: AsyncSession, event: Event, participant_id: int, viewer: Viewer) -> Agenda:
    """The participant's live meetings (not cancelled), partners shown as ``viewer`` may see them."""
    rows = await _agenda_rows(session, event, participant_id)
    return await _agenda(session, event, participant_id, viewer, rows)


@dataclass(frozen=True, slots=True)
class _AgendaRows:
    """What an agenda is built from: live meetings (in agenda order) with their partner's id and profile
    version, and the tables they use."""

    meetings: list[tuple[Meeting, int, int]]
    tables: dict[int, EventTable]


_PARTNER = Participant.__table__.alias("partner")  # type: ignore[attr-defined]
# Built once (constructing SQLAlchemy expressions costs more than running these queries): bound per call.
# A participant's meetings with their partner's id and profile version; the agenda and the feed filter it.
_MEETINGS_WITH_PARTNER = (
    select(Meeting, _PARTNER.c.id, _PARTNER.c.version)
    .join(
        _PARTNER,
        _PARTNER.c.id == case((col(Meeting.a_id) == bindparam("me"), col(Meeting.b_id)), else_=col(Meeting.a_id)),
    )
    .where(
        col(Meeting.event_id) == bindparam("event"),
        or_(col(Meeting.a_id) == bindparam("me"), col(Meeting.b_id) == bindparam("me")),
    )
)
_LIVE_MEETINGS_WITH_PARTNER = _MEETINGS_WITH_PARTNER.where(col(Meeting.status) != "cancelled")


async def _agenda_rows(session: AsyncSession, event: Event, participant_id: int) -> _AgendaRows:
    assert event.id is not None
    await get_participant(session, event.id, participant_id)
    found = await session.execute(_LIVE_MEETINGS_WITH_PARTNER, {"me": participant_id, "event": event.id})
    meetings = sorted(
        ((m, pid, version) for m, pid, version in found),
        key=lambda row: (row[0].starts_at is None, row[0].starts_at.timestamp() if row[0].starts_at else 0.0,
                         row[0].id or 0),
    )  # fmt: skip
    return _AgendaRows(meetings, await tables_used(session, [m for m, _, _ in meetings]))


async def _agenda(
    session: AsyncSession, event: Event, participant_id: int, viewer: Viewer, rows: _AgendaRows
) -> Agenda:
    assert event.id is not None
    tz = event.timezone
    reads = await reads_by_version(session, event, viewer, ((pid, version) for _, pid, version in rows.meetings))
    items = [
        AgendaItem(
            meeting_id=m.id or 0,
            starts_at=in_zone(m.starts_at, tz) if m.starts_at else None,
            ends_at=in_zone(m.ends_at, tz) if m.ends_at else None,
            table=_table_ref(m, rows.tables),
            partner=reads[pid],
            status=MeetingStatus(m.status),
            locked=m.locked,
            unplaced_reason=m.unplaced_reason,
        )
        for m, pid, _ in rows.meetings
    ]
    return Agenda(
        participant_id=participant_id, event_id=event.id, timezone=tz, published=event.schedule_published, items=items
    )


_AGENDA = TypeAdapter(Agenda)


async def agenda_json(
    session: AsyncSession, event: Event, participant_id: int, viewer: Viewer, if_none_match: str | None = None
) -> tuple[bytes | None, str | None]:
    """The agenda as JSON and its ETag; no body when ``if_none_match`` names the current ETag.

    "Where and with whom is my next meeting" is read before every slot (bench/README-load.md): the rows
    are read, and an unchanged agenda comes from the sessionmaker's page cache. The key names everything
    the agenda is built from: each live meeting's fields shown, its partner's profile version, the tables'
    names and links, whether the schedule is published, the viewer's kind and the time zone.
    """
    rows = await _agenda_rows(session, event, participant_id)
    key = (
        "agenda", participant_id, viewer.is_organiser, event.timezone, event.schedule_published,
        tuple((m.id, m.status, m.starts_at, m.ends_at, m.table_id, m.locked, m.unplaced_reason, pid, version)
              for m, pid, version in rows.meetings),
        tuple((t.id, t.name, t.online, t.link) for _, t in sorted(rows.tables.items())),
    )  # fmt: skip

    async def build() -> tuple[bytes, bool]:
        return _AGENDA.dump_json(await _agenda(session, event, participant_id, viewer, rows)), True

    return await revalidated_body(session, key, if_none_match, build)


# --- iCalendar ----------------------------------------------------------------------------


def meeting_uid(meeting_id: int, event_id: int) -> str:
    """Stable for the meeting's whole life: calendars update the event instead of adding a copy."""
    return f"meeting-{meeting_id}-event-{event_id}@matchmaker"


def _location(event: Event, table: EventTable | None) -> str:
    if table is not None and table.online:
        return table.link or "Online"
    place = [f"Table {table.name}" if table else "", event.venue or "", event.city or ""]
    return ", ".join(p for p in place if p)


def _description(partner: Person, table: EventTable | None) -> str:
    lines = [f"B2B meeting with {partner.name}" + (f", {partner.job_title}" if partner.job_title else "")]
    lines.append(f"{partner.organisation} ({partner.country})")
    if table is not None and table.online and table.link:
        lines.append(f"Online meeting: {table.link}")
    return "\n".join(lines)


def _vevent(event: Event, m: Meeting, partner: Person, table: EventTable | None) -> VEvent:
    assert m.id is not None and m.starts_at is not None and m.ends_at is not None
    tz = event.timezone
    ve = VEvent()
    ve.add("uid", meeting_uid(m.id, event.id or 0))
    ve.add("sequence", m.sequence)
    ve.add("dtstamp", m.updated_at)
    ve.add("last-modified", m.updated_at)
    ve.add("created", m.created_at)
    ve.add("dtstart", in_zone(m.starts_at, tz))
    ve.add("dtend", in_zone(m.ends_at, tz))
    ve.add("summary", f"B2B meeting: {partner.name} ({partner.organisation})")
    ve.add("location", _location(event, table))
    ve.add("description", _description(partner, table))
    if m.status == "cancelled":
        ve.add("status", "CANCELLED")
    else:
        ve.add("status", "CONFIRMED" if event.schedule_published else "TENTATIVE")
    if table is not None and table.online and table.link:
        ve.add("url", table.link)
    ve.add("transp", "TRANSPARENT" if m.status == "cancelled" else "OPAQUE")
    return ve


def _calendar(event: Event, participant: Participant) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{event.name}: B2B meetings of {participant.name}")
    cal.add("x-wr-timezone", event.timezone)
    # RFC 7986 and its older vendor twin: how often subscribers should poll the feed
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


# What a feed shows: live meetings with a slot; cancelled ones that had a slot (so calendars can remove
# them). A meeting without a time was never in a calendar, and a PUBLISH VEVENT needs a DTSTART.
_FEED_MEETINGS_WITH_PARTNER = _MEETINGS_WITH_PARTNER.where(
    col(Meeting.status).in_(("scheduled", "cancelled")),
    col(Meeting.starts_at).is_not(None),
    col(Meeting.ends_at).is_not(None),
)


async def agenda_ics(
    session: AsyncSession, event: Event, participant_id: int, if_none_match: str | None = None
) -> tuple[bytes | None, str | None]:
    """The participant's meetings as an iCalendar feed (times in the event's zone with a VTIMEZONE) and
    its ETag; no body when ``if_none_match`` names the current ETag.

    Calendar apps poll the feed all day, and rendering it (icalendar's folding and escaping, the
    VTIMEZONE) costs several milliseconds of CPU (bench/README-load.md). So, like the JSON agenda: the
    rows are read, and an unchanged feed comes from the sessionmaker's page cache. The key names
    everything the feed shows: the event's name, place, zone, dates and publication, the participant's
    name, each meeting's fields with its partner's profile version (which grows with every change of
    their public profile, organisation included), and the tables' names and links.
    """
    assert event.id is not None
    participant = await get_participant(session, event.id, participant_id)
    found = await session.execute(_FEED_MEETINGS_WITH_PARTNER, {"me": participant_id, "event": event.id})
    rows = sorted(found.all(), key=lambda row: (row[0].starts_at, row[0].id or 0))  # the feed's all have a time
    tables = await tables_used(session, [m for m, _, _ in rows])
    key = (
        "ics", participant_id, participant.name, event.id, event.name, event.timezone, event.venue, event.city,
        event.schedule_published, event.starts_at, event.ends_at,
        tuple((m.id, m.sequence, m.status, m.starts_at, m.ends_at, m.created_at, m.updated_at, m.table_id, pid, v)
              for m, pid, v in rows),
        tuple((t.id, t.name, t.online, t.link) for _, t in sorted(tables.items())),
    )  # fmt: skip

    async def build() -> tuple[bytes, bool]:
        partners = await people_of(session, event.id or 0, [pid for _, pid, _ in rows])
        cal = _calendar(event, participant)
        for m, pid, _ in rows:
            if pid in partners:
                table = tables.get(m.table_id) if m.table_id is not None else None
                cal.add_component(_vevent(event, m, partners[pid], table))
        # The zone's rules for the years around the event keep the VTIMEZONE short.
        start, end = in_zone(event.starts_at, event.timezone), in_zone(event.ends_at, event.timezone)
        cal.add_missing_timezones(date(start.year - 1, 1, 1), date(end.year + 1, 12, 31))
        ical: bytes = cal.to_ical()
        return ical, all(pid in partners for _, pid, _ in rows)  # a partner erased meanwhile: not cached

    return await revalidated_body(session, key, if_none_match, build)
