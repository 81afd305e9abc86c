"""Live updates: the domain events sent over SSE and webhooks, stream tickets, webhooks and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AnyHttpUrl, BaseModel, ConfigDict, Field, RootModel, StringConstraints
from typing_extensions import TypeAliasType

from app.schemas.common import DeliveryChannel, DeliveryStatus, Id, Input, SuggestionsSource, Url
from app.schemas.meeting import REQUEST_MESSAGE_EXAMPLE, MeetingStatus, RequestStatus

Kind = Literal[
    "request.created",
    "request.answered",
    "request.cancelled",
    "request.expired",
    "meeting.scheduled",
    "meeting.moved",
    "meeting.unscheduled",
    "meeting.cancelled",
    "schedule.published",
    "suggestions.refreshed",
    "participant.invited",
]
# The same set, named in the spec (LiveEventKind); `Kind` stays a plain Literal for the code.
LiveEventKind = TypeAliasType("LiveEventKind", Kind)


class RequestPayload(BaseModel):
    """``request.created`` (to the invited participant), ``request.answered`` (to the requester),
    ``request.cancelled`` (to the other side) and ``request.expired`` (to the requester)."""

    request_id: int
    from_participant_id: int
    to_participant_id: int
    status: RequestStatus
    from_name: str | None = Field(default=None, description="request.created: the sender's name")
    message: str | None = Field(default=None, description="request.created: the sender's message")
    meeting_id: int | None = Field(default=None, description="request.answered (accepted): the new meeting")
    cancelled_by: int | None = Field(default=None, description="request.cancelled: participant id; null = organiser")


class MeetingPayload(BaseModel):
    """``meeting.scheduled``, ``meeting.moved``, ``meeting.unscheduled``, ``meeting.cancelled`` (to both)."""

    meeting_id: int
    participant_ids: list[int]
    status: MeetingStatus
    starts_at: datetime | None = Field(description="UTC, ISO 8601 with offset")
    ends_at: datetime | None
    table_id: int | None
    sequence: int = Field(description="The meeting's iCalendar SEQUENCE")
    previous_starts_at: datetime | None = None
    previous_table_id: int | None = None
    reason: str | None = Field(default=None, description="Why it was cancelled or could not be placed")


class SchedulePayload(BaseModel):
    """``schedule.published``: to every participant of the event and to the organisers."""

    event_id: int
    published_at: datetime


class SuggestionsPayload(BaseModel):
    """``suggestions.refreshed``: the participant's suggestions changed (a matching run or a refresh)."""

    run_id: int | None = Field(description="The matching run; null after a single participant's refresh")
    source: SuggestionsSource


class InvitationPayload(BaseModel):
    """``participant.invited``: a new personal link was issued (the link itself goes by email only)."""

    participant_id: int
    name: str


Payload = RequestPayload | MeetingPayload | SchedulePayload | SuggestionsPayload | InvitationPayload


class LiveEvent(BaseModel):
    """One domain event as SSE ``data`` (the SSE ``event`` is ``kind``, the SSE ``id`` is ``id``) and as
    webhook body. Payloads carry ids and what a UI shows; never an email address."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 5120,
                    "kind": "request.created",
                    "event_id": 3,
                    "recipient_id": 107,
                    "created_at": "2025-07-04T06:12:00Z",
                    "payload": {
                        "request_id": 88,
                        "from_participant_id": 42,
                        "to_participant_id": 107,
                        "status": "pending",
                        "from_name": "Ioana Popescu",
                        "message": REQUEST_MESSAGE_EXAMPLE,
                        "meeting_id": None,
                        "cancelled_by": None,
                    },
                },
                {
                    "id": 5187,
                    "kind": "meeting.scheduled",
                    "event_id": 3,
                    "recipient_id": 107,
                    "created_at": "2025-07-06T15:20:00Z",
                    "payload": {
                        "meeting_id": 215,
                        "participant_ids": [42, 107],
                        "status": "scheduled",
                        "starts_at": "2025-07-08T07:00:00Z",
                        "ends_at": "2025-07-08T07:20:00Z",
                        "table_id": 33,
                        "sequence": 2,
                        "previous_starts_at": None,
                        "previous_table_id": None,
                        "reason": None,
                    },
                },
            ]
        }
    )

    id: int = Field(description="Grows in commit order; the SSE id and the Last-Event-ID replay cursor")
    kind: LiveEventKind
    event_id: int
    recipient_id: int | None = Field(description="The participant it is for; null = the event's organisers")
    created_at: datetime
    payload: Payload


class LiveEvents(RootModel[list[LiveEvent]]):
    """A list of live events (used only to name the schemas in the OpenAPI document)."""


class StreamTicketRequest(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"participant_id": 42}]})

    participant_id: Id | None = Field(
        default=None, description="Organisers: the participant stream to open; omit for the whole event"
    )


class StreamTicket(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ticket": "st_Vb8kP2qLx0ZrT5wN",
                    "expires_at": "2025-07-08T09:31:00+03:00",
                    "url": "/api/v1/events/3/participants/42/stream?access_token=st_Vb8kP2qLx0ZrT5wN",
                }
            ]
        }
    )

    ticket: str = Field(description="Send as `?access_token=` when opening the stream (EventSource cannot set headers)")
    expires_at: datetime = Field(description="Open the stream before then; an open stream is not cut at expiry")
    url: str = Field(description="The stream URL with the ticket, ready for `new EventSource(url)`")


Secret = Annotated[str, StringConstraints(min_length=16, max_length=200)]


def _no_userinfo(value: AnyHttpUrl) -> AnyHttpUrl:
    # credentials in the URL would be sent as Basic auth and shown in the webhook list; the signature
    # (and the receiver's own path token, if it wants one) is how a receiver knows the sender
    if value.username or value.password:
        raise ValueError("the URL may not carry a user name or password (user:password@); verify the signature")
    return value


WEBHOOK_URL_HELP = (
    "Receives signed POSTs: http or https, any port, no `user:password@`. It must reach the public internet: "
    "loopback, private (RFC 1918, unique-local), link-local (cloud metadata), multicast and reserved addresses, "
    "in any spelling (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`), and names such as `localhost`, "
    "`*.internal` or single labels are refused; a name is resolved again before every delivery, and one that "
    "resolves to such an address is not called (the delivery fails)."
)
WebhookUrl = Annotated[Url, AfterValidator(_no_userinfo)]


class WebhookCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://crm.clujit.ro/hooks/matchmaker",
                    "secret": "s3cr3t-cluj-it-2025-hook",
                    "kinds": ["meeting.scheduled", "meeting.cancelled"],
                    "description": "Cluj IT Cluster CRM",
                    "active": True,
                }
            ]
        }
    )

    url: WebhookUrl = Field(description=WEBHOOK_URL_HELP)
    secret: Secret = Field(description="Shared secret for the `Matchmaker-Signature` HMAC (16+ characters)")
    kinds: list[LiveEventKind] = Field(
        default_factory=list, max_length=50, description="Kinds to send; empty = every kind"
    )
    description: str = Field(default="", max_length=500)
    active: bool = True


class WebhookUpdate(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kinds": ["meeting.scheduled", "meeting.moved"], "active": False}]}
    )

    url: WebhookUrl | None = Field(default=None, description=WEBHOOK_URL_HELP)
    secret: Secret | None = None
    kinds: list[LiveEventKind] | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    active: bool | None = None


class WebhookRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "event_id": 3,
                    "url": "https://crm.clujit.ro/hooks/matchmaker",
                    "kinds": ["meeting.scheduled", "meeting.cancelled"],
                    "description": "Cluj IT Cluster CRM",
                    "active": True,
                    "created_at": "2025-07-02T08:45:00+03:00",
                }
            ]
        }
    )

    id: int
    event_id: int
    url: str
    kinds: list[str]
    description: str
    active: bool
    created_at: datetime


class DeliveryRead(BaseModel):
    """One send of one domain event to a webhook (or one email), with its attempts."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 9012,
                    "notification_id": 5187,
                    "kind": "meeting.scheduled",
                    "channel": "webhook",
                    "webhook_id": 4,
                    "recipient_id": 107,
                    "status": "delivered",
                    "attempts": 1,
                    "next_attempt_at": None,
                    "response_status": 204,
                    "last_error": None,
                    "created_at": "2025-07-06T18:20:00+03:00",
                    "delivered_at": "2025-07-06T18:20:01+03:00",
                },
                {
                    "id": 9013,
                    "notification_id": 5188,
                    "kind": "meeting.scheduled",
                    "channel": "webhook",
                    "webhook_id": 4,
                    "recipient_id": 42,
                    "status": "failed",
                    "attempts": 8,
                    "next_attempt_at": None,
                    "response_status": 503,
                    "last_error": "Service Unavailable",
                    "created_at": "2025-07-06T18:20:00+03:00",
                    "delivered_at": None,
                },
            ]
        }
    )

    id: int
    notification_id: int
    kind: str
    channel: DeliveryChannel
    webhook_id: int | None
    recipient_id: int | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None = Field(description="When the next attempt is due (pending only)")
    response_status: int | None = Field(description="The receiver's HTTP status of the last attempt")
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
