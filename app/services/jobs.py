"""Jobs: long runs (matching, scheduling) with status, progress and timings, stored in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db import utcnow
from app.errors import NotFound
from app.models import Job, Participant

ACTIVE = ("queued", "running")


async def active_job(session: AsyncSession, event_id: int, kind: str) -> Job | None:
    return await session.scalar(
        select(Job)
        .where(col(Job.event_id) == event_id, col(Job.kind) == kind, col(Job.status).in_(ACTIVE))
        .order_by(col(Job.id))
    )


async def start_job(session: AsyncSession, event_id: int, kind: str, params: dict[str, Any]) -> tuple[Job, bool]:
    """A new queued job, or the one already queued or running for this event and kind.

    Returns the job and whether it is new: starting a run twice runs it once.
    """
    existing = await active_job(session, event_id, kind)
    if existing is not None:
        return existing, False
    job = Job(event_id=event_id, kind=kind, params=params)
    session.add(job)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent start won: this request did nothing else, so roll back
        await session.rollback()
        existing = await active_job(session, event_id, kind)
        if existing is None:
            raise
        return existing, False
    return job, True


async def get_job(session: AsyncSession, event_id: int, job_id: int, kind: str) -> Job:
    job = await session.get(Job, job_id)
    if job is None or job.event_id != event_id or job.kind != kind:
        raise NotFound(f"Event {event_id} has no {kind} run {job_id}.")
    return job


async def latest_succeeded(session: AsyncSession, event_id: int, kind: str) -> Job | None:
    return await session.scalar(
        select(Job)
        .where(col(Job.event_id) == event_id, col(Job.kind) == kind, col(Job.status) == "succeeded")
        .order_by(col(Job.finished_at).desc(), col(Job.id).desc())
        .limit(1)
    )


async def mark_running(session: AsyncSession, job_id: int) -> Job | None:
    """Claim a queued job; None when someone else claimed it or it is gone.

    The claim is the only way to run a job, so a job delivered twice (two queue messages, two
    runners recovering it) still runs once. ``attempts`` counts claims and fences the run: the
    heartbeat, release and finish of a run only apply while the row still carries its attempt.
    """
    now = utcnow()
    result = await session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == "queued")
        .values(status="running", started_at=now, heartbeat_at=now, attempts=col(Job.attempts) + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(Job, job_id, populate_existing=True)


def _owned(job_id: int, attempt: int) -> list[Any]:
    return [col(Job.id) == job_id, col(Job.status) == "running", col(Job.attempts) == attempt]


async def heartbeat(session: AsyncSession, job_id: int, attempt: int, progress: float) -> bool:
    """Beat for a running attempt. False when the attempt lost the job (a sweeper gave it to another)."""
    result = await session.execute(
        update(Job).where(*_owned(job_id, attempt)).values(progress=round(progress, 4), heartbeat_at=utcnow())
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def release(session: AsyncSession, job_id: int, attempt: int) -> bool:
    """Put a running attempt back in the queue without counting it (its worker is shutting down)."""
    result = await session.execute(
        update(Job)
        .where(*_owned(job_id, attempt))
        .values(status="queued", heartbeat_at=None, attempts=col(Job.attempts) - 1)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def finish(
    session: AsyncSession, job_id: int, attempt: int, *, result: dict[str, Any] | None, error: str | None
) -> bool:
    """End a running attempt as succeeded or failed; False when the attempt no longer owns the job."""
    done = await session.execute(
        update(Job)
        .where(*_owned(job_id, attempt))
        .values(
            status="failed" if error else "succeeded",
            progress=1.0 if error is None else col(Job.progress),
            result=result,
            error=error,
            finished_at=utcnow(),
        )
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Pending:
    """A queued job, as a queue message names it."""

    id: int
    attempts: int


@dataclass(frozen=True)
class Recovery:
    """What a sweep did: the kinds of the jobs it requeued and failed, and every job now queued."""

    queued: list[Pending]
    requeued_kinds: list[str]
    failed_kinds: list[str]


async def recover_stale(session: AsyncSession, stale_after: timedelta, max_attempts: int = 2) -> Recovery:
    """Jobs whose worker died: requeue them while attempts remain, else mark them failed.

    Each change is one conditional UPDATE, so sweepers in several processes may run at once.
    ``queued`` lists every queued job (the requeued ones and those still waiting), oldest first,
    for the caller to hand to its runner or to the queue again.
    """
    stale = [col(Job.status) == "running", col(Job.heartbeat_at) < utcnow() - stale_after]
    requeued = await session.scalars(
        update(Job)
        .where(*stale, col(Job.attempts) < max_attempts)
        .values(status="queued", heartbeat_at=None)
        .returning(col(Job.kind)),
        execution_options={"synchronize_session": False},
    )
    requeued_kinds = list(requeued.all())
    failed = await session.scalars(
        update(Job)
        .where(*stale, col(Job.attempts) >= max_attempts)
        .values(
            status="failed",
            error=f"the worker running this job stopped responding, {max_attempts} times; start the run again",
            finished_at=utcnow(),
        )
        .returning(col(Job.kind)),
        execution_options={"synchronize_session": False},
    )
    failed_kinds = list(failed.all())
    rows = await session.execute(
        select(col(Job.id), col(Job.attempts)).where(col(Job.status) == "queued").order_by(col(Job.id))
    )
    queued = [Pending(job_id or 0, attempts) for job_id, attempts in rows.all()]
    return Recovery(queued, requeued_kinds, failed_kinds)


async def queued_counts(session: AsyncSession) -> dict[str, int]:
    """Jobs waiting to run, by kind."""
    rows = await session.execute(
        select(col(Job.kind), func.count()).where(col(Job.status) == "queued").group_by(col(Job.kind))
    )
    return {str(kind): int(n) for kind, n in rows.all()}


async def participant_count(session: AsyncSession, event_id: int) -> int:
    """The size of the event a job works on."""
    return int(
        await session.scalar(select(func.count()).select_from(Participant).where(col(Participant.event_id) == event_id))
        or 0
    )
