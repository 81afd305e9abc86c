"""Domain events: services record them in the transaction that makes the change (the outbox).

``record(session, event_id=..., recipients=[...], kind=..., payload={...})`` stages one
``Notification`` row per recipient (``None`` = the event's organisers). The rows are written when
that session commits, in the same transaction as the change, so a rolled-back change never
announces anything and a committed one always does.

Why at commit and not at once: SSE readers follow the outbox by id (``id > last seen``). On
PostgreSQL, ids from a sequence are handed out in insert order but become visible in commit order,
so a reader could pass over a row whose transaction commits late. The rows are therefore inserted
in ``before_commit`` under a transaction-scoped advisory lock: the insert and the commit of one
transaction finish before the next one takes ids, so ids become visible in increasing order. The
lock is held only for that last insert and the commit. SQLite has one writer at a time already.

Three consumers read the outbox: the SSE streams (``app/routers/live.py`` through
``app/services/notifications.py``), the webhooks and the mail sender (``app/services/webhooks.py``,
``app/mail.py``), which claim rows with ``dispatched_at IS NULL``.

Payloads carry ids and what a UI needs to show the change; never an email address (``record``
refuses a key named ``email``). ``private`` is read by the mail sender alone (an invitation link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from app.db import utcnow
from app.models.notification import Notification

REQUEST_CREATED: Final = "request.created"
REQUEST_ANSWERED: Final = "request.answered"
REQUEST_CANCELLED: Final = "request.cancelled"
REQUEST_EXPIRED: Final = "request.expired"
MEETING_SCHEDULED: Final = "meeting.scheduled"
MEETING_MOVED: Final = "meeting.moved"
MEETING_CANCELLED: Final = "meeting.cancelled"
SCHEDULE_PUBLISHED: Final = "schedule.published"
SUGGESTIONS_REFRESHED: Final = "suggestions.refreshed"
PARTICIPANT_INVITED: Final = "participant.invited"

KINDS: Final[tuple[str, ...]] = (
    REQUEST_CREATED,
    REQUEST_ANSWERED,
    REQUEST_CANCELLED,
    REQUEST_EXPIRED,
    MEETING_SCHEDULED,
    MEETING_MOVED,
    MEETING_CANCELLED,
    SCHEDULE_PUBLISHED,
    SUGGESTIONS_REFRESHED,
    PARTICIPANT_INVITED,
)

_STAGED: Final = "matchmaker.notify.staged"
_COMMITTED: Final = "matchmaker.notify.committed"
# any fixed 64-bit number; only this module takes it
_OUTBOX_LOCK: Final = 0x6D6D_6F75_7462_6F78

CommitListener = Callable[[frozenset[int]], None]
_listeners: list[CommitListener] = []


def record(
    session: AsyncSession | Session,
    *,
    event_id: int,
    recipients: Iterable[int | None],
    kind: str,
    payload: Mapping[str, Any],
    private: Mapping[str, Any] | None = None,
) -> None:
    """Stage one domain event for each recipient; the rows are written when ``session`` commits.

    Parameters
    ----------
    session: the session of the change (async or sync); nothing is written if it rolls back.
    event_id: the event the change belongs to.
    recipients: participant ids; ``None`` addresses the event's organisers. Duplicates are dropped.
    kind: one of ``KINDS``.
    payload: JSON-serialisable ids and display data; no email addresses.
    private: data for the mail sender only (never sent over SSE or webhooks).

    Example
    -------
    >>> record(session, event_id=1, recipients=[7, 9], kind=MEETING_CANCELLED, payload={"meeting_id": 3})
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    _refuse_emails(payload)
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    staged: list[Notification] = sync.info.setdefault(_STAGED, [])
    now = utcnow()
    seen: set[int | None] = set()
    for recipient in recipients:
        if recipient in seen:
            continue
        staged.append(
            Notification(
                event_id=event_id,
                recipient_id=recipient,
                kind=kind,
                payload=dict(payload),
                private=dict(private) if private is not None else None,
                lead=not seen,
                created_at=now,
            )
        )
        seen.add(recipient)


def staged(session: AsyncSession | Session) -> list[Notification]:
    """What this session will write at commit (for tests and for services that want to check)."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    return list(sync.info.get(_STAGED, []))


def add_commit_listener(listener: CommitListener) -> None:
    """Call ``listener(event_ids)`` in this process after a transaction wrote notifications."""
    if listener not in _listeners:
        _listeners.append(listener)


def remove_commit_listener(listener: CommitListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _refuse_emails(value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if "email" in str(key).lower():
                raise ValueError("notification payloads must not carry email addresses")
            _refuse_emails(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_emails(item)


@event.listens_for(Session, "before_commit")
def _write_staged(session: Session) -> None:
    rows: list[Notification] | None = session.info.pop(_STAGED, None)
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _OUTBOX_LOCK})
    session.add_all(rows)  # flushed by the commit that is under way
    session.info[_COMMITTED] = frozenset(row.event_id for row in rows)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    event_ids: frozenset[int] | None = session.info.pop(_COMMITTED, None)
    if not event_ids:
        return
    for listener in list(_listeners):
        listener(event_ids)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_rollback(session: Session, transaction: SessionTransaction) -> None:
    # a root transaction that ended without committing its staged rows: they die with it
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_STAGED, None)
        session.info.pop(_COMMITTED, None)
