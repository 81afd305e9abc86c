"""Login rate limiting with the ``limits`` library (moving window).

Two windows are counted on every attempt, successful or not: one per client address (slows one
machine guessing many accounts) and one per user name (slows many machines guessing one account).
The per-user window means an attacker can hold one organiser out for a while; that is the usual
price of stopping distributed guessing, and a correct login from the organiser still succeeds once
the window moves on. Storage is this process's memory by default; with ``redis_url`` set it is
Redis, so every API worker and instance shares the same windows.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import cast

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.storage.redis.redispy import RedispyBridge
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import Redis

from app.errors import AppError

log = logging.getLogger(__name__)
KEY_PREFIX = "matchmaker-limits"


class TooManyRequests(AppError):
    status = 429
    title = "Too many requests"
    slug = "too-many-requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


def _storage(redis_url: str | None) -> Storage:
    if not redis_url:
        return MemoryStorage()
    # redis-py (already a dependency for the job queue), not limits' default coredis client.
    return RedisStorage(f"async+{redis_url}", implementation="redispy", key_prefix=KEY_PREFIX, wrap_exceptions=True)


class LoginRateLimiter:
    def __init__(self, limit: str, redis_url: str | None = None) -> None:
        self.item: RateLimitItem = parse(limit)
        self._storage = _storage(redis_url)
        self._limiter = MovingWindowRateLimiter(self._storage)

    async def attempt(self, client: str, username: str) -> None:
        """Count one login attempt; raise ``TooManyRequests`` when either window is full.

        User names are hashed into the key: fixed size, and no email addresses in Redis.
        """
        user_key = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        for kind, key in (("client", client), ("user", user_key)):
            try:
                if await self._limiter.hit(self.item, "login", kind, key):
                    continue
                stats = await self._limiter.get_window_stats(self.item, "login", kind, key)
            except StorageError as exc:
                # Fail open: a Redis outage must not lock every organiser out on event day;
                # /readyz reports Redis down, and the password hash still costs every guess.
                log.warning("login rate limit not applied, storage unavailable: %s", exc)
                return
            wait = max(1, math.ceil(stats.reset_time - time.time()))
            what = "this address" if kind == "client" else "this account"
            raise TooManyRequests(
                f"Too many log-in attempts from {what} (limit {self.item}); try again in {wait} s.", wait
            )

    async def close(self) -> None:
        """Release the Redis connections (the memory storage holds none)."""
        if isinstance(self._storage, RedisStorage) and isinstance(self._storage.bridge, RedispyBridge):
            # implementation="redispy" above: the client is a redis.asyncio.Redis
            await cast(Redis, self._storage.bridge.get_connection()).aclose()
