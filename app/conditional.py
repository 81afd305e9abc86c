"""Conditional requests (RFC 9110 §13): ETags on profiles, If-Match against lost updates.

Participants, organisations and events carry a ``version`` that every change of what a client can
edit bumps. Their GET and PATCH answers carry it as a **weak** ETag, ``W/"<version>"``: weak because
the same version can be shown in more than one form (an organiser sees private fields another
participant does not; counts such as ``participant_count`` change without a new version).

A PATCH or DELETE that sends ``If-Match`` with the ETag it read only applies if the resource is still
at that version; otherwise it is refused with 412 and nothing changes. RFC 9110 asks for the strong
comparison in If-Match, under which a weak tag never matches; we compare the version the tag names
(the weak comparison), which is what a version-based tag is for. ``If-Match: *`` matches any version.
Without If-Match a change applies unconditionally (the last write wins for the fields it sends): the
header is optional so that existing scripts keep working; clients that edit what others may edit at
the same time should send it.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any

from fastapi import Depends, Header, Response

from app.errors import PreconditionFailed
from app.problems import PROBLEM_MEDIA_TYPE, problem_responses

_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*(?:,|$)')


def etag(version: int) -> str:
    return f'W/"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def parse_if_match(value: str | None) -> frozenset[int] | None:
    """The versions an If-Match header accepts; None when any version will do (no header, or ``*``).

    An empty set means no version can match (tags that are not ours): the request gets 412.
    """
    if value is None or value.strip() == "*":
        return None
    versions: set[int] = set()
    position = 0
    while position < len(value):
        match = _TAG.match(value, position)
        if match is None or match.end() == position:
            raise PreconditionFailed(
                f"If-Match must list ETags as received, e.g. If-Match: {etag(3)}; got {value[:100]!r}."
            )
        if match.group(1).isdigit():
            versions.add(int(match.group(1)))
        position = match.end()
    return frozenset(versions)


async def if_match(
    value: Annotated[
        str | None,
        Header(
            alias="If-Match",
            max_length=1000,
            description='The ETag of your last read (e.g. W/"3"): the change only applies if nobody changed '
            "the resource since, else 412. Optional: without it the change applies unconditionally.",
        ),
    ] = None,
) -> frozenset[int] | None:
    try:
        return parse_if_match(value)
    except PreconditionFailed:
        # RFC 9110 §13.2.1: preconditions are evaluated after the request's own checks (auth, 404, validation),
        # not while reading headers. A malformed If-Match names no version: the compare-and-set refuses it.
        return frozenset()


IfMatchDep = Annotated[frozenset[int] | None, Depends(if_match)]

ETAG_HEADER: dict[str, Any] = {
    "ETag": {
        "description": 'Weak ETag of the version shown, e.g. W/"3"; send it in If-Match to change the resource',
        "schema": {"type": "string"},
    }
}
PRECONDITION_FAILED: dict[int | str, dict[str, Any]] = {
    412: {
        "description": "The resource changed since the ETag given in If-Match was read: GET it again",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}


def with_etag(description: str, *problems: int, if_match: bool = False) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route whose 200 answer carries an ETag: the listed problems, and 412 with If-Match."""
    return {
        200: {"description": description, "headers": ETAG_HEADER},
        **problem_responses(*problems),
        **(PRECONDITION_FAILED if if_match else {}),
    }


# --- revalidation (If-None-Match) of cached reads --------------------------------------------------

REVALIDATED_CACHE_CONTROL = "private, no-cache"  # a browser may keep it, but asks every time (If-None-Match)


def content_etag(key: object) -> str:
    """A strong ETag for a body that is a function of ``key`` (the same key, the same bytes)."""
    return '"' + hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest() + '"'


def none_match(header: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (or ``*``): the client's copy is current (RFC 9110 §13.1.2,
    weak comparison)."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    bare = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in header.split(","))


async def if_none_match(
    value: Annotated[
        str | None,
        Header(
            alias="If-None-Match",
            max_length=1000,
            description="The ETag of the copy you hold: when it is still current the answer is 304 without a body.",
        ),
    ] = None,
) -> str | None:
    return value


IfNoneMatchDep = Annotated[str | None, Depends(if_none_match)]


def revalidated(description: str, *problems: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a read that answers 304 to a current ``If-None-Match``."""
    return {
        200: {
            "description": description,
            "headers": {
                "ETag": {
                    "description": "Strong ETag of this body; send it in If-None-Match",
                    "schema": {"type": "string"},
                },
                "Cache-Control": {"description": REVALIDATED_CACHE_CONTROL, "schema": {"type": "string"}},
            },
        },
        304: {"description": "Not modified: the copy named in If-None-Match is current (no body)"},
        **problem_responses(*problems),
    }
