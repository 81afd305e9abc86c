"""The app factory: settings, database, routers, problem handlers, offline docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from app import heap
from app.body_limit import install_body_limit, limits_description
from app.config import Settings, check_secret, get_settings
from app.db import create_engine, create_sessionmaker
from app.middleware import install_middleware
from app.migrate import head_revisions
from app.observability import configure_logging
from app.openapi_examples import add_examples
from app.problems import Problem, install_problem_handlers
from app.ratelimit import LoginRateLimiter
from app.routers import agenda, auth, events, health, matching, meetings, organisations, participants, reports, transfer
from app.routers.live import router as live_router
from app.routers.metrics import router as metrics_router
from app.routers.ui import mount_ui
from app.routers.webhooks import router as webhooks_router
from app.schemas.common import MAX_BODY_BYTES
from app.schemas.live import LiveEvents
from app.schemas.participant import ImportBody
from app.services.matching import EngineCache
from app.services.webhooks import live_updates
from app.workers import build_jobs

API_PREFIX = "/api/v1"

DESCRIPTION = """Open-source B2B matchmaking for cluster and innovation events.

Two roles: **organisers** log in at `POST /api/v1/auth/token` (OAuth2 password flow) and manage their
events; **participants** use the personal token from their invitation link. Errors are RFC 9457
problem details (`application/problem+json`). Lists page as `{items, total, limit, offset}`.

**Concurrent edits.** Participants, organisations and events answer GET and PATCH with a weak ETag,
`W/"<version>"`. Send it back in `If-Match` on PATCH or DELETE and the change applies only if nobody
changed the resource since your read; otherwise the answer is 412 and nothing changes: read it again.
`If-Match` is optional (without it the change applies unconditionally); its tags are compared by the
version they name.
"""


# One tag per router, described here: the reference docs and generated clients group operations by them.
TAGS = [
    {"name": "auth", "description": "Organiser login (OAuth2 password flow) and who the caller is."},
    {"name": "organisations", "description": "Public organisation profiles, cluster memberships and the sectors."},
    {"name": "events", "description": "Events with their sessions, tables, meeting length and caps."},
    {
        "name": "participants",
        "description": "Participants of an event, their offers and requests, "
        "CSV/JSON import and export, personal access tokens, erasure.",
    },
    {"name": "matching", "description": "Matching runs and each participant's ranked, explained suggestions."},
    {"name": "meetings", "description": "Meeting requests, meetings, slots, scheduling runs and publication."},
    {"name": "agendas", "description": "A participant's agenda as JSON or iCalendar."},
    {"name": "reports", "description": "Meeting exports, the table plan and the event report."},
    {"name": "transfer", "description": "Whole-event export and import (matchmaker-event/1 JSON)."},
    {"name": "live updates", "description": "Server-sent event streams of what changes in an event."},
    {"name": "webhooks", "description": "Signed webhook subscriptions and their deliveries."},
    {"name": "health", "description": "Liveness and readiness probes for operators."},
]


def serving_app() -> FastAPI:
    """The app as ``matchmaker serve`` runs it in each uvicorn worker: :func:`create_app` from the
    environment, then the process's heap settled for serving (``app.heap``)."""
    app = create_app()
    heap.settle()
    return app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    check_secret(settings)
    configure_logging(settings.log_level, json=settings.log_json, sql_echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.runner.start()
        await app.state.live_hub.start()
        if app.state.dispatcher is not None:
            await app.state.dispatcher.start()
        yield
        if app.state.dispatcher is not None:
            await app.state.dispatcher.stop()
        await app.state.live_hub.stop()
        await app.state.runner.join()
        await app.state.runner.close()
        await app.state.login_limiter.close()
        await app.state.engine.dispose()

    app = FastAPIOffline(
        title="Matchmaker",
        version="1.0.0",
        description=DESCRIPTION + limits_description(MAX_BODY_BYTES, settings.max_import_bytes),
        lifespan=lifespan,
        openapi_tags=TAGS,
        swagger_ui_parameters={"persistAuthorization": True},
    )
    engine = create_engine(settings.database_url)  # SQL echo goes through our log handler
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.migration_heads = head_revisions(settings.database_url)
    app.state.engine_cache = EngineCache()
    app.state.live_hub, app.state.dispatcher = live_updates(app.state.sessionmaker, settings)
    app.state.runner = build_jobs(app.state.sessionmaker, app.state.engine_cache, settings)

    app.state.login_limiter = LoginRateLimiter(settings.login_rate_limit, settings.redis_url)

    install_problem_handlers(app)
    install_body_limit(app, max_body_bytes=MAX_BODY_BYTES, max_import_bytes=settings.max_import_bytes)
    install_middleware(app, settings, API_PREFIX)  # added last = runs first: request id, logs, headers
    # Each router straight under the app: FastAPI matches a request through every level of included
    # routers, so one level less is cheaper on every request.
    for module in (auth, organisations, events, participants, matching, meetings, agenda, reports, transfer):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(live_router, prefix=API_PREFIX)
    app.include_router(webhooks_router, prefix=API_PREFIX)
    app.include_router(health.router)
    app.include_router(metrics_router)
    mount_ui(app)
    _register_schemas(app)
    return app


def _register_schemas(app: FastAPI) -> None:
    """Add schemas only referenced by hand (problem details, the import body) and the examples to the spec."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = original()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in (Problem, ImportBody, LiveEvents):
            for name, schema in (
                model.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}).items()
            ):
                schemas.setdefault(name, schema)
            top = model.model_json_schema(ref_template="#/components/schemas/{model}")
            top.pop("$defs", None)
            schemas.setdefault(model.__name__, top)
        add_examples(spec, app.routes)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
