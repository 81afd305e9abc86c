from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials

from app.conditional import REVALIDATED_CACHE_CONTROL, IfNoneMatchDep, revalidated
from app.deps import (
    EventAccess,
    EventIdPath,
    EventMemberDep,
    ParticipantIdPath,
    SessionDep,
    SettingsDep,
    current_principal,
    event_member,
    organiser_scheme,
    participant_scheme,
)
from app.schemas.meeting import Agenda
from app.services import agenda as service

router = APIRouter(prefix="/events/{event_id}", tags=["agendas"])

feed_token_scheme = APIKeyQuery(
    name="token",
    scheme_name="FeedToken",
    description="Calendar feeds only: the personal participant token (or an organiser token) as `?token=`, "
    "because calendar apps cannot send an Authorization header",
    auto_error=False,
)


async def feed_access(
    session: SessionDep,
    settings: SettingsDep,
    event_id: EventIdPath,
    header_token: Annotated[str | None, Depends(organiser_scheme)],
    query_token: Annotated[str | None, Depends(feed_token_scheme)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(participant_scheme)],
) -> EventAccess:
    """Like ``EventMemberDep``, but the token may also come as ``?token=`` (the header wins when both are sent)."""
    principal = await current_principal(session, settings, header_token or query_token, None)
    return await event_member(session, principal, event_id)


FeedAccessDep = Annotated[EventAccess, Depends(feed_access)]


def _feed_responses() -> dict[int | str, dict[str, Any]]:
    """Like ``revalidated``, with the calendar's media type."""
    responses = revalidated("The calendar", 401, 403, 404, 422)
    responses[200]["content"] = {"text/calendar": {"schema": {"type": "string"}}}
    return responses


@router.get(
    "/participants/{participant_id}/agenda",
    response_model=Agenda,
    summary="A participant's agenda",
    description="The participant themself or an organiser of the event. Live meetings (not cancelled): the "
    "scheduled ones by time (in the event's time zone) with their table or online link, then the unscheduled "
    "ones with the reason the scheduler gave. Partners appear with their public profile (a participant does "
    "not see other participants' email). `published` says whether the organiser has published the schedule. "
    "The answer carries an ETag: send it back in `If-None-Match` and an unchanged agenda is answered 304.",
    operation_id="agenda_get",
    responses=revalidated("The agenda", 401, 403, 404, 422),
)
async def get_agenda(
    participant_id: ParticipantIdPath, access: EventMemberDep, session: SessionDep, if_none_match: IfNoneMatchDep
) -> Response:
    access.require_self_or_organiser(participant_id)
    body, tag = await service.agenda_json(session, access.event, participant_id, access.viewer, if_none_match)
    headers = {"Cache-Control": REVALIDATED_CACHE_CONTROL, **({"ETag": tag} if tag else {})}
    if body is None:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)  # built as Agenda


@router.get(
    "/participants/{participant_id}/agenda.ics",
    summary="A participant's agenda as a calendar feed",
    description="An iCalendar (RFC 5545) feed to subscribe to in Google Calendar, Outlook or Apple Calendar. "
    "Calendar apps cannot send headers, so besides `Authorization: Bearer …` this route accepts the token as "
    "a query parameter: `…/agenda.ics?token=<personal participant token>` (an organiser token works too). "
    "Treat that URL like the invitation link: whoever has it can read the agenda.\n\n"
    "One VEVENT per scheduled meeting, times in the event's time zone (TZID with its VTIMEZONE). Each meeting "
    "keeps its UID `meeting-<id>-event-<event_id>@matchmaker` and its SEQUENCE grows on every change, so "
    "calendars update the entry instead of adding a copy; a cancelled meeting stays as STATUS:CANCELLED so "
    "calendars remove it. Entries are TENTATIVE until the organiser publishes the schedule, then CONFIRMED. "
    "The answer carries an ETag: a calendar app that sends it back in `If-None-Match` gets 304 while the feed "
    "is unchanged.",
    operation_id="agenda_ics_get",
    response_class=Response,
    responses=_feed_responses(),
)
async def get_agenda_ics(
    participant_id: ParticipantIdPath, access: FeedAccessDep, session: SessionDep, if_none_match: IfNoneMatchDep
) -> Response:
    access.require_self_or_organiser(participant_id)
    body, tag = await service.agenda_ics(session, access.event, participant_id, if_none_match)
    headers = {"Cache-Control": REVALIDATED_CACHE_CONTROL, **({"ETag": tag} if tag else {})}
    if body is None:
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="agenda-{access.event.id}-{participant_id}.ics"'
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
