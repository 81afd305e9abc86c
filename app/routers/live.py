"""Live updates as Server-Sent Events: a participant's stream, an event's stream, stream tickets.

Auth: the usual bearer token in the Authorization header, or ``?access_token=<stream ticket>``
because browsers' EventSource cannot set headers. A ticket comes from ``POST …/stream-tickets``
(with the header), lives ``stream_ticket_seconds``, opens streams of one event only and dies when
the participant's token is reissued. The long-lived personal token is never put in a URL here.

Replay: ``Last-Event-ID`` (sent by EventSource when it reconnects) or ``?last_event_id=`` (for a
new EventSource after a fresh ticket) replays the rows after that id from the outbox first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Header, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.sse import EventSourceResponse, ServerSentEvent

from app.db import session_scope
from app.deps import (
    EventAccess,
    EventIdPath,
    EventMemberDep,
    ParticipantIdPath,
    Principal,
    SettingsDep,
    current_principal,
    event_member,
    organiser_scheme,
    participant_scheme,
)
from app.errors import Forbidden, InvalidInput, Unauthorized
from app.problems import problem_responses
from app.schemas.live import LiveEvent, StreamTicket, StreamTicketRequest
from app.services import notifications as service
from app.services.participants import get_participant

router = APIRouter(prefix="/events/{event_id}", tags=["live updates"])

RETRY_MS: Final = 3000

STREAM_DESCRIPTION = (
    "`text/event-stream` (Server-Sent Events). Each message: `id` = the domain event's id, `event` = its "
    "kind, `data` = a `LiveEvent` JSON object (see the `LiveEvent` schema and its payloads). Idle streams "
    "get a `: keep-alive` comment. Send `Last-Event-ID` (EventSource does on reconnect) or "
    "`?last_event_id=` to replay what was missed. Auth: the Authorization header, or `?access_token=` "
    "with a stream ticket from `POST /events/{event_id}/stream-tickets`."
)


def _sse_doc(summary_of_items: str) -> dict[str, Any]:
    return {
        "responses": {
            "200": {
                "description": summary_of_items,
                "content": {
                    "text/event-stream": {
                        "itemSchema": {
                            "type": "object",
                            "required": ["data"],
                            "properties": {
                                "id": {"type": "string", "description": "LiveEvent.id"},
                                "event": {"type": "string", "description": "LiveEvent.kind"},
                                "retry": {"type": "integer", "minimum": 0},
                                "data": {
                                    "type": "string",
                                    "contentMediaType": "application/json",
                                    "contentSchema": {"$ref": "#/components/schemas/LiveEvent"},
                                },
                            },
                        },
                        "schema": {"type": "string", "description": "A stream of SSE messages"},
                    }
                },
            }
        }
    }


async def stream_access(
    request: Request,
    event_id: EventIdPath,
    header_token: Annotated[str | None, Depends(organiser_scheme)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(participant_scheme)],
    access_token: Annotated[
        str | None, Query(max_length=2000, description="A stream ticket, for clients that cannot send headers")
    ] = None,
) -> EventAccess:
    """Like ``EventMemberDep``, with a short session of its own: a stream holds no database connection."""
    settings = request.app.state.settings
    async with session_scope(request.app.state.sessionmaker) as session:
        if header_token:
            principal = await current_principal(session, settings, header_token, None)
        elif access_token:
            claims = service.read_ticket(access_token, settings.secret_key)
            if claims is None or claims.event_id != event_id:
                raise Unauthorized("The stream ticket is invalid or expired; get a new one (POST …/stream-tickets).")
            organiser, participant = await service.ticket_holder(session, claims)
            if organiser is None and participant is None:
                raise Unauthorized("The stream ticket no longer applies; get a new one (POST …/stream-tickets).")
            principal = Principal(organiser=organiser, participant=participant)
        else:
            raise Unauthorized("Send your token in the Authorization header or a stream ticket as ?access_token=.")
        return await event_member(session, principal, event_id)


StreamAccessDep = Annotated[EventAccess, Depends(stream_access)]


def _resume_from(header: str | None, query: int | None) -> int | None:
    value = header if header is not None else query
    if value is None or value == "":
        return None
    try:
        after = int(value)
    except ValueError:
        raise InvalidInput("Last-Event-ID must be the id of an event this stream sent (an integer).") from None
    if after < 0:
        raise InvalidInput("Last-Event-ID must not be negative.")
    return after


LastEventIdHeader = Annotated[
    str | None, Header(alias="Last-Event-ID", max_length=20, description="Resume after this event id")
]
LastEventIdQuery = Annotated[
    int | None,
    Query(alias="last_event_id", ge=0, le=2**63 - 1, description="Resume after this event id (as Last-Event-ID)"),
]


async def resume_from(header: LastEventIdHeader = None, query: LastEventIdQuery = None) -> int | None:
    """The id to replay after: the Last-Event-ID header wins over ``?last_event_id=``."""
    return _resume_from(header, query)


ResumeDep = Annotated[int | None, Depends(resume_from)]


async def participant_filter(
    request: Request, participant_id: ParticipantIdPath, access: StreamAccessDep
) -> service.StreamFilter:
    # checked here, in a dependency: once the stream has started, a 403 or 404 can no longer be sent
    access.require_self_or_organiser(participant_id)
    async with session_scope(request.app.state.sessionmaker) as session:
        await get_participant(session, access.event.id or 0, participant_id)
    return service.StreamFilter(access.event.id or 0, participant_id)


async def event_filter(access: StreamAccessDep) -> service.StreamFilter:
    if not access.is_organiser:
        raise Forbidden("Only organisers see the whole event's stream; participants open their own.")
    return service.StreamFilter(access.event.id or 0)


async def _stream(
    request: Request, flt: service.StreamFilter, after: int | None, keepalive: float
) -> AsyncIterator[ServerSentEvent]:
    hub: service.LiveHub = request.app.state.live_hub
    async with hub.subscribe(flt) as sub:
        yield ServerSentEvent(comment="connected", retry=RETRY_MS)
        last = after or 0
        if after is not None:
            while True:
                batch = await service.replay(request.app.state.sessionmaker, flt, last)
                for event in batch:
                    yield _message(event)
                    last = event.id
                if len(batch) < service.BATCH:
                    break
        while True:
            try:
                item = await asyncio.wait_for(sub.queue.get(), keepalive)
            except TimeoutError:
                yield ServerSentEvent(comment="keep-alive")
                continue
            if item is None:  # the hub is stopping, or this reader fell behind: reconnect and replay
                return
            if item.id > last:
                yield _message(item)
                last = item.id


def _message(event: LiveEvent) -> ServerSentEvent:
    return ServerSentEvent(id=str(event.id), event=event.kind, raw_data=event.model_dump_json())


@router.get(
    "/participants/{participant_id}/stream",
    response_class=EventSourceResponse,
    summary="A participant's live updates (SSE)",
    description="The participant themself or an organiser of the event. The domain events addressed to this "
    "participant: requests received and answered, meetings scheduled, moved or cancelled, the schedule "
    "published, suggestions refreshed. " + STREAM_DESCRIPTION,
    operation_id="participant_stream_open",
    responses=problem_responses(401, 403, 404, 422),
    openapi_extra=_sse_doc("The participant's domain events as Server-Sent Events"),
)
async def participant_stream(
    request: Request,
    flt: Annotated[service.StreamFilter, Depends(participant_filter)],
    after: ResumeDep,
    settings: SettingsDep,
) -> AsyncIterator[ServerSentEvent]:
    async for message in _stream(request, flt, after, settings.live_keepalive_seconds):
        yield message


@router.get(
    "/stream",
    response_class=EventSourceResponse,
    summary="An event's live updates (SSE)",
    description="Organisers only. Every domain event of the event, whoever it is addressed to. " + STREAM_DESCRIPTION,
    operation_id="event_stream_open",
    responses=problem_responses(401, 403, 404, 422),
    openapi_extra=_sse_doc("The event's domain events as Server-Sent Events"),
)
async def event_stream(
    request: Request,
    flt: Annotated[service.StreamFilter, Depends(event_filter)],
    after: ResumeDep,
    settings: SettingsDep,
) -> AsyncIterator[ServerSentEvent]:
    async for message in _stream(request, flt, after, settings.live_keepalive_seconds):
        yield message


@router.post(
    "/stream-tickets",
    response_model=StreamTicket,
    status_code=status.HTTP_201_CREATED,
    summary="Get a stream ticket (for EventSource)",
    description="A short-lived ticket that opens this event's streams as `?access_token=`, for clients that "
    "cannot send an Authorization header. Participants get one for their own stream; organisers for the event "
    "stream or, with `participant_id`, for a participant's. The ticket is checked when a stream opens; an open "
    "stream is not cut when it expires. After expiry, get a new ticket and reconnect with `?last_event_id=`.",
    operation_id="stream_tickets_create",
    responses=problem_responses(401, 403, 404, 422),
)
async def stream_ticket(
    access: EventMemberDep, settings: SettingsDep, body: StreamTicketRequest | None = None
) -> StreamTicket:
    event_id = access.event.id or 0
    wanted = body.participant_id if body is not None else None
    participant = access.principal.participant
    if participant is not None:
        if wanted is not None and wanted != participant.id:
            raise Forbidden("Participants get tickets for their own stream only.")
        wanted = participant.id
    claims = service.claims_for(event_id, access.principal.organiser, participant)
    ticket, expires = service.issue_ticket(claims, settings.secret_key, settings.stream_ticket_seconds)
    base = settings.public_url.rstrip("/") + f"/api/v1/events/{event_id}"
    path = f"/participants/{wanted}/stream" if wanted is not None else "/stream"
    return StreamTicket(ticket=ticket, expires_at=expires, url=f"{base}{path}?access_token={ticket}")
