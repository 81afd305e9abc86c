"""Whole-event export and import (``matchmaker-event/1``, docs/event-export.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from app.deps import OrganisedEventDep, OrganiserDep, SessionDep, SettingsDep
from app.errors import PayloadTooLarge, UnsupportedMediaType
from app.problems import problem_responses
from app.schemas.common import TokenPolicy
from app.schemas.transfer import FORMAT, EventDocument, EventImportResult
from app.services import transfer as service

router = APIRouter(prefix="/events", tags=["transfer"])

_DOCUMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventDocument"}}},
    }
}


@router.get(
    "/{event_id}/export",
    response_class=StreamingResponse,
    summary="Export a whole event",
    description=f'Organisers of the event. One JSON document (`"format": "{FORMAT}"`, described in '
    "docs/event-export.md): the event with its sessions, tables and settings, the organisations of its "
    "participants (with sectors and cluster memberships), participants with offers, requests, consent, "
    "sessions and blocked slots, hides and blocks, meeting requests, meetings (slot, table, lock, status), "
    "finished matching and scheduling runs and erasure tombstones; with `suggestions=true` also the stored "
    "suggestions (derived data and the bulk of a big event: left out, each participant is re-ranked on "
    "their first read after an import). Personal tokens travel as their SHA-256 hashes. Streamed. Import it "
    "with `POST /api/v1/events/import`.",
    operation_id="events_export",
    responses={
        200: {"model": EventDocument, "description": "The event document"},
        **problem_responses(401, 403, 404, 422),
    },
)
async def export_event(
    event: OrganisedEventDep,
    request: Request,
    suggestions: Annotated[bool, Query(description="Include the stored suggestions (large)")] = False,
) -> StreamingResponse:
    assert event.id is not None
    body = service.export_stream(request.app.state.sessionmaker, event.id, with_suggestions=suggestions)
    return StreamingResponse(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.event.json"'},
    )


async def _read_body(request: Request, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes the limit (chunked uploads have no Content-Length)."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise UnsupportedMediaType("Send the event document as application/json.")
    length = request.headers.get("content-length")
    too_big = f"The document is larger than {max_bytes // (1024 * 1024)} MB; export it without suggestions."
    if length and length.isdigit() and int(length) > max_bytes:
        raise PayloadTooLarge(too_big)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(too_big)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/import",
    response_model=EventImportResult,
    status_code=status.HTTP_201_CREATED,
    summary="Import a whole event",
    description="Organisers; the caller becomes the new event's organiser. Takes a document from "
    "`GET …/events/{event_id}/export` and recreates the event here in one transaction, all or nothing: new ids "
    "throughout, organisations with the same name and country (case and accents folded) reused as they are, "
    "missing sectors added. A slug already taken answers 409: give `slug` to import under another one. "
    "Personal links keep working (the token hashes travel) unless `tokens=drop`, or the hash is already in "
    "use in this database. A wrong `format`, a dangling reference or a broken rule answers 422 listing every "
    "problem by its place in the document.",
    operation_id="events_import",
    openapi_extra=_DOCUMENT_BODY,
    responses=problem_responses(401, 403, 409, 413, 415, 422),
)
async def import_event(
    request: Request,
    response: Response,
    session: SessionDep,
    organiser: OrganiserDep,
    settings: SettingsDep,
    slug: Annotated[
        str | None,
        Query(min_length=2, max_length=120, pattern=r"^[a-z0-9-]+$", description="Import under this slug"),
    ] = None,
    tokens: Annotated[
        TokenPolicy, Query(description="keep: personal links keep working; drop: issue new ones")
    ] = "keep",
) -> EventImportResult:
    assert organiser.id is not None
    raw = await _read_body(request, settings.max_import_bytes)
    result = await service.import_document(session, raw, organiser.id, slug=slug, keep_tokens=tokens == "keep")
    response.headers["Location"] = f"/api/v1/events/{result.event_id}"
    return result
