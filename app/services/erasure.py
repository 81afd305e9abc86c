"""GDPR erasure of one participant (Art. 17): personal data goes, a tombstone stays.

Goes: name, email, external id, job title, languages, sessions, blocked slots, offers and requests,
the personal token, the messages of every meeting request they sent or received, their suggestions
(their own list and their place in others' lists), hides and blocks by or of them, notifications
addressed to them, and their name and words in notifications addressed to others.

Stays: the participant row as a tombstone ("Erased participant", unlisted, cap 0, no token) so the
organiser's report still adds up (registered, requests sent, meetings held); meetings that already
took place, with the tombstone as the partner; the statuses of their requests; their organisation
(a public profile of an organisation, not of a person); and a ``participant_erasure`` row saying
when, by whom and what it changed.

Partners learn it three ways: a ``meeting.cancelled`` (reason ``participant_left``) or
``request.cancelled`` domain event in the outbox (``app.notify``: live updates, webhooks, mail), the
meeting shown cancelled with that reason in their meetings list, and a CANCELLED entry in their
calendar feed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app import notify
from app.db import session_scope, utcnow
from app.errors import Conflict
from app.models import (
    Event,
    Meeting,
    MeetingRequest,
    Notification,
    Opportunity,
    Participant,
    ParticipantBlock,
    ParticipantErasure,
    Suggestion,
)
from app.schemas.erasure import ErasureRead
from app.services.common import in_zone
from app.services.matching import EngineCache, refresh_participant
from app.services.meetings import cancel_meeting_row
from app.services.participants import get_participant, touch

log = logging.getLogger(__name__)

ERASED_NAME = "Erased participant"
LEFT = "participant_left"
KEPT = [
    f"the participant row, as a tombstone named '{ERASED_NAME}' without personal data, so the event's counts "
    "stay right",
    "meetings that already took place, with the tombstone as the partner",
    "the statuses of their meeting requests (the messages are removed), for the event report",
    "their organisation's public profile (an organisation, not a person)",
]


def erased_email(participant_id: int) -> str:
    """Unique per event (the email is a key) and undeliverable (RFC 2606 reserves .invalid)."""
    return f"erased-{participant_id}@erased.invalid"


async def erase_participant(
    session: AsyncSession, event: Event, participant_id: int, *, by: Literal["organiser", "participant"]
) -> ErasureRead:
    """Erase a participant's personal data in one transaction; see the module docstring for what stays."""
    assert event.id is not None
    p = await get_participant(session, event.id, participant_id)
    done = await session.get(ParticipantErasure, participant_id)
    if done is not None:
        raise Conflict(f"Participant {participant_id}'s personal data was erased already ({done.erased_at:%Y-%m-%d}).")
    name = p.name
    told_of_meetings = await _cancel_future_meetings(session, event.id, participant_id)
    withdrawn, told_of_requests = await _withdraw_open_requests(session, event.id, participant_id)
    await _scrub_notifications(session, event.id, participant_id, name)
    await _forget_relations(session, event.id, participant_id)
    _anonymise(p)
    partners = told_of_meetings | told_of_requests
    record = ParticipantErasure(
        participant_id=participant_id,
        event_id=event.id,
        erased_by=by,
        meetings_cancelled=len(told_of_meetings),
        requests_withdrawn=withdrawn,
        partners_notified=len(partners),
    )
    session.add(record)
    await session.flush()
    return ErasureRead(
        participant_id=participant_id,
        erased_at=in_zone(record.erased_at, event.timezone),
        erased_by=by,
        meetings_cancelled=record.meetings_cancelled,
        requests_withdrawn=withdrawn,
        partners_notified=len(partners),
        kept=KEPT,
    )


async def _cancel_future_meetings(session: AsyncSession, event_id: int, participant_id: int) -> set[int]:
    """Meetings not held yet are cancelled; each partner hears (the person who left does not). Returns the partners.

    One meeting per pair at a time, so the partners are as many as the meetings cancelled.
    """
    now = utcnow()
    meetings = (
        await session.scalars(
            select(Meeting)
            .where(
                col(Meeting.event_id) == event_id,
                col(Meeting.status) != "cancelled",
                or_(col(Meeting.a_id) == participant_id, col(Meeting.b_id) == participant_id),
                or_(col(Meeting.starts_at).is_(None), col(Meeting.starts_at) > now),
            )
            .order_by(col(Meeting.id))
        )
    ).all()
    partners = set()
    for m in meetings:
        partner = m.b_id if m.a_id == participant_id else m.a_id
        await cancel_meeting_row(session, m, LEFT, tell=[partner])
        partners.add(partner)
    return partners


async def _withdraw_open_requests(session: AsyncSession, event_id: int, participant_id: int) -> tuple[int, set[int]]:
    """Pending requests from or to them are cancelled; the other side hears. Returns (how many, who heard)."""
    pending = (
        await session.scalars(
            select(MeetingRequest)
            .where(
                col(MeetingRequest.event_id) == event_id,
                col(MeetingRequest.status) == "pending",
                or_(
                    col(MeetingRequest.from_participant_id) == participant_id,
                    col(MeetingRequest.to_participant_id) == participant_id,
                ),
            )
            .order_by(col(MeetingRequest.id))
        )
    ).all()
    now, told = utcnow(), set()
    for r in pending:
        r.status, r.answered_at = "cancelled", now
        notify.request_transitioned(session, r, actor_id=participant_id)
        told.add(r.to_participant_id if r.from_participant_id == participant_id else r.from_participant_id)
    await session.flush()
    return len(pending), told


async def _counterparts(session: AsyncSession, event_id: int, participant_id: int) -> set[int]:
    """Everyone who ever had a request or a meeting with them: the only ones told about them."""
    out: set[int] = set()
    for a, b in await session.execute(
        select(col(MeetingRequest.from_participant_id), col(MeetingRequest.to_participant_id)).where(
            col(MeetingRequest.event_id) == event_id,
            or_(
                col(MeetingRequest.from_participant_id) == participant_id,
                col(MeetingRequest.to_participant_id) == participant_id,
            ),
        )
    ):
        out.update((a, b))
    for a, b in await session.execute(
        select(col(Meeting.a_id), col(Meeting.b_id)).where(
            col(Meeting.event_id) == event_id,
            or_(col(Meeting.a_id) == participant_id, col(Meeting.b_id) == participant_id),
        )
    ):
        out.update((a, b))
    out.discard(participant_id)
    return out


def scrubbed(payload: dict[str, Any], participant_id: int, name: str) -> dict[str, Any]:
    """A notification payload without the erased person's name or words."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return ERASED_NAME if value == name else value
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    out: dict[str, Any] = walk(payload)
    if out.get("from_participant_id") == participant_id:  # a request they wrote: its words are theirs
        if "from_name" in out:
            out["from_name"] = ERASED_NAME
        if "message" in out:
            out["message"] = ""
    return out


async def _scrub_notifications(session: AsyncSession, event_id: int, participant_id: int, name: str) -> None:
    """Their own notifications go; others' keep the news but lose their name and messages."""
    await session.execute(delete(Notification).where(col(Notification.recipient_id) == participant_id))
    others = await _counterparts(session, event_id, participant_id)
    rows = (
        await session.scalars(
            select(Notification).where(
                col(Notification.event_id) == event_id,
                or_(col(Notification.recipient_id).in_(sorted(others)), col(Notification.recipient_id).is_(None)),
            )
        )
    ).all()
    for n in rows:
        clean = scrubbed(n.payload, participant_id, name)
        if clean != n.payload:
            n.payload = clean


async def _forget_relations(session: AsyncSession, event_id: int, participant_id: int) -> None:
    """Texts they wrote or received, their opportunities, suggestions, hides and blocks."""
    either = or_(
        col(MeetingRequest.from_participant_id) == participant_id,
        col(MeetingRequest.to_participant_id) == participant_id,
    )
    await session.execute(
        update(MeetingRequest)
        .where(col(MeetingRequest.event_id) == event_id, either)
        .values(message="")
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(delete(Opportunity).where(col(Opportunity.participant_id) == participant_id))
    await session.execute(
        delete(Suggestion).where(
            or_(col(Suggestion.participant_id) == participant_id, col(Suggestion.partner_id) == participant_id)
        )
    )
    await session.execute(
        delete(ParticipantBlock).where(
            or_(
                col(ParticipantBlock.participant_id) == participant_id,
                col(ParticipantBlock.blocked_id) == participant_id,
            )
        )
    )


def _anonymise(p: Participant) -> None:
    assert p.id is not None
    p.name = ERASED_NAME
    p.email = p.email_key = erased_email(p.id)
    p.external_id = p.job_title = None
    p.languages, p.session_ids, p.blocked_slots = [], None, []
    p.max_meetings, p.listed = 0, False
    p.token_hash, p.token_issued_at = None, None
    touch(p)  # a new profile version: the fitted engine re-reads the tombstone (see forget_in_engine)


async def forget_in_engine(
    sessionmaker: async_sessionmaker[AsyncSession],
    cache: EngineCache,
    event_id: int,
    participant_ids: Sequence[int],
    top_k: int,
) -> None:
    """After the erasure committed: this process's fitted engine forgets the person's texts.

    The engine keeps every participant's profile in memory to re-rank others in milliseconds; a refresh
    of the tombstone replaces that profile. A refresh of someone else that ran on the old profile in the
    meantime may have stored the person in a list again: such rows go too, under the engine's lock.
    """
    try:
        for pid in participant_ids:
            await refresh_participant(sessionmaker, cache, event_id, pid, top_k)
        async with cache.lock(event_id), session_scope(sessionmaker) as session:
            gone = list(participant_ids)
            await session.execute(
                delete(Suggestion).where(
                    or_(col(Suggestion.participant_id).in_(gone), col(Suggestion.partner_id).in_(gone))
                )
            )
            await session.execute(delete(Notification).where(col(Notification.recipient_id).in_(gone)))
    except Exception:  # noqa: BLE001 - the next matching run refits from the tombstone anyway
        log.exception("engine clean-up after erasing %s in event %s failed", participant_ids, event_id)
