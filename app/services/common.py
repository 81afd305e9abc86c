"""Helpers shared by services: paging, folding, time zones."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
Q = TypeVar("Q", bound="Select[*tuple[Any, ...]]")


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Ștefan  Ţară' -> 'stefan tara'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def in_zone(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


async def count(session: AsyncSession, stmt: Select[Any]) -> int:
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return int(total or 0)


async def page_of(session: AsyncSession, stmt: Select[Any], limit: int, offset: int) -> tuple[Sequence[Any], int]:
    """Rows of one page and the total over all pages."""
    total = await count(session, stmt)
    rows = (await session.scalars(stmt.limit(limit).offset(offset))).all()
    return rows, total


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
