from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response, status

from app.conditional import REVALIDATED_CACHE_CONTROL, IfNoneMatchDep, revalidated
from app.deps import (
    EventIdPath,
    EventMemberDep,
    OrganisedEventDep,
    PagingDep,
    ParticipantIdPath,
    SessionDep,
    SettingsDep,
    Sort,
    id_path,
)
from app.models import Job
from app.problems import problem_responses
from app.schemas.common import Page, SuggestionSort
from app.schemas.matching import JobRead, SuggestionRead
from app.services import jobs as job_service
from app.services import matching as service
from app.services.common import in_zone

router = APIRouter(prefix="/events/{event_id}", tags=["matching"])
PartnerIdPath = Annotated[int, id_path("Partner")]


def job_read(job: Job, tz: str) -> JobRead:
    def zone(value: datetime | None) -> datetime | None:
        return in_zone(value, tz) if value else None

    return JobRead.model_validate(
        {
            **job.model_dump(),
            "created_at": zone(job.created_at),
            "started_at": zone(job.started_at),
            "finished_at": zone(job.finished_at),
        }
    )


@router.post(
    "/matching-runs",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a matching run",
    description="Organisers only. Ranks every participant's partners in the background and replaces the stored "
    "suggestions when done. Starting it while a run is queued or running returns that run.",
    operation_id="matching_runs_create",
    responses=problem_responses(401, 403, 404, 422),
)
async def start_run(event: OrganisedEventDep, session: SessionDep, request: Request, response: Response) -> JobRead:
    event_id, tz = event.id or 0, event.timezone  # a lost start race rolls back and expires `event`
    job, created = await job_service.start_job(session, event_id, "matching", {})
    if created:
        await session.commit()  # the runner reads it from another session
        request.app.state.runner.submit(job.id)
    response.headers["Location"] = f"/api/v1/events/{event_id}/matching-runs/{job.id}"
    return job_read(job, tz)


@router.get(
    "/matching-runs/{run_id}",
    response_model=JobRead,
    summary="Read a matching run",
    description="Status, progress and, when done, counts and timings.",
    operation_id="matching_runs_get",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_run(run_id: Annotated[int, id_path("Run")], event: OrganisedEventDep, session: SessionDep) -> JobRead:
    assert event.id is not None
    return job_read(await job_service.get_job(session, event.id, run_id, "matching"), event.timezone)


@router.get(
    "/participants/{participant_id}/suggestions",
    response_model=Page[SuggestionRead],
    summary="A participant's suggested partners",
    description="That participant or an organiser. Best first, each with the mutual score, both directional "
    "scores, structured reasons and the partner's public profile. A profile changed since the last run is "
    "re-ranked before answering. The answer carries an ETag: send it back in `If-None-Match` and an unchanged "
    "page is answered 304 without a body (what a browser's cache does by itself).",
    operation_id="suggestions_list",
    responses=revalidated("A page of suggestions", 401, 403, 404, 422),
)
async def list_suggestions(
    event_id: EventIdPath,
    participant_id: ParticipantIdPath,
    access: EventMemberDep,
    session: SessionDep,
    page: PagingDep,
    request: Request,
    settings: SettingsDep,
    if_none_match: IfNoneMatchDep,
    sort: Sort[SuggestionSort] = None,
) -> Response:
    access.require_self_or_organiser(participant_id)
    state = request.app.state
    busy = state.engine_cache.lock(event_id).locked()  # a run or refresh is busy: serve what is stored
    if not busy and await service.profile_changed(session, event_id, participant_id):
        await service.refresh_participant(
            state.sessionmaker, state.engine_cache, event_id, participant_id, settings.suggestions_per_participant
        )
    body, tag = await service.suggestions_page_json(
        session, access.event, participant_id, access.viewer, page.limit, page.offset, sort or (), if_none_match
    )
    headers = {"Cache-Control": REVALIDATED_CACHE_CONTROL, **({"ETag": tag} if tag else {})}
    if body is None:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type="application/json", headers=headers)  # built as Page[SuggestionRead]


@router.post(
    "/participants/{participant_id}/suggestions/{partner_id}/hide",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Hide a suggestion (not interested)",
    description="That participant or an organiser. The partner is never suggested to this participant again.",
    operation_id="suggestions_hide",
    responses=problem_responses(401, 403, 404, 422),
)
async def hide(
    participant_id: ParticipantIdPath,
    partner_id: PartnerIdPath,
    access: EventMemberDep,
    session: SessionDep,
) -> Response:
    access.require_self_or_organiser(participant_id)
    await service.hide_suggestion(session, access.event, participant_id, partner_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/participants/{participant_id}/suggestions/{partner_id}/hide",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Undo hiding a suggestion",
    description="That participant or an organiser. The partner may be suggested again (from the next ranking).",
    operation_id="suggestions_unhide",
    responses=problem_responses(401, 403, 404, 422),
)
async def unhide(
    participant_id: ParticipantIdPath,
    partner_id: PartnerIdPath,
    access: EventMemberDep,
    session: SessionDep,
) -> Response:
    access.require_self_or_organiser(participant_id)
    await service.unhide_suggestion(session, access.event, participant_id, partner_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
