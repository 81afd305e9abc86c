"""Jobs: long runs (matching, scheduling) with status, progress and timings, stored in SQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db import utcnow
from app.errors import NotFound
from app.models import Job

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
    """Claim a queued job; None when someone else claimed it or it is gone."""
    now = utcnow()
    result = await session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == "queued")
        .values(status="running", started_at=now, heartbeat_at=now, attempts=col(Job.attempts) + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(Job, job_id, populate_existing=True)


async def heartbeat(session: AsyncSession, job_id: int, progress: float) -> None:
    await session.execute(
        update(Job).where(col(Job.id) == job_id).values(progress=round(progress, 4), heartbeat_at=utcnow())
    )


async def finish(session: AsyncSession, job_id: int, *, result: dict[str, Any] | None, error: str | None) -> None:
    await session.execute(
        update(Job)
        .where(col(Job.id) == job_id)
        .values(
            status="failed" if error else "succeeded",
            progress=1.0 if error is None else col(Job.progress),
            result=result,
            error=error,
            finished_at=utcnow(),
        )
    )


async def recover_stale(session: AsyncSession, stale_after: timedelta, max_attempts: int = 2) -> list[int]:
    """Jobs whose worker died: requeue them while attempts remain, else mark them failed.

    Returns the ids put back in the queue.
    """
    cutoff = utcnow() - stale_after
    stale = (
        await session.scalars(select(Job).where(col(Job.status) == "running", col(Job.heartbeat_at) < cutoff))
    ).all()
    requeued = []
    for job in stale:
        if job.attempts < max_attempts:
            job.status = "queued"
            requeued.append(job.id or 0)
        else:
            job.status, job.error, job.finished_at = "failed", "the worker stopped responding", utcnow()
    queued = (await session.scalars(select(col(Job.id)).where(col(Job.status) == "queued"))).all()
    await session.flush()
    return sorted({*requeued, *(int(q) for q in queued if q is not None)})
