"""Organisations (public profiles), the sector vocabulary and cluster memberships."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.db import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from app.models import Membership, Organisation, OrganisationSector, Participant, Sector
from app.schemas.common import Page
from app.schemas.organisation import (
    OrganisationCreate,
    OrganisationRead,
    OrganisationSummary,
    OrganisationUpdate,
    SectorCreate,
    SectorRead,
)
from app.services import versions
from app.services.common import fold, like_pattern, page_of, sorted_by

DEFAULT_SECTORS: dict[str, str] = {
    "agrifood": "Agri-food",
    "automotive": "Automotive",
    "aerospace": "Aerospace",
    "ict": "ICT",
    "energy": "Energy",
    "construction": "Construction",
    "creative-industries": "Creative industries",
    "textiles": "Textiles and clothing",
    "wood-furniture": "Wood and furniture",
    "tourism": "Tourism",
    "health": "Health",
    "biotech": "Biotechnology",
    "circular-economy": "Circular economy",
    "logistics": "Logistics",
    "maritime": "Maritime",
    "advanced-manufacturing": "Advanced manufacturing",
    "smart-cities": "Smart cities",
    "digital-innovation-hubs": "Digital innovation hubs",
}


# --- sectors -------------------------------------------------------------------------


async def ensure_default_sectors(session: AsyncSession) -> None:
    known = set((await session.scalars(select(col(Sector.slug)))).all())
    missing = [{"slug": s, "name": n, "created_at": utcnow()} for s, n in DEFAULT_SECTORS.items() if s not in known]
    if missing:
        await session.execute(insert(Sector), missing)


async def list_sectors(session: AsyncSession) -> list[SectorRead]:
    rows = (await session.scalars(select(Sector).order_by(col(Sector.slug)))).all()
    return [SectorRead.model_validate(r) for r in rows]


async def create_sector(session: AsyncSession, data: SectorCreate) -> SectorRead:
    if await session.get(Sector, data.slug) is not None:
        raise Conflict(f"Sector '{data.slug}' exists already.")
    sector = Sector(slug=data.slug, name=data.name)
    session.add(sector)
    await session.flush()
    return SectorRead.model_validate(sector)


async def known_sectors(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(col(Sector.slug)))).all())


def unknown_sector_errors(sectors: Iterable[str], known: set[str], loc: list[str | int]) -> list[dict[str, Any]]:
    bad = sorted({s for s in sectors if s not in known})
    if not bad:
        return []
    return [
        field_error(
            loc,
            f"unknown sector(s) {', '.join(bad)}; use one of: {', '.join(sorted(known))} "
            "(organisers can add sectors at /api/v1/sectors)",
        )
    ]


# --- organisations -------------------------------------------------------------------


async def _sectors_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    if ids:
        rows = await session.execute(
            select(col(OrganisationSector.organisation_id), col(OrganisationSector.sector_slug))
            .where(col(OrganisationSector.organisation_id).in_(ids))
            .order_by(col(OrganisationSector.sector_slug))
        )
        for org_id, slug in rows:
            out[org_id].append(slug)
    return out


async def summaries(session: AsyncSession, ids: Iterable[int]) -> dict[int, OrganisationSummary]:
    """Organisation summaries by id, in two queries whatever the number."""
    id_list = sorted(set(ids))
    if not id_list:
        return {}
    rows = await session.execute(
        select(
            col(Organisation.id),
            col(Organisation.name),
            col(Organisation.kind),
            col(Organisation.country),
            col(Organisation.city),
        ).where(col(Organisation.id).in_(id_list))
    )  # plain rows, not ORM objects: this runs for every page that shows participants
    sectors = await _sectors_of(session, id_list)
    return {
        id_: OrganisationSummary(id=id_, name=name, kind=kind, country=country, city=city, sectors=sectors.get(id_, []))
        for id_, name, kind, country, city in rows
        if id_ is not None  # a primary key: always, but typed optional
    }


async def _read_many(session: AsyncSession, orgs: Sequence[Organisation]) -> list[OrganisationRead]:
    ids = [o.id for o in orgs if o.id is not None]
    sectors = await _sectors_of(session, ids)
    clusters: dict[int, list[int]] = defaultdict(list)
    members: dict[int, int] = {}
    if ids:
        for member_id, cluster_id in await session.execute(
            select(col(Membership.member_id), col(Membership.cluster_id))
            .where(col(Membership.member_id).in_(ids))
            .order_by(col(Membership.cluster_id))
        ):
            clusters[member_id].append(cluster_id)
        for cluster_id, n in await session.execute(
            select(col(Membership.cluster_id), func.count())
            .where(col(Membership.cluster_id).in_(ids))
            .group_by(col(Membership.cluster_id))
        ):
            members[cluster_id] = n
    return [
        OrganisationRead.model_validate(
            {
                **o.model_dump(),
                "sectors": sectors.get(o.id or 0, []),
                "cluster_ids": clusters.get(o.id or 0, []),
                "member_count": members.get(o.id or 0, 0),
            }
        )
        for o in orgs
    ]


def text_match(q: str, *columns: Any) -> ColumnElement[bool]:
    """Case-insensitive substring search over several columns."""
    pattern = like_pattern(q)
    return or_(*(func.lower(c).like(pattern, escape="\\") for c in columns))


def organisation_filters(*, country: str | None, kind: str | None, sector: str | None) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``Organisation`` for the country, kind and sector filters of lists."""
    clauses: list[ColumnElement[bool]] = []
    if country:
        clauses.append(col(Organisation.country) == country.upper())
    if kind:
        clauses.append(col(Organisation.kind) == kind)
    if sector:
        clauses.append(
            exists().where(
                col(OrganisationSector.organisation_id) == col(Organisation.id),
                col(OrganisationSector.sector_slug) == sector.lower(),
            )
        )
    return clauses


async def get_organisation(session: AsyncSession, org_id: int) -> Organisation:
    org = await session.get(Organisation, org_id)
    if org is None:
        raise NotFound(f"Organisation {org_id} does not exist.")
    return org


async def read_organisation(session: AsyncSession, org_id: int) -> OrganisationRead:
    return (await _read_many(session, [await get_organisation(session, org_id)]))[0]


# The fields of OrganisationSort.
ORGANISATION_SORT: dict[str, Any] = {
    "name": col(Organisation.name),
    "country": col(Organisation.country),
    "created_at": col(Organisation.created_at),
}


async def list_organisations(
    session: AsyncSession,
    *,
    q: str | None,
    country: str | None,
    kind: str | None,
    sector: str | None,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
) -> Page[OrganisationRead]:
    stmt = select(Organisation)
    if q:
        stmt = stmt.where(text_match(q, col(Organisation.name), col(Organisation.description), col(Organisation.city)))
    stmt = stmt.where(*organisation_filters(country=country, kind=kind, sector=sector))
    stmt = stmt.order_by(col(Organisation.name), col(Organisation.id))
    stmt = sorted_by(stmt, sort, ORGANISATION_SORT, col(Organisation.id))
    rows, total = await page_of(session, stmt, limit, offset)
    return Page(items=await _read_many(session, rows), total=total, limit=limit, offset=offset)


async def _check_unique(session: AsyncSession, name: str, country: str, exclude_id: int | None) -> None:
    stmt = select(col(Organisation.id)).where(
        col(Organisation.name_key) == fold(name), col(Organisation.country) == country
    )
    existing = await session.scalar(stmt)
    if existing is not None and existing != exclude_id:
        raise Conflict(
            f"An organisation named '{name}' in {country} exists already (id {existing}).",
            existing_id=existing,
        )


async def _check_sectors(session: AsyncSession, sectors: list[str]) -> None:
    errors = unknown_sector_errors(sectors, await known_sectors(session), ["body", "sectors"])
    if errors:
        raise InvalidInput("Unknown sector.", errors=errors)


async def _check_clusters(session: AsyncSession, cluster_ids: list[int], self_id: int | None) -> None:
    if not cluster_ids:
        return
    found = dict(
        (
            await session.execute(
                select(col(Organisation.id), col(Organisation.kind)).where(col(Organisation.id).in_(cluster_ids))
            )
        ).all()
    )
    errors = []
    for i, cid in enumerate(cluster_ids):
        if cid == self_id:
            errors.append(field_error(["body", "cluster_ids", i], "an organisation cannot be its own member"))
        elif cid not in found:
            errors.append(field_error(["body", "cluster_ids", i], f"organisation {cid} does not exist"))
        elif found[cid] != "cluster":
            errors.append(field_error(["body", "cluster_ids", i], f"organisation {cid} is not a cluster"))
    if errors:
        raise InvalidInput("Memberships must name existing clusters.", errors=errors)


async def _set_links(
    session: AsyncSession, org_id: int, sectors: list[str] | None, cluster_ids: list[int] | None
) -> None:
    if sectors is not None:
        await session.execute(delete(OrganisationSector).where(col(OrganisationSector.organisation_id) == org_id))
        if sectors:
            await session.execute(
                insert(OrganisationSector),
                [{"organisation_id": org_id, "sector_slug": s} for s in dict.fromkeys(sectors)],
            )
    if cluster_ids is not None:
        await session.execute(delete(Membership).where(col(Membership.member_id) == org_id))
        if cluster_ids:
            await session.execute(
                insert(Membership), [{"member_id": org_id, "cluster_id": c} for c in dict.fromkeys(cluster_ids)]
            )


async def require_editor(session: AsyncSession, org: Organisation, organiser_id: int) -> None:
    """Profiles are public but not everyone's to edit: their creator, or an organiser of an
    event where the organisation is represented, may change them."""
    from app.models import EventOrganiser

    if org.created_by == organiser_id:
        return
    represented = await session.scalar(
        select(col(Participant.id))
        .join(EventOrganiser, col(EventOrganiser.event_id) == col(Participant.event_id))
        .where(col(Participant.organisation_id) == org.id, col(EventOrganiser.organiser_id) == organiser_id)
        .limit(1)
    )
    if represented is None:
        raise Forbidden(
            f"Organisation {org.id} is managed by another organiser; you may edit it once it takes part in one of "
            "your events."
        )


async def create_organisation(
    session: AsyncSession, data: OrganisationCreate, created_by: int | None = None
) -> OrganisationRead:
    await _check_unique(session, data.name, data.country, None)
    await _check_sectors(session, data.sectors)
    await _check_clusters(session, data.cluster_ids, None)
    fields = data.model_dump(exclude={"sectors", "cluster_ids"}, mode="json")
    org = Organisation(**fields, name_key=fold(data.name), created_by=created_by)
    session.add(org)
    await session.flush()
    assert org.id is not None
    await _set_links(session, org.id, data.sectors, data.cluster_ids)
    return await read_organisation(session, org.id)


async def update_organisation(
    session: AsyncSession,
    org_id: int,
    data: OrganisationUpdate,
    organiser_id: int | None = None,
    expected: frozenset[int] | None = None,
) -> OrganisationRead:
    """Apply the fields given; with ``expected`` versions (If-Match) only if it is still at one."""
    org = await get_organisation(session, org_id)
    if organiser_id is not None:
        await require_editor(session, org, organiser_id)
    await versions.claim(session, org, expected, f"organisation {org_id}")
    changes = data.model_dump(exclude_unset=True, mode="json")
    for required in ("name", "kind", "country", "description", "keywords", "esca_label"):
        if required in changes and changes[required] is None:
            raise InvalidInput(
                f"'{required}' cannot be null.", errors=[field_error(["body", required], "may not be null")]
            )
    name, country = changes.get("name", org.name), changes.get("country", org.country)
    if "name" in changes or "country" in changes:
        await _check_unique(session, name, country, org_id)
    sectors, cluster_ids = changes.pop("sectors", None), changes.pop("cluster_ids", None)
    if sectors is not None:
        await _check_sectors(session, sectors)
    if cluster_ids is not None:
        await _check_clusters(session, cluster_ids, org_id)
    for key, value in changes.items():
        setattr(org, key, value)
    org.name_key = fold(name)
    org.updated_at = utcnow()
    await session.flush()
    await _set_links(session, org_id, sectors, cluster_ids)
    # its participants' profiles changed: they are re-ranked on their next read
    await session.execute(
        update(Participant)
        .where(col(Participant.organisation_id) == org_id)
        .values(version=col(Participant.version) + 1)
        .execution_options(synchronize_session=False)
    )
    return await read_organisation(session, org_id)


async def delete_organisation(
    session: AsyncSession, org_id: int, organiser_id: int | None = None, expected: frozenset[int] | None = None
) -> None:
    org = await get_organisation(session, org_id)
    if organiser_id is not None:
        await require_editor(session, org, organiser_id)
    if expected is not None:
        await versions.claim(session, org, expected, f"organisation {org_id}")
    used = await session.scalar(select(func.count()).where(col(Participant.organisation_id) == org_id))
    if used:
        raise Conflict(f"Organisation {org_id} is represented by {used} participant(s); remove them first.")
    await session.delete(org)
    await session.flush()


async def list_members(
    session: AsyncSession, cluster_id: int, limit: int, offset: int, sort: Sequence[str] = ()
) -> Page[OrganisationRead]:
    await get_organisation(session, cluster_id)
    stmt = (
        select(Organisation)
        .join(Membership, col(Membership.member_id) == col(Organisation.id))
        .where(col(Membership.cluster_id) == cluster_id)
        .order_by(col(Organisation.name), col(Organisation.id))
    )
    stmt = sorted_by(stmt, sort, ORGANISATION_SORT, col(Organisation.id))
    rows, total = await page_of(session, stmt, limit, offset)
    return Page(items=await _read_many(session, rows), total=total, limit=limit, offset=offset)
