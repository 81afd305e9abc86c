"""Runs jobs: claimed in SQL, executed with heartbeats, ended as succeeded or failed.

``JobRunner.run`` is the one way a job runs, in whichever process holds the runner:

* embedded (the default): the API process itself; ``submit`` starts ``run`` as an asyncio task;
* with a queue (``app.queue``): a ``matchmaker worker`` process calls ``run`` for each message.

Each job is claimed in the database first (so a job delivered twice runs once), runs as an
asyncio task (its CPU-heavy part in a worker thread), beats a heartbeat while it runs and ends as
succeeded or failed. ``sweep`` gives jobs whose runner died back to the queue while attempts remain
and fails them after that, so no job stays "running" forever.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import session_scope
from app.metrics import JOB_DURATION, JOB_SIZE, JOBS, QUEUE_DEPTH
from app.models import Job
from app.observability import bind_job_id
from app.services import jobs as job_service
from app.services.jobs import Pending

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobPolicy:
    """How often a running job beats, when a silent one counts as dead, how often it may run, for how long."""

    heartbeat_seconds: float = 1.0
    stale_after: timedelta = timedelta(seconds=60)
    max_attempts: int = 2
    timeout_seconds: float = 3600.0


@dataclass
class JobContext:
    """What a job handler gets: its job, a way to open sessions, and a progress setter."""

    job_id: int
    event_id: int
    params: dict[str, Any]
    sessionmaker: async_sessionmaker[AsyncSession]
    attempt: int = 1
    progress: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    def set_progress(self, value: float) -> None:
        """Safe to call from the worker thread: the heartbeat task writes it."""
        self.progress = max(0.0, min(1.0, value))


Handler = Callable[[JobContext], Awaitable[dict[str, Any]]]
Beat = Callable[[float], Awaitable[None]]  # an extra heartbeat (the queue's), given the progress


class JobRunner:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], concurrency: int = 1, policy: JobPolicy | None = None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._handlers: dict[str, Handler] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self.policy = policy or JobPolicy()

    def register(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    @property
    def kinds(self) -> list[str]:
        return sorted(self._handlers)

    # --- embedded mode: jobs run as tasks of this process -------------------------------

    def submit(self, job_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self._run_when_free(job_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self) -> None:
        """On start-up: requeue or fail the jobs of a runner that died, and run what is queued."""
        for pending in await self.sweep():
            self.submit(pending.id)

    async def join(self) -> None:
        """Wait until every submitted job has ended (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Nothing to release: the runner holds no connection of its own."""

    async def _run_when_free(self, job_id: int) -> None:
        await self._refresh_depth()
        async with self._slots:
            await self.run(job_id)

    # --- both modes ---------------------------------------------------------------------

    @bind_job_id
    async def run(self, job_id: int, on_beat: Beat | None = None) -> bool:
        """Claim the job and run it to its end. False when it was not there to claim (already taken or done)."""
        async with session_scope(self._sessionmaker) as session:
            job = await job_service.mark_running(session, job_id)
            await self._refresh_depth(session)
        if job is None:
            return False
        await self._execute(job, on_beat)
        return True

    async def sweep(self) -> list[Pending]:
        """Requeue (or, out of attempts, fail) running jobs whose heartbeat stopped; returns every queued job."""
        async with session_scope(self._sessionmaker) as session:
            recovery = await job_service.recover_stale(session, self.policy.stale_after, self.policy.max_attempts)
            await self._refresh_depth(session)
        for kind in recovery.failed_kinds:
            JOBS.labels(kind, "failed").inc()
        for kind in recovery.requeued_kinds:
            JOBS.labels(kind, "requeued").inc()
        if recovery.failed_kinds or recovery.requeued_kinds:
            log.warning(
                "jobs whose worker stopped beating: %d requeued, %d failed",
                len(recovery.requeued_kinds),
                len(recovery.failed_kinds),
            )
        return recovery.queued

    async def _execute(self, job: Job, on_beat: Beat | None) -> None:
        assert job.id is not None
        ctx = JobContext(job.id, job.event_id, dict(job.params), self._sessionmaker, attempt=job.attempts)
        work = asyncio.create_task(self._handle(job.kind, ctx))
        beat = asyncio.create_task(self._beat(ctx, on_beat))
        try:
            await asyncio.wait({work, beat}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # this process is stopping: give the job back, uncounted
            work.cancel()
            await asyncio.shield(self._release(job.kind, ctx))  # a second cancel must not cut the write short
            raise
        finally:
            beat.cancel()
        if not work.done():  # the beat found the job taken over (this attempt was presumed dead)
            work.cancel()
            log.warning("job %s attempt %s lost its claim; another attempt owns it", ctx.job_id, ctx.attempt)
            JOBS.labels(job.kind, "lost").inc()
            return
        result, error = work.result()
        await self._finish(job.kind, ctx, result, error)

    async def _handle(self, kind: str, ctx: JobContext) -> tuple[dict[str, Any] | None, str | None]:
        handler = self._handlers.get(kind)
        if handler is None:
            return None, f"this worker has no handler for {kind!r} jobs"
        limit = self.policy.timeout_seconds
        try:
            async with asyncio.timeout(limit) as deadline:
                result = await handler(ctx)
        except TimeoutError:
            if deadline.expired():
                return None, f"the job ran longer than its limit of {limit:g} s"
            log.exception("job %s (%s) failed", ctx.job_id, kind)
            return None, _public_error(TimeoutError())
        except Exception as exc:  # noqa: BLE001 - a failed job is recorded, never lost
            log.exception("job %s (%s) failed", ctx.job_id, kind)
            return None, _public_error(exc)
        result.setdefault("timings", {})["total_s"] = round(time.perf_counter() - ctx.started, 4)
        return result, None

    async def _beat(self, ctx: JobContext, on_beat: Beat | None) -> None:
        """Beat until cancelled; returns only when this attempt no longer owns the job."""
        while True:
            await asyncio.sleep(self.policy.heartbeat_seconds)
            try:
                async with session_scope(self._sessionmaker) as session:
                    owned = await job_service.heartbeat(session, ctx.job_id, ctx.attempt, ctx.progress)
            except Exception:  # noqa: BLE001 - a missed beat is retried; the sweeper judges silence
                log.warning("heartbeat of job %s failed", ctx.job_id, exc_info=True)
                continue
            if not owned:
                return
            if on_beat is not None:
                try:
                    await on_beat(ctx.progress)
                except Exception:  # noqa: BLE001 - the queue's view is advisory; the database decides
                    log.warning("queue heartbeat of job %s failed", ctx.job_id, exc_info=True)

    async def _finish(self, kind: str, ctx: JobContext, result: dict[str, Any] | None, error: str | None) -> None:
        async with session_scope(self._sessionmaker) as session:
            owned = await job_service.finish(session, ctx.job_id, ctx.attempt, result=result, error=error)
            size = await job_service.participant_count(session, ctx.event_id)
            await self._refresh_depth(session)
        outcome = ("failed" if error else "succeeded") if owned else "lost"
        JOBS.labels(kind, outcome).inc()
        JOB_DURATION.labels(kind).observe(time.perf_counter() - ctx.started)
        JOB_SIZE.labels(kind).observe(size)

    async def _release(self, kind: str, ctx: JobContext) -> None:
        try:
            async with session_scope(self._sessionmaker) as session:
                if await job_service.release(session, ctx.job_id, ctx.attempt):
                    JOBS.labels(kind, "requeued").inc()
        except Exception:  # noqa: BLE001 - shutting down anyway; the sweeper requeues it when the beat stops
            log.warning("could not give job %s back to the queue", ctx.job_id, exc_info=True)

    async def _refresh_depth(self, session: AsyncSession | None = None) -> None:
        """Set the queue-depth gauge from SQL, the source of truth (0 for kinds with nothing waiting)."""
        if session is None:
            async with session_scope(self._sessionmaker) as own:
                counts = await job_service.queued_counts(own)
        else:
            counts = await job_service.queued_counts(session)
        for kind in {*self._handlers, *counts}:
            QUEUE_DEPTH.labels(kind).set(counts.get(kind, 0))


def _public_error(exc: Exception) -> str:
    """What a client may read about a failure: never SQL, parameters or tracebacks."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.errors import AppError

    if isinstance(exc, AppError):
        return exc.detail
    if isinstance(exc, SQLAlchemyError):
        return "the data changed while the job ran (a database constraint refused it); run it again"
    return f"{type(exc).__name__}: the job failed; see the server log"
