"""Jobs through the Redis queue (saq) to ``matchmaker worker`` processes, on a real Redis.

Each test gets its own queue name; workers are real subprocesses of ``.venv/bin/matchmaker worker``
on the test database. A test-only job kind ("sleep") comes from a tiny module written to the test's
folder and passed with ``--handlers``: slow enough to kill a worker in the middle of it, and it logs
every start, so "ran once" is counted, not assumed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis
from httpx import ASGITransport, AsyncClient
from prometheus_client import REGISTRY
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from app.config import Settings
from app.db import create_sessionmaker, session_scope, utcnow
from app.jobs import JobContext, JobRunner
from app.main import create_app
from app.models import Job
from app.queue import FUNCTION, QueueDispatcher, message_key
from app.services import jobs as job_service
from tests.conftest import IN_CI
from tests.factories import auth, check, create_event, organiser_token, participant_body

API = "/api/v1"
REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS", "redis://127.0.0.1:6379/0")
MATCHMAKER = Path(sys.executable).parent / "matchmaker"
STALE_SECONDS = 2.0  # workers in these tests judge a job dead after 2 s without a heartbeat

SLOW_JOBS = """
import asyncio, os
from pathlib import Path

def register(runner):
    async def sleep_job(ctx):
        with Path(os.environ["SLOW_JOBS_LOG"]).open("a") as log:
            log.write(f"{ctx.job_id} {ctx.attempt} {os.getpid()}\\n")
        seconds = float(os.environ.get("SLOW_JOBS_SECONDS") or ctx.params.get("seconds", 0.5))
        steps = max(1, int(seconds * 10))
        for step in range(steps):
            await asyncio.sleep(seconds / steps)
            ctx.set_progress((step + 1) / steps)
        return {"slept_s": seconds, "pid": os.getpid()}

    runner.register("sleep", sleep_job)
"""


@pytest.fixture(scope="module")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis is required under CI=true but unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")
    return REDIS_URL


@pytest.fixture
async def queue_settings(settings: Settings, redis_url: str) -> AsyncIterator[Settings]:
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield settings.model_copy(update={"redis_url": redis_url, "job_queue": name})
    client = aioredis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(f"saq:{name}:*")] + [
            k async for k in client.scan_iter(f"saq:job:{name}:*")
        ]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
async def queue_client(db: AsyncEngine, queue_settings: Settings) -> AsyncIterator[AsyncClient]:
    """The API with the queue on: its jobs go to Redis, none runs in this process."""
    app = create_app(queue_settings)
    assert isinstance(app.state.runner, QueueDispatcher)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as c:
        yield c
    await app.state.runner.close()
    await app.state.engine.dispose()


@dataclass
class Workers:
    """Starts ``matchmaker worker`` subprocesses; stops the survivors at the end."""

    settings: Settings
    folder: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def log(self) -> Path:
        return self.folder / "starts.log"

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        environ = {
            **os.environ,
            "PYTHONPATH": str(self.folder),
            "SLOW_JOBS_LOG": str(self.log),
            "MATCHMAKER_DATABASE_URL": self.settings.database_url,
            "MATCHMAKER_REDIS_URL": self.settings.redis_url or "",
            "MATCHMAKER_JOB_QUEUE": self.settings.job_queue,
            "MATCHMAKER_SECRET_KEY": self.settings.secret_key,
            "MATCHMAKER_DEMO_MODE": "false",
            "MATCHMAKER_JOB_STALE_SECONDS": str(STALE_SECONDS),
            "MATCHMAKER_JOB_MAX_ATTEMPTS": "2",
            **env,
        }
        out = (self.folder / f"worker{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(
            [str(MATCHMAKER), "worker", "--handlers", "slow_jobs", *args],
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        self.procs.append(proc)
        return proc

    def starts(self) -> list[tuple[int, int, int]]:
        """(job id, attempt, worker pid) for every start of a sleep job, in order."""
        if not self.log.exists():
            return []
        return [tuple(map(int, line.split())) for line in self.log.read_text().splitlines()]  # type: ignore[misc]

    def output(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.folder.glob("worker*.log")))

    def kill_all(self) -> None:
        """After a test: its jobs have ended (a graceful stop has a test of its own and takes 5 s)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            proc.wait()


@pytest.fixture
def postgresql_only(backend: str) -> None:
    """Queue workers are the production shape, and production is PostgreSQL. On SQLite the API flow,
    duplicate delivery and a killed worker are tested; the other worker-process tests run once, here."""
    if backend != "postgresql":
        pytest.skip("worker-process test run on PostgreSQL only (see postgresql_only)")


@pytest.fixture
def workers(queue_settings: Settings, tmp_path: Path) -> Iterator[Workers]:
    (tmp_path / "slow_jobs.py").write_text(SLOW_JOBS)
    pool = Workers(queue_settings, tmp_path)
    yield pool
    pool.kill_all()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape(port: int) -> dict[str, float]:
    """A worker's metrics as {'name{labels}': value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        name: float(value)
        for name, value in (line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    }


async def eventually(probe: Callable[[], Awaitable[Any]], what: str, timeout: float = 60.0) -> Any:
    """Poll until ``probe`` returns something truthy; fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await probe()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


async def read_job(db: AsyncEngine, job_id: int) -> Job:
    async with session_scope(create_sessionmaker(db)) as session:
        job = await session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


async def new_sleep_job(db: AsyncEngine, event_id: int, seconds: float) -> int:
    async with session_scope(create_sessionmaker(db)) as session:
        job, created = await job_service.start_job(session, event_id, "sleep", {"seconds": seconds})
    assert created and job.id is not None
    return job.id


async def event_with_people(client: AsyncClient, db: AsyncEngine, n: int = 6) -> tuple[str, int]:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    people = [participant_body() for _ in range(n)]
    check(
        await client.post(
            f"{API}/events/{event['id']}/participants/import", json={"participants": people}, headers=auth(token)
        ),
        200,
    )
    return token, int(event["id"])


async def test_runs_started_through_the_api_run_in_a_worker(
    queue_client: AsyncClient, db: AsyncEngine, workers: Workers
) -> None:
    token, eid = await event_with_people(queue_client, db)
    run = check(await queue_client.post(f"{API}/events/{eid}/matching-runs", headers=auth(token)), 202)
    await asyncio.sleep(1.0)
    # the API process runs nothing itself: without a worker the run waits
    waiting = check(await queue_client.get(f"{API}/events/{eid}/matching-runs/{run['id']}", headers=auth(token)), 200)
    assert waiting["status"] == "queued"
    dispatcher: QueueDispatcher = queue_client._transport.app.state.runner  # type: ignore[attr-defined]
    assert await dispatcher.queue.count("queued") == 1  # the message waits in Redis

    workers.start()

    async def matching_done() -> Any:
        body = check(await queue_client.get(f"{API}/events/{eid}/matching-runs/{run['id']}", headers=auth(token)), 200)
        return body if body["status"] in {"succeeded", "failed"} else None

    done = await eventually(matching_done, f"the matching run to end\n{workers.output()}")
    assert done["status"] == "succeeded", done
    assert done["progress"] == 1.0
    people = check(await queue_client.get(f"{API}/events/{eid}/participants", headers=auth(token)), 200)["items"]
    pid = people[0]["id"]
    suggestions = check(
        await queue_client.get(f"{API}/events/{eid}/participants/{pid}/suggestions", headers=auth(token)), 200
    )
    assert suggestions["total"] > 0

    schedule = check(
        await queue_client.post(
            f"{API}/events/{eid}/schedule-runs", json={"fill_from_suggestions": True}, headers=auth(token)
        ),
        202,
    )

    async def schedule_done() -> Any:
        body = check(
            await queue_client.get(f"{API}/events/{eid}/schedule-runs/{schedule['id']}", headers=auth(token)), 200
        )
        return body if body["status"] in {"succeeded", "failed"} else None

    scheduled = await eventually(schedule_done, f"the schedule run to end\n{workers.output()}")
    assert scheduled["status"] == "succeeded", scheduled
    meetings = check(await queue_client.get(f"{API}/events/{eid}/meetings", headers=auth(token)), 200)
    assert meetings["total"] > 0


async def test_a_job_delivered_many_times_runs_once(
    queue_client: AsyncClient, db: AsyncEngine, workers: Workers
) -> None:
    _, eid = await event_with_people(queue_client, db, n=2)
    job_id = await new_sleep_job(db, eid, seconds=1.0)
    dispatcher: QueueDispatcher = queue_client._transport.app.state.runner  # type: ignore[attr-defined]
    # a second start of the same run returns it and sends nothing new ...
    async with session_scope(create_sessionmaker(db)) as session:
        again, created = await job_service.start_job(session, eid, "sleep", {"seconds": 1.0})
    assert again.id == job_id and not created
    assert await dispatcher.enqueue(job_id, 0)
    assert not await dispatcher.enqueue(job_id, 0)  # same attempt: saq keeps one message
    # ... and messages redelivered under other keys (at-least-once transports do that) are claimed once
    extra = [f"dup-{job_id}-{i}" for i in range(3)]
    for key in extra:
        assert await dispatcher.queue.enqueue(FUNCTION, job_id=job_id, key=key, timeout=60, retries=1)
    ports = [free_port(), free_port()]
    for port in ports:
        workers.start("--metrics-port", str(port))

    async def all_messages_handled() -> bool:
        messages = await dispatcher.queue.jobs([message_key(job_id, 0), *extra])
        return all(m is not None and m.status == "complete" for m in messages)

    await eventually(all_messages_handled, f"every message to be handled\n{workers.output()}")
    results = [m.result for m in await dispatcher.queue.jobs([message_key(job_id, 0), *extra]) if m is not None]
    assert results.count("skipped: already claimed or ended") >= 3 and results.count("ran") <= 1
    job = await read_job(db, job_id)
    assert (job.status, job.attempts) == ("succeeded", 1)
    assert [s[:2] for s in workers.starts()] == [(job_id, 1)]
    # each worker serves its metrics: together they counted one job, of an event of 2 participants
    samples = [await asyncio.to_thread(scrape, port) for port in ports]
    assert sum(m.get('matchmaker_jobs_total{kind="sleep",outcome="succeeded"}', 0) for m in samples) == 1
    assert sum(m.get('matchmaker_job_size_participants_sum{kind="sleep"}', 0) for m in samples) == 2
    assert sum(m.get('matchmaker_job_duration_seconds_count{kind="sleep"}', 0) for m in samples) == 1
    assert all(m.get('matchmaker_queue_depth{kind="sleep"}') == 0 for m in samples)


async def test_a_job_whose_message_was_lost_still_runs(
    postgresql_only: None, queue_client: AsyncClient, db: AsyncEngine, workers: Workers, queue_settings: Settings
) -> None:
    _, eid = await event_with_people(queue_client, db, n=2)
    job_id = await new_sleep_job(db, eid, seconds=0.2)
    dispatcher: QueueDispatcher = queue_client._transport.app.state.runner  # type: ignore[attr-defined]
    assert await dispatcher.enqueue(job_id, 0)
    client = aioredis.from_url(queue_settings.redis_url or "")
    try:  # Redis restarted without its data (or the API could not reach it): the message is gone
        keys = [k async for k in client.scan_iter(f"saq:*{queue_settings.job_queue}:*")]
        assert keys and await client.delete(*keys) == len(keys)
    finally:
        await client.aclose()
    assert await dispatcher.queue.count("queued") == 0
    workers.start()  # its sweep finds the job queued in SQL and sends it again

    async def ended() -> Job | None:
        job = await read_job(db, job_id)
        return job if job.status in {"succeeded", "failed"} else None

    job = await eventually(ended, f"the job to run\n{workers.output()}")
    assert (job.status, job.attempts) == ("succeeded", 1)


async def test_a_killed_worker_s_job_is_retried_by_another(
    queue_client: AsyncClient, db: AsyncEngine, workers: Workers
) -> None:
    _, eid = await event_with_people(queue_client, db, n=2)
    doomed = workers.start(SLOW_JOBS_SECONDS="120")
    job_id = await new_sleep_job(db, eid, seconds=0.5)
    queue_client._transport.app.state.runner.submit(job_id)  # type: ignore[attr-defined]

    async def running() -> bool:
        job = await read_job(db, job_id)
        return job.status == "running" and job.progress > 0

    await eventually(running, f"the first attempt to run\n{workers.output()}")
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    assert (await read_job(db, job_id)).status == "running"  # what a dead worker leaves behind
    rescuer = workers.start()

    async def ended() -> Job | None:
        job = await read_job(db, job_id)
        return job if job.status in {"succeeded", "failed"} else None

    job = await eventually(ended, f"the job to be retried\n{workers.output()}")
    assert (job.status, job.attempts, job.error) == ("succeeded", 2, None)
    assert job.result is not None and job.result["pid"] == rescuer.pid
    assert workers.starts() == [(job_id, 1, doomed.pid), (job_id, 2, rescuer.pid)]


async def test_a_job_whose_workers_keep_dying_ends_failed(
    postgresql_only: None, queue_client: AsyncClient, db: AsyncEngine, workers: Workers
) -> None:
    _, eid = await event_with_people(queue_client, db, n=2)
    job_id = await new_sleep_job(db, eid, seconds=0.5)
    queue_client._transport.app.state.runner.submit(job_id)  # type: ignore[attr-defined]
    for attempt in (1, 2):
        doomed = workers.start(SLOW_JOBS_SECONDS="120")

        async def running(attempt: int = attempt) -> bool:
            job = await read_job(db, job_id)
            return job.status == "running" and job.attempts == attempt and job.progress > 0

        await eventually(running, f"attempt {attempt} to run\n{workers.output()}")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
    workers.start()  # a healthy worker: its sweep finds the job dead twice and fails it

    async def ended() -> Job | None:
        job = await read_job(db, job_id)
        return job if job.status in {"succeeded", "failed"} else None

    job = await eventually(ended, f"the job to be failed\n{workers.output()}")
    assert (job.status, job.attempts) == ("failed", 2)
    assert job.error == "the worker running this job stopped responding, 2 times; start the run again"
    assert job.finished_at is not None
    assert len(workers.starts()) == 2  # never a third run


async def test_a_stopping_worker_gives_its_job_back_uncounted(
    postgresql_only: None, queue_client: AsyncClient, db: AsyncEngine, workers: Workers
) -> None:
    _, eid = await event_with_people(queue_client, db, n=2)
    stopping = workers.start(SLOW_JOBS_SECONDS="120")
    job_id = await new_sleep_job(db, eid, seconds=0.5)
    queue_client._transport.app.state.runner.submit(job_id)  # type: ignore[attr-defined]

    async def running() -> bool:
        job = await read_job(db, job_id)
        return job.status == "running" and job.progress > 0

    await eventually(running, f"the job to run\n{workers.output()}")
    stopping.send_signal(signal.SIGTERM)  # a deploy: after the grace period the job is cancelled
    assert await asyncio.to_thread(stopping.wait, 30) == 0
    job = await read_job(db, job_id)
    assert (job.status, job.attempts) == ("queued", 0)
    successor = workers.start()

    async def ended() -> Job | None:
        job = await read_job(db, job_id)
        return job if job.status in {"succeeded", "failed"} else None

    job = await eventually(ended, f"the job to run again\n{workers.output()}")
    assert (job.status, job.attempts) == ("succeeded", 1)
    assert [pid for _, _, pid in workers.starts()] == [stopping.pid, successor.pid]


async def test_embedded_runner_fails_a_job_past_its_time_limit(db: AsyncEngine, settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"job_timeout_seconds": 0.3}))
    runner: JobRunner = app.state.runner
    assert isinstance(runner, JobRunner)

    async def forever(ctx: JobContext) -> dict[str, Any]:
        await asyncio.sleep(3600)
        return {}

    runner.register("sleep", forever)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        _, eid = await event_with_people(client, db, n=2)
    job_id = await new_sleep_job(db, eid, seconds=0)
    failures = REGISTRY.get_sample_value("matchmaker_jobs_total", {"kind": "sleep", "outcome": "failed"}) or 0
    sizes = REGISTRY.get_sample_value("matchmaker_job_size_participants_sum", {"kind": "sleep"}) or 0
    runner.submit(job_id)
    await asyncio.wait_for(runner.join(), 10)
    await app.state.engine.dispose()
    job = await read_job(db, job_id)
    assert (job.status, job.error) == ("failed", "the job ran longer than its limit of 0.3 s")
    assert REGISTRY.get_sample_value("matchmaker_jobs_total", {"kind": "sleep", "outcome": "failed"}) == failures + 1
    assert REGISTRY.get_sample_value("matchmaker_job_size_participants_sum", {"kind": "sleep"}) == sizes + 2
    assert REGISTRY.get_sample_value("matchmaker_queue_depth", {"kind": "sleep"}) == 0


async def test_an_attempt_presumed_dead_stops_when_it_finds_its_job_taken(db: AsyncEngine, settings: Settings) -> None:
    app = create_app(settings)
    runner: JobRunner = app.state.runner
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def slow(ctx: JobContext) -> dict[str, Any]:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return {}

    runner.register("sleep", slow)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        _, eid = await event_with_people(client, db, n=2)
    job_id = await new_sleep_job(db, eid, seconds=30)
    lost = REGISTRY.get_sample_value("matchmaker_jobs_total", {"kind": "sleep", "outcome": "lost"}) or 0
    runner.submit(job_id)
    await asyncio.wait_for(started.wait(), 10)
    maker = create_sessionmaker(db)
    async with session_scope(maker) as session:  # one transaction, so its own beat cannot slip in between
        stale = utcnow() - timedelta(hours=1)  # its heartbeats looked stale to a sweeper ...
        await session.execute(update(Job).where(col(Job.id) == job_id).values(heartbeat_at=stale))
        recovery = await job_service.recover_stale(session, timedelta(minutes=1), max_attempts=2)
        assert recovery.queued == [job_service.Pending(job_id, 1)] and recovery.requeued_kinds == ["sleep"]
    async with session_scope(maker) as session:  # ... and another worker claimed the job
        assert (await job_service.mark_running(session, job_id)) is not None
    await asyncio.wait_for(runner.join(), 10)
    assert cancelled.is_set()  # the first attempt stopped at its next heartbeat
    assert REGISTRY.get_sample_value("matchmaker_jobs_total", {"kind": "sleep", "outcome": "lost"}) == lost + 1
    job = await read_job(db, job_id)
    assert (job.status, job.attempts, job.finished_at) == ("running", 2, None)  # attempt 2's to finish
    async with session_scope(maker) as session:
        assert not await job_service.finish(session, job_id, 1, result={}, error=None)  # fenced
        assert await job_service.finish(session, job_id, 2, result={"ok": True}, error=None)
    await app.state.engine.dispose()
    assert (await read_job(db, job_id)).status == "succeeded"
