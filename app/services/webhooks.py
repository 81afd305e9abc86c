"""Webhooks of organisers, and the outbox consumer that sends webhooks and mail.

The ``Dispatcher`` runs in every API process, off the request path, in two steps that each claim
their rows in SQL (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so processes never take the same row;
SQLite has one writer at a time, and each claim is one ``UPDATE ... RETURNING`` statement):

1. *fan out*: new outbox rows (``dispatched_at IS NULL``) become ``notification_delivery`` rows, one
   per matching webhook (for the first row of each recorded event) and one per mail a participant
   should get;
2. *deliver*: due deliveries are leased (``next_attempt_at`` moves past the lease, ``attempts`` + 1),
   sent with httpx or SMTP outside any transaction, then marked delivered, or retried with doubling
   delays, or failed after ``max_attempts``. A process that dies mid-send leaves a lease that
   expires, so another process retries: delivery is at least once, receivers dedupe by id.

Signature: ``Matchmaker-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``.

Destinations (``app.netguard``): a URL naming a non-public address is refused at registration, and every
connection is opened to an address that was resolved and vetted just before, so an organiser cannot make
the server call its own network (``MATCHMAKER_WEBHOOK_ALLOW_PRIVATE`` lifts this on self-hosted servers).
A delivery refused that way fails at once, with the reason in its log.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import httpx
from pydantic import AnyHttpUrl
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app import mail, netguard, notify
from app.config import Settings
from app.db import session_scope, utcnow
from app.errors import InvalidInput, NotFound, field_error
from app.models import Event, Notification, NotificationDelivery, Webhook
from app.schemas.common import Page
from app.schemas.live import DeliveryRead, WebhookCreate, WebhookRead, WebhookUpdate
from app.services.common import count, in_zone, sorted_by
from app.services.notifications import LiveHub, mail_for, mail_template, on_loop, to_live

log = logging.getLogger(__name__)

BATCH: Final = 200
SENDS_AT_ONCE: Final = 8
SENDS_PER_ROUND: Final = 100
PRUNE_EVERY_SECONDS: Final = 3600.0
USER_AGENT: Final = "Matchmaker-Webhooks/1.0"
SIGNATURE_HEADER: Final = "Matchmaker-Signature"


# --- registration and the delivery log ---------------------------------------------------


def _read(hook: Webhook) -> WebhookRead:
    return WebhookRead(
        id=hook.id or 0,
        event_id=hook.event_id,
        url=hook.url,
        kinds=hook.kinds,
        description=hook.description,
        active=hook.active,
        created_at=hook.created_at,
    )


def check_destination(url: AnyHttpUrl, *, allow_private: bool) -> None:
    """Refuse (422 naming ``url``) a webhook URL whose host is a non-public address or a private name."""
    refusal = None if allow_private else netguard.host_refusal(url.host or "")
    if refusal is not None:
        msg = f"Webhooks are sent to public internet addresses only: {refusal}."
        raise InvalidInput(msg, errors=[field_error(["body", "url"], msg, "url_not_public")])


async def create_webhook(
    session: AsyncSession, event: Event, data: WebhookCreate, *, allow_private: bool
) -> WebhookRead:
    assert event.id is not None
    check_destination(data.url, allow_private=allow_private)
    hook = Webhook(
        event_id=event.id,
        url=str(data.url),
        secret=data.secret,
        kinds=sorted(set(data.kinds)),
        description=data.description,
        active=data.active,
    )
    session.add(hook)
    await session.flush()
    return _read(hook)


async def get_webhook(session: AsyncSession, event: Event, webhook_id: int) -> Webhook:
    hook = await session.get(Webhook, webhook_id)
    if hook is None or hook.event_id != event.id:
        raise NotFound(f"Event {event.id} has no webhook {webhook_id}.")
    return hook


async def read_webhook(session: AsyncSession, event: Event, webhook_id: int) -> WebhookRead:
    return _read(await get_webhook(session, event, webhook_id))


async def list_webhooks(session: AsyncSession, event: Event) -> list[WebhookRead]:
    hooks = await session.scalars(select(Webhook).where(col(Webhook.event_id) == event.id).order_by(col(Webhook.id)))
    return [_read(h) for h in hooks]


async def update_webhook(
    session: AsyncSession, event: Event, webhook_id: int, data: WebhookUpdate, *, allow_private: bool
) -> WebhookRead:
    hook = await get_webhook(session, event, webhook_id)
    if data.url is not None:
        check_destination(data.url, allow_private=allow_private)
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            continue
        if key == "url":
            value = str(data.url)
        elif key == "kinds":
            value = sorted(set(value))
        setattr(hook, key, value)
    await session.flush()
    return _read(hook)


async def delete_webhook(session: AsyncSession, event: Event, webhook_id: int) -> None:
    await session.delete(await get_webhook(session, event, webhook_id))
    await session.flush()


async def list_deliveries(
    session: AsyncSession,
    event: Event,
    *,
    webhook_id: int | None,
    channel: str | None,
    status: str | None,
    limit: int,
    offset: int,
    sort: Sequence[str] = (),
) -> Page[DeliveryRead]:
    """The event's delivery log, newest first."""
    where: list[Any] = [col(NotificationDelivery.event_id) == event.id]
    if webhook_id is not None:
        await get_webhook(session, event, webhook_id)
        where.append(col(NotificationDelivery.webhook_id) == webhook_id)
    if channel:
        where.append(col(NotificationDelivery.channel) == channel)
    if status:
        where.append(col(NotificationDelivery.status) == status)
    total = await count(session, select(NotificationDelivery).where(*where))
    stmt = (
        select(NotificationDelivery, Notification)
        .join(Notification, col(Notification.id) == col(NotificationDelivery.notification_id))
        .where(*where)
        .order_by(col(NotificationDelivery.id).desc())
    )
    columns = {"created_at": col(NotificationDelivery.created_at), "status": col(NotificationDelivery.status)}
    stmt = sorted_by(stmt, sort, columns, col(NotificationDelivery.id))
    rows = await session.execute(stmt.limit(limit).offset(offset))
    items = [_delivery_read(d, n, event.timezone) for d, n in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _delivery_read(d: NotificationDelivery, n: Notification, tz: str) -> DeliveryRead:
    return DeliveryRead.model_validate(
        {
            "id": d.id,
            "notification_id": d.notification_id,
            "kind": n.kind,
            "channel": d.channel,
            "webhook_id": d.webhook_id,
            "recipient_id": n.recipient_id,
            "status": d.status,
            "attempts": d.attempts,
            "next_attempt_at": in_zone(d.next_attempt_at, tz) if d.status == "pending" else None,
            "response_status": d.response_status,
            "last_error": d.last_error,
            "created_at": in_zone(d.created_at, tz),
            "delivered_at": in_zone(d.delivered_at, tz) if d.delivered_at else None,
        }
    )


async def retry_delivery(session: AsyncSession, event: Event, delivery_id: int) -> DeliveryRead:
    """Send a failed (or pending) delivery again now, with a fresh set of attempts."""
    d = await session.get(NotificationDelivery, delivery_id)
    if d is None or d.event_id != event.id:
        raise NotFound(f"Event {event.id} has no delivery {delivery_id}.")
    n = await session.get(Notification, d.notification_id)
    assert n is not None
    if d.status in ("failed", "pending"):
        d.status, d.attempts, d.next_attempt_at, d.last_error = "pending", 0, utcnow(), None
        await session.flush()
    return _delivery_read(d, n, event.timezone)


# --- signing -----------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Matchmaker-Signature`` header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does: recompute the HMAC, compare in constant time, refuse old timestamps."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")


# --- the consumer ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    max_attempts: int = 8
    retry_seconds: float = 30.0
    lease_seconds: float = 120.0
    webhook_timeout: float = 10.0
    retention_days: float = 30.0
    allow_private: bool = False  # webhooks may call non-public addresses (self-hosted servers)

    def next_attempt(self, attempts: int) -> timedelta:
        return timedelta(seconds=self.retry_seconds * 2 ** max(0, attempts - 1))


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # delivered | pending (retry) | failed (no retry) | skipped
    response_status: int | None = None
    error: str | None = None


class Dispatcher:
    """Fans new outbox rows out to deliveries and sends the due ones (webhooks with httpx, mail by SMTP)."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        policy: DeliveryPolicy,
        smtp: mail.SmtpSettings | None,
        public_url: str,
        poll_seconds: float,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.policy = policy
        self.smtp = smtp
        self.public_url = public_url
        self._poll = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        if self._task is None:
            self._loop = asyncio.get_running_loop()
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")
            notify.add_commit_listener(self.committed)

    async def stop(self) -> None:
        notify.remove_commit_listener(self.committed)
        task, self._task = self._task, None
        if task is not None:
            # Let the round in progress end first: cancelled inside a transaction, an aiosqlite connection
            # is closed mid-statement and keeps SQLite's write lock until garbage collection.
            self._stopping = True
            self._wake.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), self.policy.webhook_timeout + 5)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def committed(self, _event_ids: frozenset[int]) -> None:
        on_loop(self._loop, self._wake)

    async def _run(self) -> None:
        next_prune, failures = 0.0, 0
        while not self._stopping:
            try:
                busy = await self.run_once()
                if time.monotonic() >= next_prune:
                    await self.prune()
                    next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
                failures = 0
            except Exception:  # noqa: BLE001 - keep the consumer alive through database hiccups
                failures += 1
                if failures == 1:
                    log.exception("outbox dispatch failed; retrying with growing pauses")
                elif failures % 20 == 0:
                    log.warning("outbox dispatch still fails (%d attempts)", failures)
                busy = 0
            if busy or self._stopping:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(60.0, self._poll * 2 ** min(failures, 10)))
            self._wake.clear()

    async def run_once(self) -> int:
        """One round: fan out new rows, send the due deliveries. Returns how much work it found."""
        return await self.fan_out() + await self.deliver_due()

    async def prune(self) -> int:
        """Delete outbox rows older than the retention, once nothing waits on them (their log goes too)."""
        cutoff = utcnow() - timedelta(days=self.policy.retention_days)
        waiting = select(col(NotificationDelivery.notification_id)).where(col(NotificationDelivery.status) == "pending")
        async with session_scope(self._sessionmaker) as session:
            result = await session.execute(
                delete(Notification)
                .where(
                    col(Notification.created_at) < cutoff,
                    col(Notification.dispatched_at).is_not(None),
                    col(Notification.id).not_in(waiting),
                )
                .execution_options(synchronize_session=False)
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # fan out ---------------------------------------------------------------------------

    async def fan_out(self) -> int:
        async with session_scope(self._sessionmaker) as session:
            ids = await _claim(
                session,
                Notification,
                col(Notification.dispatched_at).is_(None),
                order=col(Notification.id),
                values={"dispatched_at": utcnow()},
            )
            if not ids:
                return 0
            rows = (await session.scalars(select(Notification).where(col(Notification.id).in_(ids)))).all()
            event_ids = {n.event_id for n in rows}
            hooks = (
                await session.scalars(
                    select(Webhook).where(col(Webhook.event_id).in_(event_ids), col(Webhook.active).is_(True))
                )
            ).all()
            flags = await session.execute(
                select(col(Event.id), col(Event.schedule_published)).where(col(Event.id).in_(event_ids))
            )
            published = {event_id: bool(flag) for event_id, flag in flags}
            for n in rows:
                session.add_all(self._deliveries_of(n, hooks, published.get(n.event_id, False)))
            return len(rows)

    def _deliveries_of(self, n: Notification, hooks: Sequence[Webhook], published: bool) -> list[NotificationDelivery]:
        out = [
            NotificationDelivery(notification_id=n.id or 0, event_id=n.event_id, channel="webhook", webhook_id=h.id)
            for h in hooks
            if n.lead
            and h.event_id == n.event_id
            and h.created_at <= n.created_at  # a new webhook gets what happens from now on
            and (not h.kinds or n.kind in h.kinds)
        ]
        if self.smtp is not None and n.recipient_id is not None and mail_template(n.kind, published):
            out.append(NotificationDelivery(notification_id=n.id or 0, event_id=n.event_id, channel="email"))
        elif n.private is not None:
            n.private = None  # nobody will mail it: do not keep the secret
        return out

    # deliver ---------------------------------------------------------------------------

    async def deliver_due(self) -> int:
        """Lease the due deliveries, send them, record the outcomes: two short transactions per batch."""
        now = utcnow()
        async with session_scope(self._sessionmaker) as session:
            ids = await _claim(
                session,
                NotificationDelivery,
                (col(NotificationDelivery.status) == "pending") & (col(NotificationDelivery.next_attempt_at) <= now),
                order=col(NotificationDelivery.next_attempt_at),
                values={
                    "next_attempt_at": now + timedelta(seconds=self.policy.lease_seconds),
                    "attempts": col(NotificationDelivery.attempts) + 1,
                },
                limit=SENDS_PER_ROUND,
            )
            if not ids:
                return 0
            queues = await _queues(session, ids)
        outcomes: dict[int, Outcome] = {}
        gate = asyncio.Semaphore(SENDS_AT_ONCE)

        async def in_order(queue: list[Send]) -> None:
            async with gate:
                for send in queue:
                    outcomes[send.delivery.id or 0] = await self._attempt(send)

        await asyncio.gather(*(in_order(q) for q in queues))
        await self._record(outcomes)
        return len(ids)

    async def _attempt(self, send: Send) -> Outcome:
        try:
            if send.delivery.channel == "email":
                return await self._send_mail(send.delivery, send.notification)
            if send.url is None or send.secret is None:
                return Outcome("skipped", error="the webhook was removed or switched off")
            return await self._post(send.delivery, send.notification, send.url, send.secret)
        except Exception as exc:  # noqa: BLE001 - any failure of one send is that delivery's error, retried
            log.warning("delivery %s failed", send.delivery.id, exc_info=True)
            return Outcome("pending", error=f"{type(exc).__name__}: {exc}"[:500])

    async def _record(self, outcomes: dict[int, Outcome]) -> None:
        async with session_scope(self._sessionmaker) as session:
            rows = await session.scalars(
                select(NotificationDelivery).where(col(NotificationDelivery.id).in_(list(outcomes)))
            )
            finished_mails = []
            for d in rows:
                self._settle(d, outcomes[d.id or 0])
                if d.channel == "email" and d.status in ("delivered", "failed", "skipped"):
                    finished_mails.append(d.notification_id)
            if finished_mails:  # the invitation link is not kept once its mail is settled
                await session.execute(
                    update(Notification)
                    .where(col(Notification.id).in_(finished_mails))
                    .values(private=None)
                    .execution_options(synchronize_session=False)
                )

    def _settle(self, d: NotificationDelivery, outcome: Outcome) -> None:
        d.response_status, d.last_error = outcome.response_status, outcome.error
        if outcome.status == "pending" and d.attempts >= self.policy.max_attempts:
            d.status = "failed"
        elif outcome.status == "pending":
            d.status, d.next_attempt_at = "pending", utcnow() + self.policy.next_attempt(d.attempts)
        else:
            d.status = outcome.status
            d.delivered_at = utcnow() if outcome.status == "delivered" else None

    async def _post(self, d: NotificationDelivery, n: Notification, url: str, secret: str) -> Outcome:
        body = to_live(n).model_dump_json().encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(secret, int(time.time()), body),
            "Matchmaker-Event": n.kind,
            "Matchmaker-Delivery": str(d.id),
        }
        if self._http is None:
            self._http = netguard.guarded_client(allow_private=self.policy.allow_private)
        try:
            response = await self._http.post(url, content=body, headers=headers, timeout=self.policy.webhook_timeout)
        except netguard.DestinationRefused as exc:
            log.warning("webhook delivery %s refused: %s", d.id, exc)
            return Outcome("failed", error=str(exc)[:500])
        except httpx.HTTPError as exc:
            return Outcome("pending", error=f"{type(exc).__name__}: {exc}"[:500])
        if response.is_success:
            return Outcome("delivered", response_status=response.status_code)
        return Outcome("pending", response_status=response.status_code, error=response.text[:500] or None)

    async def _send_mail(self, d: NotificationDelivery, n: Notification) -> Outcome:
        assert self.smtp is not None
        async with self._sessionmaker() as session:
            ctx = await mail_for(session, n, self.public_url)
            if ctx is None:
                return Outcome("skipped", error="nothing to send (no address, no link, or the participant is gone)")
            if ctx.template in AGENDA_MAILS:
                await _coalesce(session, d, n)  # one mail with the whole agenda stands for the changes waiting
        await mail.send(mail.compose(ctx, self.smtp.sender), self.smtp)
        return Outcome("delivered")


@dataclass(frozen=True, slots=True)
class Send:
    """One claimed delivery with what sending it needs (read in the claiming transaction)."""

    delivery: NotificationDelivery
    notification: Notification
    url: str | None = None
    secret: str | None = None


async def _queues(session: AsyncSession, ids: Sequence[int]) -> list[list[Send]]:
    """The claimed deliveries as queues: one webhook's in id order; each mail on its own."""
    rows = (
        await session.execute(
            select(NotificationDelivery, Notification)
            .join(Notification, col(Notification.id) == col(NotificationDelivery.notification_id))
            .where(col(NotificationDelivery.id).in_(ids))
            .order_by(col(NotificationDelivery.id))
        )
    ).all()
    claimed = [(d, n) for d, n in rows]
    covered = _coalesce_claimed(claimed)
    hook_ids = {d.webhook_id for d, _ in claimed if d.webhook_id is not None}
    hooks = {h.id: h for h in await session.scalars(select(Webhook).where(col(Webhook.id).in_(hook_ids)))}
    queues: dict[object, list[Send]] = {}
    for d, n in claimed:
        if d.id is None or d.id in covered:
            continue
        hook = hooks.get(d.webhook_id)
        live = hook is not None and hook.active
        send = Send(d, n, hook.url if live and hook else None, hook.secret if live and hook else None)
        queues.setdefault(d.webhook_id if d.webhook_id is not None else ("email", d.id), []).append(send)
    return list(queues.values())


async def _claim(
    session: AsyncSession, table: Any, due: Any, *, order: Any, values: dict[str, Any], limit: int = BATCH
) -> list[int]:
    """Mark up to ``limit`` rows matching ``due`` with ``values`` in one statement; their ids.

    On PostgreSQL the inner SELECT locks with SKIP LOCKED, so concurrent claimers split the rows.
    """
    inner = select(table.id).where(due).order_by(order, table.id).limit(limit).with_for_update(skip_locked=True)
    result = await session.execute(
        update(table)
        .where(table.id.in_(inner))
        .values(**values)
        .returning(table.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars().all())


AGENDA_MAILS: Final = ("schedule_changed", "schedule_published")
AGENDA_KINDS: Final = tuple(k for k in notify.KINDS if mail_template(k, True) in AGENDA_MAILS)


def _coalesce_claimed(claimed: Sequence[tuple[NotificationDelivery, Notification]]) -> set[int]:
    """Of the agenda mails claimed together for one participant, send one (the publication mail if there
    is one, else the latest): each carries the whole agenda as it is when sent. The others are marked
    coalesced; their ids are returned."""
    groups: dict[tuple[int, int | None], list[tuple[NotificationDelivery, Notification]]] = {}
    for d, n in claimed:
        if d.channel == "email" and n.kind in AGENDA_KINDS:
            groups.setdefault((n.event_id, n.recipient_id), []).append((d, n))
    covered: set[int] = set()
    for group in groups.values():
        keep = max(group, key=lambda dn: (dn[1].kind == notify.SCHEDULE_PUBLISHED, dn[0].id or 0))[0]
        for d, _ in group:
            if d is not keep and d.id is not None:
                d.status, d.last_error, d.delivered_at = "coalesced", f"sent with delivery {keep.id}", utcnow()
                covered.add(d.id)
    return covered


async def _coalesce(session: AsyncSession, d: NotificationDelivery, n: Notification) -> None:
    """Other waiting agenda mails to the same participant (not claimed yet) are covered by this one."""
    kinds = list(AGENDA_KINDS)
    waiting = (
        select(col(NotificationDelivery.id))
        .join(Notification, col(Notification.id) == col(NotificationDelivery.notification_id))
        .where(
            col(NotificationDelivery.channel) == "email",
            col(NotificationDelivery.status) == "pending",
            col(NotificationDelivery.next_attempt_at) <= utcnow(),
            col(NotificationDelivery.id) != d.id,
            col(Notification.recipient_id) == n.recipient_id,
            col(Notification.event_id) == n.event_id,
            col(Notification.kind).in_(kinds),
        )
    )
    ids = (await session.scalars(waiting)).all()
    if ids:
        await session.execute(
            update(NotificationDelivery)
            .where(col(NotificationDelivery.id).in_(ids), col(NotificationDelivery.status) == "pending")
            .values(status="coalesced", last_error=f"sent with delivery {d.id}", delivered_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        await session.commit()


def live_updates(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> tuple[LiveHub, Dispatcher | None]:
    """This process's outbox readers: the SSE hub, and the webhook/mail sender unless switched off."""
    hub = LiveHub(sessionmaker, poll_seconds=settings.live_poll_seconds, redis_url=settings.redis_url)
    if not settings.dispatch_enabled:
        return hub, None
    smtp = (
        mail.SmtpSettings(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            sender=settings.mail_from,
            timeout=settings.smtp_timeout_seconds,
        )
        if settings.smtp_host
        else None
    )
    policy = DeliveryPolicy(
        max_attempts=settings.delivery_max_attempts,
        retry_seconds=settings.delivery_retry_seconds,
        lease_seconds=settings.delivery_lease_seconds,
        webhook_timeout=settings.webhook_timeout_seconds,
        retention_days=settings.notification_retention_days,
        allow_private=settings.webhook_allow_private,
    )
    dispatcher = Dispatcher(
        sessionmaker,
        policy=policy,
        smtp=smtp,
        public_url=settings.public_url,
        poll_seconds=settings.dispatch_poll_seconds,
    )
    return hub, dispatcher
