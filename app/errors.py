"""Domain errors that carry their HTTP status, rendered as RFC 9457 problem details.

Services raise these; ``app.problems`` turns them (and framework errors) into
``application/problem+json`` responses.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error a client can cause."""

    status: int = 400
    title: str = "Bad request"
    slug: str = "bad-request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.extensions = extensions


class NotFound(AppError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Conflict(AppError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class Forbidden(AppError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Unauthorized(AppError):
    status = 401
    title = "Not authenticated"
    slug = "unauthorized"

    def __init__(self, detail: str, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class InvalidInput(AppError):
    """Input that is well-formed but breaks a rule (422, with per-field errors)."""

    status = 422
    title = "Invalid input"
    slug = "validation-error"


class PayloadTooLarge(AppError):
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class UnsupportedMediaType(AppError):
    status = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


class PreconditionFailed(AppError):
    status = 412
    title = "Precondition failed"
    slug = "precondition-failed"


def field_error(loc: list[str | int], msg: str, type_: str = "value_error") -> dict[str, Any]:
    """One per-field error entry, the same shape as validation errors."""
    return {"loc": loc, "msg": msg, "type": type_}
