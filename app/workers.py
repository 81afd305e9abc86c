"""Every job kind registered, and where jobs run: used by the app, the CLI and ``matchmaker worker``."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client import start_http_server
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.jobs import JobContext, JobPolicy, JobRunner
from app.queue import QueueDispatcher, create_queue, serve_worker

if TYPE_CHECKING:
    from app.services.matching import EngineCache


class Jobs(Protocol):
    """What the API hands its jobs to: the embedded runner or the queue."""

    def submit(self, job_id: int) -> None: ...
    async def start(self) -> None: ...
    async def join(self) -> None: ...
    async def close(self) -> None: ...


def job_policy(settings: Settings) -> JobPolicy:
    return JobPolicy(
        stale_after=timedelta(seconds=settings.job_stale_seconds),
        max_attempts=settings.job_max_attempts,
        timeout_seconds=settings.job_timeout_seconds,
    )


async def _load(module: str) -> None:
    """Import a job kind's service off the event loop: scikit-learn and OR-Tools take seconds to import,
    so a worker process starts taking jobs at once and its first job of a kind pays the import."""
    await asyncio.to_thread(importlib.import_module, module)


def build_runner(
    sessionmaker: async_sessionmaker[AsyncSession], cache: EngineCache | None, settings: Settings
) -> JobRunner:
    """The runner with every job kind. ``cache`` is shared with the API's refreshes; a worker passes None."""
    runner = JobRunner(sessionmaker, concurrency=settings.job_workers, policy=job_policy(settings))
    top_k = settings.suggestions_per_participant
    caches = [cache] if cache is not None else []

    async def matching_job(ctx: JobContext) -> dict[str, Any]:
        await _load("app.services.matching")
        from app.services.matching import EngineCache, run_matching

        if not caches:
            caches.append(EngineCache())
        return await run_matching(ctx, caches[0], top_k)

    async def scheduling_job(ctx: JobContext) -> dict[str, Any]:
        await _load("app.services.scheduling")
        from app.services.scheduling import run_scheduling

        return await run_scheduling(ctx)

    runner.register("matching", matching_job)
    runner.register("scheduling", scheduling_job)
    return runner


def build_jobs(sessionmaker: async_sessionmaker[AsyncSession], cache: EngineCache, settings: Settings) -> Jobs:
    """With a Redis URL, jobs go to the queue for ``matchmaker worker``; otherwise they run in this process."""
    if settings.redis_url:
        return QueueDispatcher(create_queue(settings.redis_url, settings.job_queue), job_policy(settings))
    return build_runner(sessionmaker, cache, settings)


def register_extra(runner: JobRunner, modules: Sequence[str]) -> None:
    """Import each module and let its ``register(runner)`` add job kinds (plug-ins, tests)."""
    for name in modules:
        importlib.import_module(name).register(runner)


async def run_worker(settings: Settings, extra_modules: Sequence[str] = (), metrics_port: int | None = None) -> None:
    """One worker process: the same handlers as the embedded runner, fed by the queue."""
    if not settings.redis_url:
        raise ValueError("MATCHMAKER_REDIS_URL is not set: a worker needs the queue")
    if metrics_port is not None:
        # one process per worker, so this process's registry is the whole story (no multiprocess files)
        start_http_server(metrics_port)
    engine = create_engine(settings.database_url, echo=settings.sql_echo)
    try:
        runner = build_runner(create_sessionmaker(engine), None, settings)
        register_extra(runner, extra_modules)
        queue = create_queue(settings.redis_url, settings.job_queue)
        await serve_worker(queue, runner, concurrency=settings.job_workers)
    finally:
        await engine.dispose()
