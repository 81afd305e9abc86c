"""The domain-event outbox and its consumers' tables (webhooks, delivery log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

UNDISPATCHED = "dispatched_at IS NULL"
PENDING = "status = 'pending'"


class Notification(SQLModel, table=True):
    """One domain event for one recipient, written in the transaction that made the change (an outbox row).

    ``id`` grows in commit order (see ``app.notify``): it is the SSE event id and the replay cursor. On
    PostgreSQL it is given anew at ``COMMIT``, so nothing may reference a new row's id in the
    transaction that writes it (a foreign key to it would fail the commit).
    ``recipient_id`` None means the event's organisers. ``payload`` is what a UI may show; ``private``
    is read by the mail sender only (an invitation link) and never leaves through SSE or webhooks.
    ``lead`` marks the first row of one recorded event: webhooks deliver lead rows only, once per event.
    """

    __table_args__ = (
        Index("ix_notification_event_id_id", "event_id", "id"),
        Index("ix_notification_recipient_id_id", "recipient_id", "id"),
        Index(
            "ix_notification_undispatched", "id", sqlite_where=text(UNDISPATCHED), postgresql_where=text(UNDISPATCHED)
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False))
    recipient_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=True)
    )
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    private: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    lead: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, default=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    dispatched_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class Webhook(SQLModel, table=True):
    """An organiser's endpoint: signed POSTs of the event's domain events of the chosen kinds."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    url: str = Field(sa_column=Column(String(2000), nullable=False))
    secret: str = Field(sa_column=Column(String(200), nullable=False))
    kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # empty: every kind
    active: bool = Field(default=True)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class NotificationDelivery(SQLModel, table=True):
    """One send of a notification through one channel (a webhook or an email), with its attempts."""

    __tablename__ = "notification_delivery"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel", "webhook_id"),
        Index(
            "ix_notification_delivery_due",
            "next_attempt_at",
            sqlite_where=text(PENDING),
            postgresql_where=text(PENDING),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(
        sa_column=Column(Integer, ForeignKey("notification.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    channel: str = Field(sa_column=Column(String(16), nullable=False))  # webhook | email
    webhook_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("webhook.id", ondelete="CASCADE"), nullable=True, index=True)
    )
    status: str = Field(default="pending", sa_column=Column(String(16), nullable=False))  # pending | delivered | failed
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    response_status: int | None = Field(default=None)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
