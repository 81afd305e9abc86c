"""Helpers shared by services: paging, folding, time zones."""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.conditional import content_etag, none_match
from app.db import read_cache

T = TypeVar("T")
Q = TypeVar("Q", bound="Select[*tuple[Any, ...]]")


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Ștefan  Ţară' -> 'stefan tara'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def in_zone(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


async def count(session: AsyncSession, stmt: Select[Any], params: Mapping[str, Any] | None = None) -> int:
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()), params)
    return int(total or 0)


async def page_of(session: AsyncSession, stmt: Select[Any], limit: int, offset: int) -> tuple[Sequence[Any], int]:
    """Items of one page of a one-entity select and the total over all pages (see :func:`page_rows`)."""
    rows, total = await page_rows(session, stmt, limit, offset)
    return [row[0] for row in rows], total


# The paged form of each statement, built once per statement object: a statement built at import (the
# suggestion page) is then compiled and keyed by SQLAlchemy once, not on every read; one built per call
# leaves with its statement.
_COUNTED: weakref.WeakKeyDictionary[Select[Any], Select[Any]] = weakref.WeakKeyDictionary()


async def page_rows(
    session: AsyncSession, stmt: Select[Any], limit: int, offset: int, params: Mapping[str, Any] | None = None
) -> tuple[Sequence[Any], int]:
    """Rows of one page (their columns by name, as ``stmt`` selects them) and the total over all pages.

    One round trip: the total rides along as ``count(*) OVER ()`` (lists are read on every screen of
    the apps; bench/README-load.md). Only a page past the end, which has no row to carry it, costs a
    second query for the total.
    """
    counted = _COUNTED.get(stmt)
    if counted is None:
        counted = _COUNTED[stmt] = (
            stmt.add_columns(func.count().over().label("page_total"))
            .limit(bindparam("page_limit", type_=Integer))
            .offset(bindparam("page_offset", type_=Integer))
        )
    rows = (await session.execute(counted, {**(params or {}), "page_limit": limit, "page_offset": offset})).all()
    if rows:
        return rows, int(rows[0].page_total)
    return [], (await count(session, stmt, params) if offset else 0)


def sorted_by(stmt: Q, sort: Sequence[str], columns: Mapping[str, Any], tiebreak: Any) -> Q:
    """Replace the default order by the requested keys (``name``, ``-created_at``), then ``tiebreak``.

    ``columns`` maps the fields of the list's sort enum to SQL expressions; the router has already
    refused any other value, so a missing key is a programming error, not a client one.
    """
    if not sort:
        return stmt
    keys = [columns[key[1:]].desc() if key.startswith("-") else columns[key].asc() for key in sort]
    return stmt.order_by(None).order_by(*keys, tiebreak)


def like_pattern(q: str) -> str:
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def revalidated_body(
    session: AsyncSession,
    key: Hashable,
    if_none_match: str | None,
    build: Callable[[], Awaitable[tuple[bytes, bool]]],
) -> tuple[bytes | None, str | None]:
    """A read whose body is a function of ``key``, and its strong ETag (a digest of the key).

    No body when ``if_none_match`` names the ETag (the client's copy is current); else the body from the
    sessionmaker's page cache, or built by ``build``, which also says whether the body is complete (built
    from exactly the rows of the key: a row may vanish between two reads). An incomplete body is neither
    cached nor tagged. ``key`` must name everything the body is built from.
    """
    tag = content_etag(key)
    if none_match(if_none_match, tag):
        return None, tag
    pages = read_cache(session, "pages")
    if pages is not None and (cached := pages.get(key)) is not None:
        return cast(bytes, cached), tag
    body, complete = await build()
    if not complete:
        return body, None
    if pages is not None:
        pages.put(key, body)
    return body, tag
