"""The job runner with every job kind registered: used by the app and by the CLI."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.jobs import JobContext, JobRunner
from app.services.matching import EngineCache, run_matching
from app.services.scheduling import run_scheduling


def build_runner(sessionmaker: async_sessionmaker[AsyncSession], cache: EngineCache, settings: Settings) -> JobRunner:
    runner = JobRunner(sessionmaker, concurrency=settings.job_workers)
    top_k = settings.suggestions_per_participant

    async def matching_job(ctx: JobContext) -> dict[str, Any]:
        return await run_matching(ctx, cache, top_k)

    runner.register("matching", matching_job)
    runner.register("scheduling", run_scheduling)
    return runner
