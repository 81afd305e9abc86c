"""Whole-event export and import: the ``matchmaker-event/1`` document (docs/event-export.md).

Export streams the document section by section. Rows are read with plain column selects in
keyset pages of ``CHUNK`` (never every ORM object of the event at once) and each page is turned
into JSON in a worker thread, so a 5,000-participant event streams out in seconds with flat memory.

Import is one transaction: the document is parsed and checked as a whole first (format, limits,
every internal reference, the rules the database would enforce), then written with bulk inserts,
each later section following the earlier ones' new ids. New ids come back by a unique key where
there is one (organisations by name and country, participants by email) and from RETURNING in
parameter order otherwise (which SQLAlchemy runs row by row on SQLite, so only for small sections).
Organisations already in this database (same folded name and country) are reused as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import anyio.to_thread
import pydantic_core
from pydantic import ValidationError
from sqlalchemy import Select, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound, field_error
from app.matching import DEFAULT_WEIGHTS
from app.models import (
    Event,
    EventOrganiser,
    EventSession,
    EventTable,
    Job,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Membership,
    Opportunity,
    Organisation,
    OrganisationSector,
    Participant,
    ParticipantBlock,
    ParticipantErasure,
    Sector,
    Suggestion,
)
from app.schemas.transfer import (
    FORMAT,
    EventDocument,
    EventImportResult,
    ImportCounts,
    MeetingDoc,
    SuggestionDoc,
)
from app.services.common import fold

CHUNK = 2000
MAX_PROBLEMS = 200
OPEN_REQUEST = frozenset({"pending", "accepted"})

Row = Sequence[Any]


# --- export ---------------------------------------------------------------------------------


def _json(value: Any) -> bytes:
    return pydantic_core.to_json(value)


def _items(values: list[dict[str, Any]]) -> bytes:
    """A JSON array's items without the brackets (pages are glued with commas)."""
    return _json(values)[1:-1]


class _Zone:
    """Times shown in the event's time zone, as everywhere in the API."""

    def __init__(self, tz: str) -> None:
        self.zone = ZoneInfo(tz)

    def __call__(self, value: datetime | None) -> datetime | None:
        return value.astimezone(self.zone) if value is not None else None

    def slot(self, key: str) -> datetime:
        return datetime.fromisoformat(key).astimezone(self.zone)


async def export_stream(
    maker: async_sessionmaker[AsyncSession], event_id: int, *, with_suggestions: bool = False
) -> AsyncIterator[bytes]:
    """The event as one JSON document, in pieces; one read transaction (a snapshot on PostgreSQL).

    Suggestions are derived data and by far the bulk (about 1.5 KB each, 30 per participant), so they
    travel only when asked. Without them every participant's ``matched_version`` is written as null:
    the importing server re-ranks each participant against the event on their first read.
    """
    async with maker() as session:
        if session.get_bind().dialect.name == "postgresql":
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        event = await session.get(Event, event_id)
        if event is None:
            raise NotFound(f"Event {event_id} does not exist.")
        zone = _Zone(event.timezone)
        head = {"format": FORMAT, "exported_at": zone(utcnow()), "event": _event_doc(event, zone)}
        yield _json(head)[:-1]
        sections: list[tuple[str, AsyncIterator[bytes]]] = [
            ("sessions", _sessions(session, event_id, zone)),
            ("tables", _tables(session, event_id)),
            ("sectors", _sectors(session, event_id)),
            ("organisations", _organisations(session, event_id, zone)),
            ("participants", _participants(session, event_id, zone, matched=with_suggestions)),
            ("blocks", _blocks(session, event_id, zone)),
            ("meeting_requests", _requests(session, event_id, zone)),
            ("meetings", _meetings(session, event_id, zone)),
            ("jobs", _jobs(session, event_id, zone)),
            ("suggestions", _suggestions(session, event_id, zone) if with_suggestions else _nothing()),
            ("erasures", _erasures(session, event_id, zone)),
        ]
        for name, pages in sections:
            yield b',"' + name.encode() + b'":['
            first = True
            async for page in pages:
                if page:
                    yield page if first else b"," + page
                    first = False
            yield b"]"
        yield b"}"
        await session.rollback()


async def _nothing() -> AsyncIterator[bytes]:
    pages: tuple[bytes, ...] = ()
    for page in pages:
        yield page


def _event_doc(e: Event, zone: _Zone) -> dict[str, Any]:
    return {
        "slug": e.slug,
        "name": e.name,
        "description": e.description,
        "city": e.city,
        "venue": e.venue,
        "timezone": e.timezone,
        "starts_at": zone(e.starts_at),
        "ends_at": zone(e.ends_at),
        "meeting_minutes": e.meeting_minutes,
        "break_minutes": e.break_minutes,
        "max_meetings_per_participant": e.max_meetings_per_participant,
        "status": e.status,
        "max_open_requests": e.max_open_requests,
        "requests_deadline": zone(e.requests_deadline),
        "schedule_published": e.schedule_published,
        "matching_weights": e.matching_weights,
        "created_at": zone(e.created_at),
        "updated_at": zone(e.updated_at),
    }


async def _pages(session: AsyncSession, stmt: Callable[[int], Select[Any]]) -> AsyncIterator[Sequence[Row]]:
    """Keyset pages: ``stmt(after)`` selects rows whose first column (the id) is past ``after``, in id order."""
    after = 0
    while True:
        rows = (await session.execute(stmt(after).limit(CHUNK))).all()
        if rows:
            yield rows
        if len(rows) < CHUNK:
            return
        after = rows[-1][0]


async def _render(rows: Sequence[Row], convert: Callable[[Row], dict[str, Any]]) -> bytes:
    return await anyio.to_thread.run_sync(lambda: _items([convert(r) for r in rows]))


async def _sessions(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    cols = (col(EventSession.id), col(EventSession.name), col(EventSession.starts_at), col(EventSession.ends_at))
    rows = (await session.execute(select(*cols).where(col(EventSession.event_id) == event_id).order_by(cols[0]))).all()
    yield _items([{"id": i, "name": n, "starts_at": zone(s), "ends_at": zone(e)} for i, n, s, e in rows])


async def _tables(session: AsyncSession, event_id: int) -> AsyncIterator[bytes]:
    cols = (col(EventTable.id), col(EventTable.name), col(EventTable.position), col(EventTable.online))
    stmt = select(*cols, col(EventTable.link)).where(col(EventTable.event_id) == event_id).order_by(cols[0])
    rows = (await session.execute(stmt)).all()
    yield _items([{"id": i, "name": n, "position": p, "online": o, "link": link} for i, n, p, o, link in rows])


async def _chunked(ids: Sequence[int]) -> AsyncIterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


async def organisation_ids(session: AsyncSession, event_id: int) -> list[int]:
    """The participants' organisations and the clusters those belong to."""
    own = sorted(
        (
            await session.scalars(
                select(col(Participant.organisation_id)).where(col(Participant.event_id) == event_id).distinct()
            )
        ).all()
    )
    clusters: set[int] = set()
    async for chunk in _chunked(own):
        clusters.update(
            (
                await session.scalars(select(col(Membership.cluster_id)).where(col(Membership.member_id).in_(chunk)))
            ).all()
        )
    return sorted(set(own) | clusters)


async def _sectors(session: AsyncSession, event_id: int) -> AsyncIterator[bytes]:
    slugs: set[str] = set()
    async for chunk in _chunked(await organisation_ids(session, event_id)):
        slugs.update(
            (
                await session.scalars(
                    select(col(OrganisationSector.sector_slug)).where(
                        col(OrganisationSector.organisation_id).in_(chunk)
                    )
                )
            ).all()
        )
    rows = (
        await session.execute(
            select(col(Sector.slug), col(Sector.name)).where(col(Sector.slug).in_(sorted(slugs))).order_by(Sector.slug)
        )
    ).all()
    yield _items([{"slug": s, "name": n} for s, n in rows])


ORG_COLUMNS = (
    "id",
    "name",
    "kind",
    "country",
    "city",
    "region",
    "website",
    "description",
    "keywords",
    "esca_label",
    "size",
    "created_at",
    "updated_at",
)


async def _organisations(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    ids = await organisation_ids(session, event_id)
    members = set(ids)
    async for chunk in _chunked(ids):
        sectors: dict[int, list[str]] = defaultdict(list)
        for oid, slug in await session.execute(
            select(col(OrganisationSector.organisation_id), col(OrganisationSector.sector_slug))
            .where(col(OrganisationSector.organisation_id).in_(chunk))
            .order_by(col(OrganisationSector.sector_slug))
        ):
            sectors[oid].append(slug)
        clusters: dict[int, list[int]] = defaultdict(list)
        for member, cluster in await session.execute(
            select(col(Membership.member_id), col(Membership.cluster_id))
            .where(col(Membership.member_id).in_(chunk))
            .order_by(col(Membership.cluster_id))
        ):
            if cluster in members:
                clusters[member].append(cluster)
        stmt = select(*(getattr(Organisation, c) for c in ORG_COLUMNS)).where(col(Organisation.id).in_(chunk))
        rows = (await session.execute(stmt.order_by(col(Organisation.id)))).all()

        def convert(r: Row, sectors: dict[int, list[str]] = sectors, clusters: dict[int, list[int]] = clusters) -> Any:
            d = dict(zip(ORG_COLUMNS, r, strict=True))
            d.update(created_at=zone(d["created_at"]), updated_at=zone(d["updated_at"]))
            return d | {"sectors": sectors.get(d["id"], []), "cluster_ids": clusters.get(d["id"], [])}

        yield await _render(rows, convert)


PARTICIPANT_COLUMNS = (
    "id",
    "organisation_id",
    "external_id",
    "name",
    "email",
    "job_title",
    "languages",
    "session_ids",
    "max_meetings",
    "blocked_slots",
    "listed",
    "token_hash",
    "token_issued_at",
    "version",
    "matched_version",
    "created_at",
    "updated_at",
)
OPPORTUNITY_COLUMNS = (
    "id",
    "participant_id",
    "direction",
    "type",
    "title",
    "description",
    "keywords",
    "position",
    "created_at",
    "updated_at",
)


async def _participants(session: AsyncSession, event_id: int, zone: _Zone, *, matched: bool) -> AsyncIterator[bytes]:
    cols = [getattr(Participant, c) for c in PARTICIPANT_COLUMNS]
    opp_cols = [getattr(Opportunity, c) for c in OPPORTUNITY_COLUMNS]

    def page(after: int) -> Select[Any]:
        return (
            select(*cols)
            .where(col(Participant.event_id) == event_id, col(Participant.id) > after)
            .order_by(col(Participant.id))
        )

    async for rows in _pages(session, page):
        opps = (
            await session.execute(
                select(*opp_cols)
                .where(col(Opportunity.participant_id).in_([r[0] for r in rows]))
                .order_by(col(Opportunity.participant_id), col(Opportunity.position), col(Opportunity.id))
            )
        ).all()
        yield await anyio.to_thread.run_sync(_participant_page, rows, opps, zone, matched)


def _participant_page(rows: Sequence[Row], opps: Sequence[Row], zone: _Zone, matched: bool) -> bytes:
    mine: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {"offer": [], "request": []})
    for o in opps:
        d = dict(zip(OPPORTUNITY_COLUMNS, o, strict=True))
        owner, direction = d.pop("participant_id"), d.pop("direction")
        d.update(created_at=zone(d["created_at"]), updated_at=zone(d["updated_at"]))
        mine[owner][direction].append(d)
    out = []
    for r in rows:
        d = dict(zip(PARTICIPANT_COLUMNS, r, strict=True))
        for key in ("token_issued_at", "created_at", "updated_at"):
            d[key] = zone(d[key])
        d["blocked_slots"] = [zone.slot(b) for b in d["blocked_slots"]]
        d["offers"], d["requests"] = mine[d["id"]]["offer"], mine[d["id"]]["request"]
        if not matched:  # their suggestions are not in the document: re-rank on first read
            d["matched_version"] = None
        out.append(d)
    return _items(out)


async def _blocks(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    rows = (
        await session.execute(
            select(
                col(ParticipantBlock.participant_id),
                col(ParticipantBlock.blocked_id),
                col(ParticipantBlock.reason),
                col(ParticipantBlock.created_at),
            )
            .join(Participant, col(Participant.id) == col(ParticipantBlock.participant_id))
            .where(col(Participant.event_id) == event_id)
            .order_by(col(ParticipantBlock.participant_id), col(ParticipantBlock.blocked_id))
        )
    ).all()
    for i in range(0, len(rows), CHUNK):
        yield await _render(
            rows[i : i + CHUNK],
            lambda r: {"participant_id": r[0], "blocked_id": r[1], "reason": r[2], "created_at": zone(r[3])},
        )


REQUEST_COLUMNS = (
    "id",
    "from_participant_id",
    "to_participant_id",
    "status",
    "message",
    "created_by",
    "created_at",
    "answered_at",
)


async def _requests(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    cols = [getattr(MeetingRequest, c) for c in REQUEST_COLUMNS]

    def page(after: int) -> Select[Any]:
        return (
            select(*cols)
            .where(col(MeetingRequest.event_id) == event_id, col(MeetingRequest.id) > after)
            .order_by(col(MeetingRequest.id))
        )

    def convert(r: Row) -> dict[str, Any]:
        d = dict(zip(REQUEST_COLUMNS, r, strict=True))
        return d | {"created_at": zone(d["created_at"]), "answered_at": zone(d["answered_at"])}

    async for rows in _pages(session, page):
        yield await _render(rows, convert)


MEETING_COLUMNS = (
    "id",
    "request_id",
    "a_id",
    "b_id",
    "status",
    "starts_at",
    "ends_at",
    "table_id",
    "locked",
    "source",
    "score",
    "unplaced_reason",
    "cancel_reason",
    "sequence",
    "created_at",
    "updated_at",
)


async def _meetings(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    cols = [getattr(Meeting, c) for c in MEETING_COLUMNS]

    def page(after: int) -> Select[Any]:
        return select(*cols).where(col(Meeting.event_id) == event_id, col(Meeting.id) > after).order_by(col(Meeting.id))

    def convert(r: Row) -> dict[str, Any]:
        d = dict(zip(MEETING_COLUMNS, r, strict=True))
        d["participant_ids"] = [d.pop("a_id"), d.pop("b_id")]
        for key in ("starts_at", "ends_at", "created_at", "updated_at"):
            d[key] = zone(d[key])
        return d

    async for rows in _pages(session, page):
        yield await _render(rows, convert)


JOB_COLUMNS = (
    "id",
    "kind",
    "status",
    "progress",
    "params",
    "result",
    "error",
    "attempts",
    "created_at",
    "started_at",
    "finished_at",
)


async def _jobs(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    """Finished runs only: a queued or running job belongs to the server that runs it."""
    rows = (
        await session.execute(
            select(*(getattr(Job, c) for c in JOB_COLUMNS))
            .where(col(Job.event_id) == event_id, col(Job.status).in_(("succeeded", "failed")))
            .order_by(col(Job.id))
        )
    ).all()

    def convert(r: Row) -> dict[str, Any]:
        d = dict(zip(JOB_COLUMNS, r, strict=True))
        return d | {k: zone(d[k]) for k in ("created_at", "started_at", "finished_at")}

    yield await _render(rows, convert)


SUGGESTION_COLUMNS = (
    "id",
    "participant_id",
    "partner_id",
    "run_id",
    "engine_version",
    "rank",
    "score",
    "score_for_me",
    "score_for_them",
    "reasons",
    "source",
    "created_at",
)


async def _suggestions(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    cols = [getattr(Suggestion, c) for c in SUGGESTION_COLUMNS]
    finished = select(col(Job.id)).where(col(Job.event_id) == event_id, col(Job.status).in_(("succeeded", "failed")))

    def page(after: int) -> Select[Any]:
        return (
            select(*cols)
            .where(col(Suggestion.event_id) == event_id, col(Suggestion.id) > after)
            .order_by(col(Suggestion.id))
        )

    async for rows in _pages(session, page):
        runs: set[int | None] = set((await session.scalars(finished)).all())

        def convert(r: Row, runs: set[int | None] = runs) -> dict[str, Any]:
            d = dict(zip(SUGGESTION_COLUMNS, r, strict=True))
            del d["id"]
            d["created_at"] = zone(d["created_at"])
            if d["run_id"] not in runs:  # a run still under way is not exported
                d["run_id"] = None
            return d

        yield await _render(rows, convert)


async def _erasures(session: AsyncSession, event_id: int, zone: _Zone) -> AsyncIterator[bytes]:
    rows = (
        await session.execute(
            select(ParticipantErasure)
            .where(col(ParticipantErasure.event_id) == event_id)
            .order_by(col(ParticipantErasure.participant_id))
        )
    ).scalars()
    yield _items(
        [
            {
                "participant_id": e.participant_id,
                "erased_at": zone(e.erased_at),
                "erased_by": e.erased_by,
                "meetings_cancelled": e.meetings_cancelled,
                "requests_withdrawn": e.requests_withdrawn,
                "partners_notified": e.partners_notified,
            }
            for e in rows
        ]
    )


# --- import: parsing and checking -----------------------------------------------------------


def parse_document(raw: bytes) -> EventDocument:
    """The body as a document, or a 422 that says what to fix (CPU work: call it in a thread)."""
    if b"\\u0000" in raw:
        raise InvalidInput("The document contains NUL (\\u0000) characters, which text fields cannot hold.")
    try:
        data = pydantic_core.from_json(raw)
    except ValueError as exc:
        raise InvalidInput(f"The body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise InvalidInput("The body must be one event document (a JSON object); see docs/event-export.md.")
    found = data.get("format")
    if found != FORMAT:
        raise InvalidInput(
            f"This server reads event documents of format '{FORMAT}'; this one is {found!r}. "
            "Export the event again from a server that writes this format.",
            errors=[field_error(["body", "format"], f"must be '{FORMAT}'", "format_version")],
        )
    try:
        return EventDocument.model_validate(data)
    except ValidationError as exc:
        errors = [
            field_error(["body", *e["loc"]], e["msg"], e["type"]) for e in exc.errors(include_url=False)[:MAX_PROBLEMS]
        ]
        where = ", ".join(".".join(str(p) for p in e["loc"][1:]) for e in errors[:5])
        raise InvalidInput(f"The document has {exc.error_count()} invalid field(s): {where}.", errors=errors) from None


@dataclass
class _Problems:
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, loc: list[str | int], msg: str, type_: str = "reference_error") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(field_error(["body", *loc], msg, type_))

    def unique(self, section: str, keys: Iterable[Any], what: str) -> None:
        seen: set[Any] = set()
        for i, key in enumerate(keys):
            if key is None:
                continue
            if key in seen:
                self.add([section, i], f"{what} {key!r} appears twice", "duplicate")
            seen.add(key)

    def refers(self, loc: list[str | int], value: int | None, known: set[int], what: str) -> None:
        if value is not None and value not in known:
            self.add(loc, f"no {what} with id {value} in the document")


def check_document(doc: EventDocument) -> list[dict[str, Any]]:
    """Every reference points inside the document and no rule of the database is broken (pure)."""
    p = _Problems()
    for key in sorted(set(doc.event.matching_weights or {}) - set(DEFAULT_WEIGHTS.to_dict())):
        p.add(["event", "matching_weights", key], f"unknown weight; known: {', '.join(DEFAULT_WEIGHTS.to_dict())}")
    sessions = {s.id for s in doc.sessions}
    tables = {t.id for t in doc.tables}
    orgs = {o.id for o in doc.organisations}
    people = {x.id for x in doc.participants}
    requests = {r.id for r in doc.meeting_requests}
    jobs = {j.id for j in doc.jobs}
    p.unique("sessions", (s.id for s in doc.sessions), "session id")
    p.unique("tables", (t.id for t in doc.tables), "table id")
    p.unique("tables", (t.name for t in doc.tables), "table name")
    p.unique("sectors", (s.slug.lower() for s in doc.sectors), "sector")
    p.unique("organisations", (o.id for o in doc.organisations), "organisation id")
    p.unique("organisations", ((fold(o.name), o.country) for o in doc.organisations), "organisation (name, country)")
    _check_organisations(doc, p, orgs)
    _check_participants(doc, p, orgs, sessions)
    p.unique("meeting_requests", (r.id for r in doc.meeting_requests), "request id")
    p.unique("meetings", (m.id for m in doc.meetings), "meeting id")
    p.unique("jobs", (j.id for j in doc.jobs), "job id")
    for i, b in enumerate(doc.blocks):
        p.refers(["blocks", i, "participant_id"], b.participant_id, people, "participant")
        p.refers(["blocks", i, "blocked_id"], b.blocked_id, people, "participant")
    p.unique("blocks", ((b.participant_id, b.blocked_id) for b in doc.blocks), "block")
    for i, r in enumerate(doc.meeting_requests):
        p.refers(["meeting_requests", i, "from_participant_id"], r.from_participant_id, people, "participant")
        p.refers(["meeting_requests", i, "to_participant_id"], r.to_participant_id, people, "participant")
        if r.from_participant_id == r.to_participant_id:
            p.add(["meeting_requests", i], "a request needs two different participants", "value_error")
    open_pairs = (
        tuple(sorted((r.from_participant_id, r.to_participant_id))) if r.status in OPEN_REQUEST else None
        for r in doc.meeting_requests
    )
    p.unique("meeting_requests", open_pairs, "open request between participants")
    _check_meetings(doc.meetings, p, people, requests, tables)
    for i, s in enumerate(doc.suggestions):
        p.refers(["suggestions", i, "participant_id"], s.participant_id, people, "participant")
        p.refers(["suggestions", i, "partner_id"], s.partner_id, people, "participant")
        p.refers(["suggestions", i, "run_id"], s.run_id, jobs, "job")
    p.unique("suggestions", ((s.participant_id, s.partner_id) for s in doc.suggestions), "suggestion pair")
    for i, e in enumerate(doc.erasures):
        p.refers(["erasures", i, "participant_id"], e.participant_id, people, "participant")
    p.unique("erasures", (e.participant_id for e in doc.erasures), "erased participant")
    return p.items


def _check_organisations(doc: EventDocument, p: _Problems, orgs: set[int]) -> None:
    for i, o in enumerate(doc.organisations):
        for j, cluster in enumerate(o.cluster_ids):
            p.refers(["organisations", i, "cluster_ids", j], cluster, orgs - {o.id}, "other organisation")
        if len(fold(o.name)) > 300:
            p.add(["organisations", i, "name"], "at most 300 characters once accents are folded", "value_error")


def _check_participants(doc: EventDocument, p: _Problems, orgs: set[int], sessions: set[int]) -> None:
    for i, x in enumerate(doc.participants):
        p.refers(["participants", i, "organisation_id"], x.organisation_id, orgs, "organisation")
        for j, sid in enumerate(x.session_ids or []):
            p.refers(["participants", i, "session_ids", j], sid, sessions, "session")
    p.unique("participants", (x.id for x in doc.participants), "participant id")
    p.unique("participants", (x.email.lower() for x in doc.participants), "email")
    p.unique("participants", (x.external_id for x in doc.participants), "external_id")
    p.unique("participants", (x.token_hash for x in doc.participants), "token_hash")
    opportunities = (o.id for x in doc.participants for o in (*x.offers, *x.requests))
    p.unique("participants", opportunities, "opportunity id")


def _check_meetings(
    meetings: Sequence[MeetingDoc], p: _Problems, people: set[int], requests: set[int], tables: set[int]
) -> None:
    seats: set[tuple[int, datetime]] = set()
    cells: list[tuple[int, datetime] | None] = []
    for i, m in enumerate(meetings):
        a, b = m.participant_ids
        p.refers(["meetings", i, "participant_ids", 0], a, people, "participant")
        p.refers(["meetings", i, "participant_ids", 1], b, people, "participant")
        p.refers(["meetings", i, "request_id"], m.request_id, requests, "meeting request")
        p.refers(["meetings", i, "table_id"], m.table_id, tables, "table")
        if a == b:
            p.add(["meetings", i, "participant_ids"], "a meeting needs two different participants", "value_error")
        scheduled = m.status == "scheduled"
        if scheduled and (m.starts_at is None or m.ends_at is None):
            p.add(["meetings", i], "a scheduled meeting needs starts_at and ends_at", "value_error")
        start = m.starts_at.astimezone(UTC) if scheduled and m.starts_at else None
        for who in (a, b):
            if start is None:
                break
            if (who, start) in seats:
                p.add(["meetings", i], f"participant {who} has another scheduled meeting at {start}", "duplicate")
            seats.add((who, start))
        cells.append((m.table_id, start) if start and m.table_id is not None else None)
    p.unique("meetings", (m.request_id for m in meetings), "request_id")
    p.unique("meetings", cells, "table and slot (table_id, starts_at)")


# --- import: writing ------------------------------------------------------------------------


@dataclass
class _Ids:
    """Document id -> new id, per kind."""

    organisations: dict[int, int] = field(default_factory=dict)
    sessions: dict[int, int] = field(default_factory=dict)
    tables: dict[int, int] = field(default_factory=dict)
    participants: dict[int, int] = field(default_factory=dict)
    opportunities: dict[int, int] = field(default_factory=dict)
    requests: dict[int, int] = field(default_factory=dict)
    meetings: dict[int, int] = field(default_factory=dict)
    jobs: dict[int, int] = field(default_factory=dict)


async def _insert_returning(session: AsyncSession, table: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Bulk insert; the new ids in the order of ``rows``."""
    ids: list[int] = []
    for i in range(0, len(rows), CHUNK):
        result = await session.execute(
            insert(table).returning(table.id, sort_by_parameter_order=True), list(rows[i : i + CHUNK])
        )
        ids.extend(cast(int, r[0]) for r in result.all())
    return ids


def _map(doc_ids: Iterable[int], new_ids: Sequence[int]) -> dict[int, int]:
    return dict(zip(doc_ids, new_ids, strict=True))


async def _insert(session: AsyncSession, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        await session.execute(insert(table), list(rows[i : i + CHUNK]))


async def _slug_for(session: AsyncSession, wanted: str) -> str:
    existing = await session.scalar(select(col(Event.id)).where(col(Event.slug) == wanted))
    if existing is not None:
        raise Conflict(
            f"The slug '{wanted}' is taken by event {existing} in this database. Import again with another slug "
            f"(POST /api/v1/events/import?slug={wanted}-copy), or rename or delete event {existing} first.",
            existing_id=existing,
        )
    return wanted


async def _sectors_in(session: AsyncSession, doc: EventDocument) -> int:
    """Sectors the organisations name: missing ones come from the document's list. Returns how many were added."""
    known = set((await session.scalars(select(col(Sector.slug)))).all())
    given = {s.slug.lower(): s.name for s in doc.sectors}
    p = _Problems()
    for i, o in enumerate(doc.organisations):
        for j, slug in enumerate(o.sectors):
            if slug not in known and slug not in given:
                p.add(
                    ["organisations", i, "sectors", j], f"sector '{slug}' is neither in this database nor in 'sectors'"
                )
    if p.items:
        raise InvalidInput("The document names sectors it does not define.", errors=p.items)
    missing = [{"slug": s, "name": n, "created_at": utcnow()} for s, n in given.items() if s not in known]
    await _insert(session, Sector, missing)
    return len(missing)


async def _organisations_by_key(session: AsyncSession, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(folded name, country) -> id of the organisations that exist, for the given keys."""
    wanted = set(keys)
    names = sorted({name for name, _ in wanted})
    found: dict[tuple[str, str], int] = {}
    for i in range(0, len(names), CHUNK):
        for oid, key, country in await session.execute(
            select(col(Organisation.id), col(Organisation.name_key), col(Organisation.country)).where(
                col(Organisation.name_key).in_(names[i : i + CHUNK])
            )
        ):
            if (key, country) in wanted:
                found[(key, country)] = cast(int, oid)
    return found


async def _organisations_in(session: AsyncSession, doc: EventDocument, ids: _Ids, organiser_id: int) -> int:
    """Reuse organisations with the same folded name and country; create the others. Returns how many were new."""
    keys = {o.id: (fold(o.name), o.country) for o in doc.organisations}
    existing = await _organisations_by_key(session, keys.values())
    new = [o for o in doc.organisations if keys[o.id] not in existing]
    rows = [
        o.model_dump(mode="python", exclude={"id", "sectors", "cluster_ids"})
        | {
            "name_key": keys[o.id][0],
            "created_by": organiser_id,
            "kind": o.kind.value,
            "esca_label": o.esca_label.value,
        }
        for o in new
    ]
    await _insert(session, Organisation, rows)  # ids come back by key: RETURNING goes row by row on SQLite
    found = await _organisations_by_key(session, [keys[o.id] for o in new]) | existing
    ids.organisations = {o.id: found[keys[o.id]] for o in doc.organisations}
    created = {o.id for o in new}
    sectors = [
        {"organisation_id": ids.organisations[o.id], "sector_slug": s} for o in new for s in dict.fromkeys(o.sectors)
    ]
    await _insert(session, OrganisationSector, sectors)
    links = {
        (ids.organisations[o.id], ids.organisations[c])
        for o in doc.organisations
        for c in o.cluster_ids
        if o.id in created or c in created  # an existing organisation keeps its memberships as they are
    }
    await _insert(session, Membership, [{"member_id": m, "cluster_id": c} for m, c in sorted(links)])
    return len(new)


async def _event_in(session: AsyncSession, doc: EventDocument, slug: str, organiser_id: int, ids: _Ids) -> int:
    values = doc.event.model_dump(mode="python", exclude={"slug", "matching_weights"})
    values |= {"slug": slug, "status": doc.event.status.value, "matching_weights": doc.event.matching_weights}
    (event_id,) = await _insert_returning(session, Event, [values])
    await _insert(session, EventOrganiser, [{"event_id": event_id, "organiser_id": organiser_id}])
    sessions = [s.model_dump(exclude={"id"}) | {"event_id": event_id} for s in doc.sessions]
    ids.sessions = _map((s.id for s in doc.sessions), await _insert_returning(session, EventSession, sessions))
    tables = [t.model_dump(exclude={"id"}) | {"event_id": event_id} for t in doc.tables]
    ids.tables = _map((t.id for t in doc.tables), await _insert_returning(session, EventTable, tables))
    return event_id


async def _taken_tokens(session: AsyncSession, hashes: Sequence[str]) -> set[str]:
    taken: set[str | None] = set()
    for i in range(0, len(hashes), CHUNK):
        taken.update(
            (
                await session.scalars(
                    select(col(Participant.token_hash)).where(col(Participant.token_hash).in_(hashes[i : i + CHUNK]))
                )
            ).all()
        )
    return {t for t in taken if t}


def _participant_rows(doc: EventDocument, event_id: int, ids: _Ids, taken: set[str]) -> list[dict[str, Any]]:
    rows = []
    for x in doc.participants:
        values = x.model_dump(exclude={"id", "offers", "requests", "session_ids", "blocked_slots"})
        token = x.token_hash if x.token_hash and x.token_hash not in taken else None
        rows.append(
            values
            | {
                "event_id": event_id,
                "organisation_id": ids.organisations[x.organisation_id],
                "email_key": x.email.lower(),
                "session_ids": [ids.sessions[s] for s in x.session_ids] if x.session_ids is not None else None,
                "blocked_slots": sorted({b.astimezone(UTC).isoformat() for b in x.blocked_slots}),
                "token_hash": token,
                "token_issued_at": x.token_issued_at if token else None,
            }
        )
    return rows


def _opportunity_rows(doc: EventDocument, ids: _Ids) -> tuple[list[int], list[dict[str, Any]]]:
    """Document ids and rows of every offer and request, in document order."""
    keys, rows = [], []
    for x in doc.participants:
        pid = ids.participants[x.id]
        for direction, items in (("offer", x.offers), ("request", x.requests)):
            for o in items:
                keys.append(o.id)
                rows.append(
                    o.model_dump(exclude={"id"}) | {"type": o.type.value, "participant_id": pid, "direction": direction}
                )
    return keys, rows


async def _participants_in(
    session: AsyncSession, doc: EventDocument, event_id: int, ids: _Ids, keep_tokens: bool
) -> tuple[int, int]:
    """Participants and their opportunities. Returns (tokens kept, tokens dropped)."""
    hashes = [x.token_hash for x in doc.participants if x.token_hash]
    taken = await _taken_tokens(session, hashes) if keep_tokens else set(hashes)
    rows = await anyio.to_thread.run_sync(_participant_rows, doc, event_id, ids, taken)
    await _insert(session, Participant, rows)  # ids come back by email, unique per event
    by_email = dict(
        (
            await session.execute(
                select(col(Participant.email_key), col(Participant.id)).where(col(Participant.event_id) == event_id)
            )
        ).all()
    )
    ids.participants = {x.id: cast(int, by_email[x.email.lower()]) for x in doc.participants}
    keys, opportunities = await anyio.to_thread.run_sync(_opportunity_rows, doc, ids)
    if doc.suggestions:  # their reasons name opportunities: those ids must follow
        ids.opportunities = _map(keys, await _insert_returning(session, Opportunity, opportunities))
    else:  # ids do not matter: one bulk insert (RETURNING in order goes row by row on SQLite)
        await _insert(session, Opportunity, opportunities)
    dropped = len(taken & set(hashes))
    return len(hashes) - dropped, dropped


async def _requests_in(session: AsyncSession, doc: EventDocument, event_id: int, ids: _Ids) -> None:
    people = ids.participants
    blocks = [
        b.model_dump() | {"participant_id": people[b.participant_id], "blocked_id": people[b.blocked_id]}
        for b in doc.blocks
    ]
    await _insert(session, ParticipantBlock, blocks)
    rows = []
    for r in doc.meeting_requests:
        a, b = people[r.from_participant_id], people[r.to_participant_id]
        rows.append(
            r.model_dump(exclude={"id"})
            | {
                "event_id": event_id,
                "from_participant_id": a,
                "to_participant_id": b,
                "pair_low": min(a, b),
                "pair_high": max(a, b),
                "status": r.status.value,
            }
        )
    ids.requests = _map((r.id for r in doc.meeting_requests), await _insert_returning(session, MeetingRequest, rows))


async def _meetings_in(session: AsyncSession, doc: EventDocument, event_id: int, ids: _Ids) -> None:
    rows, seats = [], []
    for m in doc.meetings:
        a, b = (ids.participants[p] for p in m.participant_ids)
        values = m.model_dump(exclude={"id", "participant_ids"})
        rows.append(
            values
            | {
                "event_id": event_id,
                "a_id": a,
                "b_id": b,
                "status": m.status.value,
                "request_id": ids.requests[m.request_id] if m.request_id is not None else None,
                "table_id": ids.tables[m.table_id] if m.table_id is not None else None,
            }
        )
    ids.meetings = _map((m.id for m in doc.meetings), await _insert_returning(session, Meeting, rows))
    for m in doc.meetings:
        if m.status == "scheduled" and m.starts_at is not None:
            seats += [
                {"meeting_id": ids.meetings[m.id], "participant_id": ids.participants[p], "starts_at": m.starts_at}
                for p in m.participant_ids
            ]
    await _insert(session, MeetingSeat, seats)


def _job_result(result: dict[str, Any] | None, meetings: dict[int, int]) -> dict[str, Any] | None:
    """A scheduling run lists the meetings it could not place: those ids follow the meetings (null when gone)."""
    if not result or not isinstance(result.get("unplaced"), list):
        return result
    unplaced = [
        u | {"meeting_id": meetings.get(u["meeting_id"])} if isinstance(u, dict) and "meeting_id" in u else u
        for u in result["unplaced"]
    ]
    return result | {"unplaced": unplaced}


def _reasons(s: SuggestionDoc, opportunities: dict[int, int]) -> list[dict[str, Any]]:
    """Reasons name the opportunities they pair (``mine_id``, ``theirs_id``): those follow the new ids."""
    out = []
    for reason in s.reasons:
        r = dict(reason)
        for key in ("mine_id", "theirs_id"):
            if isinstance(r.get(key), int):
                r[key] = opportunities.get(r[key])
        out.append(r)
    return out


async def _history_in(session: AsyncSession, doc: EventDocument, event_id: int, ids: _Ids) -> None:
    jobs = [
        j.model_dump(exclude={"id"}) | {"event_id": event_id, "result": _job_result(j.result, ids.meetings)}
        for j in doc.jobs
    ]
    ids.jobs = _map((j.id for j in doc.jobs), await _insert_returning(session, Job, jobs))
    people = ids.participants

    def suggestion_rows() -> list[dict[str, Any]]:
        return [
            s.model_dump(exclude={"reasons"})
            | {
                "event_id": event_id,
                "participant_id": people[s.participant_id],
                "partner_id": people[s.partner_id],
                "run_id": ids.jobs[s.run_id] if s.run_id is not None else None,
                "reasons": _reasons(s, ids.opportunities),
            }
            for s in doc.suggestions
        ]

    await _insert(session, Suggestion, await anyio.to_thread.run_sync(suggestion_rows))
    erasures = [
        e.model_dump() | {"participant_id": people[e.participant_id], "event_id": event_id} for e in doc.erasures
    ]
    await _insert(session, ParticipantErasure, erasures)


async def import_document(
    session: AsyncSession, raw: bytes, organiser_id: int, *, slug: str | None = None, keep_tokens: bool = True
) -> EventImportResult:
    """Recreate the document's event in this database, all or nothing; the caller becomes its organiser."""
    doc = await anyio.to_thread.run_sync(parse_document, raw)
    problems = await anyio.to_thread.run_sync(check_document, doc)
    if problems:
        raise InvalidInput(
            f"The document does not hold together ({len(problems)} problem(s)); nothing was imported.", errors=problems
        )
    new_slug = await _slug_for(session, slug or doc.event.slug)
    ids = _Ids()
    try:
        sectors_created = await _sectors_in(session, doc)
        organisations_created = await _organisations_in(session, doc, ids, organiser_id)
        event_id = await _event_in(session, doc, new_slug, organiser_id, ids)
        kept, dropped = await _participants_in(session, doc, event_id, ids, keep_tokens)
        await _requests_in(session, doc, event_id, ids)
        await _meetings_in(session, doc, event_id, ids)
        await _history_in(session, doc, event_id, ids)
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "The document conflicts with data in this database (a unique or reference rule); nothing was imported. "
            f"Database said: {str(exc.orig).splitlines()[0][:300]}"
        ) from None
    return EventImportResult(
        event_id=event_id,
        slug=new_slug,
        organisations_created=organisations_created,
        organisations_reused=len(doc.organisations) - organisations_created,
        sectors_created=sectors_created,
        tokens_kept=kept,
        tokens_dropped=dropped,
        counts=ImportCounts(
            sessions=len(doc.sessions),
            tables=len(doc.tables),
            participants=len(doc.participants),
            opportunities=sum(len(x.offers) + len(x.requests) for x in doc.participants),
            blocks=len(doc.blocks),
            meeting_requests=len(doc.meeting_requests),
            meetings=len(doc.meetings),
            jobs=len(doc.jobs),
            suggestions=len(doc.suggestions),
            erasures=len(doc.erasures),
        ),
    )
