"""Participants of an event, their opportunities and personal access tokens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app import notify
from app.db import read_cache, utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from app.models import Event, EventSession, Notification, Opportunity, Organisation, Participant, ParticipantErasure
from app.schemas.common import Direction, OpportunityType, Page
from app.schemas.participant import (
    ORGANISER_ONLY_FIELDS,
    AccessToken,
    OpportunityCreate,
    OpportunityIn,
    OpportunityRead,
    OpportunityUpdate,
    OrganisationRef,
    ParticipantCreate,
    ParticipantRead,
    ParticipantUpdate,
)
from app.security import hash_participant_token, new_participant_token
from app.services import organisations as orgs
from app.services import versions
from app.services.common import fold, page_of, sorted_by


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking: decides which private fields a read shows."""

    organiser_id: int | None = None
    participant_id: int | None = None

    @property
    def is_organiser(self) -> bool:
        return self.organiser_id is not None


async def get_participant(session: AsyncSession, event_id: int, participant_id: int) -> Participant:
    p = await session.get(Participant, participant_id)
    if p is None or p.event_id != event_id:
        raise NotFound(f"Event {event_id} has no participant {participant_id}.")
    return p


async def opportunities_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Opportunity]]:
    out: dict[int, list[Opportunity]] = defaultdict(list)
    if ids:
        rows = await session.scalars(
            select(Opportunity)
            .where(col(Opportunity.participant_id).in_(ids))
            .order_by(col(Opportunity.participant_id), col(Opportunity.position), col(Opportunity.id))
        )
        for o in rows:
            out[o.participant_id].append(o)
    return out


_DIRECTIONS = {d.value: d for d in Direction}
_TYPES = {t.value: t for t in OpportunityType}


def _opp_read(o: Opportunity, tz: str) -> OpportunityRead:
    return _opportunity_read(o, ZoneInfo(tz))


def _opportunity_read(o: Any, zone: ZoneInfo) -> OpportunityRead:
    """The read of an opportunity row (an ORM object or a plain row with the same names). Our own rows,
    accepted by the input models when written: constructed unvalidated, enum members by dict lookup
    (``Enum(value)`` is slow on the hot path of every page that shows profiles)."""
    return OpportunityRead.model_construct(
        id=o.id,
        participant_id=o.participant_id,
        direction=_DIRECTIONS[o.direction],
        type=_TYPES[o.type],
        title=o.title,
        description=o.description,
        keywords=o.keywords,
        created_at=o.created_at.astimezone(zone),
        updated_at=o.updated_at.astimezone(zone),
    )


_OPPORTUNITY_READ_COLUMNS = (
    col(Opportunity.id),
    col(Opportunity.participant_id),
    col(Opportunity.direction),
    col(Opportunity.type),
    col(Opportunity.title),
    col(Opportunity.description),
    col(Opportunity.keywords),
    col(Opportunity.created_at),
    col(Opportunity.updated_at),
)


async def opportunity_reads(
    session: AsyncSession, ids: Sequence[int], tz: str
) -> dict[int, tuple[list[OpportunityRead], list[OpportunityRead]]]:
    """(offers, requests) of each participant, read as plain rows, not ORM objects (the hot path of every
    page that shows profiles, bench/README-load.md)."""
    out: dict[int, tuple[list[OpportunityRead], list[OpportunityRead]]] = {}
    if not ids:
        return out
    zone = ZoneInfo(tz)
    rows = await session.execute(
        select(*_OPPORTUNITY_READ_COLUMNS)
        .where(col(Opportunity.participant_id).in_(ids))
        .order_by(col(Opportunity.participant_id), col(Opportunity.position), col(Opportunity.id))
    )
    for row in rows:
        offers, requests = out.get(row.participant_id) or out.setdefault(row.participant_id, ([], []))
        (offers if row.direction == "offer" else requests).append(_opportunity_read(row, zone))
    return out


def public_profile_key(participant_id: int, version: int, tz: str) -> tuple[str, int, int, str]:
    """What a participant's public profile is built from: the profile version grows with every change
    of the profile, its offers and requests and its organisation (and erasure), the time zone renders
    its times."""
    return ("public", participant_id, version, tz)


async def reads_by_version(
    session: AsyncSession, event: Event, viewer: Viewer, versions: Iterable[tuple[int, int]]
) -> dict[int, ParticipantRead]:
    """Reads of the participants named by (id, profile version), as a page query read them: public
    profiles found in the profile cache cost no query; the others are loaded and read by :func:`read_many`."""
    wanted = dict(versions)
    out: dict[int, ParticipantRead] = {}
    cache = read_cache(session, "profiles")
    if cache is not None and not viewer.is_organiser:
        for pid, version in wanted.items():
            hit = cache.get(public_profile_key(pid, version, event.timezone))
            if hit is not None:
                out[pid] = hit
    missing = [pid for pid in wanted if pid not in out]
    if missing:
        people = (await session.scalars(select(Participant).where(col(Participant.id).in_(missing)))).all()
        out.update((r.id, r) for r in await read_many(session, event, people, viewer))
    return out


async def read_many(
    session: AsyncSession, event: Event, people: Sequence[Participant], viewer: Viewer
) -> list[ParticipantRead]:
    """Reads of several participants in three queries; private fields only for who may see them.

    Public reads (another participant looking) come from the sessionmaker's profile cache when their
    profile version is known there: suggestion pages, agendas and partner profiles show the same few
    thousand profiles over and over (bench/README-load.md).
    """
    tz = event.timezone
    cache = read_cache(session, "profiles")
    done: dict[int, ParticipantRead] = {}
    if cache is not None:
        for p in people:
            if p.id is not None and not _sees_private(viewer, p.id):
                hit = cache.get(public_profile_key(p.id, p.version, tz))
                if hit is not None:
                    done[p.id] = hit
    todo = [p for p in people if p.id is not None and p.id not in done]
    summaries = await orgs.summaries(session, (p.organisation_id for p in todo))
    opps = await opportunity_reads(session, [p.id for p in todo if p.id is not None], tz)
    zone = ZoneInfo(tz)
    none: tuple[list[OpportunityRead], list[OpportunityRead]] = ([], [])
    for p in todo:
        assert p.id is not None
        private = _sees_private(viewer, p.id)
        offers, requests = opps.get(p.id, none)
        read = ParticipantRead(
            id=p.id,
            event_id=p.event_id,
            external_id=p.external_id,
            name=p.name,
            email=p.email if private else None,
            job_title=p.job_title,
            languages=p.languages,
            organisation=summaries[p.organisation_id],
            session_ids=p.session_ids if private else None,
            blocked_slots=[datetime.fromisoformat(b).astimezone(zone) for b in p.blocked_slots] if private else None,
            max_meetings=p.max_meetings if private else None,
            listed=p.listed,
            offers=offers,
            requests=requests,
            version=p.version,
            created_at=p.created_at.astimezone(zone),
            updated_at=p.updated_at.astimezone(zone),
        )
        done[p.id] = read
        if cache is not None and not private:
            cache.put(public_profile_key(p.id, p.version, tz), read)
    return [done[p.id] for p in people if p.id is not None]


def _sees_private(viewer: Viewer, participant_id: int) -> bool:
    return viewer.is_organiser or viewer.participant_id == participant_id


async def read_participant(session: AsyncSession, event: Event, participant_id: int, viewer: Viewer) -> ParticipantRead:
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    if not viewer.is_organiser and not p.listed and viewer.participant_id != p.id:
        raise NotFound(f"Event {event.id} has no participant {participant_id}.")
    return (await read_many(session, event, [p], viewer))[0]


async def list_participants(
    session: AsyncSession,
    event: Event,
    viewer: Viewer,
    *,
    q: str | None,
    country: str | None,
    kind: str | None,
    sector: str | None,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
) -> Page[ParticipantRead]:
    stmt = (
        select(Participant)
        .join(Organisation, col(Organisation.id) == col(Participant.organisation_id))
        .where(col(Participant.event_id) == event.id)
    )
    if not viewer.is_organiser:
        stmt = stmt.where(or_(col(Participant.listed).is_(True), col(Participant.id) == viewer.participant_id))
    if q:
        stmt = stmt.where(orgs.text_match(q, col(Participant.name), col(Organisation.name), col(Participant.job_title)))
    stmt = stmt.where(*orgs.organisation_filters(country=country, kind=kind, sector=sector))
    stmt = stmt.order_by(col(Participant.name), col(Participant.id))
    columns = {
        "name": col(Participant.name),
        "organisation": col(Organisation.name),
        "created_at": col(Participant.created_at),
    }
    stmt = sorted_by(stmt, sort, columns, col(Participant.id))
    rows, total = await page_of(session, stmt, limit, offset)
    return Page(items=await read_many(session, event, rows, viewer), total=total, limit=limit, offset=offset)


async def resolve_organisation(session: AsyncSession, ref: OrganisationRef) -> int:
    """An existing organisation with this name and country, or a new one."""
    found = await session.scalar(
        select(col(Organisation.id)).where(
            col(Organisation.name_key) == fold(ref.name), col(Organisation.country) == ref.country
        )
    )
    if found is not None:
        return int(found)
    from app.schemas.organisation import OrganisationCreate

    created = await orgs.create_organisation(
        session, OrganisationCreate.model_validate(ref.model_dump() | {"website": ref.website or None})
    )
    return created.id


async def _check_sessions(session: AsyncSession, event_id: int, session_ids: list[int] | None) -> None:
    if not session_ids:
        return
    known = set(
        (await session.scalars(select(col(EventSession.id)).where(col(EventSession.event_id) == event_id))).all()
    )
    errors = [
        field_error(["body", "session_ids", i], f"event has no session {sid}")
        for i, sid in enumerate(session_ids)
        if sid not in known
    ]
    if errors:
        raise InvalidInput("Unknown session.", errors=errors)


async def _slot_keys(session: AsyncSession, event: Event, starts: list[datetime]) -> list[str]:
    """Blocked slots as UTC ISO keys; each must be a slot start of the event's grid."""
    from app.services.events import sessions_of
    from app.services.grid import build_grid

    assert event.id is not None
    grid = {s.starts_at for s in build_grid(event, await sessions_of(session, event.id))}
    errors = [
        field_error(
            ["body", "blocked_slots", i], f"{t.isoformat()} is not a slot start of this event (see GET …/slots)"
        )
        for i, t in enumerate(starts)
        if t.astimezone(UTC) not in grid
    ]
    if errors:
        raise InvalidInput("Blocked slots must be slots of the event.", errors=errors)
    return sorted({t.astimezone(UTC).isoformat() for t in starts})


async def _check_email_free(session: AsyncSession, event_id: int, email: str, exclude_id: int | None) -> None:
    existing = await session.scalar(
        select(col(Participant.id)).where(
            col(Participant.event_id) == event_id, col(Participant.email_key) == email.lower()
        )
    )
    if existing is not None and existing != exclude_id:
        raise Conflict(
            f"Event {event_id} has a participant with email {email} already (id {existing}).", existing_id=existing
        )


async def _check_external_id_free(
    session: AsyncSession, event_id: int, external_id: str | None, exclude_id: int | None
) -> None:
    if external_id is None:
        return
    existing = await session.scalar(
        select(col(Participant.id)).where(
            col(Participant.event_id) == event_id, col(Participant.external_id) == external_id
        )
    )
    if existing is not None and existing != exclude_id:
        raise Conflict(f"Event {event_id} has a participant with external_id {external_id} already (id {existing}).")


def _new_opportunities(participant_id: int, direction: str, items: Sequence[OpportunityIn]) -> list[Opportunity]:
    return [
        Opportunity(participant_id=participant_id, direction=direction, position=i, **item.model_dump(mode="json"))
        for i, item in enumerate(items)
    ]


async def create_participant(session: AsyncSession, event: Event, data: ParticipantCreate) -> ParticipantRead:
    assert event.id is not None
    if (data.organisation_id is None) == (data.organisation is None):
        raise InvalidInput(
            "Give exactly one of organisation_id and organisation.",
            errors=[
                field_error(["body", "organisation_id"], "give organisation_id or an inline organisation, not both")
            ],
        )
    await _check_email_free(session, event.id, data.email, None)
    await _check_external_id_free(session, event.id, data.external_id, None)
    await _check_sessions(session, event.id, data.session_ids)
    if data.organisation_id is not None:
        org_id = data.organisation_id
        await orgs.get_organisation(session, org_id)
    else:
        assert data.organisation is not None
        org_id = await resolve_organisation(session, data.organisation)
    p = Participant(
        event_id=event.id,
        organisation_id=org_id,
        email_key=data.email.lower(),
        **data.model_dump(exclude={"organisation_id", "organisation", "offers", "requests"}),
    )
    session.add(p)
    await session.flush()
    assert p.id is not None
    session.add_all(_new_opportunities(p.id, "offer", data.offers) + _new_opportunities(p.id, "request", data.requests))
    await session.flush()
    return (await read_many(session, event, [p], Viewer(organiser_id=0)))[0]


async def update_participant(
    session: AsyncSession,
    event: Event,
    participant_id: int,
    data: ParticipantUpdate,
    viewer: Viewer,
    expected: frozenset[int] | None = None,
) -> ParticipantRead:
    """Apply the fields given; with ``expected`` versions (If-Match) only if the profile is still at one."""
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    await refuse_erased(session, [participant_id])
    changes = data.model_dump(exclude_unset=True)
    if not viewer.is_organiser and ORGANISER_ONLY_FIELDS & changes.keys():
        fields = ", ".join(sorted(ORGANISER_ONLY_FIELDS & changes.keys()))
        raise Forbidden(f"Only organisers may change {fields}.")
    await versions.claim(session, p, expected, f"participant {participant_id}")
    for key in ("name", "languages", "listed", "email", "organisation_id"):
        if key in changes and changes[key] is None:
            raise InvalidInput(f"'{key}' cannot be null.", errors=[field_error(["body", key], "may not be null")])
    if "email" in changes:
        await _check_email_free(session, event.id, changes["email"], p.id)
        p.email_key = changes["email"].lower()
    if "external_id" in changes:
        await _check_external_id_free(session, event.id, changes["external_id"], p.id)
    if "organisation_id" in changes:
        await orgs.get_organisation(session, changes["organisation_id"])
    if "session_ids" in changes:
        await _check_sessions(session, event.id, changes["session_ids"])
    cap = changes.get("max_meetings")
    if not viewer.is_organiser and cap is not None and cap > event.max_meetings_per_participant:
        raise Forbidden(
            "Participants may lower their meeting cap, not raise it above the event's "
            f"{event.max_meetings_per_participant}."
        )
    if "blocked_slots" in changes:
        changes["blocked_slots"] = await _slot_keys(session, event, changes["blocked_slots"] or [])
    for key, value in changes.items():
        setattr(p, key, value)
    p.updated_at = utcnow()  # the version moved in claim
    await session.flush()
    return (await read_many(session, event, [p], viewer))[0]


def touch(p: Participant) -> None:
    """Mark a profile change: bumps the version (ETags, fresh suggestions)."""
    p.version += 1
    p.updated_at = utcnow()


async def bump(session: AsyncSession, p: Participant) -> None:
    """Mark a profile change with ``version = version + 1`` in SQL: concurrent changes each count."""
    await versions.claim(session, p, None, f"participant {p.id}")
    p.updated_at = utcnow()


async def delete_participant(
    session: AsyncSession, event: Event, participant_id: int, expected: frozenset[int] | None = None
) -> None:
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    if expected is not None:
        await versions.claim(session, p, expected, f"participant {participant_id}")
    # Notifications before the participant: the outbox dispatcher's lock order (see events.delete_event).
    await session.execute(delete(Notification).where(col(Notification.recipient_id) == participant_id))
    await session.delete(p)
    await session.flush()


async def issue_token(session: AsyncSession, event: Event, participant_id: int, public_url: str) -> AccessToken:
    """A new personal token; the previous one stops working. Only its hash is kept."""
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    await refuse_erased(session, [participant_id])
    token = new_participant_token()
    p.token_hash = hash_participant_token(token)
    p.token_issued_at = utcnow()
    await session.flush()
    access = AccessToken(token=token, link=f"{public_url.rstrip('/')}/ui/#token={token}")
    notify.participant_invited(session, p, access.link)  # the invitation mail carries the link
    return access


async def refuse_erased(session: AsyncSession, participant_ids: Sequence[int]) -> None:
    """An erased participant is a tombstone: no new profile data, token, request or meeting."""
    erased = await session.scalar(
        select(col(ParticipantErasure.participant_id))
        .where(col(ParticipantErasure.participant_id).in_(participant_ids))
        .limit(1)
    )
    if erased is not None:
        raise Conflict(
            f"Participant {erased}'s personal data was erased; they take no further part in the event "
            "(register them anew if they come back)."
        )


_BY_TOKEN = (  # built once: every participant request runs it
    select(Participant, Event)
    .join(Event, col(Event.id) == col(Participant.event_id))
    .where(col(Participant.token_hash) == bindparam("token_hash"))
)


async def participant_by_token(session: AsyncSession, token: str) -> tuple[Participant, Event] | None:
    """The token's participant and their event, in one round trip: every participant request needs both."""
    row = (await session.execute(_BY_TOKEN, {"token_hash": hash_participant_token(token)})).first()
    return (row[0], row[1]) if row is not None else None


# --- opportunities ------------------------------------------------------------------


async def _get_opportunity(session: AsyncSession, participant_id: int, opportunity_id: int) -> Opportunity:
    o = await session.get(Opportunity, opportunity_id)
    if o is None or o.participant_id != participant_id:
        raise NotFound(f"Participant {participant_id} has no opportunity {opportunity_id}.")
    return o


async def create_opportunity(
    session: AsyncSession, event: Event, participant_id: int, data: OpportunityCreate
) -> OpportunityRead:
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    await refuse_erased(session, [participant_id])
    n = await session.scalar(select(func.count()).where(col(Opportunity.participant_id) == participant_id))
    if (n or 0) >= 40:
        raise Conflict("A participant can have at most 40 offers and requests.")
    o = Opportunity(participant_id=participant_id, position=int(n or 0), **data.model_dump(mode="json"))
    session.add(o)
    await bump(session, p)
    await session.flush()
    return _opp_read(o, event.timezone)


async def update_opportunity(
    session: AsyncSession, event: Event, participant_id: int, opportunity_id: int, data: OpportunityUpdate
) -> OpportunityRead:
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    o = await _get_opportunity(session, participant_id, opportunity_id)
    changes = data.model_dump(exclude_unset=True, mode="json")
    for key, value in changes.items():
        if value is None:
            raise InvalidInput(f"'{key}' cannot be null.", errors=[field_error(["body", key], "may not be null")])
        setattr(o, key, value)
    o.updated_at = utcnow()
    await bump(session, p)
    await session.flush()
    return _opp_read(o, event.timezone)


async def delete_opportunity(session: AsyncSession, event: Event, participant_id: int, opportunity_id: int) -> None:
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    o = await _get_opportunity(session, participant_id, opportunity_id)
    await session.delete(o)
    await bump(session, p)
    await session.flush()


async def list_opportunities(
    session: AsyncSession,
    event: Event,
    viewer: Viewer,
    *,
    participant_id: int | None,
    direction: str | None,
    type_: str | None,
    q: str | None,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
) -> Page[OpportunityRead]:
    stmt = (
        select(Opportunity)
        .join(Participant, col(Participant.id) == col(Opportunity.participant_id))
        .where(col(Participant.event_id) == event.id)
    )
    if not viewer.is_organiser:
        stmt = stmt.where(or_(col(Participant.listed).is_(True), col(Participant.id) == viewer.participant_id))
    if participant_id is not None:
        stmt = stmt.where(col(Opportunity.participant_id) == participant_id)
    if direction:
        stmt = stmt.where(col(Opportunity.direction) == direction)
    if type_:
        stmt = stmt.where(col(Opportunity.type) == type_)
    if q:
        stmt = stmt.where(orgs.text_match(q, col(Opportunity.title), col(Opportunity.description)))
    stmt = stmt.order_by(col(Opportunity.participant_id), col(Opportunity.position), col(Opportunity.id))
    columns = {
        "participant": col(Opportunity.participant_id),
        "title": col(Opportunity.title),
        "created_at": col(Opportunity.created_at),
    }
    stmt = sorted_by(stmt, sort, columns, col(Opportunity.id))
    rows, total = await page_of(session, stmt, limit, offset)
    return Page(items=[_opp_read(o, event.timezone) for o in rows], total=total, limit=limit, offset=offset)


async def delete_opportunities_of(session: AsyncSession, participant_ids: Sequence[int]) -> None:
    if participant_ids:
        await session.execute(delete(Opportunity).where(col(Opportunity.participant_id).in_(participant_ids)))
