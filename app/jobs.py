"""Runs jobs in this process, off the request path.

Each job is claimed in the database (so two runners never both run it), runs as an asyncio
task (its CPU-heavy part in a worker thread), beats a heartbeat while it runs and ends as
succeeded or failed. On start-up, jobs whose runner died are requeued or failed.
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
from app.models import Job
from app.services import jobs as job_service

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 1.0
STALE_AFTER = timedelta(minutes=2)


@dataclass
class JobContext:
    """What a job handler gets: its job, a way to open sessions, and a progress setter."""

    job_id: int
    event_id: int
    params: dict[str, Any]
    sessionmaker: async_sessionmaker[AsyncSession]
    progress: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    def set_progress(self, value: float) -> None:
        """Safe to call from the worker thread: the heartbeat task writes it."""
        self.progress = max(0.0, min(1.0, value))


Handler = Callable[[JobContext], Awaitable[dict[str, Any]]]


class JobRunner:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], concurrency: int = 1) -> None:
        self._sessionmaker = sessionmaker
        self._handlers: dict[str, Handler] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(concurrency)

    def register(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    def submit(self, job_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self._run(job_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def join(self) -> None:
        """Wait until every submitted job has ended (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def recover(self) -> None:
        async with session_scope(self._sessionmaker) as session:
            ids = await job_service.recover_stale(session, STALE_AFTER)
        for job_id in ids:
            self.submit(job_id)

    async def _run(self, job_id: int) -> None:
        async with self._slots:
            async with session_scope(self._sessionmaker) as session:
                job = await job_service.mark_running(session, job_id)
            if job is None:
                return
            await self._execute(job)

    async def _execute(self, job: Job) -> None:
        assert job.id is not None
        ctx = JobContext(job.id, job.event_id, dict(job.params), self._sessionmaker)
        beat = asyncio.create_task(self._beat(ctx))
        result: dict[str, Any] | None = None
        error: str | None = None
        try:
            handler = self._handlers[job.kind]
            result = await handler(ctx)
            result.setdefault("timings", {})["total_s"] = round(time.perf_counter() - ctx.started, 4)
        except Exception as exc:  # noqa: BLE001 - a failed job is recorded, never lost
            log.exception("job %s (%s) failed", job.id, job.kind)
            error = _public_error(exc)
        finally:
            beat.cancel()
        async with session_scope(self._sessionmaker) as session:
            await job_service.finish(session, job.id, result=result, error=error)

    async def _beat(self, ctx: JobContext) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            async with session_scope(self._sessionmaker) as session:
                await job_service.heartbeat(session, ctx.job_id, ctx.progress)


def _public_error(exc: Exception) -> str:
    """What a client may read about a failure: never SQL, parameters or tracebacks."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.errors import AppError

    if isinstance(exc, AppError):
        return exc.detail
    if isinstance(exc, SQLAlchemyError):
        return "the data changed while the job ran (a database constraint refused it); run it again"
    return f"{type(exc).__name__}: the job failed; see the server log"
