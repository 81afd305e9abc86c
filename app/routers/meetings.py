from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.db import utcnow
from app.deps import (
    EventMemberDep,
    IdQuery,
    OrganisedEventDep,
    PagingDep,
    ParticipantIdPath,
    SessionDep,
    Sort,
    id_path,
)
from app.errors import Forbidden
from app.problems import problem_responses
from app.routers.matching import job_read
from app.schemas.common import MeetingRequestSort, MeetingSort, Page
from app.schemas.matching import JobRead
from app.schemas.meeting import (
    MeetingCreate,
    MeetingRead,
    MeetingRequestCreate,
    MeetingRequestRead,
    MeetingStatus,
    MeetingUpdate,
    NoShowBody,
    RequestDirection,
    RequestStatus,
    ScheduleRunCreate,
    SlotRead,
    SwapBody,
)
from app.services import jobs as job_service
from app.services import meetings as service
from app.services import requests as request_service
from app.services.common import in_zone

router = APIRouter(prefix="/events/{event_id}", tags=["meetings"])


@router.post(
    "/meeting-requests",
    response_model=MeetingRequestRead,
    status_code=status.HTTP_201_CREATED,
    summary="Request a meeting",
    description="A participant asks another participant of the same event (not a colleague) for a meeting. "
    "Organisers may send one on someone's behalf with `from_participant_id`. One open request per pair; "
    "the event caps pending requests per participant.",
    operation_id="meeting_requests_create",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_request(data: MeetingRequestCreate, access: EventMemberDep, session: SessionDep) -> MeetingRequestRead:
    return await request_service.create_request(
        session, access.event, access.viewer, data.to_participant_id, data.message, data.from_participant_id
    )


@router.get(
    "/meeting-requests",
    response_model=Page[MeetingRequestRead],
    summary="List meeting requests",
    description="A participant sees their own (filter by `direction`); organisers see all, or one participant's.",
    operation_id="meeting_requests_list",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_requests(
    access: EventMemberDep,
    session: SessionDep,
    page: PagingDep,
    participant_id: IdQuery = None,
    direction: Annotated[
        RequestDirection | None, Query(description="With participant_id: only requests to (incoming) or from them")
    ] = None,
    status_: Annotated[RequestStatus | None, Query(alias="status", description="Only requests in this state")] = None,
    sort: Sort[MeetingRequestSort] = None,
) -> Page[MeetingRequestRead]:
    return await request_service.list_requests(
        session,
        access.event,
        access.viewer,
        participant_id=participant_id,
        direction=direction,
        status=status_,
        limit=page.limit,
        offset=page.offset,
        sort=sort or (),
    )


def _transition_route(action: str, who: str) -> None:
    async def handler(
        request_id: Annotated[int, id_path("Meeting request")], access: EventMemberDep, session: SessionDep
    ) -> MeetingRequestRead:
        return await request_service.transition(session, access.event, access.viewer, request_id, action)

    router.add_api_route(
        f"/meeting-requests/{{request_id}}/{action}",
        handler,
        methods=["POST"],
        response_model=MeetingRequestRead,
        summary=f"{action.capitalize()} a meeting request",
        description=f"{who} or an organiser. Invalid transitions (e.g. accepting a cancelled request) get 409.",
        operation_id=f"meeting_requests_{action}",
        responses=problem_responses(401, 403, 404, 409, 422),
    )


_transition_route("accept", "The invited participant")
_transition_route("decline", "The invited participant")
_transition_route("cancel", "Either participant")


@router.get(
    "/slots",
    response_model=list[SlotRead],
    summary="The event's time grid",
    description="Slots made from the sessions, meeting length and breaks, in the event's time zone.",
    operation_id="slots_list",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_slots(access: EventMemberDep, session: SessionDep) -> list[SlotRead]:
    tz = access.event.timezone
    return [
        SlotRead(
            index=s.index, session_id=s.session_id, starts_at=in_zone(s.starts_at, tz), ends_at=in_zone(s.ends_at, tz)
        )
        for s in await service.grid_of(session, access.event)
    ]


@router.get(
    "/meetings",
    response_model=Page[MeetingRead],
    summary="List meetings",
    description="Organisers see all; a participant sees their own. Ordered by time, then table.",
    operation_id="meetings_list",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_meetings(
    access: EventMemberDep,
    session: SessionDep,
    page: PagingDep,
    participant_id: IdQuery = None,
    status_: Annotated[MeetingStatus | None, Query(alias="status", description="Only meetings in this state")] = None,
    sort: Sort[MeetingSort] = None,
) -> Page[MeetingRead]:
    if not access.is_organiser:
        if participant_id not in (None, access.viewer.participant_id):
            raise Forbidden("Participants see only their own meetings.")
        participant_id = access.viewer.participant_id
    return await service.list_meetings(
        session,
        access.event,
        participant_id=participant_id,
        status=status_,
        limit=page.limit,
        offset=page.offset,
        sort=sort or (),
    )


@router.post(
    "/meetings",
    response_model=MeetingRead,
    status_code=status.HTTP_201_CREATED,
    summary="Book a meeting by hand",
    description="Organisers only. Refused with 409 and the reason when a participant or the table is busy.",
    operation_id="meetings_create",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_meeting(data: MeetingCreate, event: OrganisedEventDep, session: SessionDep) -> MeetingRead:
    return await service.create_meeting(session, event, data)


@router.patch(
    "/meetings/{meeting_id}",
    response_model=MeetingRead,
    summary="Move or lock a meeting",
    description="Organisers only. A new `starts_at` must be a slot start; without `table_id` a free table is "
    "chosen. Conflicts get 409 with the reason. Locked meetings never move in scheduler runs.",
    operation_id="meetings_update",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_meeting(
    meeting_id: Annotated[int, id_path("Meeting")], data: MeetingUpdate, event: OrganisedEventDep, session: SessionDep
) -> MeetingRead:
    return await service.update_meeting(session, event, meeting_id, data)


@router.post(
    "/meetings/{meeting_id}/swap",
    response_model=list[MeetingRead],
    summary="Swap two meetings",
    description="Organisers only: exchange the slots and tables of two scheduled, unlocked meetings.",
    operation_id="meetings_swap",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def swap(
    meeting_id: Annotated[int, id_path("Meeting")], data: SwapBody, event: OrganisedEventDep, session: SessionDep
) -> list[MeetingRead]:
    return await service.swap_meetings(session, event, meeting_id, data.with_meeting_id)


@router.post(
    "/meetings/{meeting_id}/cancel",
    response_model=MeetingRead,
    summary="Cancel a meeting",
    description="Either participant or an organiser. Its slot is freed; the request behind it is cancelled too.",
    operation_id="meetings_cancel",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def cancel(
    meeting_id: Annotated[int, id_path("Meeting")], access: EventMemberDep, session: SessionDep
) -> MeetingRead:
    if access.is_organiser:
        return await service.cancel_meeting(session, access.event, meeting_id)
    meeting = await service.get_meeting(session, access.event, meeting_id)
    if meeting.status == "cancelled":
        return await service.cancel_meeting(session, access.event, meeting_id)  # raises the 409
    await service.cancel_for_participant(session, meeting, access.viewer.participant_id or 0)
    return service.to_read(meeting, access.event.timezone, await service.table_map(session, access.event.id or 0))


@router.post(
    "/participants/{participant_id}/no-show",
    response_model=JobRead | None,
    summary="Mark a no-show",
    description="Organisers only. Cancels the participant's meetings that have not started; with `replan` a "
    "re-planning run starts (few moves, freed slots filled from suggestions) and is returned.",
    operation_id="no_shows_record",
    responses=problem_responses(401, 403, 404, 422),
)
async def mark_no_show(
    participant_id: ParticipantIdPath, data: NoShowBody, event: OrganisedEventDep, session: SessionDep, request: Request
) -> JobRead | None:
    await service.no_show(session, event, participant_id)
    if not data.replan:
        return None
    # meetings that already started stay where they are; free slots from now on are refilled
    params = ScheduleRunCreate(fill_from_suggestions=True, replan=True).model_dump(mode="json")
    params["freeze_before"] = utcnow().isoformat()
    return await _start_schedule(event.id or 0, event.timezone, params, session, request)


async def _start_schedule(
    event_id: int, tz: str, params: dict[str, object], session: SessionDep, request: Request
) -> JobRead:
    job, created = await job_service.start_job(session, event_id, "scheduling", params)
    if created:
        await session.commit()
        request.app.state.runner.submit(job.id)
    return job_read(job, tz)


@router.post(
    "/schedule-runs",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Run the scheduler",
    description="Organisers only. Places accepted meetings (and, with `fill_from_suggestions`, the best mutual "
    "suggestions) into slots and tables in the background; read it like a matching run. Locked meetings stay; "
    "with `replan` others move only when it helps.",
    operation_id="schedule_runs_create",
    responses=problem_responses(401, 403, 404, 422),
)
async def start_schedule(
    data: ScheduleRunCreate, event: OrganisedEventDep, session: SessionDep, request: Request, response: Response
) -> JobRead:
    event_id, tz = event.id or 0, event.timezone  # a lost start race rolls back and expires `event`
    job = await _start_schedule(event_id, tz, data.model_dump(mode="json"), session, request)
    response.headers["Location"] = f"/api/v1/events/{event_id}/schedule-runs/{job.id}"
    return job


@router.get(
    "/schedule-runs/{run_id}",
    response_model=JobRead,
    summary="Read a scheduler run",
    description="Status, progress, and when done: placed and unplaced meetings with reasons, solver status and "
    "optimality gap, breaks, moves and timings.",
    operation_id="schedule_runs_get",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_schedule_run(
    run_id: Annotated[int, id_path("Run")], event: OrganisedEventDep, session: SessionDep
) -> JobRead:
    return job_read(await job_service.get_job(session, event.id or 0, run_id, "scheduling"), event.timezone)


@router.post(
    "/schedule/publish",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Publish the schedule",
    description="Organisers only. Agendas say the schedule is published (participants may rely on it).",
    operation_id="schedule_publish",
    responses=problem_responses(401, 403, 404, 422),
)
async def publish(event: OrganisedEventDep, session: SessionDep) -> Response:
    event.schedule_published = True
    await session.flush()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
