"""Browser and session safety: login rate limit (memory and Redis), CORS, security headers, docs CSP."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient, Response
from playwright.sync_api import expect
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from tests.factories import check, create_organiser
from tests.test_observability import REDIS_URL, serve
from tests.test_ui_browser import LiveServer, Watched, chromium, launched, new_context

__all__ = ["chromium"]  # the browser fixture (skips without Debian's Chromium, fails under CI)

LOGIN = "/api/v1/auth/token"
FRONT = "https://front.example.org"


def _remote() -> str:
    """A client address of its own per test, so windows (which live on in Redis) never collide."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250 + 1}"


def _limited(settings: Settings, limit: str = "3/minute", **more: object) -> Settings:
    return settings.model_copy(update={"login_rate_limit": limit, **more})


async def _login(c: AsyncClient, username: str, password: str = "wrong-password") -> int:
    return (await c.post(LOGIN, data={"username": username, "password": password})).status_code


# --- login rate limit --------------------------------------------------------------------------


async def test_login_is_limited_per_user_name_with_retry_after(settings: Settings, db: AsyncEngine) -> None:
    email, password = await create_organiser(db)
    async with serve(_limited(settings), _remote()) as c:
        # one app, one user name, three client addresses: the per-user window counts them all
        attempts = []
        for _ in range(3):
            async with from_address(c, _remote()) as other:
                attempts.append(await _login(other, email))
        assert attempts == [401] * 3
        async with from_address(c, _remote()) as other:
            r = await other.post(LOGIN, data={"username": email.upper(), "password": password})
        body = check(r, 429)  # even with the right password, and whatever the case of the name
        assert body["type"] == "/problems/too-many-requests" and r.headers["content-type"] == "application/problem+json"
        retry_after = int(r.headers["Retry-After"])
        assert 1 <= retry_after <= 60 and body["retry_after"] == retry_after
        assert "account" in body["detail"]


def from_address(c: AsyncClient, address: str) -> AsyncClient:
    """Another client of the same app, calling from ``address``."""
    app = c.app  # type: ignore[attr-defined]
    return AsyncClient(transport=ASGITransport(app=app, client=(address, 40000)), base_url="http://test")


async def test_login_is_limited_per_client_address(settings: Settings, db: AsyncEngine) -> None:
    address = _remote()
    async with serve(_limited(settings), address) as c:
        statuses = [await _login(c, f"guess{n}@example.org") for n in range(4)]
        assert statuses == [401, 401, 401, 429]
        r = await c.post(LOGIN, data={"username": "guess9@example.org", "password": "x"})
        assert "address" in check(r, 429)["detail"] and int(r.headers["Retry-After"]) >= 1
    async with serve(_limited(settings), _remote()) as elsewhere:
        assert await _login(elsewhere, "guess9@example.org") == 401  # another address is not held back


async def test_a_correct_login_within_the_limit_succeeds(settings: Settings, db: AsyncEngine) -> None:
    email, password = await create_organiser(db)
    async with serve(_limited(settings), _remote()) as c:
        assert await _login(c, email) == 401
        assert await _login(c, email, password) == 200


async def test_with_redis_the_limit_is_shared_by_app_instances(settings: Settings, db: AsyncEngine) -> None:
    email = f"shared-{uuid.uuid4().hex[:10]}@example.org"
    address = _remote()
    shared = _limited(settings, redis_url=REDIS_URL)
    async with serve(shared, address) as a, serve(shared, address) as b:
        assert [await _login(a, email), await _login(b, email), await _login(a, email)] == [401] * 3
        r = await b.post(LOGIN, data={"username": email, "password": "x"})
        assert check(r, 429)["status"] == 429 and int(r.headers["Retry-After"]) >= 1
    # The same sequence on two memory-backed instances is not shared: each counts on its own.
    email = f"apart-{uuid.uuid4().hex[:10]}@example.org"
    async with serve(_limited(settings), address) as a, serve(_limited(settings), address) as b:
        assert [await _login(a, email), await _login(b, email), await _login(a, email)] == [401] * 3
        assert await _login(b, email) == 401


# --- CORS --------------------------------------------------------------------------------------


def _preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def test_cors_preflight_from_a_configured_origin_is_allowed(settings: Settings, db: AsyncEngine) -> None:
    async with serve(settings.model_copy(update={"cors_origins": [FRONT]})) as c:
        r = await c.options("/api/v1/events", headers=_preflight(FRONT))
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == FRONT
        assert "POST" in r.headers["access-control-allow-methods"]
        assert "authorization" in r.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in r.headers
        simple = await c.get("/api/v1/events", headers={"Origin": FRONT})
        assert simple.headers["access-control-allow-origin"] == FRONT
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


async def test_cors_preflight_from_another_origin_is_refused(settings: Settings, db: AsyncEngine) -> None:
    async with serve(settings.model_copy(update={"cors_origins": [FRONT]})) as c:
        r = await c.options("/api/v1/events", headers=_preflight("https://evil.example.com"))
        assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
        simple = await c.get("/api/v1/events", headers={"Origin": "https://evil.example.com"})
        assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers


async def test_without_cors_origins_no_cross_origin_access(client: AsyncClient) -> None:
    r = await client.options("/api/v1/events", headers=_preflight(FRONT))
    assert "access-control-allow-origin" not in r.headers and r.status_code == 405
    assert "access-control-allow-origin" not in (await client.get("/api/v1/events", headers={"Origin": FRONT})).headers


# --- security headers --------------------------------------------------------------------------


def _directives(csp: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in csp.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


async def test_api_responses_carry_the_security_headers(client: AsyncClient) -> None:
    for r in (await client.get("/api/v1/events"), await client.get("/api/v1/events/424242")):
        assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["Cache-Control"] == "no-store"
        csp = _directives(r.headers["Content-Security-Policy"])
        assert csp["frame-ancestors"] == ["'none'"] and csp["script-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"] and csp["default-src"] == ["'self'"]
        assert "Strict-Transport-Security" not in r.headers  # public_url is http in the tests
    health = await client.get("/healthz")
    assert health.headers["X-Frame-Options"] == "DENY" and "cache-control" not in health.headers


async def test_hsts_only_when_the_public_url_is_https(settings: Settings, db: AsyncEngine) -> None:
    async with serve(settings.model_copy(update={"public_url": "https://match.example.org"})) as c:
        hsts = (await c.get("/healthz")).headers["Strict-Transport-Security"]
        assert re.fullmatch(r"max-age=31536000", hsts)


async def test_a_handler_cache_policy_is_kept(client: AsyncClient) -> None:
    """The security layer adds ``no-store`` only where the handler chose nothing."""
    page = await client.get("/static-offline-docs/swagger-ui.css")
    assert page.status_code == 200 and "no-store" not in page.headers.get("cache-control", "")


async def test_docs_pages_load_their_assets_under_the_csp(client: AsyncClient) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        r = await client.get(path)
        html = check_html(r)
        csp = _directives(r.headers["Content-Security-Policy"])
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["connect-src"] == ["'self'"]
        for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
            assert src.startswith("/static-offline-docs/"), src  # same origin: 'self' covers it
            assert (await client.get(src)).status_code == 200, src
        inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
        for body in inline:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp["script-src"], path
        assert len(csp["script-src"]) == 1 + len(inline)  # 'self' and exactly the page's own scripts
    redoc = _directives((await client.get("/redoc")).headers["Content-Security-Policy"])
    assert "blob:" in redoc["worker-src"] and "'unsafe-inline'" in redoc["style-src"]
    spec = await client.get("/openapi.json")
    assert spec.status_code == 200  # the pages fetch it from the same origin (connect-src 'self')


async def test_docs_csp_ignores_what_the_client_sends(client: AsyncClient) -> None:
    """The hashes come from a rendering without client input, so a query cannot add a script to them."""
    plain = (await client.get("/docs")).headers["Content-Security-Policy"]
    odd = await client.get("/docs", params={"url": "https://evil.example.com/x.yaml"}, headers={"X-Evil": "1"})
    assert odd.headers["Content-Security-Policy"] == plain


def check_html(response: Response) -> str:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


# --- the documentation pages in a real browser ---------------------------------------------------


PAGE_TIMEOUT_MS = 60_000  # a shared 2-core machine: ReDoc parses the whole spec before it draws


@pytest.fixture
def docs_server(chromium: Path, db: AsyncEngine, settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(settings) as server:
        yield server


def test_swagger_ui_and_redoc_run_under_their_csp_in_chromium(chromium: Path, docs_server: LiveServer) -> None:
    """Chromium reports every CSP refusal (inline script, worker, style, fetch) as a console error."""
    with launched(chromium) as browser:
        context = new_context(browser)
        watched = Watched()
        swagger = watched.page(context)
        swagger.goto(f"{docs_server.url}/docs")
        expect(swagger.locator(".swagger-ui .info .title")).to_contain_text("Matchmaker", timeout=PAGE_TIMEOUT_MS)
        login_route = swagger.locator(".opblock-summary-path", has_text="/api/v1/auth/token").first
        expect(login_route).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        redoc = watched.page(context)
        redoc.goto(f"{docs_server.url}/redoc")
        expect(redoc.locator("h1").first).to_contain_text("Matchmaker", timeout=PAGE_TIMEOUT_MS)
        redoc.get_by_placeholder("Search...").fill("organisations")  # search runs in ReDoc's blob: worker
        expect(redoc.locator("[data-role='search:results'] li").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        context.close()
    # ReDoc's "API docs by Redocly" logo is the one thing either page fetches from the Internet: the
    # offline docs keep it blocked (img-src 'self' data:), so no visitor's address reaches a CDN.
    cdn_logo = [e for e in watched.errors if "https://cdn.redoc.ly/" in e and "img-src" in e]
    assert len(cdn_logo) == 1 and [e for e in watched.errors if e not in cdn_logo] == []
