from __future__ import annotations

from collections.abc import Awaitable
from typing import cast

import redis.asyncio as redis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from app.migrate import current_revisions

REDIS_TIMEOUT_SECONDS = 2.0

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@router.get(
    "/healthz", response_model=Health, summary="Liveness", operation_id="liveness_get", description="The process is up."
)
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Readiness",
    description=(
        "Ready when the database answers and is at the newest migration, and Redis answers when one is "
        "configured (job queue, shared rate limits); otherwise 503 saying why."
    ),
    operation_id="readiness_get",
    responses={503: {"model": Health, "description": "Not ready, with the reason"}},
)
async def readyz(request: Request) -> Health | JSONResponse:
    checks: dict[str, str] = {}
    try:
        current = await current_revisions(request.app.state.engine)
        heads: set[str] = request.app.state.migration_heads
        checks["database"] = "ok"
        checks["migrations"] = (
            "ok" if current == heads else f"at {sorted(current)}, newest is {sorted(heads)}: run `matchmaker migrate`"
        )
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported, never raised
        orig = exc.orig if isinstance(exc, DBAPIError) else None
        cause = (orig.__cause__ or orig) if orig is not None else exc  # a refused connection: the OSError
        checks["database"] = f"unreachable or not migrated: {type(cause).__name__}"
    redis_url: str | None = request.app.state.settings.redis_url
    if redis_url:
        checks["redis"] = await _redis_check(redis_url)
    if all(v == "ok" for v in checks.values()) and "migrations" in checks:
        return Health(status="ready", checks=checks)
    return JSONResponse(Health(status="not ready", checks=checks).model_dump(), status_code=503)


async def _redis_check(url: str) -> str:
    try:
        client = redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS)
    except ValueError as exc:
        return f"misconfigured MATCHMAKER_REDIS_URL: {exc}"
    try:
        await cast(Awaitable[bool], client.ping())  # redis-py types its commands for sync and async clients
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported, never raised
        return f"unreachable: {type(exc).__name__}"
    finally:
        await client.aclose()
