"""Meeting requests: pending -> accepted / declined / cancelled / expired."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app import notify
from app.db import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.models import Event, Meeting, MeetingRequest, Participant
from app.schemas.common import Page
from app.schemas.meeting import MeetingRequestRead
from app.services.common import in_zone, page_of, sorted_by
from app.services.participants import Viewer, get_participant, refuse_erased

OPEN = ("pending", "accepted")
TRANSITIONS = {  # action -> (allowed from, who may act: "to", "from", "either")
    "accept": ({"pending"}, "to"),
    "decline": ({"pending"}, "to"),
    "cancel": ({"pending", "accepted"}, "either"),
}


async def expire_due(session: AsyncSession, event: Event) -> None:
    """Pending requests past the organiser's deadline become expired."""
    if event.requests_deadline is None or event.requests_deadline > utcnow():
        return
    overdue = await session.scalar(
        select(col(MeetingRequest.id))
        .where(col(MeetingRequest.event_id) == event.id, col(MeetingRequest.status) == "pending")
        .limit(1)
    )
    if overdue is not None:  # only write when there is something to expire (reads stay reads)
        expired = await session.execute(
            update(MeetingRequest)
            .where(col(MeetingRequest.event_id) == event.id, col(MeetingRequest.status) == "pending")
            .values(status="expired", answered_at=event.requests_deadline)
            .returning(
                col(MeetingRequest.id), col(MeetingRequest.from_participant_id), col(MeetingRequest.to_participant_id)
            )
        )
        notify.requests_expired(session, event.id or 0, [(i or 0, a, b) for i, a, b in expired.all()])


async def _read(session: AsyncSession, event: Event, r: MeetingRequest) -> MeetingRequestRead:
    meeting_id = await session.scalar(select(col(Meeting.id)).where(col(Meeting.request_id) == r.id))
    return _to_read(r, event.timezone, meeting_id)


def _to_read(r: MeetingRequest, tz: str, meeting_id: int | None) -> MeetingRequestRead:
    return MeetingRequestRead(
        id=r.id or 0,
        event_id=r.event_id,
        from_participant_id=r.from_participant_id,
        to_participant_id=r.to_participant_id,
        status=r.status,
        message=r.message,
        created_by=r.created_by,
        created_at=in_zone(r.created_at, tz),
        answered_at=in_zone(r.answered_at, tz) if r.answered_at else None,
        meeting_id=meeting_id,
    )


async def create_request(
    session: AsyncSession, event: Event, viewer: Viewer, to_id: int, message: str, from_id: int | None
) -> MeetingRequestRead:
    assert event.id is not None
    await expire_due(session, event)
    if viewer.is_organiser:
        if from_id is None:
            raise InvalidInput("Organisers must say on whose behalf: give from_participant_id.")
    else:
        if from_id is not None and from_id != viewer.participant_id:
            raise Forbidden("Participants send requests only in their own name.")
        from_id = viewer.participant_id
    assert from_id is not None
    sender = await get_participant(session, event.id, from_id)
    receiver = await get_participant(session, event.id, to_id)
    await refuse_erased(session, [from_id, to_id])
    if not viewer.is_organiser:
        if event.requests_deadline is not None and event.requests_deadline <= utcnow():
            raise Conflict("The organiser closed meeting requests for this event.")
        if not receiver.listed:
            raise NotFound(f"Event {event.id} has no participant {to_id}.")
    _check_pair(sender, receiver)
    declined = await session.scalar(
        select(col(MeetingRequest.id)).where(
            col(MeetingRequest.event_id) == event.id,
            col(MeetingRequest.from_participant_id) == from_id,
            col(MeetingRequest.to_participant_id) == to_id,
            col(MeetingRequest.status) == "declined",
        )
    )
    if declined is not None and not viewer.is_organiser:
        raise Conflict(
            "This participant declined your earlier request; ask an organiser if you think it should be revisited."
        )
    await _check_cap(session, event, from_id)
    low, high = sorted((from_id, to_id))
    request = MeetingRequest(
        event_id=event.id,
        from_participant_id=from_id,
        to_participant_id=to_id,
        pair_low=low,
        pair_high=high,
        message=message,
        created_by="organiser" if viewer.is_organiser else "participant",
    )
    session.add(request)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent request for the same pair won the race
        raise Conflict("There is already an open request or a meeting between these two participants.") from None
    notify.request_created(session, request, sender)
    return _to_read(request, event.timezone, None)


def _check_pair(sender: Participant, receiver: Participant) -> None:
    if sender.id == receiver.id:
        raise InvalidInput("You cannot request a meeting with yourself.")
    if sender.organisation_id == receiver.organisation_id:
        raise InvalidInput("Colleagues from the same organisation do not meet in B2B sessions.")


async def _check_cap(session: AsyncSession, event: Event, participant_id: int) -> None:
    open_count = await session.scalar(
        select(func.count()).where(
            col(MeetingRequest.from_participant_id) == participant_id, col(MeetingRequest.status) == "pending"
        )
    )
    if (open_count or 0) >= event.max_open_requests:
        raise Conflict(
            f"You have {open_count} pending requests, the most this event allows; wait for answers or cancel some."
        )


async def get_request(session: AsyncSession, event: Event, request_id: int) -> MeetingRequest:
    r = await session.get(MeetingRequest, request_id)
    if r is None or r.event_id != event.id:
        raise NotFound(f"Event {event.id} has no meeting request {request_id}.")
    return r


async def transition(
    session: AsyncSession, event: Event, viewer: Viewer, request_id: int, action: str
) -> MeetingRequestRead:
    """Accept, decline or cancel; organisers may act for anyone in their event."""
    await expire_due(session, event)
    r = await get_request(session, event, request_id)
    allowed, actor = TRANSITIONS[action]
    if not viewer.is_organiser:
        me = viewer.participant_id
        may = {
            "to": me == r.to_participant_id,
            "from": me == r.from_participant_id,
            "either": me in (r.to_participant_id, r.from_participant_id),
        }[actor]
        if not may:
            who = "the invited participant" if actor == "to" else "one of the two participants"
            raise Forbidden(f"Only {who} (or an organiser) may {action} this request.")
    new_status = {"accept": "accepted", "decline": "declined", "cancel": "cancelled"}[action]
    # compare-and-set: of two concurrent transitions only one finds the status it expects
    now = utcnow()
    changed = await session.execute(
        update(MeetingRequest)
        .where(col(MeetingRequest.id) == r.id, col(MeetingRequest.status).in_(allowed))
        .values(status=new_status, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(r)
        past = {"accept": "accepted", "decline": "declined", "cancel": "cancelled"}[action]
        raise Conflict(
            f"This request is {r.status}, so it cannot be {past}; only {' or '.join(sorted(allowed))} requests can."
        )
    await session.refresh(r)
    meeting_id = None
    if action == "accept":
        meeting = Meeting(event_id=event.id or 0, request_id=r.id, a_id=r.from_participant_id, b_id=r.to_participant_id)
        session.add(meeting)
        await session.flush()
        meeting_id = meeting.id
    elif action == "cancel":
        await _cancel_meeting_of(session, r)
    await session.flush()
    notify.request_transitioned(session, r, actor_id=viewer.participant_id, meeting_id=meeting_id)
    return _to_read(r, event.timezone, meeting_id)


async def _cancel_meeting_of(session: AsyncSession, r: MeetingRequest) -> None:
    from app.services.meetings import cancel_meeting_row

    meeting = await session.scalar(select(Meeting).where(col(Meeting.request_id) == r.id))
    if meeting is not None and meeting.status != "cancelled":
        await cancel_meeting_row(session, meeting, "request_cancelled")


async def list_requests(
    session: AsyncSession,
    event: Event,
    viewer: Viewer,
    *,
    participant_id: int | None,
    direction: str | None,
    status: str | None,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
) -> Page[MeetingRequestRead]:
    await expire_due(session, event)
    if not viewer.is_organiser:
        if participant_id is not None and participant_id != viewer.participant_id:
            raise Forbidden("Participants see only their own requests.")
        participant_id = viewer.participant_id
    stmt = select(MeetingRequest).where(col(MeetingRequest.event_id) == event.id)
    if participant_id is not None:
        if direction == "incoming":
            stmt = stmt.where(col(MeetingRequest.to_participant_id) == participant_id)
        elif direction == "outgoing":
            stmt = stmt.where(col(MeetingRequest.from_participant_id) == participant_id)
        else:
            stmt = stmt.where(
                (col(MeetingRequest.to_participant_id) == participant_id)
                | (col(MeetingRequest.from_participant_id) == participant_id)
            )
    elif direction is not None:
        raise InvalidInput("direction needs participant_id.")
    if status:
        stmt = stmt.where(col(MeetingRequest.status) == status)
    stmt = stmt.order_by(col(MeetingRequest.created_at).desc(), col(MeetingRequest.id).desc())
    columns = {"created_at": col(MeetingRequest.created_at), "status": col(MeetingRequest.status)}
    stmt = sorted_by(stmt, sort, columns, col(MeetingRequest.id))
    rows, total = await page_of(session, stmt, limit, offset)
    meetings = dict(
        (
            await session.execute(
                select(col(Meeting.request_id), col(Meeting.id)).where(
                    col(Meeting.request_id).in_([r.id for r in rows])
                )
            )
        ).all()
    )
    return Page(
        items=[_to_read(r, event.timezone, meetings.get(r.id)) for r in rows], total=total, limit=limit, offset=offset
    )
