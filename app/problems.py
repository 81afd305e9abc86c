"""RFC 9457 problem details: the schema and the exception handlers.

We write this small layer ourselves rather than adopt ``fastapi-problem-details`` or
``rfc9457``: both are young single-maintainer packages, and the pattern we want (one
error base carrying its status, polar's ``exception_handlers.py``) is ~80 lines.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import AppError
from app.observability import REQUEST_ID_HEADER, current_request_id

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "/problems/"


class FieldProblem(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['body', 'email'] or ['row', 3, 'email']")
    msg: str = Field(description="What is wrong and what to change")
    type: str = Field(description="Machine-readable error kind")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", examples=["/problems/not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(default=None, examples=["Event 42 does not exist."])
    instance: str | None = Field(default=None, examples=["/api/v1/events/42"])
    errors: list[FieldProblem] | None = Field(default=None, description="Per-field problems")

    model_config = {"extra": "allow"}


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    slug: str,
    detail: str | None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = errors
    request_id = current_request_id()
    if status >= 500 and request_id:
        body["request_id"] = request_id  # support finds the log lines of the failure by it
    if extensions:
        body.update(extensions)
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


_STATUS_SLUGS = {
    400: ("Bad request", "bad-request"),
    401: ("Not authenticated", "unauthorized"),
    403: ("Forbidden", "forbidden"),
    404: ("Not found", "not-found"),
    405: ("Method not allowed", "method-not-allowed"),
    409: ("Conflict", "conflict"),
    413: ("Payload too large", "payload-too-large"),
    415: ("Unsupported media type", "unsupported-media-type"),
    422: ("Invalid input", "validation-error"),
    429: ("Too many requests", "too-many-requests"),
    503: ("Service unavailable", "service-unavailable"),
}


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        status=exc.status,
        title=exc.title,
        slug=exc.slug,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        extensions=exc.extensions,
    )


def _clean_validation_errors(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for err in errors:
        cleaned.append({"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")})
    return cleaned


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _clean_validation_errors(exc.errors())
    fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in errors[:5])
    return problem_response(
        request,
        status=422,
        title="Invalid input",
        slug="validation-error",
        detail=f"The request has {len(errors)} invalid field(s): {fields}.",
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title, slug = _STATUS_SLUGS.get(exc.status_code, ("Error", "error"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 400:
        # The framework's only 400: a body it cannot parse (JSON that is not UTF-8, broken multipart).
        # Malformed JSON is already a 422 (json_invalid); these get the same status and shape.
        return problem_response(
            request,
            status=422,
            title="Invalid input",
            slug="validation-error",
            detail=f"The request body could not be read ({detail}); send UTF-8 JSON or well-formed form data.",
            errors=[{"loc": ["body"], "msg": detail, "type": "body_unreadable"}],
        )
    return problem_response(request, status=exc.status_code, title=title, slug=slug, detail=detail, headers=headers)


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # Constraints are the last line of defence (services check first); a race can still
    # reach them, and that is a conflict the client can retry, not a server error.
    log.info("integrity error mapped to 409: %s", exc)
    return problem_response(
        request,
        status=409,
        title="Conflict",
        slug="conflict",
        detail="The change conflicts with existing data (a unique or reference rule); reload and try again.",
    )


# PostgreSQL's answers to transactions that collided: serialization failure, deadlock detected.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})
_UNSTORABLE_TEXT = frozenset({"22021", "22P05"})  # NUL or a character the encoding cannot hold
# admin shutdown, crash shutdown, cannot connect now (starting up or shutting down), too many connections,
# a write that reached a read-only standby (after a failover); class 08: connection exceptions
_SERVER_GONE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300", "25006"})
DATABASE_RETRY_SECONDS = 2


def _database_unavailable(exc: DBAPIError) -> bool:
    """The database went away or cannot be reached, rather than refused this statement."""
    if exc.connection_invalidated:  # SQLAlchemy recognised a disconnect and dropped the connection
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if sqlstate.startswith("08") or sqlstate in _SERVER_GONE_SQLSTATES:
        return True
    cause = exc.orig.__cause__ if exc.orig is not None else None
    return isinstance(exc.orig, OSError) or isinstance(cause, OSError)


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 with ``Retry-After``: the database was lost mid-request or cannot be reached. PostgreSQL rolls
    back a transaction whose connection is gone, so nothing was half-written; only a loss during
    ``COMMIT`` itself leaves it open whether the change was saved, hence the advice to reload first."""
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return _retry_later(
        request,
        "The database could not be reached or the connection to it was lost. Try again in a few seconds; "
        "after a change, reload first to see whether it was saved.",
    )


async def _pool_exhausted(request: Request, exc: Exception) -> JSONResponse:
    """503 with ``Retry-After``: every pooled connection stayed busy for the pool's whole wait; the
    request never reached the database."""
    log.error("no database connection free on %s %s: %s", request.method, request.url.path, exc)
    return _retry_later(request, "The service is too busy to answer now; nothing was done. Try again in a few seconds.")


def _retry_later(request: Request, detail: str) -> JSONResponse:
    return problem_response(
        request,
        status=503,
        title="Service unavailable",
        slug="database-unavailable",
        detail=detail,
        headers={"Retry-After": str(DATABASE_RETRY_SECONDS)},
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _UNSTORABLE_TEXT:  # inputs are checked before they reach SQL; this is the last line
        return problem_response(
            request,
            status=422,
            title="Invalid input",
            slug="validation-error",
            detail="The request holds text the database cannot store (a NUL character, \\0); remove it.",
        )
    if _database_unavailable(exc):
        return await _unavailable(request, exc)
    if sqlstate not in _TRANSIENT_SQLSTATES:
        return await _unexpected_error(request, exc)
    # The database rolled this transaction back to let a concurrent one finish: retrying succeeds.
    log.warning("transaction rolled back by the database (%s) on %s %s", exc.orig, request.method, request.url.path)
    return problem_response(
        request,
        status=409,
        title="Conflict",
        slug="conflict",
        detail="The change collided with a concurrent one and was rolled back; nothing was saved. Try again.",
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        request,
        status=500,
        title="Internal server error",
        slug="internal-error",
        detail="Something went wrong on our side; the change was not saved.",
        # This handler answers outside the middleware stack, so the request id header is set here.
        headers={REQUEST_ID_HEADER: request_id} if (request_id := current_request_id()) else None,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeout, _pool_exhausted)
    app.add_exception_handler(Exception, _unexpected_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each listed status documented as problem details."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        title, _ = _STATUS_SLUGS.get(status, ("Error", "error"))
        # No ``model``: it would also list application/json, which these answers never are.
        out[status] = {
            "description": title,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return out
