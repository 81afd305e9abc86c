"""The HTTP middleware stack: request id, access log and metrics, security headers, CORS.

Security headers are built with the ``secure`` library. Two Content-Security-Policies:

* everything (the JSON API and a future same-origin page under ``/ui``): same-origin scripts,
  styles, images and connections only; no inline script, no framing;
* the offline Swagger UI and ReDoc pages (``/docs``, ``/redoc``, the OAuth2 redirect page): their
  assets come from ``/static-offline-docs``, but FastAPI renders a small inline bootstrap script.
  Rather than ``'unsafe-inline'`` (Swagger UI has had DOM-injection bugs) the policy allows exactly
  those scripts by their SHA-256 hashes, taken from a rendering of the page for a request with no
  client input (no headers, no query) and cached per page and root path. Inline styles and
  ``blob:`` workers are allowed there because ReDoc needs them (styled-components, search worker).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from secure import (
    ContentSecurityPolicy,
    ReferrerPolicy,
    Secure,
    StrictTransportSecurity,
    XContentTypeOptions,
    XFrameOptions,
)
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.observability import REQUEST_ID_HEADER, AccessLogMiddleware, is_sane_request_id

HSTS_SECONDS = 365 * 24 * 3600
DOCS_PAGES = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_SRC_ATTRIBUTE = re.compile(rb"\bsrc\s*=", re.IGNORECASE)

CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CORS_REQUEST_HEADERS = ("Authorization", "Content-Type", "If-Match", "If-None-Match", REQUEST_ID_HEADER)
CORS_EXPOSED_HEADERS = (REQUEST_ID_HEADER, "ETag", "Location", "Retry-After", "Content-Disposition")


def install_middleware(app: FastAPI, settings: Settings, api_prefix: str) -> None:
    """The stack, outermost first: security headers, CORS, (Starlette's error handler), request id, access log.

    Security headers and CORS sit outside Starlette's ServerErrorMiddleware so that a 500 carries them
    too (a front-end on another origin can then read the problem and its request id).
    """
    app.add_middleware(AccessLogMiddleware)  # the last added runs first: the request id exists below it
    app.add_middleware(CorrelationIdMiddleware, header_name=REQUEST_ID_HEADER, validator=is_sane_request_id)
    hsts = uses_https(settings.public_url)

    def outer(inner: ASGIApp) -> ASGIApp:
        if settings.cors_origins:
            inner = CORSMiddleware(
                inner,
                allow_origins=settings.cors_origins,
                allow_methods=CORS_METHODS,
                allow_headers=CORS_REQUEST_HEADERS,
                expose_headers=CORS_EXPOSED_HEADERS,
                allow_credentials=False,  # bearer tokens, never cookies
            )
        return SecurityHeadersMiddleware(inner, hsts=hsts, api_prefix=api_prefix)

    _wrap_outermost(app, outer)


def _wrap_outermost(app: FastAPI, wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    """Put ``wrap`` around the whole stack, outside Starlette's ServerErrorMiddleware: an unexpected
    error is answered (500 problem) by that middleware, which runs outside every ``add_middleware`` one,
    so headers added there would be missing on exactly the responses that most need them."""
    build = app.build_middleware_stack

    def build_wrapped() -> ASGIApp:
        return wrap(build())

    app.build_middleware_stack = build_wrapped  # type: ignore[method-assign]


def uses_https(public_url: str) -> bool:
    return urlsplit(public_url).scheme.lower() == "https"


def _base_policy() -> ContentSecurityPolicy:
    return (
        ContentSecurityPolicy()
        .default_src("'self'")
        .script_src("'self'")
        .style_src("'self'")
        .img_src("'self'", "data:")
        .connect_src("'self'")
        .object_src("'none'")
        .base_uri("'self'")
        .form_action("'self'")
        .frame_ancestors("'none'")
    )


def docs_policy(script_hashes: Iterable[str]) -> ContentSecurityPolicy:
    """The policy of the documentation pages: the base one plus their own inline scripts."""
    policy = _base_policy().style_src("'unsafe-inline'").font_src("'self'", "data:").worker_src("'self'", "blob:")
    sources = [f"'sha256-{h}'" for h in script_hashes]
    return policy.script_src(*sources) if sources else policy  # no arguments would clear the directive


def security_headers(csp: ContentSecurityPolicy, hsts: bool) -> dict[str, str]:
    secure = Secure(
        csp=csp,
        hsts=StrictTransportSecurity().max_age(HSTS_SECONDS) if hsts else None,
        referrer=ReferrerPolicy().no_referrer(),
        xcto=XContentTypeOptions().nosniff(),
        xfo=XFrameOptions().deny(),
    )
    return dict(secure.headers)


def inline_script_hashes(html: bytes) -> list[str]:
    """Base64 SHA-256 of each inline ``<script>`` body, as CSP ``'sha256-…'`` sources want them."""
    return [
        base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        for attributes, body in _INLINE_SCRIPT.findall(html)
        if not _SRC_ATTRIBUTE.search(attributes)
    ]


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :] or "/"
    return path


async def _empty_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response; ``no-store`` to API responses."""

    def __init__(self, app: ASGIApp, *, hsts: bool, api_prefix: str) -> None:
        self.app = app
        self.hsts = hsts
        self.api_prefix = api_prefix
        self.default_headers = security_headers(_base_policy(), hsts)
        self._docs_headers: dict[tuple[str, str], dict[str, str]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = _route_path(scope)
        headers = self.default_headers
        if path in DOCS_PAGES:
            headers = await self._headers_for_docs(scope, path)
        # API answers carry personal data (profiles, agendas, tokens): never stored by a cache,
        # unless the handler chose its own policy (e.g. revalidation with an ETag).
        no_store = path == self.api_prefix or path.startswith(self.api_prefix + "/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in headers.items():
                    response_headers[name] = value
                if no_store and "cache-control" not in response_headers:
                    response_headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _headers_for_docs(self, scope: Scope, path: str) -> dict[str, str]:
        key = (path, scope.get("root_path", ""))
        if key not in self._docs_headers:
            html = await self._render_without_client_input(scope)
            hashes = inline_script_hashes(html) if html is not None else []
            self._docs_headers[key] = security_headers(docs_policy(hashes), self.hsts)
        return self._docs_headers[key]

    async def _render_without_client_input(self, scope: Scope) -> bytes | None:
        """The page as the app renders it for a bare GET: nothing a client sent can reach the hashes."""
        bare = {**scope, "method": "GET", "headers": [], "query_string": b"", "client": None}
        status = 0
        body = bytearray()

        async def collect(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(bare, _empty_body, collect)
        return bytes(body) if status == 200 else None
