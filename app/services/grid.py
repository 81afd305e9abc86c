"""The event's time grid: sessions, meeting length and breaks give the slots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.models import Event, EventSession


@dataclass(frozen=True, slots=True)
class GridSlot:
    index: int  # 0-based, in time order over the whole event
    session_id: int
    session_index: int  # which session (0-based, in time order)
    starts_at: datetime  # UTC
    ends_at: datetime


def build_grid(event: Event, sessions: Sequence[EventSession]) -> list[GridSlot]:
    """Slots of every session: a meeting, then a break, until the session ends.

    Example: a 14:00-15:00 session with 20-minute meetings and 5-minute breaks has slots at
    14:00, 14:25 (the third would end at 15:10, after the session).
    """
    meeting = timedelta(minutes=event.meeting_minutes)
    step = meeting + timedelta(minutes=event.break_minutes)
    slots: list[GridSlot] = []
    for session_index, s in enumerate(sorted(sessions, key=lambda s: s.starts_at)):
        start = s.starts_at
        while start + meeting <= s.ends_at:
            slots.append(GridSlot(len(slots), s.id or 0, session_index, start, start + meeting))
            start += step
    return slots
