"""Request ids on responses and log lines, the access log, /metrics by route template, /readyz with Redis."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db import create_sessionmaker, session_scope
from app.jobs import JobContext, JobRunner
from app.main import create_app
from app.observability import build_formatter
from app.services import jobs as job_service
from tests.factories import auth, check, create_event, create_organiser, organiser_token

REDIS_URL = "redis://127.0.0.1:6379/0"
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@asynccontextmanager
async def serve(settings: Settings, client_addr: str = "127.0.0.1", **transport: Any) -> AsyncIterator[AsyncClient]:
    """The real app with these settings, called as if from ``client_addr``."""
    app = create_app(settings)
    async with AsyncClient(
        transport=ASGITransport(app=app, client=(client_addr, 50000), **transport), base_url="http://test"
    ) as c:
        c.app = app  # type: ignore[attr-defined]
        yield c
    await app.state.runner.join()
    await app.state.login_limiter.close()
    await app.state.engine.dispose()


class Capture:
    """Attach the JSON formatter to the root logger for the ``with`` block; ``lines`` after it."""

    def __init__(self, json_lines: bool = True) -> None:
        self.buffer = io.StringIO()
        self.handler = logging.StreamHandler(self.buffer)
        self.handler.setFormatter(build_formatter(json=json_lines))
        self.json_lines = json_lines

    def __enter__(self) -> Capture:
        logging.getLogger().addHandler(self.handler)
        return self

    def __exit__(self, *_: object) -> None:
        logging.getLogger().removeHandler(self.handler)

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


# --- request id --------------------------------------------------------------------------------


async def test_a_request_id_is_made_and_returned(client: AsyncClient) -> None:
    first = (await client.get("/healthz")).headers["X-Request-ID"]
    second = (await client.get("/healthz")).headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first) and GENERATED_ID.fullmatch(second) and first != second


async def test_a_sane_incoming_request_id_is_kept(client: AsyncClient) -> None:
    for sent in ("3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f", "edge-proxy.42:7", "Root-1-67891233-abcdef"):
        r = await client.get("/healthz", headers={"X-Request-ID": sent})
        assert r.headers["X-Request-ID"] == sent


async def test_an_insane_incoming_request_id_is_replaced(client: AsyncClient) -> None:
    for sent in ("has spaces in it", "x" * 129, '{"json":1}', "-leading-dash"):
        r = await client.get("/healthz", headers={"X-Request-ID": sent})
        assert r.headers["X-Request-ID"] != sent and GENERATED_ID.fullmatch(r.headers["X-Request-ID"])


async def test_every_log_line_of_a_request_carries_its_id(client: AsyncClient, db: AsyncEngine) -> None:
    email, _ = await create_organiser(db)
    with Capture() as capture:
        r = await client.post("/api/v1/auth/token", data={"username": email, "password": "wrong-password"})
    check(r, 401)
    request_id = r.headers["X-Request-ID"]
    ours = [line for line in capture.lines if line.get("logger") != "httpx"]  # the test client's own line
    access = [line for line in ours if line["logger"] == "matchmaker.access"]
    assert len(access) == 1, ours
    assert access[0] | {"duration_ms": 0} == access[0] | {
        "event": "request",
        "method": "POST",
        "route": "/api/v1/auth/token",
        "path": "/api/v1/auth/token",
        "status": 401,
        "duration_ms": 0,
        "request_id": request_id,
        "level": "info",
    }
    assert access[0]["duration_ms"] > 0
    assert all(line["request_id"] == request_id for line in ours), ours


async def test_an_unexpected_error_is_a_problem_with_the_request_id_logged(settings: Settings, db: AsyncEngine) -> None:
    front = "https://app.example.org"
    async with serve(settings.model_copy(update={"cors_origins": [front]}), raise_app_exceptions=False) as c:
        app: FastAPI = c.app  # type: ignore[attr-defined]

        async def explode() -> None:
            raise RuntimeError("boom")

        app.add_api_route("/test-explode", explode)
        with Capture() as capture:
            r = await c.get("/test-explode", headers={"X-Request-ID": "support-case-77", "Origin": front})
    body = check(r, 500)
    assert body["request_id"] == "support-case-77" and r.headers["X-Request-ID"] == "support-case-77"
    assert "boom" not in r.text
    # security headers and CORS hold for an unexpected error too (Starlette answers it outside the stack)
    assert (
        r.headers["X-Content-Type-Options"] == "nosniff"
        and "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    )
    assert r.headers["Access-Control-Allow-Origin"] == front
    lines = {line["logger"]: line for line in capture.lines if line.get("request_id") == "support-case-77"}
    assert lines["matchmaker.access"]["status"] == 500 and lines["matchmaker.access"]["route"] == "/test-explode"
    assert "RuntimeError: boom" in lines["app.problems"]["exception"]


async def test_text_logs_are_readable_and_carry_the_request_id(client: AsyncClient) -> None:
    with Capture(json_lines=False) as capture:
        r = await client.get("/healthz", headers={"X-Request-ID": "readable-1"})
    line = next(line for line in capture.text.splitlines() if "matchmaker.access" in line)
    assert "request" in line and "request_id=readable-1" in line and "route=/healthz" in line
    assert not line.lstrip().startswith("{") and r.status_code == 200


async def test_job_log_lines_carry_the_job_id(client: AsyncClient, db: AsyncEngine) -> None:
    event = await create_event(client, await organiser_token(client, db))
    maker = create_sessionmaker(db)
    async with session_scope(maker) as session:
        job, _ = await job_service.start_job(session, event["id"], "log-probe", {})
    probe = logging.getLogger("tests.job_probe")

    async def handler(ctx: JobContext) -> dict[str, Any]:
        probe.info("in the job")
        await asyncio.to_thread(probe.info, "in its worker thread")
        return {}

    runner = JobRunner(maker)
    runner.register("log-probe", handler)
    with Capture() as capture:
        assert await runner.run(job.id or 0)
        probe.info("after the job")
    lines = [(line["event"], line.get("job_id")) for line in capture.lines if line["logger"] == "tests.job_probe"]
    assert lines == [("in the job", job.id), ("in its worker thread", job.id), ("after the job", None)]


# --- metrics -----------------------------------------------------------------------------------


def _sample(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


async def test_metrics_count_requests_by_route_template(client: AsyncClient) -> None:
    route = "/api/v1/events/{event_id}"
    before = (await client.get("/metrics")).text
    for event_id in (987654, 987655, 987656):
        check(await client.get(f"/api/v1/events/{event_id}"), 404)
    after = check_text(await client.get("/metrics"))
    labels = {"route": route, "method": "GET", "status": "404"}
    name = "matchmaker_http_requests_total"
    assert _sample(after, name, **labels) - _sample(before, name, **labels) == 3
    hist = "matchmaker_http_request_duration_seconds_count"
    assert _sample(after, hist, route=route, method="GET") - _sample(before, hist, route=route, method="GET") == 3
    assert "987654" not in after  # raw paths never become labels


async def test_metrics_label_unknown_paths_and_methods_without_explosion(client: AsyncClient) -> None:
    before = (await client.get("/metrics")).text
    for n in range(3):
        await client.get(f"/no/such/page/{n}")
    await client.request("BREW", "/healthz")
    after = check_text(await client.get("/metrics"))
    name = "matchmaker_http_requests_total"
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    assert _sample(after, name, **unmatched) - _sample(before, name, **unmatched) == 3
    assert "/no/such/page" not in after and 'method="BREW"' not in after
    assert _sample(after, name, route="/healthz", method="OTHER") >= 1


async def test_metrics_label_framework_routes_and_mounts_by_template(client: AsyncClient) -> None:
    before = (await client.get("/metrics")).text
    check(await client.get("/openapi.json"), 200)
    for asset in ("swagger-ui.css", "favicon.png"):
        assert (await client.get(f"/static-offline-docs/{asset}")).status_code == 200
    after = check_text(await client.get("/metrics"))
    name = "matchmaker_http_requests_total"
    for route, count in (("/openapi.json", 1), ("/static-offline-docs/{path}", 2)):
        labels = {"route": route, "method": "GET", "status": "200"}
        assert _sample(after, name, **labels) - _sample(before, name, **labels) == count, route
    assert "favicon.png" not in after


def check_text(response: Any) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return str(response.text)


async def test_metrics_are_for_operators(settings: Settings, db: AsyncEngine) -> None:
    remote = "203.0.113.7"
    async with serve(settings, client_addr=remote) as c:
        denied = await c.get("/metrics")
        assert check(denied, 401)["type"] == "/problems/unauthorized"
        token = await organiser_token(c, db)
        check_text(await c.get("/metrics", headers=auth(token)))
        check(await c.get("/metrics", headers=auth("not-a-token")), 401)
        spec = check(await c.get("/openapi.json"), 200)
        assert "/metrics" not in spec["paths"]
    async with serve(settings.model_copy(update={"metrics_token": "scrape-me-" + "9" * 30}), remote) as c:
        check_text(await c.get("/metrics", headers=auth("scrape-me-" + "9" * 30)))
        check(await c.get("/metrics", headers=auth("scrape-me-" + "8" * 30)), 401)
    async with serve(settings) as local:
        check_text(await local.get("/metrics"))
        relayed = await local.get("/metrics", headers={"X-Forwarded-For": remote})
        check(relayed, 401)  # a proxy on the same host relays strangers: not local


# --- readiness ---------------------------------------------------------------------------------


async def test_readyz_checks_redis_when_configured(settings: Settings, db: AsyncEngine) -> None:
    async with serve(settings) as c:
        body = check(await c.get("/readyz"), 200)
        assert "redis" not in body["checks"]
    async with serve(settings.model_copy(update={"redis_url": REDIS_URL})) as c:
        body = check(await c.get("/readyz"), 200)
        assert body["checks"]["redis"] == "ok"
    async with serve(settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})) as c:
        body = check(await c.get("/readyz"), 503)
        assert body["status"] == "not ready" and body["checks"]["redis"].startswith("unreachable")
        assert body["checks"]["database"] == "ok"
