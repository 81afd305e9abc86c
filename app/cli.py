"""The ``matchmaker`` command: serve, worker, migrate, demo, create-organiser, b2bsp."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db import create_engine, create_sessionmaker, session_scope
from app.models import Job

app = typer.Typer(help="Matchmaker: B2B matchmaking for cluster and innovation events.", no_args_is_help=True)
T = TypeVar("T")


def _with_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(get_settings().database_url)
        try:
            async with session_scope(create_sessionmaker(engine)) as session:
                result = await work(session)
            return result
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command()
def migrate() -> None:
    """Apply the database migrations to MATCHMAKER_DATABASE_URL."""
    from app.migrate import upgrade

    upgrade(get_settings().database_url)
    typer.echo("database is at the newest migration")


@app.command()
def demo(quiet: Annotated[bool, typer.Option(help="Print only the log-in lines")] = False) -> None:
    """Load the demo data (idempotent): Romanian clusters and a Cluj-Napoca matchmaking event."""
    from app.demo.loader import load_demo

    settings = get_settings()
    summary = _with_session(lambda s: load_demo(s, settings.secret_key))
    run = asyncio.run(_demo_matching(summary.event_id))
    if not quiet:
        state = "created" if summary.event_created else "already there"
        typer.echo(
            f"demo: {summary.organisations_created} organisations added; event {summary.event_id} {state} "
            f"with {summary.participants} participants"
        )
        if run is not None:
            typer.echo(f"demo: matching run {run.id} {run.status} in {(run.result or {}).get('timings', {})}")
    base = settings.public_url.rstrip("/")
    typer.echo(f"""
  API docs:    {base}/docs
  Organiser:   {summary.organiser_email} / {summary.organiser_password}
               (Authorize in /docs, or POST {base}/api/v1/auth/token)
  Participant: {summary.participant_name} (id {summary.participant_id}, event {summary.event_id})
               Authorization: Bearer {summary.participant_token}
               Their page: {base}/ui/#token={summary.participant_token}
               curl -H 'Authorization: Bearer {summary.participant_token}' \\
                 {base}/api/v1/events/{summary.event_id}/participants/{summary.participant_id}
""")


async def _demo_matching(event_id: int) -> Job | None:
    """Run matching once for the demo event, so suggestions are there on first start."""
    from app.services import jobs
    from app.services.matching import EngineCache
    from app.workers import build_runner

    settings = get_settings()
    engine = create_engine(settings.database_url)
    maker = create_sessionmaker(engine)
    try:
        async with session_scope(maker) as session:
            if await jobs.latest_succeeded(session, event_id, "matching") is not None:
                return None
            job, _ = await jobs.start_job(session, event_id, "matching", {})
        runner = build_runner(maker, EngineCache(), settings)
        runner.submit(job.id or 0)
        await runner.join()
        async with session_scope(maker) as session:
            return await session.get(Job, job.id, populate_existing=True)
    finally:
        await engine.dispose()


@app.command("create-organiser")
def create_organiser(
    email: Annotated[str, typer.Option(help="Log-in email")],
    password: Annotated[str | None, typer.Option(help="Password (read from stdin when left out)")] = None,
    name: Annotated[str, typer.Option(help="Display name")] = "",
) -> None:
    """Create an organiser account."""
    from app.errors import AppError
    from app.services import auth

    if password is None:
        password = (
            sys.stdin.readline().rstrip("\n")
            if not sys.stdin.isatty()
            else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        )
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if len(password) < 8:
        typer.echo("error: the password needs at least 8 characters", err=True)
        raise typer.Exit(2)
    try:
        organiser = _with_session(lambda s: auth.create_organiser(s, email, password, name))
    except AppError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"organiser {organiser.email} created (id {organiser.id})")


@app.command()
def b2bsp(
    file: Annotated[Path, typer.Argument(help="A B2BSP instance (MiniZinc .dzn)", exists=True, dir_okay=False)],
    time_limit: Annotated[float, typer.Option(help="Solver time limit, seconds")] = 60.0,
    output: Annotated[Path | None, typer.Option(help='Write the schedule {"slots": {meeting: slot}} here')] = None,
) -> None:
    """Solve one B2B meeting scheduling instance and print one JSON object."""
    from app.scheduling.b2bsp import solve_instance

    try:
        report = solve_instance(file, time_limit)
    except ValueError as exc:
        typer.echo(f"error: {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    if output is not None:
        schedule = {"slots": report.get("slots", {}), "unplaced": report.get("unplaced", [])}
        output.write_text(json.dumps(schedule, indent=1) + "\n", encoding="utf-8")
    summary = {k: v for k, v in report.items() if k not in {"slots"}}
    typer.echo(json.dumps(summary))


@app.command()
def worker(
    handlers: Annotated[
        list[str] | None,
        typer.Option("--handlers", metavar="MODULE", help="Also import MODULE; its register(runner) adds job kinds"),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Health check: exit 0 when a worker of this host is on the queue")
    ] = False,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve this worker's Prometheus metrics (jobs, queue depth) on this port")
    ] = None,
) -> None:
    """Run jobs (matching, scheduling) from the Redis queue until SIGTERM; start several for more throughput."""
    import socket

    from redis.exceptions import RedisError

    from app.observability import configure_logging
    from app.queue import create_queue, workers_on_host
    from app.workers import run_worker

    settings = get_settings()
    if not settings.redis_url:
        typer.echo("error: set MATCHMAKER_REDIS_URL (redis://host:6379/0): workers take jobs from Redis", err=True)
        raise typer.Exit(2)
    if check:
        queue = create_queue(settings.redis_url, settings.job_queue)
        try:
            alive = asyncio.run(workers_on_host(queue, socket.gethostname()))
        except (OSError, RedisError) as exc:
            typer.echo(f"error: the queue is unreachable: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{alive} worker(s) of this host on queue {settings.job_queue!r}")
        raise typer.Exit(0 if alive else 1)
    configure_logging(settings.log_level, json=settings.log_json, sql_echo=settings.sql_echo)
    asyncio.run(run_worker(settings, handlers or (), metrics_port=metrics_port))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes")] = False,
    graceful_timeout: Annotated[
        int,
        typer.Option(
            min=0,
            help="Seconds a stop waits for open requests; live-update streams never end by themselves, so "
            "without a limit a stop would wait for every browser to leave (clients reconnect and resume)",
        ),
    ] = 10,
) -> None:
    """Serve the API with uvicorn."""
    import uvicorn

    uvicorn.run(
        "app.main:serving_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        timeout_graceful_shutdown=graceful_timeout,
    )
