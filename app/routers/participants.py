from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, status
from starlette.datastructures import UploadFile

from app.conditional import PRECONDITION_FAILED, IfMatchDep, set_etag, with_etag
from app.deps import (
    EventMemberDep,
    IdQuery,
    OrganisedEventDep,
    PagingDep,
    ParticipantIdPath,
    RefreshDep,
    SessionDep,
    SettingsDep,
    Sort,
    id_path,
)
from app.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from app.problems import problem_responses
from app.schemas.common import (
    NO_NUL,
    Direction,
    OpportunitySort,
    OpportunityType,
    OrganisationKind,
    Page,
    ParticipantExportFormat,
    ParticipantSort,
)
from app.schemas.erasure import ErasureRead
from app.schemas.participant import (
    AccessToken,
    ImportBody,
    ImportResult,
    OpportunityCreate,
    OpportunityRead,
    OpportunityUpdate,
    ParticipantCreate,
    ParticipantRead,
    ParticipantUpdate,
)
from app.services import erasure, imports
from app.services import participants as service

router = APIRouter(prefix="/events/{event_id}", tags=["participants"])


@router.get(
    "/participants",
    response_model=Page[ParticipantRead],
    summary="List an event's participants",
    description="Organisers see everyone with private fields; participants see the public profiles of "
    "listed participants (email, sessions and caps are null).",
    operation_id="participants_list",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_participants(
    access: EventMemberDep,
    session: SessionDep,
    page: PagingDep,
    q: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="Text in name, job title or organisation")
    ] = None,
    country: Annotated[
        str | None,
        Query(min_length=2, max_length=2, pattern=NO_NUL, description="Organisation's country, ISO 3166-1 alpha-2"),
    ] = None,
    kind: Annotated[OrganisationKind | None, Query(description="Organisation's kind")] = None,
    sector: Annotated[
        str | None, Query(max_length=64, pattern=NO_NUL, description="Organisation's sector slug")
    ] = None,
    sort: Sort[ParticipantSort] = None,
) -> Page[ParticipantRead]:
    return await service.list_participants(
        session,
        access.event,
        access.viewer,
        q=q,
        country=country,
        kind=kind,
        sector=sector,
        limit=page.limit,
        offset=page.offset,
        sort=sort or (),
    )


@router.post(
    "/participants",
    response_model=ParticipantRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register a participant",
    description="Organisers only. Give `organisation_id` or an inline `organisation` (matched by name and country).",
    operation_id="participants_create",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_participant(
    data: ParticipantCreate, event: OrganisedEventDep, session: SessionDep, refresh: RefreshDep
) -> ParticipantRead:
    created = await service.create_participant(session, event, data)
    refresh(created.event_id, created.id)
    return created


_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ImportBody"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary", "description": "CSV file"}},
                }
            },
        },
    }
}


async def _read_import(request: Request, max_bytes: int) -> tuple[list[dict[str, Any]], bool, imports.Problems | None]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        # (a multipart body is a little larger than its file: the file is checked exactly below, and
        # app.body_limit bounds the whole body)
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise PayloadTooLarge(
                f"The upload is larger than {max_bytes // (1024 * 1024)} MB; split it into several files."
            )
        body = await _read_bounded(request, max_bytes)
        try:
            data = await anyio.to_thread.run_sync(json.loads, body)
        except RecursionError:
            raise InvalidInput('The JSON is nested too deeply; send {"participants": [...]}.') from None
        except ValueError as exc:  # also bad UTF-8 and integers of thousands of digits
            raise InvalidInput(f"The body is not valid JSON: {exc}.") from None
        if not isinstance(data, dict) or not isinstance(data.get("participants"), list):
            raise InvalidInput('The body must be {"participants": [...]}.')
        return data["participants"], False, None
    if content_type.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidInput("Send the CSV as the multipart field 'file'.")
            raw = await upload.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise PayloadTooLarge(
                f"The file is larger than {max_bytes // (1024 * 1024)} MB; split it into several files."
            )
        records, problems = await imports.parse_csv_off_loop(raw)
        return records, True, problems
    raise UnsupportedMediaType("Send application/json or a multipart/form-data CSV 'file'.")


async def _read_bounded(request: Request, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes the limit (chunked uploads have no Content-Length)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(
                f"The upload is larger than {max_bytes // (1024 * 1024)} MB; split it into several files."
            )
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/participants/import",
    response_model=ImportResult,
    summary="Import participants (CSV or JSON)",
    description='All or nothing. JSON body `{"participants": [...]}` or a multipart CSV `file` '
    "(UTF-8 with or without BOM, comma or semicolon; multi-value cells separated by `;`; columns in "
    "docs/import-format.md and examples/participants.csv). Organisations are matched by name and country, "
    "participants upserted by email. Any bad row: 422 listing every problem (row, column, msg); nothing written. "
    "Size: at most `MATCHMAKER_MAX_IMPORT_BYTES` (50 MB by default) per file or JSON body and "
    "`MATCHMAKER_MAX_IMPORT_ROWS` (50,000) participants; larger is refused with 413 before it is read in full.",
    operation_id="participants_import",
    openapi_extra=_IMPORT_BODY,
    responses=problem_responses(401, 403, 404, 413, 415, 422),
)
async def import_participants(
    request: Request, event: OrganisedEventDep, session: SessionDep, settings: SettingsDep
) -> ImportResult:
    records, csv_mode, problems = await _read_import(request, settings.max_import_bytes)
    if len(records) > settings.max_import_rows:
        raise PayloadTooLarge(f"At most {settings.max_import_rows} participants per import.")
    return await imports.import_records(session, event, records, csv_mode=csv_mode, pre=problems)


@router.get(
    "/participants/export",
    summary="Export participants (CSV or JSON)",
    description="Organisers only. The same columns as the import: export, edit, import again.",
    operation_id="participants_export",
    responses={
        200: {
            "description": "The participants",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/ImportBody"}},
            },
        },
        **problem_responses(401, 403, 404, 422),
    },
)
async def export_participants(
    event: OrganisedEventDep,
    session: SessionDep,
    format_: Annotated[ParticipantExportFormat, Query(alias="format", description="csv (default) or json")] = "csv",
) -> Response:
    records = await imports.export_records(session, event)
    name = f"{event.slug}-participants"
    if format_ == "json":
        body = json.dumps({"participants": records}, ensure_ascii=False, indent=1)
        return Response(
            body, media_type="application/json", headers={"Content-Disposition": f'attachment; filename="{name}.json"'}
        )
    return Response(
        await anyio.to_thread.run_sync(imports.records_to_csv, records),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get(
    "/participants/{participant_id}",
    response_model=ParticipantRead,
    summary="Read a participant",
    description="Organisers and the participant themself see private fields; other participants of the "
    "event see the public profile of listed participants.",
    operation_id="participants_get",
    responses=with_etag("The participant", 401, 403, 404, 422),
)
async def get_participant(
    participant_id: ParticipantIdPath, access: EventMemberDep, session: SessionDep, response: Response
) -> ParticipantRead:
    read = await service.read_participant(session, access.event, participant_id, access.viewer)
    set_etag(response, read.version)
    return read


@router.patch(
    "/participants/{participant_id}",
    response_model=ParticipantRead,
    summary="Update a participant",
    description="The participant themself (profile fields) or an organiser (all fields). Send the ETag of your "
    "last read in `If-Match` to apply the change only if nobody changed the profile since (else 412); without "
    "it the change applies unconditionally. The answer carries the new ETag.",
    operation_id="participants_update",
    responses=with_etag("The participant as changed", 401, 403, 404, 409, 422, if_match=True),
)
async def update_participant(
    participant_id: ParticipantIdPath,
    data: ParticipantUpdate,
    access: EventMemberDep,
    session: SessionDep,
    refresh: RefreshDep,
    expected: IfMatchDep,
    response: Response,
) -> ParticipantRead:
    access.require_self_or_organiser(participant_id)
    updated = await service.update_participant(session, access.event, participant_id, data, access.viewer, expected)
    refresh(updated.event_id, participant_id)
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/participants/{participant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a participant",
    description="Organisers only. With `If-Match`, only if the participant is still at that version (else 412).",
    operation_id="participants_delete",
    responses=problem_responses(401, 403, 404, 422) | PRECONDITION_FAILED,
)
async def delete_participant(
    participant_id: ParticipantIdPath, event: OrganisedEventDep, session: SessionDep, expected: IfMatchDep
) -> Response:
    await service.delete_participant(session, event, participant_id, expected)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/participants/{participant_id}/erase",
    response_model=ErasureRead,
    summary="Erase a participant's personal data (GDPR)",
    description="The participant themself or an organiser. Cancels their meetings not yet held (reason "
    "`participant_left`; each partner is told), withdraws their pending requests (the other side is told), "
    "removes them from every suggestion list and deletes their personal data: name, email, external id, job "
    "title, languages, availability, offers and requests, request messages, hides and the personal token "
    "(which stops working at once). The row stays as a tombstone (`Erased participant`, unlisted) so counts "
    "and meetings already held stay right; `kept` says what stays. Erasing twice is a 409.",
    operation_id="participants_erase",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def erase_participant(
    participant_id: ParticipantIdPath,
    access: EventMemberDep,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    background: BackgroundTasks,
) -> ErasureRead:
    access.require_self_or_organiser(participant_id)
    by: Literal["organiser", "participant"] = "organiser" if access.is_organiser else "participant"
    result = await erasure.erase_participant(session, access.event, participant_id, by=by)
    state, top_k = request.app.state, settings.suggestions_per_participant
    background.add_task(
        erasure.forget_in_engine, state.sessionmaker, state.engine_cache, access.event.id or 0, [participant_id], top_k
    )
    return result


@router.post(
    "/participants/{participant_id}/access-token",
    response_model=AccessToken,
    summary="Issue a participant's personal token",
    description="Organisers only. Returns a new token and link, shown once; the previous token stops working.",
    operation_id="access_tokens_issue",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def issue_token(
    participant_id: ParticipantIdPath, event: OrganisedEventDep, session: SessionDep, settings: SettingsDep
) -> AccessToken:
    return await service.issue_token(session, event, participant_id, settings.public_url)


@router.get(
    "/opportunities",
    response_model=Page[OpportunityRead],
    summary="List an event's offers and requests",
    description="Filter by participant, direction, type and text. Participants see listed participants' and their own.",
    operation_id="opportunities_list",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_opportunities(
    access: EventMemberDep,
    session: SessionDep,
    page: PagingDep,
    participant_id: IdQuery = None,
    direction: Annotated[Direction | None, Query(description="Only offers or only requests")] = None,
    type_: Annotated[OpportunityType | None, Query(alias="type", description="Only this kind of opportunity")] = None,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL, description="Text in title or description")] = None,
    sort: Sort[OpportunitySort] = None,
) -> Page[OpportunityRead]:
    return await service.list_opportunities(
        session,
        access.event,
        access.viewer,
        participant_id=participant_id,
        direction=direction,
        type_=type_,
        q=q,
        limit=page.limit,
        offset=page.offset,
        sort=sort or (),
    )


@router.post(
    "/participants/{participant_id}/opportunities",
    response_model=OpportunityRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add an offer or request",
    description="The participant themself or an organiser.",
    operation_id="opportunities_create",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_opportunity(
    participant_id: ParticipantIdPath,
    data: OpportunityCreate,
    access: EventMemberDep,
    session: SessionDep,
    refresh: RefreshDep,
) -> OpportunityRead:
    access.require_self_or_organiser(participant_id)
    created = await service.create_opportunity(session, access.event, participant_id, data)
    refresh(access.event.id or 0, participant_id)
    return created


@router.patch(
    "/participants/{participant_id}/opportunities/{opportunity_id}",
    response_model=OpportunityRead,
    summary="Change an offer or request",
    description="The participant themself or an organiser.",
    operation_id="opportunities_update",
    responses=problem_responses(401, 403, 404, 422),
)
async def update_opportunity(
    participant_id: ParticipantIdPath,
    opportunity_id: Annotated[int, id_path("Opportunity")],
    data: OpportunityUpdate,
    access: EventMemberDep,
    session: SessionDep,
    refresh: RefreshDep,
) -> OpportunityRead:
    access.require_self_or_organiser(participant_id)
    updated = await service.update_opportunity(session, access.event, participant_id, opportunity_id, data)
    refresh(access.event.id or 0, participant_id)
    return updated


@router.delete(
    "/participants/{participant_id}/opportunities/{opportunity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an offer or request",
    description="The participant themself or an organiser.",
    operation_id="opportunities_delete",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_opportunity(
    participant_id: ParticipantIdPath,
    opportunity_id: Annotated[int, id_path("Opportunity")],
    access: EventMemberDep,
    session: SessionDep,
    refresh: RefreshDep,
) -> Response:
    access.require_self_or_organiser(participant_id)
    await service.delete_opportunity(session, access.event, participant_id, opportunity_id)
    refresh(access.event.id or 0, participant_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


_ = ImportBody  # referenced from openapi_extra; registered in app.main
