"""The job queue: the API enqueues jobs in Redis (saq); ``matchmaker worker`` processes run them.

The database row stays the source of truth for status, progress and timings; a queue message only
says "job N may run now". A worker claims the row in SQL before running it, so a message delivered
twice (or sent again by two sweepers) still runs the job once. Liveness is judged in SQL too: every
worker sweeps jobs whose heartbeat stopped (requeued while attempts remain, failed after) and sends
each queued row to the queue again, which is how a job outlives a lost message or a killed worker.
saq's own heartbeat and sweep only tidy its bookkeeping of the messages a dead worker held.

A message's key names the job and its attempt (``job-7-0``), so sending a waiting job again is a
no-op in saq while the first message is pending, and a retry after a dead worker gets a new key
instead of colliding with the dead attempt's message.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket

from saq import Queue, Worker
from saq.types import Context, PartialTimersDict

from app.jobs import JobPolicy, JobRunner

log = logging.getLogger(__name__)
FUNCTION = "run_job"
SHUTDOWN_GRACE_SECONDS = 5  # then running jobs are cancelled and given back to the queue, uncounted


def create_queue(redis_url: str, name: str) -> Queue:
    return Queue.from_url(redis_url, name=name)


def message_key(job_id: int, attempts: int) -> str:
    return f"job-{job_id}-{attempts}"


def worker_id() -> str:
    """Host and process: ``worker --check`` finds this container's workers by the host part."""
    return f"{socket.gethostname()}-{os.getpid()}"


class QueueDispatcher:
    """The API side of the queue: the same ``submit``/``start``/``join``/``close`` as the embedded runner."""

    def __init__(self, queue: Queue, policy: JobPolicy) -> None:
        self.queue = queue
        self._policy = policy
        self._tasks: set[asyncio.Task[bool]] = set()

    def submit(self, job_id: int) -> None:
        """Send a job just created (no attempt yet). If Redis is down it stays queued in SQL; a sweep sends it."""
        task = asyncio.get_running_loop().create_task(self.enqueue(job_id, 0))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def enqueue(self, job_id: int, attempts: int) -> bool:
        """True when a message was added; False when one for this attempt is pending already, or Redis failed."""
        stale = self._policy.stale_after.total_seconds()
        try:
            message = await self.queue.enqueue(
                FUNCTION,
                job_id=job_id,
                key=message_key(job_id, attempts),
                # our runner enforces the job's time limit and records it; saq's is only a backstop
                timeout=math.ceil(self._policy.timeout_seconds + 4 * stale),
                heartbeat=math.ceil(stale),
                retries=1,  # attempts are counted in SQL, not by saq
            )
        except Exception:  # noqa: BLE001 - the job stays queued in SQL; a worker's sweep sends it again
            log.exception("could not enqueue job %s; a worker's sweep will send it again", job_id)
            return False
        return message is not None

    async def start(self) -> None:
        await self.queue.connect()

    async def join(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        await self.join()
        await self.queue.disconnect()


def build_worker(queue: Queue, runner: JobRunner, concurrency: int) -> Worker[Context]:
    """A saq worker whose one function claims and runs a job with ``runner``."""

    async def run_job(ctx: Context, *, job_id: int) -> str:
        message = ctx["job"]

        async def beat(progress: float) -> None:
            await message.update(progress=progress)  # saq's heartbeat: it sweeps messages that stop beating

        ran = await runner.run(job_id, on_beat=beat)
        return "ran" if ran else "skipped: already claimed or ended"

    return Worker(
        queue,
        functions=[(FUNCTION, run_job)],
        id=worker_id(),
        concurrency=concurrency,
        # saq's defaults, but its sweep of messages held by dead workers as often as our staleness limit
        timers=PartialTimersDict(
            schedule=1, worker_info=10, abort=1, sweep=max(1, math.ceil(runner.policy.stale_after.total_seconds()))
        ),
        shutdown_grace_period_s=SHUTDOWN_GRACE_SECONDS,
    )


async def sweep_forever(runner: JobRunner, dispatcher: QueueDispatcher) -> None:
    """Every few seconds: requeue or fail jobs of dead workers, and send every queued job (again)."""
    every = min(15.0, max(0.5, runner.policy.stale_after.total_seconds() / 3))
    while True:
        try:
            for pending in await runner.sweep():
                await dispatcher.enqueue(pending.id, pending.attempts)
        except Exception:  # noqa: BLE001 - the next sweep tries again
            log.exception("job sweep failed")
        await asyncio.sleep(every)


async def serve_worker(queue: Queue, runner: JobRunner, concurrency: int) -> None:
    """Run jobs from the queue until SIGTERM or SIGINT; then finish or give back what runs."""
    dispatcher = QueueDispatcher(queue, runner.policy)
    worker = build_worker(queue, runner, concurrency)
    await dispatcher.start()
    sweeper = asyncio.create_task(sweep_forever(runner, dispatcher))
    log.info("worker %s on queue %r, kinds %s", worker.id, queue.name, ", ".join(runner.kinds))
    try:
        await worker.start()
    finally:
        sweeper.cancel()
        await asyncio.gather(sweeper, return_exceptions=True)
        await dispatcher.close()


async def workers_on_host(queue: Queue, host: str) -> int:
    """How many live workers of this host the queue knows (their info expires ~11 s after they stop)."""
    try:
        info = await queue.info()
    finally:
        await queue.disconnect()
    return sum(1 for wid in info["workers"] if wid.rsplit("-", 1)[0] == host)
