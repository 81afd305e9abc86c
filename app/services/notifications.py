"""Reading the outbox: live streams (SSE) and their replay, and stream tickets.

Every API process runs one ``LiveHub``. It follows the ``notification`` table by id (one indexed
range query per ``live_poll_seconds``, or at once when this process committed notifications or a
Redis message says another did) and hands each new row to the streams of this process that want it.
Several processes each follow the table, so a stream on any of them sees every change. Ids become
visible in increasing order (``app.notify``), so "everything after the last id seen" misses nothing.

A stream that reconnects with ``Last-Event-ID`` first gets the rows after that id from the table
(``replay``), then the live ones; an id it has already sent is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import jwt
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app import notify
from app.mail import MailContext, MeetingLine, pick_language
from app.models import Event, Notification, Organisation, Organiser, Participant
from app.schemas.live import LiveEvent
from app.services.agenda import agenda, agenda_ics
from app.services.common import in_zone
from app.services.participants import Viewer

log = logging.getLogger(__name__)

BATCH: Final = 500
QUEUE_LIMIT: Final = 1000  # a stream this far behind is closed; the client reconnects and replays
REDIS_CHANNEL: Final = "matchmaker:notifications"
_TICKET_ALGORITHM: Final = "HS256"
_TICKET_AUDIENCE: Final = "matchmaker:stream"


def to_live(n: Notification) -> LiveEvent:
    """The public form of an outbox row (``private`` is left out)."""
    return LiveEvent.model_validate(
        {
            "id": n.id,
            "kind": n.kind,
            "event_id": n.event_id,
            "recipient_id": n.recipient_id,
            "created_at": n.created_at,
            "payload": n.payload,
        }
    )


@dataclass(frozen=True, slots=True)
class StreamFilter:
    """One event's rows; with ``participant_id`` only those addressed to that participant."""

    event_id: int
    participant_id: int | None = None

    def matches(self, n: Notification) -> bool:
        if n.event_id != self.event_id:
            return False
        return self.participant_id is None or n.recipient_id == self.participant_id

    def where(self) -> list[Any]:
        clauses: list[Any] = [col(Notification.event_id) == self.event_id]
        if self.participant_id is not None:
            clauses.append(col(Notification.recipient_id) == self.participant_id)
        return clauses


async def replay(
    sessionmaker: async_sessionmaker[AsyncSession], flt: StreamFilter, after_id: int, limit: int = BATCH
) -> list[LiveEvent]:
    """The stream's rows after ``after_id``, oldest first, at most ``limit``."""
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(Notification)
            .where(col(Notification.id) > after_id, *flt.where())
            .order_by(col(Notification.id))
            .limit(limit)
        )
        return [to_live(n) for n in rows]


@dataclass(eq=False)
class Subscription:
    flt: StreamFilter
    queue: asyncio.Queue[LiveEvent | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_LIMIT + 1))

    def offer(self, event: LiveEvent) -> bool:
        """Queue an event; False (and the stream is ended) when the reader fell too far behind."""
        if self.queue.qsize() >= QUEUE_LIMIT:
            self.queue.put_nowait(None)
            return False
        self.queue.put_nowait(event)
        return True


class LiveHub:
    """Follows the outbox in this process and fans new rows out to the open streams."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, poll_seconds: float, redis_url: str | None = None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._poll = poll_seconds
        self._redis_url = redis_url
        self._subs: set[Subscription] = set()
        self._cursor = 0
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._start_lock = asyncio.Lock()
        self._redis: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_demand = False

    @property
    def running(self) -> bool:
        return bool(self._tasks)

    async def start(self, *, on_demand: bool = False) -> None:
        """Follow the outbox. The app's lifespan starts the hub for good; a stream opened where no lifespan
        ran (an app called in-process by a test client) starts it ``on_demand``: it stops with the last stream."""
        if self._loop is not None and self._loop is not asyncio.get_running_loop():
            self._adopt_loop()
        async with self._start_lock:
            if self._tasks:
                self._on_demand = self._on_demand and on_demand
                return
            self._on_demand = on_demand
            async with self._sessionmaker() as session:
                self._cursor = int(await session.scalar(select(func.max(Notification.id))) or 0)
            self._loop = asyncio.get_running_loop()
            self._tasks.append(asyncio.create_task(self._follow(), name="live-hub"))
            if self._redis_url:
                self._tasks.append(asyncio.create_task(self._listen(), name="live-hub-redis"))
            notify.add_commit_listener(self.committed)

    def _adopt_loop(self) -> None:
        # Test clients run each app call on an event loop of its own; what the old loop held died with it.
        notify.remove_commit_listener(self.committed)
        self._tasks, self._subs, self._redis, self._loop = [], set(), None, None
        self._wake, self._start_lock = asyncio.Event(), asyncio.Lock()

    async def stop(self) -> None:
        if self._loop is not None and self._loop is not asyncio.get_running_loop():
            self._adopt_loop()
            return
        notify.remove_commit_listener(self.committed)
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for sub in list(self._subs):
            sub.queue.put_nowait(None)
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    @contextlib.asynccontextmanager
    async def subscribe(self, flt: StreamFilter) -> AsyncIterator[Subscription]:
        """Receive the rows for ``flt`` committed from now on (start a replay after entering)."""
        await self.start(on_demand=True)
        sub = Subscription(flt)
        self._subs.add(sub)
        try:
            yield sub
        finally:
            self._subs.discard(sub)
            if self._on_demand and not self._subs:
                await self.stop()

    def committed(self, event_ids: frozenset[int]) -> None:
        """Commit listener: this process wrote notifications; look now, and tell the other processes."""
        if not on_loop(self._loop, self._wake):
            return  # a commit on another event loop (a second app in this process) only wakes this one
        if self._redis_url and self._tasks:
            task = asyncio.get_running_loop().create_task(self._publish(event_ids))
            task.add_done_callback(_log_failure)

    async def poll_once(self) -> int:
        """Read the rows after the cursor and hand them out. Returns how many."""
        async with self._sessionmaker() as session:
            rows = (
                await session.scalars(
                    select(Notification)
                    .where(col(Notification.id) > self._cursor)
                    .order_by(col(Notification.id))
                    .limit(BATCH)
                )
            ).all()
        for n in rows:
            self._cursor = n.id or self._cursor
            event: LiveEvent | None = None
            for sub in list(self._subs):
                if sub.flt.matches(n):
                    event = event or to_live(n)
                    if not sub.offer(event):
                        self._subs.discard(sub)
        return len(rows)

    async def _follow(self) -> None:
        failures = 0
        while True:
            try:
                while await self.poll_once() == BATCH:
                    pass
                failures = 0
            except Exception:  # noqa: BLE001 - a database hiccup must not end live updates; try again
                failures += 1
                if failures == 1:
                    log.exception("reading the notification outbox failed; retrying with growing pauses")
                elif failures % 20 == 0:
                    log.warning("reading the notification outbox still fails (%d attempts)", failures)
            pause = min(30.0, self._poll * 2 ** min(failures, 10))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), pause)
            self._wake.clear()

    async def _client(self) -> Any:
        if self._redis is None:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self._redis_url or "")
        return self._redis

    async def _publish(self, event_ids: frozenset[int]) -> None:
        client = await self._client()
        await client.publish(REDIS_CHANNEL, ",".join(str(e) for e in sorted(event_ids)))

    async def _listen(self) -> None:
        while True:
            try:
                client = await self._client()
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(REDIS_CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - polling still delivers; retry the subscription later
                log.warning("Redis pub/sub for live updates failed; polling only for now", exc_info=True)
                await asyncio.sleep(5)


def on_loop(loop: asyncio.AbstractEventLoop | None, wake: asyncio.Event) -> bool:
    """Set ``wake`` (owned by ``loop``) from whichever thread commits; True when called on ``loop`` itself."""
    try:
        current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    if loop is None or loop.is_closed():
        return False
    if current is loop:
        wake.set()
        return True
    loop.call_soon_threadsafe(wake.set)
    return False


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("publishing a live-update wake-up to Redis failed: %s", task.exception())


# --- stream tickets ----------------------------------------------------------------------
# EventSource cannot send an Authorization header. Instead of putting the long-lived personal token
# in a URL (where proxies and browser history keep it), a caller exchanges it for a ticket that
# only opens streams of one event, expires within minutes and dies when the token is reissued.


@dataclass(frozen=True, slots=True)
class TicketClaims:
    event_id: int
    organiser_id: int | None
    participant_id: int | None
    token_issued_at: str | None  # ISO time the participant token was issued: a reissued token voids the ticket


def claims_for(event_id: int, organiser: Organiser | None, participant: Participant | None) -> TicketClaims:
    issued = participant.token_issued_at if participant is not None else None
    return TicketClaims(
        event_id=event_id,
        organiser_id=organiser.id if organiser is not None else None,
        participant_id=participant.id if participant is not None else None,
        token_issued_at=issued.isoformat() if issued is not None else None,
    )


def issue_ticket(claims: TicketClaims, secret: str, seconds: int) -> tuple[str, datetime]:
    expires = datetime.now(UTC) + timedelta(seconds=seconds)
    body = {
        "aud": _TICKET_AUDIENCE,
        "exp": expires,
        "event_id": claims.event_id,
        "organiser_id": claims.organiser_id,
        "participant_id": claims.participant_id,
        "token_issued_at": claims.token_issued_at,
    }
    return jwt.encode(body, secret, algorithm=_TICKET_ALGORITHM), expires


def read_ticket(ticket: str, secret: str) -> TicketClaims | None:
    """The claims of a valid, unexpired ticket; None otherwise."""
    try:
        body = jwt.decode(ticket, secret, algorithms=[_TICKET_ALGORITHM], audience=_TICKET_AUDIENCE)
        return TicketClaims(
            event_id=int(body["event_id"]),
            organiser_id=_opt_int(body.get("organiser_id")),
            participant_id=_opt_int(body.get("participant_id")),
            token_issued_at=str(body["token_issued_at"]) if body.get("token_issued_at") is not None else None,
        )
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return None


def _opt_int(value: Any) -> int | None:
    return int(value) if value is not None else None


# --- what a mail says ----------------------------------------------------------------------

_MAIL_TEMPLATES: Final = {
    notify.PARTICIPANT_INVITED: "invitation",
    notify.REQUEST_CREATED: "request_received",
    notify.REQUEST_ANSWERED: "request_answered",
    notify.SCHEDULE_PUBLISHED: "schedule_published",
}
_AGENDA_CHANGES: Final = (
    notify.MEETING_SCHEDULED,
    notify.MEETING_MOVED,
    notify.MEETING_UNSCHEDULED,
    notify.MEETING_CANCELLED,
)


def mail_template(kind: str, published: bool) -> str | None:
    """The mail a domain event sends its participant, if any.

    Meeting changes are mailed only once the schedule is published: before that the timetable is a
    draft the organisers are still shaping, and the publication mail carries the result.
    """
    if kind in _AGENDA_CHANGES:
        return "schedule_changed" if published else None
    return _MAIL_TEMPLATES.get(kind)


def app_link(public_url: str) -> str:
    """The participant app (the personal link from the invitation opens it signed in)."""
    return f"{public_url.rstrip('/')}/ui/"


async def mail_for(session: AsyncSession, n: Notification, public_url: str) -> MailContext | None:
    """Everything the mail for outbox row ``n`` says, in the recipient's language; None if nothing to send."""
    event = await session.get(Event, n.event_id)
    person = await session.get(Participant, n.recipient_id) if n.recipient_id is not None else None
    template = mail_template(n.kind, bool(event and event.schedule_published))
    if event is None or person is None or person.id is None or template is None or not person.email:
        return None
    link = app_link(public_url)
    extra: dict[str, Any] = {}
    meetings: tuple[MeetingLine, ...] = ()
    ics: bytes | None = None
    if template == "invitation":
        if not n.private or not n.private.get("link"):
            return None
        link = str(n.private["link"])
    elif template == "request_received":
        sender = await _who(session, n.payload.get("from_participant_id"))
        extra = {
            "from_name": sender[0] if sender else n.payload.get("from_name", ""),
            "from_organisation": sender[1] if sender else None,
            "message": n.payload.get("message") or "",
        }
    elif template == "request_answered":
        partner = await _who(session, n.payload.get("to_participant_id"))
        extra = {
            "accepted": n.payload.get("status") == "accepted",
            "partner_name": partner[0] if partner else "",
            "partner_organisation": partner[1] if partner else None,
        }
    else:
        meetings = await _meeting_lines(session, event, person.id)
        ics = (await agenda_ics(session, event, person.id))[0] if meetings else None  # no If-None-Match: a body
    return MailContext(
        template=template,
        to_name=person.name,
        to_address=person.email,
        language=pick_language(person.languages),
        event_name=event.name,
        event_city=event.city,
        event_starts_at=in_zone(event.starts_at, event.timezone),
        event_ends_at=in_zone(event.ends_at, event.timezone),
        timezone=event.timezone,
        link=link,
        extra=extra,
        meetings=meetings,
        ics=ics,
    )


async def _who(session: AsyncSession, participant_id: Any) -> tuple[str, str] | None:
    """A participant's name and organisation (what their meeting partner may see)."""
    if not isinstance(participant_id, int):
        return None
    row = (
        await session.execute(
            select(col(Participant.name), col(Organisation.name))
            .join(Organisation, col(Organisation.id) == col(Participant.organisation_id))
            .where(col(Participant.id) == participant_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def _meeting_lines(session: AsyncSession, event: Event, participant_id: int) -> tuple[MeetingLine, ...]:
    """The participant's meetings with a time (as their agenda shows them), cancelled ones left out."""
    assert event.id is not None
    items = (await agenda(session, event, participant_id, Viewer(participant_id=participant_id))).items
    return tuple(
        MeetingLine(
            starts_at=i.starts_at,
            ends_at=i.ends_at,
            partner=i.partner.name,
            organisation=i.partner.organisation.name,
            table=i.table.name if i.table and not i.table.online else None,
            online_link=i.table.link if i.table and i.table.online else None,
            status=i.status.value,
        )
        for i in items
        if i.starts_at is not None
    )


async def ticket_holder(session: AsyncSession, claims: TicketClaims) -> tuple[Organiser | None, Participant | None]:
    """Who a ticket speaks for, if they still may: the organiser, or the participant whose token is unchanged."""
    if claims.organiser_id is not None:
        return await session.get(Organiser, claims.organiser_id), None
    if claims.participant_id is None:
        return None, None
    p = await session.get(Participant, claims.participant_id)
    issued = p.token_issued_at.isoformat() if p is not None and p.token_issued_at is not None else None
    if p is None or p.token_hash is None or issued != claims.token_issued_at:
        return None, None
    return None, p
