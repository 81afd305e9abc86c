"""Optimistic concurrency: a compare-and-set on a row's ``version``, atomic in SQL.

Reading a version, comparing it in Python and writing would let two writers that read the same
version both pass. Here one ``UPDATE … SET version = version + 1 WHERE id = :id AND version IN
(:expected)`` compares and sets at once: PostgreSQL makes the second of two concurrent writers wait
for the first one's row lock and then re-checks the WHERE against the committed row (so it matches
nothing); SQLite lets one writer at a time in. Call it before the other writes of the change, so the
change holds the row from its first write.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.errors import NotFound, PreconditionFailed
from app.models import Event, Organisation, Participant

Versioned = Participant | Organisation | Event


async def claim(session: AsyncSession, row: Versioned, expected: Collection[int] | None, what: str) -> int:
    """Move ``row`` to its next version if it is still at one of ``expected`` (any version when None).

    Refreshes ``row`` from the database (so the change starts from the committed state) and returns
    the new version; raises PreconditionFailed (412) when the row has moved on.
    """
    model = type(row)
    stmt = update(model).where(col(model.id) == row.id)
    if expected is not None:
        stmt = stmt.where(col(model.version).in_(list(expected)))
    stmt = stmt.values(version=col(model.version) + 1).returning(col(model.version))
    new = (await session.execute(stmt.execution_options(synchronize_session=False))).scalar_one_or_none()
    if new is None:
        current = await session.scalar(select(col(model.version)).where(col(model.id) == row.id))
        if current is None:
            raise NotFound(f"{what.capitalize()} does not exist any more.")
        if expected is not None and not expected:
            raise PreconditionFailed(
                f'If-Match names no version of {what} (it is at version {current}, ETag W/"{current}"); send the '
                'ETag as you received it, e.g. If-Match: W/"3".',
                current_version=current,
            )
        raise PreconditionFailed(
            f'{what.capitalize()} changed since you read it (it is at version {current} now, ETag W/"{current}"); '
            "GET it again, re-apply your change and send the new ETag in If-Match.",
            current_version=current,
        )
    await session.refresh(row)
    return int(new)
