"""Participants of an event, their opportunities and personal access tokens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app import notify
from app.db import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from app.models import Event, EventSession, Notification, Opportunity, Organisation, Participant, ParticipantErasure
from app.schemas.common import Page
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
from app.services.common import fold, in_zone, page_of, sorted_by


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


def _opp_read(o: Opportunity, tz: str) -> OpportunityRead:
    return OpportunityRead.model_validate(
        {**o.model_dump(), "created_at": in_zone(o.created_at, tz), "updated_at": in_zone(o.updated_at, tz)}
    )


async def read_many(
    session: AsyncSession, event: Event, people: Sequence[Participant], viewer: Viewer
) -> list[ParticipantRead]:
    """Reads of several participants in three queries; private fields only for who may see them."""
    ids = [p.id for p in people if p.id is not None]
    summaries = await orgs.summaries(session, (p.organisation_id for p in people))
    opps = await opportunities_of(session, ids)
    tz = event.timezone
    out = []
    for p in people:
        private = viewer.is_organiser or viewer.participant_id == p.id
        mine = opps.get(p.id or 0, [])
        out.append(
            ParticipantRead(
                id=p.id or 0,
                event_id=p.event_id,
                external_id=p.external_id,
                name=p.name,
                email=p.email if private else None,
                job_title=p.job_title,
                languages=p.languages,
                organisation=summaries[p.organisation_id],
                session_ids=p.session_ids if private else None,
                blocked_slots=[in_zone(datetime.fromisoformat(b), tz) for b in p.blocked_slots] if private else None,
                max_meetings=p.max_meetings if private else None,
                listed=p.listed,
                offers=[_opp_read(o, tz) for o in mine if o.direction == "offer"],
                requests=[_opp_read(o, tz) for o in mine if o.direction == "request"],
                version=p.version,
                created_at=in_zone(p.created_at, tz),
                updated_at=in_zone(p.updated_at, tz),
            )
        )
    return out


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


async def participant_by_token(session: AsyncSession, token: str) -> Participant | None:
    return await session.scalar(select(Participant).where(col(Participant.token_hash) == hash_participant_token(token)))


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
