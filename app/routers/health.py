from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.migrate import current_revisions

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@router.get(
    "/healthz", response_model=Health, summary="Liveness", operation_id="health_alive", description="The process is up."
)
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Readiness",
    description="Ready when the database answers and is at the newest migration; otherwise 503 saying why.",
    operation_id="health_ready",
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
        checks["database"] = f"unreachable or not migrated: {type(exc).__name__}"
    if all(v == "ok" for v in checks.values()) and "migrations" in checks:
        return Health(status="ready", checks=checks)
    return JSONResponse(Health(status="not ready", checks=checks).model_dump(), status_code=503)
