"""Annotated dependencies: handlers read like plain functions.

Every dependency is ``async def``, even the ones that never await: FastAPI runs a plain ``def`` dependency
on a worker thread, a thread hop per request (7 % of an API worker's CPU under the load benchmark).
tests/test_platform.py checks that no route has one."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import BackgroundTasks, Depends, FastAPI, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.db import session_scope
from app.errors import Forbidden, Unauthorized
from app.models import Event, Organiser, Participant
from app.schemas.common import MAX_ID, MAX_PAGE
from app.security import PARTICIPANT_TOKEN_PREFIX, decode_organiser_token
from app.services import events as event_service
from app.services.participants import Viewer, participant_by_token

organiser_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    scheme_name="OrganiserToken",
    description="Organisers: log in with email and password",
    auto_error=False,
)
participant_scheme = HTTPBearer(
    scheme_name="ParticipantToken",
    description="Participants: the personal token from the invitation link",
    auto_error=False,
)


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: commits when the handler returns, rolls back on error."""
    async with session_scope(request.app.state.sessionmaker) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


@dataclass(frozen=True, slots=True)
class Principal:
    organiser: Organiser | None = None
    participant: Participant | None = None
    participant_event: Event | None = None  # the participant's event, read with the token

    @property
    def viewer(self) -> Viewer:
        return Viewer(
            organiser_id=self.organiser.id if self.organiser else None,
            participant_id=self.participant.id if self.participant else None,
        )


async def _organiser_from(token: str, session: AsyncSession, settings: Settings) -> Organiser:
    organiser_id = decode_organiser_token(token, settings.secret_key)
    organiser = await session.get(Organiser, organiser_id) if organiser_id is not None else None
    if organiser is None:
        raise Unauthorized("The organiser token is invalid or has expired; log in again.")
    return organiser


async def current_organiser(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(organiser_scheme)]
) -> Organiser:
    if not token:
        raise Unauthorized("Log in as an organiser (POST /api/v1/auth/token) and send the bearer token.")
    if token.startswith(PARTICIPANT_TOKEN_PREFIX):
        raise Forbidden("This needs an organiser; participant tokens cannot do it.")
    return await _organiser_from(token, session, settings)


async def current_principal(
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(organiser_scheme)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(participant_scheme)],
) -> Principal:
    """Organiser or participant; anonymous callers get 401."""
    if not token:
        raise Unauthorized("Send an organiser token or your personal participant token.")
    if token.startswith(PARTICIPANT_TOKEN_PREFIX):
        found = await participant_by_token(session, token)
        if found is None:
            raise Unauthorized("The participant token is invalid or was replaced; ask the organiser for a new link.")
        return Principal(participant=found[0], participant_event=found[1])
    return Principal(organiser=await _organiser_from(token, session, settings))


async def optional_organiser(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(organiser_scheme)]
) -> Organiser | None:
    if not token or token.startswith(PARTICIPANT_TOKEN_PREFIX):
        return None
    return await _organiser_from(token, session, settings)


OrganiserDep = Annotated[Organiser, Depends(current_organiser)]
OptionalOrganiserDep = Annotated[Organiser | None, Depends(optional_organiser)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]

EventIdPath = Annotated[int, Path(description="Event id", ge=1, le=MAX_ID)]
ParticipantIdPath = Annotated[int, Path(description="Participant id", ge=1, le=MAX_ID)]


def id_path(what: str) -> Any:
    """A bounded id path parameter (ids are 32-bit in PostgreSQL)."""
    return Path(description=f"{what} id", ge=1, le=MAX_ID)


IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only the items of the participant with this id")]
WebhookIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only the deliveries of this webhook")]


async def organised_event(session: SessionDep, organiser: OrganiserDep, event_id: EventIdPath) -> Event:
    """The path's event, if the caller organises it."""
    assert organiser.id is not None
    return await event_service.require_organiser(session, event_id, organiser.id)


OrganisedEventDep = Annotated[Event, Depends(organised_event)]


@dataclass(frozen=True, slots=True)
class EventAccess:
    event: Event
    principal: Principal

    @property
    def viewer(self) -> Viewer:
        return self.principal.viewer

    @property
    def is_organiser(self) -> bool:
        return self.principal.organiser is not None

    def require_self_or_organiser(self, participant_id: int) -> None:
        p = self.principal.participant
        if self.principal.organiser is None and (p is None or p.id != participant_id):
            raise Forbidden("Participants may only do this for themselves.")


async def event_member(session: SessionDep, principal: PrincipalDep, event_id: EventIdPath) -> EventAccess:
    """The path's event, for its organisers and its own participants."""
    if principal.participant is not None:
        if principal.participant.event_id != event_id:
            # Do not reveal whether another event exists.
            raise Forbidden("Your token is for another event.")
        event = principal.participant_event or await event_service.get_event(session, event_id)
        return EventAccess(event, principal)
    assert principal.organiser is not None and principal.organiser.id is not None
    event = await event_service.require_organiser(session, event_id, principal.organiser.id)
    return EventAccess(event, principal)


EventMemberDep = Annotated[EventAccess, Depends(event_member)]


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]

S = TypeVar("S", bound=StrEnum)
SORT_DESCRIPTION = (
    "Sort keys, applied in order: repeat the parameter (`?sort=name&sort=-created_at`); "
    "`-` sorts descending. Without it the list keeps its default order."
)
# `sort: Sort[OrganisationSort] = None`: the list's own enum of `field` / `-field` values.
Sort = Annotated[list[S] | None, Query(max_length=5, description=SORT_DESCRIPTION)]


log = logging.getLogger(__name__)


async def _refresh_in_background(app: FastAPI, event_id: int, participant_id: int) -> None:
    from app.services.matching import refresh_participant

    try:
        await refresh_participant(
            app.state.sessionmaker,
            app.state.engine_cache,
            event_id,
            participant_id,
            app.state.settings.suggestions_per_participant,
        )
    except Exception:  # noqa: BLE001 - the next read refreshes again; log and go on
        log.exception("refresh of participant %s failed", participant_id)


async def refresher(request: Request, background: BackgroundTasks) -> Callable[[int, int], None]:
    """Re-rank a participant after the response, when their profile changed."""

    def schedule(event_id: int, participant_id: int) -> None:
        background.add_task(_refresh_in_background, request.app, event_id, participant_id)

    return schedule


RefreshDep = Annotated[Callable[[int, int], None], Depends(refresher)]
