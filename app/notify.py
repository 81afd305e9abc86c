"""Domain events: services record them in the transaction that makes the change (the outbox).

``record(session, event_id=..., recipients=[...], kind=..., payload={...})`` stages one
``Notification`` row per recipient (``None`` = the event's organisers). The rows are written when
that session commits, in the same transaction as the change, so a rolled-back change never
announces anything and a committed one always does.

Ids grow in commit order: SSE readers follow the outbox by id (``id > last seen``). On PostgreSQL,
ids from a sequence are handed out in insert order but become visible in commit order, so a reader
could pass over a row whose transaction commits late. A deferred constraint trigger (migration
``c2f0a7d91e35``) therefore renumbers each new row inside ``COMMIT``, under a transaction-scoped
advisory lock: the next transaction takes ids only after this one's commit is done. The lock is held
inside the server, never across a client round trip. SQLite has one writer at a time already.

The staged rows are inserted in ``before_commit``, in one statement and outside the session's
identity map (their ids change at ``COMMIT``).

Three consumers read the outbox: the SSE streams (``app/routers/live.py`` through
``app/services/notifications.py``), the webhooks and the mail sender (``app/services/webhooks.py``,
``app/mail.py``), which claim rows with ``dispatched_at IS NULL``.

Payloads carry ids and what a UI needs to show the change; never an email address (``record``
refuses a key named ``email``). ``private`` is read by the mail sender alone (an invitation link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel import col

from app.db import utcnow
from app.models.event import Event
from app.models.meeting import Meeting, MeetingRequest
from app.models.notification import Notification
from app.models.participant import Participant

REQUEST_CREATED: Final = "request.created"
REQUEST_ANSWERED: Final = "request.answered"
REQUEST_CANCELLED: Final = "request.cancelled"
REQUEST_EXPIRED: Final = "request.expired"
MEETING_SCHEDULED: Final = "meeting.scheduled"
MEETING_MOVED: Final = "meeting.moved"
MEETING_UNSCHEDULED: Final = "meeting.unscheduled"
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
    MEETING_UNSCHEDULED,
    MEETING_CANCELLED,
    SCHEDULE_PUBLISHED,
    SUGGESTIONS_REFRESHED,
    PARTICIPANT_INVITED,
)

# A transaction that writes outbox rows with their final ids (a restore, with deliveries referencing
# them) runs ``SET LOCAL matchmaker.keep_outbox_ids = 'on'``: the commit trigger then leaves them as they are.
KEEP_OUTBOX_IDS: Final = "matchmaker.keep_outbox_ids"
_STAGED: Final = "matchmaker.notify.staged"
_COMMITTED: Final = "matchmaker.notify.committed"

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
    if not sync.in_transaction():
        sync.begin()  # no I/O; gives the rows a transaction to end with (rollback or close drops them)
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


@event.listens_for(Session, "before_flush")
def _announce_publication(session: Session, _context: Any, _instances: Any) -> None:
    # The schedule is published by flipping ``Event.schedule_published`` (the publish route sets it);
    # announcing it here catches every path that flips it, in the same transaction.
    for obj in list(session.dirty):
        if not isinstance(obj, Event) or obj.id is None:
            continue
        history = inspect(obj).attrs.schedule_published.history
        if history.added and history.added[0] is True and not (history.deleted and history.deleted[0] is True):
            query = select(col(Participant.id)).where(col(Participant.event_id) == obj.id)
            ids = session.connection().execute(query)
            schedule_published(session, obj.id, [pid for (pid,) in ids if pid is not None])


@event.listens_for(Session, "before_commit")
def _write_staged(session: Session) -> None:
    session.flush()  # pending changes first: their before_flush hooks may stage notifications too
    rows: list[Notification] | None = session.info.pop(_STAGED, None)
    if not rows:
        return
    session.execute(insert(Notification), [_columns(row) for row in rows])
    session.info[_COMMITTED] = frozenset(row.event_id for row in rows)


_COLUMNS: Final = tuple(c.key for c in Notification.__table__.columns if c.key != "id")  # type: ignore[attr-defined]


def _columns(row: Notification) -> dict[str, Any]:
    return {key: getattr(row, key) for key in _COLUMNS}


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


# --- what the services record ------------------------------------------------------------
# One helper per change, so a service adds one line and every payload of a kind has one shape.


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def request_payload(r: MeetingRequest, **extra: Any) -> dict[str, Any]:
    return {
        "request_id": r.id,
        "from_participant_id": r.from_participant_id,
        "to_participant_id": r.to_participant_id,
        "status": r.status,
        **extra,
    }


def request_created(session: AsyncSession, r: MeetingRequest, sender: Participant) -> None:
    """The invited participant hears of a new request (with the sender's name and message)."""
    payload = request_payload(r, from_name=sender.name, message=r.message)
    record(session, event_id=r.event_id, recipients=[r.to_participant_id], kind=REQUEST_CREATED, payload=payload)


def request_transitioned(
    session: AsyncSession, r: MeetingRequest, *, actor_id: int | None, meeting_id: int | None = None
) -> None:
    """Accepted or declined: the requester hears. Cancelled: the other side (both, when an organiser did it)."""
    if r.status in ("accepted", "declined"):
        payload = request_payload(r, meeting_id=meeting_id)
        record(session, event_id=r.event_id, recipients=[r.from_participant_id], kind=REQUEST_ANSWERED, payload=payload)
    elif r.status == "cancelled":
        others = [p for p in (r.from_participant_id, r.to_participant_id) if p != actor_id]
        payload = request_payload(r, cancelled_by=actor_id)
        record(session, event_id=r.event_id, recipients=others, kind=REQUEST_CANCELLED, payload=payload)


def requests_expired(session: AsyncSession, event_id: int, rows: Sequence[tuple[int, int, int]]) -> None:
    """``rows``: (request id, from id, to id) of requests that just expired; the requesters hear."""
    for request_id, from_id, to_id in rows:
        payload = {
            "request_id": request_id,
            "from_participant_id": from_id,
            "to_participant_id": to_id,
            "status": "expired",
        }
        record(session, event_id=event_id, recipients=[from_id], kind=REQUEST_EXPIRED, payload=payload)


def meeting_payload(m: Meeting, **extra: Any) -> dict[str, Any]:
    return {
        "meeting_id": m.id,
        "participant_ids": [m.a_id, m.b_id],
        "status": m.status,
        "starts_at": _iso(m.starts_at),
        "ends_at": _iso(m.ends_at),
        "table_id": m.table_id,
        "sequence": m.sequence,
        **extra,
    }


MeetingState = tuple[datetime | None, int | None, str]


def meeting_state(m: Meeting) -> MeetingState:
    """Where a meeting is now (start, table, status), to compare with after a change."""
    return (m.starts_at, m.table_id, m.status)


def meeting_changed(session: AsyncSession, m: Meeting, before: MeetingState) -> None:
    """Compare a meeting with its state ``before`` (see ``meeting_state``); record what changed.

    Scheduled from nothing: ``meeting.scheduled``; another slot or table: ``meeting.moved``; out of
    the timetable: ``meeting.unscheduled``. Nothing changed: nothing recorded.
    """
    starts_at, table_id, status = before
    was_placed = status == "scheduled" and starts_at is not None
    is_placed = m.status == "scheduled" and m.starts_at is not None
    if is_placed and not was_placed:
        kind = MEETING_SCHEDULED
    elif is_placed and (m.starts_at, m.table_id) != (starts_at, table_id):
        kind = MEETING_MOVED
    elif was_placed and not is_placed and m.status != "cancelled":
        kind = MEETING_UNSCHEDULED
    else:
        return
    payload = meeting_payload(
        m, previous_starts_at=_iso(starts_at), previous_table_id=table_id, reason=m.unplaced_reason
    )
    record(session, event_id=m.event_id, recipients=[m.a_id, m.b_id], kind=kind, payload=payload)


def meeting_cancelled(session: AsyncSession, m: Meeting) -> None:
    """Both participants hear; ``reason`` says why (organiser, request_cancelled, no_show, ...)."""
    payload = meeting_payload(m, reason=m.cancel_reason)
    record(session, event_id=m.event_id, recipients=[m.a_id, m.b_id], kind=MEETING_CANCELLED, payload=payload)


def schedule_published(session: AsyncSession | Session, event_id: int, participant_ids: Iterable[int]) -> None:
    """Everyone in the event (and the organisers) hears that the schedule is published."""
    record(
        session,
        event_id=event_id,
        recipients=[None, *sorted(participant_ids)],
        kind=SCHEDULE_PUBLISHED,
        payload={"event_id": event_id, "published_at": utcnow().isoformat()},
    )


def suggestions_refreshed(
    session: AsyncSession, event_id: int, participant_ids: Iterable[int], *, run_id: int | None, source: str
) -> None:
    """After a matching run (``source="run"``, organisers too) or a refresh: the participants' lists changed."""
    recipients: list[int | None] = [None] if source == "run" else []
    recipients += sorted(participant_ids)
    record(
        session,
        event_id=event_id,
        recipients=recipients,
        kind=SUGGESTIONS_REFRESHED,
        payload={"run_id": run_id, "source": source},
    )


def participant_invited(session: AsyncSession, p: Participant, link: str) -> None:
    """A new personal link was issued: the invitation mail carries it (``private``, never on SSE/webhooks)."""
    assert p.id is not None
    record(
        session,
        event_id=p.event_id,
        recipients=[p.id],
        kind=PARTICIPANT_INVITED,
        payload={"participant_id": p.id, "name": p.name},
        private={"link": link},
    )
