"""Matching around the pure engine: records from SQL, runs, stored suggestions, refreshes.

Freshness rule: a participant whose profile changed after the last run is re-ranked against
the fitted event (``MatchingEngine.refresh``) right after the change (a background task) and,
at the latest, when their suggestions are next read. The refresh also slots the newcomer into
the stored lists of partners it now beats, so those partners see it on their next read; the
rest of the event is only re-ranked by the next full run.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from pydantic import TypeAdapter
from sqlalchemy import BindParameter, CompoundSelect, bindparam, delete, insert, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app import notify
from app.db import BULK_ROWS, analyze, session_scope, utcnow
from app.errors import InvalidInput, NotFound
from app.jobs import JobContext
from app.matching import DEFAULT_WEIGHTS, ENGINE_VERSION, MatchingEngine
from app.matching.types import MatchingWeights, OpportunityText, ParticipantRecord
from app.matching.types import Suggestion as EngineSuggestion
from app.models import Event, Job, Opportunity, Organisation, OrganisationSector, Participant, ParticipantBlock
from app.models import Suggestion as SuggestionRow
from app.models.erasure import ParticipantErasure
from app.schemas.common import Page
from app.schemas.matching import SuggestionRead
from app.services import jobs as job_service
from app.services.common import in_zone, page_rows, revalidated_body, sorted_by
from app.services.participants import Viewer, get_participant, reads_by_version

CHUNK = 2000


def event_weights(event: Event) -> MatchingWeights:
    if not event.matching_weights:
        return DEFAULT_WEIGHTS
    return MatchingWeights(**{**DEFAULT_WEIGHTS.to_dict(), **event.matching_weights})


# --- records ----------------------------------------------------------------------------


async def _exclusions(session: AsyncSession, event_id: int, only: Sequence[int] | None) -> dict[int, set[int]]:
    """Partners each participant never wants suggested: hidden or blocked ones, declined requests."""
    if only is not None:
        return {pid: set(await excluded_partners(session, event_id, pid)) for pid in only}
    from app.services.exclusions import declined_pairs

    out: dict[int, set[int]] = defaultdict(set)
    rows = await session.execute(
        select(col(ParticipantBlock.participant_id), col(ParticipantBlock.blocked_id))
        .join(Participant, col(Participant.id) == col(ParticipantBlock.participant_id))
        .where(col(Participant.event_id) == event_id)
    )
    for pid, blocked in rows:
        out[pid].add(blocked)
    for a, b in await declined_pairs(session, event_id):
        out[a].add(b)
        out[b].add(a)
    return out


async def load_records(
    session: AsyncSession, event_id: int, only: Sequence[int] | None = None
) -> tuple[list[ParticipantRecord], dict[int, int]]:
    """Engine records of an event's participants (or of ``only``), and their profile versions."""
    stmt = select(Participant, Organisation).join(
        Organisation, col(Organisation.id) == col(Participant.organisation_id)
    )
    stmt = stmt.where(col(Participant.event_id) == event_id)
    # erased participants' tombstones carry no data to match and get no list of their own
    erased = select(col(ParticipantErasure.participant_id)).where(
        col(ParticipantErasure.participant_id) == col(Participant.id)
    )
    stmt = stmt.where(~erased.exists())
    if only is not None:
        stmt = stmt.where(col(Participant.id).in_(only))
    pairs = (await session.execute(stmt.order_by(col(Participant.id)))).all()
    org_ids = sorted({o.id for _, o in pairs if o.id is not None})
    sectors: dict[int, list[str]] = defaultdict(list)
    for i in range(0, len(org_ids), CHUNK):
        for oid, slug in await session.execute(
            select(col(OrganisationSector.organisation_id), col(OrganisationSector.sector_slug))
            .where(col(OrganisationSector.organisation_id).in_(org_ids[i : i + CHUNK]))
            .order_by(col(OrganisationSector.sector_slug))
        ):
            sectors[oid].append(slug)
    ids = [p.id for p, _ in pairs if p.id is not None]
    opps: dict[int, list[Opportunity]] = defaultdict(list)
    for i in range(0, len(ids), CHUNK):
        for o in await session.scalars(
            select(Opportunity)
            .where(col(Opportunity.participant_id).in_(ids[i : i + CHUNK]))
            .order_by(col(Opportunity.participant_id), col(Opportunity.position), col(Opportunity.id))
        ):
            opps[o.participant_id].append(o)
    exclusions = await _exclusions(session, event_id, only)
    # building thousands of records is CPU work: not on the event loop
    records = await anyio.to_thread.run_sync(lambda: [_record(p, o, sectors, opps, exclusions) for p, o in pairs])
    return records, {p.id or 0: p.version for p, _ in pairs}


def _record(
    p: Participant,
    o: Organisation,
    sectors: dict[int, list[str]],
    opps: dict[int, list[Opportunity]],
    exclusions: dict[int, set[int]],
) -> ParticipantRecord:
    assert p.id is not None and o.id is not None
    mine = opps.get(p.id, [])

    def text(x: Opportunity) -> OpportunityText:
        return OpportunityText(x.id or 0, x.title, x.description, tuple(x.keywords), x.type)

    profile = " ".join(part for part in (o.name, o.description, " ".join(o.keywords), p.job_title or "") if part)
    return ParticipantRecord(
        id=p.id,
        organisation_id=o.id,
        organisation_kind=o.kind,
        country=o.country,
        sectors=tuple(sectors.get(o.id, [])),
        languages=tuple(p.languages),
        profile_text=profile,
        offers=tuple(text(x) for x in mine if x.direction == "offer"),
        requests=tuple(text(x) for x in mine if x.direction == "request"),
        exclusions=frozenset(exclusions.get(p.id, ())),
        listed=p.listed,
    )


# --- the fitted engines of this process --------------------------------------------------


@dataclass
class _Fitted:
    engine: MatchingEngine
    run_id: int


class EngineCache:
    """Fitted engines by event, so one refresh takes milliseconds, not a refit.

    Each event has a lock: refreshes mutate the engine and must not interleave.
    """

    def __init__(self, capacity: int = 8) -> None:
        self._items: OrderedDict[int, _Fitted] = OrderedDict()
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.capacity = capacity

    def lock(self, event_id: int) -> asyncio.Lock:
        return self._locks[event_id]

    def get(self, event_id: int, run_id: int) -> MatchingEngine | None:
        item = self._items.get(event_id)
        if item is None or item.run_id != run_id:
            return None
        self._items.move_to_end(event_id)
        return item.engine

    def put(self, event_id: int, run_id: int, engine: MatchingEngine) -> None:
        self._items[event_id] = _Fitted(engine, run_id)
        self._items.move_to_end(event_id)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)


# --- full runs --------------------------------------------------------------------------


def _rows(
    event_id: int, run_id: int | None, owner: int, items: Iterable[EngineSuggestion], source: str
) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "event_id": event_id,
            "participant_id": owner,
            "partner_id": s.partner_id,
            "run_id": run_id,
            "engine_version": ENGINE_VERSION,
            "rank": s.rank,
            "score": float(s.score),
            "score_for_me": float(s.score_for_me),
            "score_for_them": float(s.score_for_them),
            "reasons": [r.to_dict() for r in s.reasons],
            "source": source,
            "created_at": now,
        }
        for s in items
    ]


async def run_matching(ctx: JobContext, cache: EngineCache, top_k: int) -> dict[str, Any]:
    """The matching job: fit the event, rank everyone, replace the stored suggestions."""
    t0 = time.perf_counter()
    async with session_scope(ctx.sessionmaker) as session:
        event = await session.get(Event, ctx.event_id)
        if event is None:
            raise NotFound(f"Event {ctx.event_id} is gone.")
        weights = event_weights(event)
        records, versions = await load_records(session, ctx.event_id)
    t1 = time.perf_counter()
    ctx.set_progress(0.05)

    def compute() -> tuple[MatchingEngine, dict[int, tuple[EngineSuggestion, ...]]]:
        engine = MatchingEngine(weights, top_k=top_k).fit(records)
        return engine, engine.suggest_all(progress=lambda f: ctx.set_progress(0.05 + 0.85 * f))

    async with cache.lock(ctx.event_id):
        engine, ranked = await anyio.to_thread.run_sync(compute)
        t2 = time.perf_counter()
        rows = [row for owner, items in ranked.items() for row in _rows(ctx.event_id, ctx.job_id, owner, items, "run")]
        async with session_scope(ctx.sessionmaker) as session:
            alive = set(
                (
                    await session.scalars(select(col(Participant.id)).where(col(Participant.event_id) == ctx.event_id))
                ).all()
            )
            rows = [r for r in rows if r["participant_id"] in alive and r["partner_id"] in alive]
            versions = {pid: v for pid, v in versions.items() if pid in alive}
            await session.execute(delete(SuggestionRow).where(col(SuggestionRow.event_id) == ctx.event_id))
            for i in range(0, len(rows), CHUNK):
                await session.execute(insert(SuggestionRow), rows[i : i + CHUNK])
            if len(rows) >= BULK_ROWS:
                await analyze(session, "suggestion")
            await _mark_matched(session, versions)
            owners = {r["participant_id"] for r in rows}
            notify.suggestions_refreshed(session, ctx.event_id, owners, run_id=ctx.job_id, source="run")
        cache.put(ctx.event_id, ctx.job_id, engine)
    t3 = time.perf_counter()
    return {
        "engine_version": ENGINE_VERSION,
        "participants": len(records),
        "suggestions": len(rows),
        "weights": weights.to_dict(),
        "timings": {"load_s": round(t1 - t0, 4), "engine_s": round(t2 - t1, 4), "store_s": round(t3 - t2, 4)},
    }


async def _mark_matched(session: AsyncSession, versions: dict[int, int]) -> None:
    by_version: dict[int, list[int]] = defaultdict(list)
    for pid, version in versions.items():
        by_version[version].append(pid)
    for version, ids in by_version.items():
        for i in range(0, len(ids), CHUNK):
            await session.execute(
                update(Participant).where(col(Participant.id).in_(ids[i : i + CHUNK])).values(matched_version=version)
            )


# --- refresh of one participant ---------------------------------------------------------


async def _fitted_engine(
    sessionmaker: async_sessionmaker[AsyncSession], cache: EngineCache, event: Event, run: Job, top_k: int
) -> MatchingEngine:
    """The cached engine of the event's last run, or one fitted now (a cold process)."""
    assert event.id is not None and run.id is not None
    engine = cache.get(event.id, run.id)
    if engine is None:
        async with session_scope(sessionmaker) as session:
            records, _ = await load_records(session, event.id)
        weights = event_weights(event)
        engine = await anyio.to_thread.run_sync(lambda: MatchingEngine(weights, top_k=top_k).fit(records))
        cache.put(event.id, run.id, engine)
    return engine


async def profile_changed(session: AsyncSession, event_id: int, participant_id: int) -> bool:
    """Whether the participant's profile changed since it was last ranked (so a refresh is due).

    Read in the request's own session, where the token check has usually loaded the row already: the
    common answer, "no", then costs no query and no second connection (load benchmark, bench/README-load.md).
    """
    participant = await session.get(Participant, participant_id)
    if participant is None or participant.event_id != event_id:
        return False
    return participant.matched_version != participant.version


async def refresh_participant(
    sessionmaker: async_sessionmaker[AsyncSession], cache: EngineCache, event_id: int, participant_id: int, top_k: int
) -> bool:
    """Re-rank one participant if their profile changed since it was ranked. True if it ran."""
    async with session_scope(sessionmaker) as session:
        event = await session.get(Event, event_id)
        run = await job_service.latest_succeeded(session, event_id, "matching")
        participant = await session.get(Participant, participant_id)
        if event is None or run is None or participant is None or participant.event_id != event_id:
            return False
        if participant.matched_version == participant.version:
            return False
    async with cache.lock(event_id):
        engine = await _fitted_engine(sessionmaker, cache, event, run, top_k)
        async with session_scope(sessionmaker) as session:
            records, versions = await load_records(session, event_id, only=[participant_id])
            if not records:
                return False
            result = await anyio.to_thread.run_sync(engine.refresh, records[0])
            await _store_refresh(session, event_id, participant_id, result.own, result.reverse, top_k)
            await _mark_matched(session, versions)
            notify.suggestions_refreshed(session, event_id, [participant_id], run_id=None, source="refresh")
    return True


async def _store_refresh(
    session: AsyncSession,
    event_id: int,
    participant_id: int,
    own: Sequence[EngineSuggestion],
    reverse: dict[int, EngineSuggestion],
    top_k: int,
) -> None:
    await session.execute(delete(SuggestionRow).where(col(SuggestionRow.participant_id) == participant_id))
    if own:
        await session.execute(insert(SuggestionRow), _rows(event_id, None, participant_id, own, "refresh"))
    if reverse:
        await _slot_into_partner_lists(session, event_id, participant_id, reverse, top_k)


async def _slot_into_partner_lists(
    session: AsyncSession, event_id: int, newcomer: int, reverse: dict[int, EngineSuggestion], top_k: int
) -> None:
    """Put the newcomer into each partner's stored list where it beats that list's weakest entry."""
    excluded = set(await excluded_partners(session, event_id, newcomer))
    reverse = {p: s for p, s in reverse.items() if p not in excluded}
    partners = list(reverse)
    await session.execute(
        delete(SuggestionRow).where(
            col(SuggestionRow.partner_id) == newcomer, col(SuggestionRow.participant_id).in_(partners)
        )
    )
    stored: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for owner, score, row_id in await session.execute(
        select(col(SuggestionRow.participant_id), col(SuggestionRow.score), col(SuggestionRow.id)).where(
            col(SuggestionRow.participant_id).in_(partners)
        )
    ):
        stored[owner].append((score, row_id or 0))
    add: list[dict[str, Any]] = []
    drop: list[int] = []
    for partner, suggestion in reverse.items():
        current = sorted(stored.get(partner, []))
        if len(current) >= top_k:
            if suggestion.score <= current[0][0]:
                continue
            drop.append(current[0][1])
        add.extend(_rows(event_id, None, partner, [suggestion], "refresh"))
    if drop:
        await session.execute(delete(SuggestionRow).where(col(SuggestionRow.id).in_(drop)))
    if add:
        await session.execute(insert(SuggestionRow), add)
        await _rerank(session, [row["participant_id"] for row in add])


async def _rerank(session: AsyncSession, owners: Sequence[int]) -> None:
    """Ranks 1..n by score within each owner's stored list."""
    rows = await session.execute(
        select(col(SuggestionRow.id), col(SuggestionRow.participant_id), col(SuggestionRow.score))
        .where(col(SuggestionRow.participant_id).in_(owners))
        .order_by(col(SuggestionRow.participant_id), col(SuggestionRow.score).desc(), col(SuggestionRow.partner_id))
    )
    updates, last, rank = [], None, 0
    for row_id, owner, _ in rows:
        rank = rank + 1 if owner == last else 1
        last = owner
        updates.append({"id": row_id, "rank": rank})
    if updates:
        await session.execute(update(SuggestionRow), updates)


# --- reading and hiding -----------------------------------------------------------------


_SUGGESTION_PAGE = TypeAdapter(Page[SuggestionRead])
_SUGGESTION_COLUMNS = (
    col(SuggestionRow.id),
    col(SuggestionRow.score),
    col(SuggestionRow.score_for_me),
    col(SuggestionRow.score_for_them),
    col(SuggestionRow.reasons),
    col(SuggestionRow.engine_version),
    col(SuggestionRow.source),
    col(SuggestionRow.created_at),
)


def _excluded_select(
    event_id: int | BindParameter[int], participant_id: int | BindParameter[int]
) -> CompoundSelect[int]:
    """Ids of the partners never to show this participant: hidden or blocked either way, or a declined
    request either way. One statement, so a read can use it as a subquery."""
    from app.models import MeetingRequest

    block, request = ParticipantBlock, MeetingRequest
    declined = (col(request.event_id) == event_id, col(request.status) == "declined")
    return union_all(
        select(col(block.blocked_id)).where(col(block.participant_id) == participant_id),
        select(col(block.participant_id)).where(col(block.blocked_id) == participant_id),
        select(col(request.to_participant_id)).where(*declined, col(request.from_participant_id) == participant_id),
        select(col(request.from_participant_id)).where(*declined, col(request.to_participant_id) == participant_id),
    )


_PARTNER = Participant.__table__.alias("partner")  # type: ignore[attr-defined]
# Built once (constructing SQLAlchemy expressions costs more than running the query): bound per call.
_SUGGESTION_PAGE_ROWS = (
    select(  # plain rows, not ORM objects: what identifies a page
        col(SuggestionRow.id),
        col(SuggestionRow.partner_id),
        col(SuggestionRow.rank),
        col(SuggestionRow.run_id),
        _PARTNER.c.version.label("partner_version"),
    )
    .join(_PARTNER, _PARTNER.c.id == col(SuggestionRow.partner_id))
    .where(
        col(SuggestionRow.participant_id) == bindparam("me"),
        _PARTNER.c.listed.is_(True),
        col(SuggestionRow.partner_id).not_in(_excluded_select(bindparam("event"), bindparam("me")).scalar_subquery()),
    )
    .order_by(col(SuggestionRow.rank), col(SuggestionRow.score).desc(), col(SuggestionRow.partner_id))
)
_SUGGESTION_SORT_COLUMNS = {
    "rank": col(SuggestionRow.rank),
    "score": col(SuggestionRow.score),
    "score_for_me": col(SuggestionRow.score_for_me),
    "score_for_them": col(SuggestionRow.score_for_them),
}


async def suggestions_page_json(
    session: AsyncSession,
    event: Event,
    participant_id: int,
    viewer: Viewer,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
    if_none_match: str | None = None,
) -> tuple[bytes | None, str | None]:
    """One page of the participant's suggestions as JSON (a ``Page[SuggestionRead]``) and its ETag; no
    body when ``if_none_match`` names the current ETag (the client's copy is current).

    The apps' main screen, re-read after every meeting (bench/README-load.md): the page query reads
    only what identifies the page, and an unchanged page comes from the sessionmaker's page cache. Its
    key names everything the page is built from: the stored rows (a row's fields never change once
    written, except its rank and, if its run is deleted, its run id: both in the key), the partners'
    profile versions, the viewer's kind (organisers see partners' private fields), the time zone, the
    paging and the total. Hidden, blocked, declined or unlisted partners change the rows, hence the key.
    The ETag is a digest of the key: the same key, the same bytes.
    """
    assert event.id is not None
    await get_participant(session, event.id, participant_id)
    stmt = sorted_by(_SUGGESTION_PAGE_ROWS, sort, _SUGGESTION_SORT_COLUMNS, col(SuggestionRow.partner_id))
    rows, total = await page_rows(session, stmt, limit, offset, {"me": participant_id, "event": event.id})
    tz = event.timezone
    key = (
        "suggestions", participant_id, viewer.is_organiser, tz, limit, offset, tuple(sort), total,
        tuple((r.id, r.rank, r.run_id, r.partner_id, r.partner_version) for r in rows),
    )  # fmt: skip

    async def build() -> tuple[bytes, bool]:
        page = await _suggestion_page(session, event, viewer, rows, total, limit, offset)
        return _SUGGESTION_PAGE.dump_json(page), len(page.items) == len(rows)

    return await revalidated_body(session, key, if_none_match, build)


async def _suggestion_page(
    session: AsyncSession, event: Event, viewer: Viewer, rows: Sequence[Any], total: int, limit: int, offset: int
) -> Page[SuggestionRead]:
    tz = event.timezone
    details = {
        r.id: r
        for r in await session.execute(
            select(*_SUGGESTION_COLUMNS).where(col(SuggestionRow.id).in_([r.id for r in rows]))
        )
    } if rows else {}  # fmt: skip
    public = await reads_by_version(session, event, viewer, ((r.partner_id, r.partner_version) for r in rows))
    items = []
    for r in rows:
        d = details.get(r.id)
        if d is None or r.partner_id not in public:
            continue  # deleted between the two reads (an erasure, a new run): left out of this page
        items.append(
            SuggestionRead(
                participant=public[r.partner_id],
                rank=r.rank,
                score=d.score,
                score_for_me=d.score_for_me,
                score_for_them=d.score_for_them,
                reasons=d.reasons,
                run_id=r.run_id,
                engine_version=d.engine_version,
                source=d.source,
                created_at=in_zone(d.created_at, tz),
            )
        )
    return Page(items=items, total=total, limit=limit, offset=offset)


async def excluded_partners(session: AsyncSession, event_id: int, participant_id: int) -> list[int]:
    """Partners never to show this participant: hidden or blocked either way, or a declined request.

    Checked when reading, because a fitted engine only learns of new blocks at its next fit.
    """
    return sorted(set((await session.scalars(_excluded_select(event_id, participant_id))).all()))


async def hide_suggestion(session: AsyncSession, event: Event, participant_id: int, partner_id: int) -> None:
    """'Not interested': the partner never comes back in this participant's suggestions."""
    assert event.id is not None
    await get_participant(session, event.id, participant_id)
    if partner_id == participant_id:
        raise InvalidInput("You cannot hide yourself.")
    await get_participant(session, event.id, partner_id)
    existing = await session.get(ParticipantBlock, (participant_id, partner_id))
    if existing is None:
        session.add(ParticipantBlock(participant_id=participant_id, blocked_id=partner_id, reason="hidden"))
    await session.execute(
        delete(SuggestionRow).where(
            col(SuggestionRow.participant_id) == participant_id, col(SuggestionRow.partner_id) == partner_id
        )
    )
    await session.flush()


async def unhide_suggestion(session: AsyncSession, event: Event, participant_id: int, partner_id: int) -> None:
    assert event.id is not None
    await get_participant(session, event.id, participant_id)
    block = await session.get(ParticipantBlock, (participant_id, partner_id))
    if block is None:
        raise NotFound(f"Participant {partner_id} is not hidden.")
    await session.delete(block)
    p = await get_participant(session, event.id, participant_id)
    p.matched_version = None  # re-rank on next read
    await session.flush()
