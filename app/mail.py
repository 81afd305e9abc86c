"""Email edge: jinja2 templates (English and Romanian) and SMTP through aiosmtplib.

Nothing here reads the database or the settings module: ``app/services/notifications.py`` loads
what a message needs into a ``MailContext`` and gives this module the SMTP settings.

Templates live in ``app/templates/mail/``: for each message ``NAME.LANG.txt`` (first line: the
subject, then the plain-text body) and ``NAME.LANG.html`` (the HTML body, autoescaped), both
extending ``base.LANG.*``. The language is the first of the participant's languages that has
templates (``en``, ``ro``); English otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Final

import aiosmtplib
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES: Final = Path(__file__).parent / "templates" / "mail"
LANGUAGES: Final = ("en", "ro")
DEFAULT_LANGUAGE: Final = "en"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_env.filters["when"] = lambda value: value.strftime("%Y-%m-%d %H:%M") if value is not None else ""
_env.filters["day"] = lambda value: value.strftime("%Y-%m-%d")


def pick_language(languages: Sequence[str]) -> str:
    """The first of the participant's languages we have templates for; English otherwise."""
    for code in languages:
        if code.lower() in LANGUAGES:
            return code.lower()
    return DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """One meeting as a mail lists it (times already in the event's zone)."""

    starts_at: datetime | None
    ends_at: datetime | None
    partner: str
    organisation: str
    table: str | None
    online_link: str | None
    status: str


@dataclass(frozen=True, slots=True)
class MailContext:
    """What one message says. ``template`` is one of: invitation, request_received, request_answered,
    schedule_published, schedule_changed."""

    template: str
    to_name: str
    to_address: str
    language: str
    event_name: str
    event_city: str | None
    event_starts_at: datetime
    event_ends_at: datetime
    timezone: str
    link: str
    extra: dict[str, Any] = field(default_factory=dict)
    meetings: tuple[MeetingLine, ...] = ()
    ics: bytes | None = None


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    sender: str
    timeout: float


def render(ctx: MailContext) -> tuple[str, str, str]:
    """The subject, the plain text and the HTML of a message."""
    values = {
        "name": ctx.to_name,
        "event_name": ctx.event_name,
        "event_city": ctx.event_city,
        "event_starts_at": ctx.event_starts_at,
        "event_ends_at": ctx.event_ends_at,
        "timezone": ctx.timezone,
        "link": ctx.link,
        "meetings": ctx.meetings,
        "has_ics": ctx.ics is not None,
        **ctx.extra,
    }
    text = _env.get_template(f"{ctx.template}.{ctx.language}.txt").render(values)
    subject, _, body = text.partition("\n")
    html = _env.get_template(f"{ctx.template}.{ctx.language}.html").render(values)
    return " ".join(subject.split()), body.lstrip("\n"), html


def compose(ctx: MailContext, sender: str) -> EmailMessage:
    """A multipart message (text, HTML, and the agenda as ``agenda.ics`` when there is one)."""
    subject, text, html = render(ctx)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(display_name=" ".join(ctx.to_name.split()), addr_spec=ctx.to_address)
    message["Message-ID"] = make_msgid(domain="matchmaker")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if ctx.ics is not None:
        message.add_attachment(
            ctx.ics, maintype="text", subtype="calendar", filename="agenda.ics", params={"method": "PUBLISH"}
        )
    message["Content-Language"] = ctx.language  # after the body: setting content drops Content-* headers
    return message


async def send(message: EmailMessage, smtp: SmtpSettings) -> None:
    """Hand the message to the SMTP server; raises ``aiosmtplib.SMTPException`` or ``OSError`` on failure."""
    await aiosmtplib.send(
        message,
        hostname=smtp.host,
        port=smtp.port,
        username=smtp.username,
        password=smtp.password,
        start_tls=smtp.starttls,
        timeout=smtp.timeout,
    )
