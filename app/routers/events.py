from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from app.conditional import PRECONDITION_FAILED, IfMatchDep, set_etag, with_etag
from app.deps import (
    EventIdPath,
    OptionalOrganiserDep,
    OrganisedEventDep,
    OrganiserDep,
    PagingDep,
    SessionDep,
    Sort,
)
from app.errors import NotFound
from app.problems import problem_responses
from app.schemas.common import NO_NUL, EventSort, EventStatus, Page
from app.schemas.event import EventCreate, EventRead, EventUpdate
from app.services import events as service

# Public; an organiser's token shows their drafts too: anonymous is one of the alternatives.
PUBLIC_OR_ORGANISER: dict[str, Any] = {"security": [{}, {"OrganiserToken": []}]}

router = APIRouter(prefix="/events", tags=["events"])


@router.post(
    "",
    response_model=EventRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an event",
    description="Organisers only; the creator becomes its organiser. Times need an offset; "
    "they are stored in UTC and shown in the event's time zone.",
    operation_id="events_create",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_event(data: EventCreate, session: SessionDep, organiser: OrganiserDep) -> EventRead:
    assert organiser.id is not None
    return await service.create_event(session, data, organiser.id)


@router.get(
    "",
    response_model=Page[EventRead],
    summary="List events",
    description="Events that are not drafts; an organiser also sees their own drafts.",
    operation_id="events_list",
    openapi_extra=PUBLIC_OR_ORGANISER,
    responses=problem_responses(401, 422),
)
async def list_events(
    session: SessionDep,
    page: PagingDep,
    organiser: OptionalOrganiserDep,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL, description="Text in name or city")] = None,
    status_: Annotated[EventStatus | None, Query(alias="status", description="Only events in this state")] = None,
    sort: Sort[EventSort] = None,
) -> Page[EventRead]:
    return await service.list_events(
        session,
        organiser_id=organiser.id if organiser else None,
        q=q,
        status=status_,
        limit=page.limit,
        offset=page.offset,
        sort=sort or (),
    )


@router.get(
    "/{event_id}",
    response_model=EventRead,
    summary="Read an event",
    description="Public unless it is a draft (then only its organisers see it).",
    operation_id="events_get",
    openapi_extra=PUBLIC_OR_ORGANISER,
    responses=with_etag("The event", 401, 404, 422),
)
async def get_event(
    event_id: EventIdPath, session: SessionDep, organiser: OptionalOrganiserDep, response: Response
) -> EventRead:
    event = await service.get_event(session, event_id)
    if event.status == "draft" and (
        organiser is None or organiser.id is None or not await service.is_organiser_of(session, event_id, organiser.id)
    ):
        raise NotFound(f"Event {event_id} does not exist.")
    set_etag(response, event.version)
    return await service.to_read(session, event)


@router.patch(
    "/{event_id}",
    response_model=EventRead,
    summary="Update an event",
    description="Its organisers only. `sessions` replaces the list (keep a session by giving its id); "
    "`tables` replaces the tables (matched by name). Send the ETag of your last read in `If-Match` to apply "
    "the change only if nobody changed the event since (else 412); the answer carries the new ETag.",
    operation_id="events_update",
    responses=with_etag("The event as changed", 401, 403, 404, 409, 422, if_match=True),
)
async def update_event(
    data: EventUpdate, event: OrganisedEventDep, session: SessionDep, expected: IfMatchDep, response: Response
) -> EventRead:
    updated = await service.update_event(session, event, data, expected)
    set_etag(response, updated.version)
    return updated


@router.delete(
    "/{event_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an event",
    description="Its organisers only; removes its participants, suggestions and meetings too. With `If-Match`, "
    "only if the event is still at that version (else 412).",
    operation_id="events_delete",
    responses=problem_responses(401, 403, 404, 422) | PRECONDITION_FAILED,
)
async def delete_event(event: OrganisedEventDep, session: SessionDep, expected: IfMatchDep) -> Response:
    await service.delete_event(session, event, expected)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
