"""Webhooks: signed POSTs to a real local HTTP receiver, retries with backoff, the delivery log, and
the SSRF guard (``app.netguard``).

The receiver is a tiny HTTP/1.1 server on ``asyncio.start_server``; the dispatcher is the app's own
(``app.state.dispatcher``), driven round by round with ``run_once`` so each test decides when it runs.
The receiver listens on 127.0.0.1, so the ``setup`` fixture turns ``webhook_allow_private`` on; the
``guarded`` fixture keeps the production default (off), and names are pointed at addresses by
replacing ``socket.getaddrinfo`` (what the dispatcher's resolver calls on its worker thread).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from ipaddress import ip_address
from typing import Any

import httpcore
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db import create_sessionmaker, session_scope, utcnow
from app.main import create_app
from app.models import Notification, Webhook
from app.netguard import DestinationRefused, GuardedBackend, IPAddress, host_refusal, is_public, literal_address
from app.services.webhooks import Dispatcher, sign, verify
from tests.factories import auth, check, create_event, create_participant, organiser_token, participant_token

API = "/api/v1"
SECRET = "whsec-0123456789abcdef"


@dataclass
class Hit:
    request_line: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next status of ``statuses`` (the last one repeats)."""

    statuses: list[int] = field(default_factory=lambda: [200])
    hits: list[Hit] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.hits.append(Hit(head[0], headers, body))
        status = self.statuses[min(len(self.hits), len(self.statuses)) - 1]
        answer = b"not now" if status >= 400 else b"ok"
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Length: {len(answer)}\r\nConnection: close\r\n\r\n".encode() + answer
        )
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/matchmaker"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    server = await asyncio.start_server(r.handle, "127.0.0.1", 0)
    r.port = server.sockets[0].getsockname()[1]
    async with server:
        yield r
        server.close()


def hook_settings(settings: Settings, **overrides: Any) -> Settings:
    values = {
        "delivery_retry_seconds": 0.4,
        "delivery_max_attempts": 3,
        "webhook_timeout_seconds": 2.0,
        "webhook_allow_private": True,  # the receiver is on 127.0.0.1; the `guarded` fixture turns this off
    }
    return settings.model_copy(update=values | overrides)


@dataclass
class Setup:
    app: FastAPI
    client: AsyncClient
    organiser: str
    event_id: int
    people: list[int]
    tokens: list[str]

    @property
    def dispatcher(self) -> Dispatcher:
        d: Dispatcher = self.app.state.dispatcher
        return d

    async def request(self, sender: int, to: int) -> dict[str, Any]:
        r = await self.client.post(
            f"{API}/events/{self.event_id}/meeting-requests",
            json={"to_participant_id": self.people[to], "message": "Hello"},
            headers=auth(self.tokens[sender]),
        )
        return dict(check(r, 201))

    async def hook(self, url: str, kinds: list[str] | None = None, **extra: Any) -> dict[str, Any]:
        body = {"url": url, "secret": SECRET, "kinds": kinds or [], **extra}
        r = await self.client.post(f"{API}/events/{self.event_id}/webhooks", json=body, headers=auth(self.organiser))
        return dict(check(r, 201))

    async def log(self, **params: Any) -> list[dict[str, Any]]:
        r = await self.client.get(
            f"{API}/events/{self.event_id}/deliveries", params=params, headers=auth(self.organiser)
        )
        return list(check(r, 200)["items"])

    async def drain(self) -> int:
        """Dispatcher rounds until one finds nothing to do; how much work they found."""
        total = 0
        while found := await self.dispatcher.run_once():
            total += found
        return total


async def make_setup(db: AsyncEngine, settings: Settings, people: int = 3) -> Setup:
    app = create_app(settings)
    client = AsyncClient(transport=ASGITransport(app=app), base_url="http://test")
    organiser = await organiser_token(client, db)
    event = await create_event(client, organiser)
    ids = [(await create_participant(client, organiser, event["id"]))["id"] for _ in range(people)]
    tokens = [await participant_token(client, organiser, event["id"], pid) for pid in ids]
    return Setup(app, client, organiser, event["id"], ids, tokens)


async def close_setup(s: Setup) -> None:
    await s.dispatcher.stop()
    await s.client.aclose()
    await s.app.state.engine.dispose()


@pytest.fixture
async def setup(db: AsyncEngine, settings: Settings) -> AsyncIterator[Setup]:
    s = await make_setup(db, hook_settings(settings))
    yield s
    await close_setup(s)


@pytest.fixture
async def guarded(db: AsyncEngine, settings: Settings) -> AsyncIterator[Setup]:
    """The production default: webhooks reach public addresses only."""
    s = await make_setup(db, hook_settings(settings, webhook_allow_private=False))
    assert s.app.state.settings.webhook_allow_private is False
    yield s
    await close_setup(s)


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> list[str]:
    """Answer getaddrinfo for the names in ``answers`` (one list of addresses per lookup, the last one
    repeats: a rebinding resolver), pass other hosts to the real one; returns the names looked up."""
    real, asked = socket.getaddrinfo, []

    def getaddrinfo(host: bytes | str | None, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(name)
        lookups = answers[name]
        found = lookups[min(asked.count(name), len(lookups)) - 1]
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (a, int(port), 0, 0))
            if ":" in a
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, int(port)))
            for a in found
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


async def test_deliveries_are_signed_posts_of_the_chosen_kinds(setup: Setup, receiver: Receiver) -> None:
    hook = await setup.hook(receiver.url, ["request.created", "request.answered"])
    assert "secret" not in hook and hook["kinds"] == ["request.answered", "request.created"]
    request = await setup.request(0, 1)
    r = await setup.client.post(
        f"{API}/events/{setup.event_id}/meeting-requests/{request['id']}/accept", headers=auth(setup.tokens[1])
    )
    check(r, 200)
    await setup.drain()
    assert [h.json()["kind"] for h in receiver.hits] == ["request.created", "request.answered"]
    first = receiver.hits[0]
    assert first.request_line == "POST /hooks/matchmaker HTTP/1.1"
    assert first.headers["content-type"] == "application/json"
    assert first.headers["matchmaker-event"] == "request.created"
    assert first.json()["payload"]["request_id"] == request["id"]
    # the receiver's check, written out: HMAC-SHA256 over "<t>." + raw body with the shared secret
    parts = dict(p.split("=", 1) for p in first.headers["matchmaker-signature"].split(","))
    expected = hmac.new(SECRET.encode(), parts["t"].encode() + b"." + first.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert abs(int(parts["t"]) - time.time()) < 60
    assert verify(SECRET, first.headers["matchmaker-signature"], first.body)
    assert not verify("another-secret-0000", first.headers["matchmaker-signature"], first.body)
    assert not verify(SECRET, first.headers["matchmaker-signature"], first.body.replace(b"Hello", b"Hellp"))
    old = sign(SECRET, int(time.time()) - 3600, first.body)
    assert not verify(SECRET, old, first.body)  # replayed an hour later
    log = await setup.log(webhook_id=hook["id"])
    assert [(d["kind"], d["status"], d["attempts"], d["response_status"]) for d in log] == [
        ("request.answered", "delivered", 1, 200),
        ("request.created", "delivered", 1, 200),
    ]
    assert {d["notification_id"] for d in log} == {h.json()["id"] for h in receiver.hits}
    assert {h.headers["matchmaker-delivery"] for h in receiver.hits} == {str(d["id"]) for d in log}


async def test_webhooks_never_carry_the_personal_link_or_addresses(setup: Setup, receiver: Receiver) -> None:
    await setup.hook(receiver.url)  # every kind
    link = check(
        await setup.client.post(
            f"{API}/events/{setup.event_id}/participants/{setup.people[2]}/access-token",
            headers=auth(setup.organiser),
        ),
        200,
    )["link"]
    await setup.drain()
    [hit] = [h for h in receiver.hits if h.json()["kind"] == "participant.invited"]
    assert hit.json()["payload"] == {"participant_id": setup.people[2], "name": hit.json()["payload"]["name"]}
    assert link.split("#token=")[1].encode() not in hit.body and b"mmp_" not in hit.body and b"@" not in hit.body


async def test_a_failing_receiver_is_retried_with_backoff_then_marked_failed(setup: Setup, receiver: Receiver) -> None:
    receiver.statuses = [500, 503, 200]
    await setup.hook(receiver.url, ["request.created"])
    await setup.request(0, 1)
    await setup.drain()
    [pending] = await setup.log()
    assert (pending["status"], pending["attempts"], pending["response_status"]) == ("pending", 1, 500)
    assert pending["last_error"] == "not now" and pending["next_attempt_at"] is not None
    assert await setup.drain() == 0 and len(receiver.hits) == 1  # not due yet: 0.4 s
    await asyncio.sleep(0.5)
    await setup.drain()
    [again] = await setup.log()
    assert (again["status"], again["attempts"], again["response_status"]) == ("pending", 2, 503)
    await asyncio.sleep(0.5)
    assert await setup.drain() == 0  # the second delay doubled: 0.8 s
    await asyncio.sleep(0.4)
    await setup.drain()
    [done] = await setup.log()
    assert (done["status"], done["attempts"], done["response_status"]) == ("delivered", 3, 200)
    assert len(receiver.hits) == 3 and len({h.body for h in receiver.hits}) == 1  # the same event each time

    # a receiver that never answers 2xx: failed after three attempts, then retried by hand
    receiver.statuses, receiver.hits = [500], []
    await setup.request(1, 2)
    for _ in range(3):
        await setup.drain()
        await asyncio.sleep(1.7)
    failed = (await setup.log(status="failed"))[0]
    assert (failed["attempts"], failed["response_status"], failed["next_attempt_at"]) == (3, 500, None)
    assert len(receiver.hits) == 3
    receiver.statuses = [200]
    r = await setup.client.post(
        f"{API}/events/{setup.event_id}/deliveries/{failed['id']}/retry", headers=auth(setup.organiser)
    )
    assert check(r, 200)["status"] == "pending"
    await setup.drain()
    assert (await setup.log(status="delivered"))[0]["id"] == failed["id"]


async def test_an_unreachable_receiver_is_logged(setup: Setup, receiver: Receiver) -> None:
    await setup.hook(f"http://127.0.0.1:{receiver.port + 1 if receiver.port < 65535 else 1}/gone", ["request.created"])
    await setup.request(0, 1)
    await setup.drain()
    [d] = await setup.log(channel="webhook")
    assert d["status"] == "pending" and d["response_status"] is None and "ConnectError" in d["last_error"]


async def test_a_broadcast_is_one_webhook_call(setup: Setup, receiver: Receiver) -> None:
    await setup.hook(receiver.url, ["schedule.published"])
    r = await setup.client.post(f"{API}/events/{setup.event_id}/schedule/publish", headers=auth(setup.organiser))
    assert r.status_code == 204
    await setup.drain()
    [hit] = receiver.hits
    assert hit.json()["kind"] == "schedule.published" and hit.json()["recipient_id"] is None


async def test_two_processes_send_each_delivery_once(db: AsyncEngine, settings: Settings, receiver: Receiver) -> None:
    """Two dispatchers (two apps, two engines) claim concurrently; every delivery is sent exactly once."""
    first = await make_setup(db, hook_settings(settings), people=12)
    second_app = create_app(hook_settings(settings))
    second: Dispatcher = second_app.state.dispatcher
    try:
        await first.hook(receiver.url, ["request.created"])
        await first.hook(receiver.url + "?copy=2", ["request.created"])
        for sender in range(1, 12):
            await first.request(sender, 0)

        async def drain(d: Dispatcher) -> None:
            while await d.run_once():
                pass

        await asyncio.gather(drain(first.dispatcher), drain(second), drain(first.dispatcher), drain(second))
        log = await first.log(limit=100)
        assert len(log) == 22 and {d["status"] for d in log} == {"delivered"}
        sent = [h.headers["matchmaker-delivery"] for h in receiver.hits]
        assert sorted(sent) == sorted(str(d["id"]) for d in log)  # each once
    finally:
        await second.stop()
        await second_app.state.engine.dispose()
        await close_setup(first)


async def test_the_webhook_api(setup: Setup, receiver: Receiver) -> None:
    base = f"{API}/events/{setup.event_id}/webhooks"
    org = auth(setup.organiser)
    bad = [
        {"url": receiver.url, "secret": "short"},
        {"url": "ftp://example.org/x", "secret": SECRET},
        {"url": "https://crm:hunter2@example.org/x", "secret": SECRET},  # no credentials in the URL
        {"url": receiver.url, "secret": SECRET, "kinds": ["request.exploded"]},
    ]
    for body in bad:
        r = await setup.client.post(base, json=body, headers=org)
        assert r.status_code == 422, body
    r = await setup.client.post(base, json={"url": receiver.url, "secret": SECRET}, headers=auth(setup.tokens[0]))
    assert r.status_code == 403
    other = await organiser_token(setup.client, setup.app.state.engine)
    assert (await setup.client.get(base, headers=auth(other))).status_code in (403, 404)
    hook = await setup.hook(receiver.url, ["request.created"], description="CRM")
    assert check(await setup.client.get(base, headers=org), 200) == [hook]
    r = await setup.client.patch(f"{base}/{hook['id']}", json={"active": False}, headers=org)
    assert check(r, 200)["active"] is False
    await setup.request(0, 1)
    await setup.drain()
    assert receiver.hits == [] and await setup.log() == []  # paused: nothing queued for it
    r = await setup.client.patch(f"{base}/{hook['id']}", json={"active": True, "kinds": []}, headers=org)
    assert check(r, 200)["kinds"] == []
    assert (await setup.client.delete(f"{base}/{hook['id']}", headers=org)).status_code == 204
    assert (await setup.client.get(f"{base}/{hook['id']}", headers=org)).status_code == 404
    r = await setup.client.get(f"{API}/events/{setup.event_id}/deliveries?status=bogus", headers=org)
    assert r.status_code == 422


async def test_old_outbox_rows_are_pruned_once_settled(setup: Setup, receiver: Receiver, db: AsyncEngine) -> None:
    receiver.statuses = [500]
    await setup.hook(receiver.url, ["request.created"])
    await setup.request(0, 1)  # its delivery keeps failing: pending
    await setup.drain()
    async with session_scope(create_sessionmaker(db)) as session:
        await session.execute(update(Notification).values(created_at=utcnow() - timedelta(days=31)))
    assert await setup.dispatcher.prune() == 3  # the three invitations; the request still waits for its webhook
    async with create_sessionmaker(db)() as session:
        kinds = (await session.scalars(select(Notification.kind))).all()  # type: ignore[call-overload]
    assert kinds == ["request.created"]
    [d] = await setup.log()
    assert d["status"] == "pending"


# --- the SSRF guard ------------------------------------------------------------------------

REFUSED_AT_REGISTRATION = [
    "http://127.0.0.1:6379/",
    "http://2130706433/",  # decimal
    "http://0x7f.1/",  # hex, short
    "http://0177.0.0.1/",  # octal
    "http://127.1/",
    "http://%31%32%37.0.0.1/",  # percent-encoded
    "http://0/",
    "http://0.0.0.0:8000/",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",  # 169.254.169.254, mapped
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6 (unique-local)
    "http://[fe80::1]/",
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "http://192.168.1.10:8080/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://192.0.2.1/",  # documentation range
    "http://localhost:5432/",
    "http://LOCALHOST./",
    "http://hooks.localhost/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://printer.local/",
    "http://redis:6379/",  # a single label: a container's or an intranet's name
]


async def test_private_destinations_are_refused_at_registration(guarded: Setup) -> None:
    base = f"{API}/events/{guarded.event_id}/webhooks"
    org = auth(guarded.organiser)
    for url in REFUSED_AT_REGISTRATION:
        r = await guarded.client.post(base, json={"url": url, "secret": SECRET}, headers=org)
        assert r.status_code == 422, url
        problem = r.json()
        assert r.headers["content-type"] == "application/problem+json"
        assert problem["type"] == "/problems/validation-error"
        assert [e["loc"] for e in problem["errors"]] == [["body", "url"]], url
        assert "public internet addresses only" in problem["detail"], url
    r = await guarded.client.post(base, json={"url": "http://2130706433/", "secret": SECRET}, headers=org)
    assert r.json()["errors"][0]["msg"] == (
        "Webhooks are sent to public internet addresses only: 127.0.0.1 is a loopback address (this server)."
    )
    # public addresses and names are accepted (names are resolved and checked when sending)
    for url in ("https://hooks.example.com/matchmaker", "http://93.184.216.34:8443/in", "https://[2606:4700::1111]/"):
        assert (await guarded.hook(url))["url"] == url
    assert await guarded.log() == []
    # and a change of URL is held to the same rule
    hook = await guarded.hook("https://crm.example.org/hooks")
    r = await guarded.client.patch(f"{base}/{hook['id']}", json={"url": "http://0x7f.1:6379/"}, headers=org)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "url"]
    assert check(await guarded.client.get(f"{base}/{hook['id']}", headers=org), 200)["url"] == hook["url"]


async def test_self_hosters_may_allow_private_destinations(setup: Setup) -> None:
    assert setup.app.state.settings.webhook_allow_private is True
    for url in ("http://10.0.0.5/hooks", "http://localhost:8080/", "http://[::1]:9000/", "http://crm:8000/in"):
        assert (await setup.hook(url))["url"] == url
    r = await setup.client.post(
        f"{API}/events/{setup.event_id}/webhooks",
        json={"url": "http://user:secret@10.0.0.5/", "secret": SECRET},
        headers=auth(setup.organiser),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "url"]  # credentials: never


async def test_a_name_resolving_to_a_private_address_is_not_called(
    guarded: Setup, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS the organiser controls points a public-looking name at the server's own network: the delivery
    fails at once with the reason, the receiver (listening right there) gets nothing, no retries."""
    asked = fake_dns(
        monkeypatch,
        {
            "crm.rebind.example": [["127.0.0.1"]],
            "mixed.rebind.example": [["93.184.216.34", "127.0.0.1"]],  # ANY private address refuses
            "meta.rebind.example": [["fd00:ec2::254"]],
        },
    )
    for name in ("crm", "mixed", "meta"):
        await guarded.hook(f"http://{name}.rebind.example:{receiver.port}/hooks/matchmaker", ["request.created"])
    await guarded.request(0, 1)
    await guarded.drain()
    log = sorted(await guarded.log(), key=lambda d: d["webhook_id"])
    assert [(d["status"], d["attempts"], d["response_status"], d["next_attempt_at"]) for d in log] == [
        ("failed", 1, None, None)
    ] * 3
    assert [d["last_error"] for d in log] == [
        "not sent: crm.rebind.example resolves to 127.0.0.1, a loopback address (this server); "
        "webhooks are sent to public internet addresses only",
        "not sent: mixed.rebind.example resolves to 127.0.0.1, a loopback address (this server); "
        "webhooks are sent to public internet addresses only",
        "not sent: meta.rebind.example resolves to fd00:ec2::254, a private-network address; "
        "webhooks are sent to public internet addresses only",
    ]
    assert receiver.hits == [] and sorted(asked) == [f"{n}.rebind.example" for n in ("crm", "meta", "mixed")]
    await asyncio.sleep(0.5)  # past the retry delay: nothing is due
    assert await guarded.drain() == 0 and len(asked) == 3


async def test_a_webhook_registered_before_the_guard_is_refused_when_sending(
    guarded: Setup, receiver: Receiver, db: AsyncEngine
) -> None:
    """A URL stored while private addresses were allowed (or before this check existed) is still refused."""
    hook = await guarded.hook("https://crm.example.org/hooks", ["request.created"])
    async with session_scope(create_sessionmaker(db)) as session:
        await session.execute(update(Webhook).where(Webhook.id == hook["id"]).values(url=receiver.url))
    await guarded.request(0, 1)
    await guarded.drain()
    [d] = await guarded.log()
    assert (d["status"], d["attempts"]) == ("failed", 1)
    assert d["last_error"].startswith("not sent: 127.0.0.1 is a loopback address") and receiver.hits == []


async def test_the_connection_goes_to_the_address_that_was_checked(
    setup: Setup, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the whole stack (httpx, its pool, the guarded backend): the name is looked up once per
    connection and the socket opened to that answer (a second lookup would answer an unroutable address);
    the Host header is still the name. That the socket goes to the checked address and not to the name is
    shown without a network below (test_the_guard_connects_to_the_vetted_address_even_when_dns_rebinds)."""
    asked = fake_dns(monkeypatch, {"crm.pinned.example": [["127.0.0.1"], ["192.0.2.1"]]})
    await setup.hook(f"http://crm.pinned.example:{receiver.port}/hooks/matchmaker", ["request.created"])
    await setup.request(0, 1)
    await setup.drain()
    [d] = await setup.log()
    assert (d["status"], d["response_status"]) == ("delivered", 200)
    [hit] = receiver.hits
    assert hit.headers["host"] == f"crm.pinned.example:{receiver.port}"
    assert asked == ["crm.pinned.example"]


class RecordingBackend(httpcore.AsyncMockBackend):
    """Where connections were opened to (no network)."""

    def __init__(self) -> None:
        super().__init__([])
        self.hosts: list[str] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        self.hosts.append(host)
        return await super().connect_tcp(host, port, *args, **kwargs)


async def test_the_guard_connects_to_the_vetted_address_even_when_dns_rebinds() -> None:
    answers = [["93.184.216.34"], ["127.0.0.1"]]  # public for the check, loopback a moment later

    async def rebinding(host: str, port: int) -> list[IPAddress]:
        return [ip_address(a) for a in answers.pop(0)]

    inner = RecordingBackend()
    backend = GuardedBackend(allow_private=False, resolver=rebinding, inner=inner)
    await backend.connect_tcp("crm.rebind.example", 443, timeout=1.0)
    assert inner.hosts == ["93.184.216.34"]  # the vetted address, not the name (which would resolve again)
    with pytest.raises(DestinationRefused, match="resolves to 127.0.0.1, a loopback address"):
        await backend.connect_tcp("crm.rebind.example", 443, timeout=1.0)  # the next connection checks again
    assert inner.hosts == ["93.184.216.34"]

    async def silent(host: str, port: int) -> list[IPAddress]:
        await asyncio.sleep(5)
        return []

    with pytest.raises(httpcore.ConnectTimeout):  # resolving counts against the connect timeout
        await GuardedBackend(allow_private=False, resolver=silent, inner=inner).connect_tcp("slow.example", 443, 0.05)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:808:808", True),  # mapped 8.8.8.8: the same public host
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("198.18.0.1", False),
        ("0.0.0.0", False),
        ("239.1.1.1", False),  # multicast is "global" to ipaddress
        ("::1", False),
        ("::ffff:7f00:1", False),
        ("::7f00:1", False),  # IPv4-compatible: global to Python 3.11's ipaddress
        ("2002:a00:1::", False),  # 6to4 of 10.0.0.1
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b:1::1", False),
        ("fec0::1", False),  # site-local: global to Python 3.11's ipaddress
        ("fc00::1", False),
        ("fe80::1%eth0", False),
        ("ff0e::1", False),
        ("2001:db8::1", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(ip_address(address)) is public


def test_hosts_are_read_as_a_resolver_reads_them() -> None:
    """The spellings getaddrinfo (inet_aton) accepts for IPv4, whether or not the URL parser normalised them."""
    for spelling in ("127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1", "127.0.1", "127.0.0.1."):
        assert literal_address(spelling) == ip_address("127.0.0.1"), spelling
    assert literal_address("[::ffff:127.0.0.1]") == ip_address("::ffff:7f00:1")
    assert literal_address("hooks.example.com") is None and literal_address("1e100.net") is None
    assert host_refusal("08.0.0.1") == "08.0.0.1 is made of numbers but is not an IPv4 address"
    assert host_refusal("0x7f.1") == "127.0.0.1 is a loopback address (this server)"
    assert host_refusal("[::ffff:a9fe:a9fe]") == (
        "::ffff:a9fe:a9fe is an IPv6 form of 169.254.169.254, "
        "a link-local address (where cloud metadata services answer)"
    )
    assert host_refusal("hooks.example.com") is None and host_refusal("93.184.216.34") is None
