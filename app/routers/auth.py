from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from app.deps import PrincipalDep, SessionDep, SettingsDep
from app.problems import problem_responses
from app.ratelimit import LoginRateLimiter
from app.schemas.auth import LoginForm, Me, OrganiserRead, TokenResponse
from app.security import create_organiser_token
from app.services import auth as auth_service

router = APIRouter(prefix="/auth", tags=["auth"])


async def limit_login_attempts(request: Request, form: Annotated[LoginForm, Form()]) -> None:
    """Count the attempt per client address and per user name; 429 with Retry-After past the limit."""
    limiter: LoginRateLimiter = request.app.state.login_limiter
    await limiter.attempt(request.client.host if request.client else "unknown", form.username)


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Log in as an organiser",
    description=(
        "OAuth2 password flow: `username` is the organiser's email. Attempts are limited per client address "
        "and per user name (`MATCHMAKER_LOGIN_RATE_LIMIT`, moving window); past the limit the answer is 429 "
        "with `Retry-After` in seconds."
    ),
    operation_id="auth_login",
    responses=problem_responses(401, 422, 429),
    dependencies=[Depends(limit_login_attempts)],
)
async def login(form: Annotated[LoginForm, Form()], session: SessionDep, settings: SettingsDep) -> TokenResponse:
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
    operation_id="me_get",
    responses=problem_responses(401),
)
async def me(principal: PrincipalDep) -> Me:
    if principal.organiser is not None:
        o = principal.organiser
        return Me(role="organiser", organiser=OrganiserRead(id=o.id or 0, email=o.email, name=o.name))
    p = principal.participant
    assert p is not None
    return Me(role="participant", participant_id=p.id, event_id=p.event_id)
