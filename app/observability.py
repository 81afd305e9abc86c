"""Structured logs with a request id on every line, and HTTP metrics by route template.

Libraries: ``asgi-correlation-id`` reads or makes the request id and returns it in ``X-Request-ID``;
``structlog`` renders every line (JSON or readable text), including the stdlib ``logging`` lines of
uvicorn, SQLAlchemy and our own ``logging.getLogger(__name__)`` loggers, which are routed through
its ``ProcessorFormatter``. Anything bound with ``structlog.contextvars`` (the job id in a job run,
for instance) is merged into every line emitted in that context.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Concatenate, ParamSpec, TextIO, TypeVar

import structlog
from asgi_correlation_id.context import correlation_id
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.metrics import HTTP_LATENCY, HTTP_REQUESTS

REQUEST_ID_HEADER = "X-Request-ID"
# A client or proxy may send its own id (a UUID, nginx's $request_id, a trace id); anything else
# (too long, spaces, control characters) is replaced so it cannot forge or break log lines.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "unmatched"

access_log = structlog.stdlib.get_logger("matchmaker.access")
S = TypeVar("S")
P = ParamSpec("P")
R = TypeVar("R")


def current_request_id() -> str | None:
    """The id of the request being served in this context, if any."""
    return correlation_id.get()


def is_sane_request_id(value: str) -> bool:
    return _SANE_REQUEST_ID.fullmatch(value) is not None


# ---------------------------------------------------------------------------------------------
# Logging


def _request_id_processor(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> Any:
    request_id = correlation_id.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    return event_dict


def _drop_color_message(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> Any:
    event_dict.pop("color_message", None)  # uvicorn's ANSI-coloured copy of the message
    return event_dict


_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    _request_id_processor,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),
    _drop_color_message,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def build_formatter(json: bool) -> structlog.stdlib.ProcessorFormatter:
    """The formatter every handler uses: one JSON object per line, or aligned readable text."""
    renderer: Any
    if json:
        tail: list[Any] = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        # Plain tracebacks: structlog's default (rich, with every frame's locals) wrote tokens and passwords
        # held in locals into the log, and took minutes to render a cancelled stream's traceback at shutdown.
        renderer = structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
        tail = [renderer]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail],
    )


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:  # StreamHandler.setStream; the live stderr always wins
        return None


def configure_logging(level: str, json: bool, sql_echo: bool = False) -> None:
    """Route stdlib logging and structlog through one handler on the root logger (idempotent)."""
    structlog.configure(
        processors=[*_SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(build_formatter(json))
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn installs its own handlers; hand its lines to ours. Its access line is replaced by
    # ours (route template, duration, request id), so only its warnings and errors pass.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # SQL echo through our handler (SQLAlchemy's own echo handler would print unstructured lines).
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO if sql_echo else logging.WARNING)


def bind_job_id(
    run: Callable[Concatenate[S, int, P], Awaitable[R]],
) -> Callable[Concatenate[S, int, P], Awaitable[R]]:
    """Decorates ``run(self, job_id, ...)``: every line logged while it runs carries ``job_id``.

    Tasks and worker threads started inside inherit it (contextvars are copied); it is unbound
    when ``run`` returns, so a queue worker that runs many jobs in one task never mixes them up.
    """

    @functools.wraps(run)
    async def run_with_job_id(self: S, job_id: int, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with structlog.contextvars.bound_contextvars(job_id=job_id):
            return await run(self, job_id, *args, **kwargs)

    return run_with_job_id


# ---------------------------------------------------------------------------------------------
# Access log and HTTP metrics


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/api/v1/events/{event_id}``), never the raw path.

    Read after routing, from what the router left in the scope: FastAPI (0.165+) keeps an included
    router's routes unprefixed and records the prefixed one as the effective route; a plain
    Starlette route is in ``route`` (or, under FastAPI's router, only its ``endpoint``); a mount
    (static files) only moves ``root_path``.
    """
    fastapi_scope = scope.get("fastapi")
    effective = fastapi_scope.get("effective_route_context") if isinstance(fastapi_scope, dict) else None
    template = getattr(effective, "path_format", None) or getattr(scope.get("route"), "path_format", None)
    if template is None and "app_root_path" in scope:
        template = str(scope["root_path"])[len(str(scope["app_root_path"])) :] + "/{path}"
    if template is None and scope.get("endpoint") is not None:  # a plain Starlette route (/openapi.json)
        routes = getattr(scope.get("app"), "routes", [])
        template = next((r.path_format for r in routes if getattr(r, "endpoint", None) is scope["endpoint"]), None)
    return str(template) if template else UNMATCHED_ROUTE


class AccessLogMiddleware:
    """One access-log line and the HTTP metrics for every request, labelled by route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        method = scope["method"] if scope["method"] in _KNOWN_METHODS else "OTHER"
        route = route_template(scope)
        HTTP_REQUESTS.labels(route=route, method=method, status=str(status)).inc()
        HTTP_LATENCY.labels(route=route, method=method).observe(seconds)
        access_log.info(
            "request",
            method=method,
            route=route,
            path=scope["path"],
            status=status,
            duration_ms=round(seconds * 1000, 2),
        )
