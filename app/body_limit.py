"""Request body size limits: an ASGI guard in front of every route.

FastAPI 0.165 has body limits of its own (``FastAPI(max_body_size=...)`` and per route, on top of
Starlette's ``RequestBodyLimitMiddleware``). We use the same technique — count the bytes as they
are received, stop at the limit — but in this small guard, for two reasons: the import's limit is
a setting (``MATCHMAKER_MAX_IMPORT_BYTES``) known only when the app is built, while route limits
are fixed when the route is declared; and its 413 is an RFC 9457 problem that says what the limit
is and what to do, where Starlette answers a declared oversize body with plain text.

A body whose ``Content-Length`` is over the limit is refused before the app sees it; a chunked
body is cut off as soon as the bytes received pass the limit, so nothing ever buffers more than
the limit plus one chunk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.problems import problem_response


@dataclass(frozen=True, slots=True)
class BodyLimit:
    """Bodies of requests whose path matches ``path`` may have at most ``max_bytes``."""

    path: re.Pattern[str]
    max_bytes: int
    detail: str


class BodyTooLarge(HTTPException):
    """Raised while reading a body that passed its limit; rendered as a 413 problem."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=413, detail=detail)


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


class BodyLimitMiddleware:
    """Refuse request bodies over the limit of their route (the first matching rule, else ``default``)."""

    def __init__(self, app: ASGIApp, *, default: BodyLimit, rules: Sequence[BodyLimit] = ()) -> None:
        self.app = app
        self.default = default
        self.rules = tuple(rules)

    def limit_for(self, path: str) -> BodyLimit:
        return next((rule for rule in self.rules if rule.path.match(path)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit.max_bytes:
            response = problem_response(
                Request(scope), status=413, title="Payload too large", slug="payload-too-large", detail=limit.detail
            )
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.max_bytes:
                    raise BodyTooLarge(limit.detail)
            return message

        await self.app(scope, limited_receive, send)


IMPORT_PATH = re.compile(r"^/api/v1/events/(?:[^/]+/participants/)?import/?$")  # participants; whole events
MULTIPART_SLACK = 64 * 1024  # multipart framing around the file; the file itself is checked exactly


def install_body_limit(app: FastAPI, *, max_body_bytes: int, max_import_bytes: int) -> None:
    """Add the guard to the app: ``max_body_bytes`` everywhere, ``max_import_bytes`` for imports."""
    app.add_middleware(
        BodyLimitMiddleware,
        default=BodyLimit(
            re.compile(""),
            max_body_bytes,
            f"The request body is larger than {megabytes(max_body_bytes)}, the limit of this API "
            "outside imports; send less (lists are capped, see the maxItems of the schema).",
        ),
        rules=[
            BodyLimit(
                IMPORT_PATH,
                max_import_bytes + MULTIPART_SLACK,
                f"The upload is larger than {megabytes(max_import_bytes)}; split it into several files.",
            )
        ],
    )


def limits_description(max_body_bytes: int, max_import_bytes: int) -> str:
    """The API description's paragraph on body sizes."""
    return (
        f"\n**Limits.** A request body may have at most {megabytes(max_body_bytes)} "
        f"({max_body_bytes} bytes), except the imports (participants, whole events), which take up to "
        f"{megabytes(max_import_bytes)} ({max_import_bytes} bytes, setting `MATCHMAKER_MAX_IMPORT_BYTES`). "
        "A larger body is refused with a 413 problem as soon as its size is known, before it is read in "
        "full; nothing is written. Every string of a request body has a `maxLength`, every list a "
        "`maxItems` and every number its bounds in this schema; longer input is a 422 problem naming the field.\n"
    )
