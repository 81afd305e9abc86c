"""Helpers shared by services: paging, folding, time zones."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


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


def like_pattern(q: str) -> str:
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
