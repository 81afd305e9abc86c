"""Mail through a real local SMTP server (aiosmtpd): invitation, requests, schedule with .ics, languages.

The app's own dispatcher sends (driven round by round with ``run_once``); the test reads what the
SMTP server received.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db import create_sessionmaker
from app.main import create_app
from app.models import Notification
from app.services.webhooks import Dispatcher
from tests.factories import auth, check, create_event, create_participant, organiser_token

API = "/api/v1"
SLOT_1, SLOT_2, SLOT_3 = "2025-07-01T14:00:00+03:00", "2025-07-01T14:25:00+03:00", "2025-07-01T14:50:00+03:00"


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every message it is handed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def calendar_of(message: EmailMessage) -> Calendar | None:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            assert part.get_filename() == "agenda.ics"
            return Calendar.from_ical(part.get_content())
    return None


@dataclass
class Setup:
    app: FastAPI
    client: AsyncClient
    organiser: str
    event: dict[str, Any]
    people: list[dict[str, Any]]
    links: dict[int, str] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)

    @property
    def event_id(self) -> int:
        return int(self.event["id"])

    @property
    def dispatcher(self) -> Dispatcher:
        d: Dispatcher = self.app.state.dispatcher
        return d

    async def drain(self) -> None:
        while await self.dispatcher.run_once():
            pass

    async def invite(self, i: int) -> None:
        pid = self.people[i]["id"]
        r = await self.client.post(
            f"{API}/events/{self.event_id}/participants/{pid}/access-token", headers=auth(self.organiser)
        )
        body = check(r, 200)
        self.links[i], self.tokens[i] = body["link"], body["token"]

    async def book(self, a: int, b: int, starts_at: str) -> dict[str, Any]:
        body = {"participant_ids": [self.people[a]["id"], self.people[b]["id"]], "starts_at": starts_at}
        r = await self.client.post(f"{API}/events/{self.event_id}/meetings", json=body, headers=auth(self.organiser))
        return dict(check(r, 201))


LANGUAGES = [["en"], ["ro", "en"], ["de", "ro"], []]


async def make_setup(db: AsyncEngine, settings: Settings) -> Setup:
    app = create_app(settings)
    client = AsyncClient(transport=ASGITransport(app=app), base_url="http://test")
    organiser = await organiser_token(client, db)
    event = await create_event(client, organiser, name="Clusters Meet Regions Cluj")
    people = [
        await create_participant(client, organiser, event["id"], languages=langs, name=f"Ana Pop {i}")
        for i, langs in enumerate(LANGUAGES)
    ]
    return Setup(app, client, organiser, event, people)


@pytest.fixture
async def setup(db: AsyncEngine, settings: Settings, smtp: tuple[Inbox, int]) -> AsyncIterator[Setup]:
    mail_settings = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp[1], "smtp_starttls": False, "smtp_timeout_seconds": 5.0}
    )
    s = await make_setup(db, mail_settings)
    yield s
    await s.dispatcher.stop()
    await s.client.aclose()
    await s.app.state.engine.dispose()


async def test_the_invitation_carries_the_personal_link_in_the_participants_language(
    setup: Setup, smtp: tuple[Inbox, int], db: AsyncEngine
) -> None:
    inbox, _ = smtp
    for i in range(4):
        await setup.invite(i)
    await setup.drain()
    subjects = {}
    for i, person in enumerate(setup.people):
        [message] = inbox.to(person["email"])
        subjects[i] = message["Subject"]
        assert setup.links[i] in text_of(message) and setup.links[i] in html_of(message)
        assert message["To"].addresses[0].addr_spec == person["email"]
        assert message["From"] == "Matchmaker <matchmaker@localhost>"
    assert subjects[0] == "Your personal link for Clusters Meet Regions Cluj"
    assert subjects[1] == "Linkul tău personal pentru Clusters Meet Regions Cluj"  # ro first
    assert subjects[2] == subjects[1]  # German has no templates: the next language, Romanian
    assert subjects[3] == subjects[0]  # no language: English
    [ro] = inbox.to(setup.people[1]["email"])
    assert ro["Content-Language"] == "ro" and "Bună ziua, Ana Pop 1" in text_of(ro)
    assert setup.links[1].startswith("http://test/") and "#token=mmp_" in setup.links[1]
    # the link is gone from the outbox once mailed
    async with create_sessionmaker(db)() as session:
        private = (await session.scalars(select(Notification.private))).all()  # type: ignore[call-overload]
    assert private and all(p is None for p in private)


async def test_requests_received_and_answered(setup: Setup, smtp: tuple[Inbox, int]) -> None:
    inbox, _ = smtp
    await setup.invite(0)
    await setup.invite(1)
    await setup.drain()
    inbox.messages.clear()
    r = await setup.client.post(
        f"{API}/events/{setup.event_id}/meeting-requests",
        json={"to_participant_id": setup.people[1]["id"], "message": "<b>Salut</b> & welcome"},
        headers=auth(setup.tokens[0]),
    )
    request = check(r, 201)
    await setup.drain()
    [received] = inbox.messages
    assert received["X-Envelope-To"] == setup.people[1]["email"]
    assert received["Subject"] == "Ana Pop 0 dorește să se întâlnească cu tine la Clusters Meet Regions Cluj"
    assert "<b>Salut</b> & welcome" in text_of(received)
    assert "&lt;b&gt;Salut&lt;/b&gt; &amp; welcome" in html_of(received) and "<b>Salut</b>" not in html_of(received)
    assert "http://test/ui/" in text_of(received)
    assert setup.people[0]["email"] not in text_of(received)  # the sender's address is not given away
    r = await setup.client.post(
        f"{API}/events/{setup.event_id}/meeting-requests/{request['id']}/decline", headers=auth(setup.tokens[1])
    )
    check(r, 200)
    await setup.drain()
    [answered] = inbox.to(setup.people[0]["email"])
    assert answered["Subject"] == "Ana Pop 1 declined your meeting request"
    assert len(inbox.messages) == 2


async def test_the_published_schedule_comes_with_an_ics_and_changes_are_mailed_once(
    setup: Setup, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    meeting = await setup.book(0, 1, SLOT_1)
    await setup.drain()
    assert inbox.messages == []  # a draft timetable is not mailed
    r = await setup.client.post(f"{API}/events/{setup.event_id}/schedule/publish", headers=auth(setup.organiser))
    assert r.status_code == 204
    await setup.drain()
    assert len(inbox.messages) == 4  # everyone in the event
    [mine] = inbox.to(setup.people[0]["email"])
    assert mine["Subject"] == "Your B2B meeting schedule for Clusters Meet Regions Cluj"
    assert "2025-07-01 14:00-14:20  Ana Pop 1" in text_of(mine) and "Europe/Bucharest" in text_of(mine)
    cal = calendar_of(mine)
    assert cal is not None
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["UID"]) == f"meeting-{meeting['id']}-event-{setup.event_id}@matchmaker"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("DTSTART").isoformat() == SLOT_1
    first_sequence = int(vevent["SEQUENCE"])
    [theirs] = inbox.to(setup.people[1]["email"])
    assert theirs["Subject"] == "Programul întâlnirilor tale B2B la Clusters Meet Regions Cluj"
    assert calendar_of(theirs) is not None
    [nothing] = inbox.to(setup.people[2]["email"])
    assert calendar_of(nothing) is None and "Nu ai încă întâlniri programate." in text_of(nothing)

    # two moves before the sender runs: one mail each, with the agenda as it is now
    inbox.messages.clear()
    url = f"{API}/events/{setup.event_id}/meetings/{meeting['id']}"
    check(await setup.client.patch(url, json={"starts_at": SLOT_2}, headers=auth(setup.organiser)), 200)
    check(await setup.client.patch(url, json={"starts_at": SLOT_3}, headers=auth(setup.organiser)), 200)
    await setup.drain()
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == sorted(
        [setup.people[0]["email"], setup.people[1]["email"]]
    )
    [changed] = inbox.to(setup.people[0]["email"])
    assert changed["Subject"] == "Your B2B schedule for Clusters Meet Regions Cluj has changed"
    cal = calendar_of(changed)
    assert cal is not None
    [vevent] = cal.walk("VEVENT")
    assert vevent.decoded("DTSTART").isoformat() == SLOT_3 and int(vevent["SEQUENCE"]) > first_sequence
    log = check(
        await setup.client.get(
            f"{API}/events/{setup.event_id}/deliveries", params={"channel": "email"}, headers=auth(setup.organiser)
        ),
        200,
    )["items"]
    assert sorted(d["status"] for d in log if d["kind"] == "meeting.moved") == [
        "coalesced",
        "coalesced",
        "delivered",
        "delivered",
    ]

    # cancelled: the calendar entry says so, so calendar apps remove it
    inbox.messages.clear()
    check(await setup.client.post(f"{url}/cancel", headers=auth(setup.organiser)), 200)
    await setup.drain()
    [cancelled] = inbox.to(setup.people[1]["email"])
    assert "s-a schimbat" in cancelled["Subject"]


async def test_mail_is_off_without_an_smtp_host(db: AsyncEngine, settings: Settings) -> None:
    s = await make_setup(db, settings)
    try:
        await s.invite(0)
        await s.drain()
        log = check(await s.client.get(f"{API}/events/{s.event_id}/deliveries", headers=auth(s.organiser)), 200)
        assert log["total"] == 0
        async with create_sessionmaker(db)() as session:
            rows = (await session.scalars(select(Notification))).all()
        assert rows and all(n.private is None and n.dispatched_at is not None for n in rows)  # link not kept
    finally:
        await s.dispatcher.stop()
        await s.client.aclose()
        await s.app.state.engine.dispose()


async def test_an_unreachable_smtp_server_is_retried(db: AsyncEngine, settings: Settings) -> None:
    down = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": _free_port(), "smtp_starttls": False, "smtp_timeout_seconds": 2}
    )
    s = await make_setup(db, down)
    try:
        await s.invite(0)
        await s.drain()
        [d] = check(await s.client.get(f"{API}/events/{s.event_id}/deliveries", headers=auth(s.organiser)), 200)[
            "items"
        ]
        assert (d["channel"], d["status"], d["attempts"]) == ("email", "pending", 1)
        assert d["last_error"]
        async with create_sessionmaker(db)() as session:
            [row] = (await session.scalars(select(Notification))).all()
        assert row.private is not None  # kept for the retry
    finally:
        await s.dispatcher.stop()
        await s.client.aclose()
        await s.app.state.engine.dispose()
