from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.deps import PrincipalDep, SessionDep, SettingsDep
from app.problems import problem_responses
from app.schemas.auth import Me, OrganiserRead, TokenResponse
from app.security import create_organiser_token
from app.services import auth as auth_service

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Log in as an organiser",
    description="OAuth2 password flow: `username` is the organiser's email.",
    operation_id="auth_login",
    responses=problem_responses(401, 422),
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep
) -> TokenResponse:
    organiser = await auth_service.authenticate(session, form.username, form.password)
    assert organiser.id is not None
    minutes = settings.organiser_token_minutes
    return TokenResponse(
        access_token=create_organiser_token(organiser.id, settings.secret_key, minutes),
        expires_in=minutes * 60,
    )


@router.get(
    "/me",
    response_model=Me,
    summary="Who am I",
    description="The role behind the bearer token: an organiser, or a participant of one event.",
    operation_id="auth_me",
    responses=problem_responses(401),
)
async def me(principal: PrincipalDep) -> Me:
    if principal.organiser is not None:
        o = principal.organiser
        return Me(role="organiser", organiser=OrganiserRead(id=o.id or 0, email=o.email, name=o.name))
    p = principal.participant
    assert p is not None
    return Me(role="participant", participant_id=p.id, event_id=p.event_id)
