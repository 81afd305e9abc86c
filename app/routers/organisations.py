from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.conditional import PRECONDITION_FAILED, IfMatchDep, set_etag, with_etag
from app.deps import OrganiserDep, PagingDep, SessionDep, Sort, id_path
from app.problems import problem_responses
from app.schemas.common import NO_NUL, OrganisationKind, OrganisationSort, Page
from app.schemas.organisation import (
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
    SectorCreate,
    SectorRead,
)
from app.services import organisations as service

router = APIRouter(tags=["organisations"])
OrgId = Annotated[int, id_path("Organisation")]


@router.get(
    "/organisations",
    response_model=Page[OrganisationRead],
    summary="List organisations",
    description="Public profiles, filtered by text (`q` in name, description, city), country, kind and sector.",
    operation_id="organisations_list",
    responses=problem_responses(422),
)
async def list_organisations(
    session: SessionDep,
    page: PagingDep,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL, description="Text search")] = None,
    country: Annotated[
        str | None, Query(min_length=2, max_length=2, pattern=NO_NUL, description="ISO 3166-1 alpha-2")
    ] = None,
    kind: Annotated[OrganisationKind | None, Query(description="Only organisations of this kind")] = None,
    sector: Annotated[str | None, Query(max_length=64, pattern=NO_NUL, description="Sector slug")] = None,
    sort: Sort[OrganisationSort] = None,
) -> Page[OrganisationRead]:
    return await service.list_organisations(
        session, q=q, country=country, kind=kind, sector=sector, limit=page.limit, offset=page.offset, sort=sort or ()
    )


@router.post(
    "/organisations",
    response_model=OrganisationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an organisation",
    description="Organisers only. The same name (ignoring case and accents) in the same country is refused with 409.",
    operation_id="organisations_create",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_organisation(
    data: OrganisationCreate, session: SessionDep, organiser: OrganiserDep
) -> OrganisationRead:
    return await service.create_organisation(session, data, created_by=organiser.id)


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationRead,
    summary="Read an organisation",
    description="A public profile.",
    operation_id="organisations_get",
    responses=with_etag("The organisation", 404, 422),
)
async def get_organisation(organisation_id: OrgId, session: SessionDep, response: Response) -> OrganisationRead:
    read = await service.read_organisation(session, organisation_id)
    set_etag(response, read.version)
    return read


@router.patch(
    "/organisations/{organisation_id}",
    response_model=OrganisationRead,
    summary="Update an organisation",
    description="Its creator, or an organiser of an event where it takes part. Only the fields given change; "
    "`sectors` and `cluster_ids` replace the lists. Send the ETag of your last read in `If-Match` to apply "
    "the change only if nobody changed the organisation since (else 412); the answer carries the new ETag.",
    operation_id="organisations_update",
    responses=with_etag("The organisation as changed", 401, 403, 404, 409, 422, if_match=True),
)
async def update_organisation(
    organisation_id: OrgId,
    data: OrganisationUpdate,
    session: SessionDep,
    organiser: OrganiserDep,
    expected: IfMatchDep,
    response: Response,
) -> OrganisationRead:
    updated = await service.update_organisation(
        session, organisation_id, data, organiser_id=organiser.id, expected=expected
    )
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/organisations/{organisation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an organisation",
    description="Its creator, or an organiser of an event where it takes part; refused with 409 while "
    "participants represent it. With `If-Match`, only if it is still at that version (else 412).",
    operation_id="organisations_delete",
    responses=problem_responses(401, 403, 404, 409, 422) | PRECONDITION_FAILED,
)
async def delete_organisation(
    organisation_id: OrgId, session: SessionDep, organiser: OrganiserDep, expected: IfMatchDep
) -> Response:
    await service.delete_organisation(session, organisation_id, organiser_id=organiser.id, expected=expected)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/organisations/{organisation_id}/members",
    response_model=Page[OrganisationRead],
    summary="List a cluster's members",
    description="Organisations that name this cluster in their `cluster_ids`.",
    operation_id="organisation_members_list",
    responses=problem_responses(404, 422),
)
async def list_members(
    organisation_id: OrgId, session: SessionDep, page: PagingDep, sort: Sort[OrganisationSort] = None
) -> Page[OrganisationRead]:
    return await service.list_members(session, organisation_id, page.limit, page.offset, sort or ())


@router.get(
    "/sectors",
    response_model=list[SectorRead],
    summary="List sectors",
    description="The controlled sector vocabulary used by organisations.",
    operation_id="sectors_list",
)
async def list_sectors(session: SessionDep) -> list[SectorRead]:
    return await service.list_sectors(session)


@router.post(
    "/sectors",
    response_model=SectorRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a sector",
    description="Organisers only: extends the vocabulary.",
    operation_id="sectors_create",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_sector(data: SectorCreate, session: SessionDep, _: OrganiserDep) -> SectorRead:
    return await service.create_sector(session, data)
