"""The app factory: settings, database, routers, problem handlers, offline docs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline

from app.config import Settings, check_secret, get_settings
from app.db import create_engine, create_sessionmaker
from app.migrate import head_revisions
from app.problems import Problem, install_problem_handlers
from app.routers import agenda, auth, events, health, matching, meetings, organisations, participants, reports
from app.schemas.participant import ImportBody
from app.services.matching import EngineCache
from app.workers import build_runner

API_PREFIX = "/api/v1"

DESCRIPTION = """Open-source B2B matchmaking for cluster and innovation events.

Two roles: **organisers** log in at `POST /api/v1/auth/token` (OAuth2 password flow) and manage their
events; **participants** use the personal token from their invitation link. Errors are RFC 9457
problem details (`application/problem+json`). Lists page as `{items, total, limit, offset}`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    check_secret(settings)
    logging.basicConfig(level=settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.runner.recover()
        yield
        await app.state.runner.join()
        await app.state.engine.dispose()

    app = FastAPIOffline(
        title="Matchmaker",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        swagger_ui_parameters={"persistAuthorization": True},
    )
    engine = create_engine(settings.database_url, echo=settings.sql_echo)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.migration_heads = head_revisions(settings.database_url)
    app.state.engine_cache = EngineCache()
    app.state.runner = build_runner(app.state.sessionmaker, app.state.engine_cache, settings)

    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (auth, organisations, events, participants, matching, meetings, agenda, reports):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(health.router)
    _register_schemas(app)
    return app


def _register_schemas(app: FastAPI) -> None:
    """Add schemas only referenced by hand (problem details, the import body) to the spec."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = original()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in (Problem, ImportBody):
            for name, schema in (
                model.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}).items()
            ):
                schemas.setdefault(name, schema)
            top = model.model_json_schema(ref_template="#/components/schemas/{model}")
            top.pop("$defs", None)
            schemas.setdefault(model.__name__, top)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
