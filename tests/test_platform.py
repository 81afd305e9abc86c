"""Migrations agree with the models; CLI commands; health; offline docs; problem format."""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import app.db as app_db
import app.heap as app_heap
import app.models  # noqa: F401
from app.config import Settings
from app.db import create_engine, metadata
from app.main import create_app
from tests.conftest import SECRET
from tests.factories import check

ROOT = Path(__file__).resolve().parent.parent


async def test_models_and_migrations_agree(db: AsyncEngine) -> None:
    def diff(sync_conn):  # type: ignore[no-untyped-def]
        ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(ctx, metadata)

    async with db.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == [], f"models and migrations differ; run alembic revision --autogenerate: {changes}"


async def test_docs_are_served_offline(client: AsyncClient) -> None:
    page = (await client.get("/docs")).text
    assert "cdn" not in page.lower() and "/static-offline-docs/swagger-ui-bundle.js" in page
    assert (await client.get("/static-offline-docs/swagger-ui-bundle.js")).status_code == 200
    assert "redoc.standalone.js" in (await client.get("/redoc")).text
    spec = check(await client.get("/openapi.json"), 200)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["OrganiserToken"]["type"] == "oauth2" and schemes["ParticipantToken"]["scheme"] == "bearer"
    assert "Problem" in spec["components"]["schemas"]


async def test_unknown_route_and_method_are_problems(client: AsyncClient) -> None:
    r = await client.get("/api/v1/nothing-here")
    assert check(r, 404)["type"] == "/problems/not-found" and r.headers["content-type"] == "application/problem+json"
    check(await client.delete("/api/v1/sectors"), 405)
    body = check(await client.get("/api/v1/organisations", params={"limit": 0}), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]


async def test_readyz_explains_an_unmigrated_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/empty.db", secret_key="x" * 40)
    app_ = create_app(settings)
    from httpx import ASGITransport

    async with AsyncClient(transport=ASGITransport(app=app_), base_url="http://t") as c:
        r = await c.get("/readyz")
    await app_.state.engine.dispose()
    assert r.status_code == 503 and "not migrated" in r.json()["checks"]["database"]


def _cli(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,  # a loaded CI machine: the demo imports scikit-learn and OR-Tools and runs matching
    )


def test_cli_migrate_demo_and_create_organiser(tmp_path: Path) -> None:
    env = {"MATCHMAKER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db"}
    assert _cli("migrate", env=env).returncode == 0
    first = _cli("demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "event 1 created with 80 participants" in first.stdout and "Bearer mmp_" in first.stdout
    assert "/ui/#token=mmp_" in first.stdout  # the participant's own page
    second = _cli("demo", env=env)
    assert "0 organisations added; event 1 already there" in second.stdout
    made = _cli("create-organiser", "--email", "Boss@Example.org", env=env, stdin="long-password\n")
    assert made.returncode == 0 and "boss@example.org" in made.stdout
    again = _cli("create-organiser", "--email", "boss@example.org", "--password", "long-password", env=env)
    assert again.returncode == 1 and "exists already" in again.stderr

    async def count() -> tuple[int, int]:
        engine = create_engine(env["MATCHMAKER_DATABASE_URL"])
        async with engine.connect() as conn:
            p = await conn.scalar(text("SELECT count(*) FROM participant"))
            o = await conn.scalar(text("SELECT count(*) FROM organisation WHERE kind = 'cluster' AND country = 'RO'"))
        await engine.dispose()
        return int(p or 0), int(o or 0)

    participants, clusters = asyncio.run(count())
    assert participants == 80 and clusters >= 60


def test_refuses_default_or_short_secret_outside_demo_mode(tmp_path: Path) -> None:
    import pytest

    from app.config import DEMO_SECRET

    url = f"sqlite+aiosqlite:///{tmp_path}/s.db"
    for secret in (DEMO_SECRET, "short"):
        with pytest.raises(RuntimeError, match="MATCHMAKER_SECRET_KEY"):
            create_app(Settings(database_url=url, secret_key=secret, demo_mode=False))
    create_app(Settings(database_url=url, demo_mode=True))  # the demo may use the built-in secret


async def test_every_operation_is_documented(client: AsyncClient) -> None:
    spec = check(await client.get("/openapi.json"), 200)
    seen: set[str] = set()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            assert op.get("operationId") and op["operationId"] not in seen, f"{where}: operationId missing or reused"
            seen.add(op["operationId"])
            assert op.get("summary") and op.get("description") and op.get("tags"), f"{where}: summary/description/tag"
            takes_input = op.get("parameters") or op.get("requestBody") or op.get("security")
            if path.startswith("/api/v1") and takes_input:
                problems = [s for s in op["responses"] if s.startswith("4")]
                assert problems, f"{where}: no documented 4xx problem response"


def test_serve_stops_within_its_graceful_timeout_while_a_live_stream_is_open(tmp_path: Path) -> None:
    """A live-update stream never ends by itself: a stop must not wait for the browser to leave."""
    import contextlib
    import signal
    import socket
    import threading
    import time

    import httpx

    env = {"MATCHMAKER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/serve.db"}
    assert _cli("migrate", env=env).returncode == 0
    assert _cli("create-organiser", "--email", "o@example.org", "--password", "long-password", env=env).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as log_file:  # the child has its own copy of the descriptor
        server = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--graceful-timeout", "1"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        token = httpx.post(
            f"{base}/api/v1/auth/token", data={"username": "o@example.org", "password": "long-password"}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        body = {
            "name": "Stream test",
            "slug": "stream-test",
            "timezone": "Europe/Bucharest",
            "starts_at": "2025-07-01T09:00:00+03:00",
            "ends_at": "2025-07-01T18:00:00+03:00",
        }
        event = check(httpx.post(f"{base}/api/v1/events", json=body, headers=headers), 201)
        opened = threading.Event()

        def listen() -> None:
            with (
                contextlib.suppress(httpx.TransportError),
                httpx.stream("GET", f"{base}/api/v1/events/{event['id']}/stream", headers=headers, timeout=60) as r,
            ):
                for _ in r.iter_lines():
                    opened.set()  # until the server cuts the stream

        reader = threading.Thread(target=listen, daemon=True)
        reader.start()
        assert opened.wait(30), "the stream did not open"
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise AssertionError("the server did not stop:\n" + log.read_text()[-3000:]) from None
        assert time.monotonic() - stopped_at < 15  # 1 s of grace, then the open stream is cut
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_no_route_runs_code_on_the_thread_pool() -> None:
    """FastAPI runs a plain ``def`` endpoint or dependency on a worker thread: a thread hop per request.
    Every endpoint and dependency of the API is ``async def`` (CPU-heavy work goes to a thread on purpose,
    with ``anyio.to_thread``)."""
    app = create_app(Settings(database_url="sqlite+aiosqlite://", secret_key="x" * 40, demo_mode=False))

    def is_async(call: object) -> bool:
        return (
            inspect.iscoroutinefunction(call)
            or inspect.isasyncgenfunction(call)
            or inspect.iscoroutinefunction(type(call).__call__)  # security schemes: instances with async __call__
        )

    def sync_calls(dependant: Dependant) -> list[str]:
        found = [] if dependant.call is None or is_async(dependant.call) else [repr(dependant.call)]
        for sub in dependant.dependencies:
            found += sync_calls(sub)
        return found

    routes: list[Any] = []
    for route in app.routes:  # FastAPI 0.16x wraps included routers; each yields its routes' contexts
        routes += list(route.effective_route_contexts()) if hasattr(route, "effective_route_contexts") else [route]
    checked = [r for r in routes if isinstance(r, APIRoute) or hasattr(r, "dependant")]
    assert len(checked) > 60
    offenders = {f"{sorted(r.methods)} {r.path}": calls for r in checked if (calls := sync_calls(r.dependant))}
    assert offenders == {}


async def test_an_idle_connection_lost_to_a_database_restart_is_replaced(
    db: AsyncEngine, settings: Settings, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pooled connections are checked before use once they sat idle (app.db.IDLE_PING_SECONDS): a connection
    the server dropped meanwhile (a restart, a failover) is replaced, and the request does not fail."""
    if backend != "postgresql":
        pytest.skip("SQLite has no server to lose")
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        check(await client.get("/api/v1/sectors"), 200)  # the pool now holds a connection
        async with app.state.engine.connect() as conn:  # the same pooled connection: which backend is it?
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with db.connect() as admin:  # only that backend: the tests' own engine shares the database
            assert await admin.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        monkeypatch.setattr(app_db, "IDLE_PING_SECONDS", 0.0)
        check(await client.get("/api/v1/sectors"), 200)
    await app.state.engine.dispose()


def _unavailable(r: Any) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "2" and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "/problems/database-unavailable" and "Try again" in body["detail"]
    assert body["request_id"] == r.headers["x-request-id"]


async def test_a_connection_lost_while_in_use_is_a_503_and_the_next_request_reconnects(
    db: AsyncEngine, settings: Settings, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server ends the backend of a pooled connection that is not checked before use (it was
    idle for less than IDLE_PING_SECONDS): that request fails with a 503 and Retry-After, not a 500;
    SQLAlchemy drops the dead connection, so the retry succeeds."""
    if backend != "postgresql":
        pytest.skip("SQLite has no server to lose")
    monkeypatch.setattr(app_db, "IDLE_PING_SECONDS", 3600.0)
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        check(await client.get("/api/v1/sectors"), 200)
        async with app.state.engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with db.connect() as admin:
            assert await admin.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        _unavailable(await client.get("/api/v1/sectors"))
        check(await client.get("/api/v1/sectors"), 200)
    await app.state.engine.dispose()


async def test_an_unreachable_database_is_a_503() -> None:
    """Nothing listens where the database should be: the connection is refused before any SQL."""
    with socket.socket() as taken:  # bound, never listening: connections to it are refused, and no other
        taken.bind(("127.0.0.1", 0))  # process can take the port while the test runs
        port = taken.getsockname()[1]
        settings = Settings(
            database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{port}/nowhere",
            secret_key=SECRET,
            demo_mode=False,
        )
        app = create_app(settings)
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            _unavailable(await client.get("/api/v1/sectors"))
            ready = await client.get("/readyz")
        await app.state.engine.dispose()
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "unreachable or not migrated: ConnectionRefusedError"


async def test_a_pool_kept_busy_past_its_timeout_is_a_503(
    db: AsyncEngine, settings: Settings, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every pooled connection stays taken for longer than the pool waits: 503, not a 500."""
    if backend != "postgresql":
        pytest.skip("the SQLite engine has no bounded pool")
    app = create_app(settings)
    pool = app.state.engine.sync_engine.pool
    monkeypatch.setattr(pool, "_timeout", 0.2)  # the pool's wait (30 s by default), shortened for the test
    held = [await app.state.engine.connect() for _ in range(pool.size() + pool._max_overflow)]
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            r = await client.get("/api/v1/sectors")
            _unavailable(r)
            assert "nothing was done" in r.json()["detail"]
    finally:
        for conn in held:
            await conn.close()
    await app.state.engine.dispose()


def test_a_serving_process_freezes_its_start_up_heap(tmp_path: Path) -> None:
    """``matchmaker serve`` builds each worker's app with ``serving_app``: start-up objects frozen out of
    the collector's walks, young thresholds raised (app/heap.py). The test process keeps the defaults."""
    probe = (
        "import gc; from app.main import serving_app; before = gc.get_freeze_count(); serving_app(); "
        "print(before, gc.get_freeze_count(), *gc.get_threshold())"
    )
    env = {
        **os.environ,
        "MATCHMAKER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'heap.db'}",
        "MATCHMAKER_SECRET_KEY": SECRET,
        "MATCHMAKER_DEMO_MODE": "false",
    }
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    before, frozen, *thresholds = map(int, out.stdout.split())
    assert before == 0 and frozen > 100_000  # modules, routes, schemas and mappers
    assert tuple(thresholds) == app_heap.SERVING_THRESHOLDS
    assert gc.get_freeze_count() == 0 and gc.get_threshold()[0] < app_heap.SERVING_THRESHOLDS[0]
