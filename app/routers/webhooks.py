"""Organisers' webhooks: register endpoints for an event's domain events, read the delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.deps import OrganisedEventDep, PagingDep, SessionDep, SettingsDep, Sort, WebhookIdQuery, id_path
from app.problems import problem_responses
from app.schemas.common import DeliveryChannel, DeliverySort, DeliveryStatus, Page
from app.schemas.live import DeliveryRead, WebhookCreate, WebhookRead, WebhookUpdate
from app.services import webhooks as service

router = APIRouter(prefix="/events/{event_id}", tags=["webhooks"])

WebhookId = Annotated[int, id_path("Webhook")]

SIGNATURE_HELP = (
    "Each delivery is a POST of one `LiveEvent` as JSON with the headers `Matchmaker-Event` (the kind), "
    "`Matchmaker-Delivery` (the delivery id, the same on retries) and `Matchmaker-Signature: t=<unix "
    "seconds>,v1=<hex>` where v1 = HMAC-SHA256(secret, `<t>.` + raw body). Answer 2xx; anything else or "
    "no answer within 10 s is retried with doubling delays, then marked failed."
)
DESTINATION_HELP = (
    "The URL must reach the public internet: a host that is a loopback, private, link-local, multicast or "
    "reserved address (in any spelling), or a name such as `localhost`, is refused (422 naming `url`). The "
    "name is resolved again before every delivery, and a delivery to a name that resolves to such an address "
    "is not sent: it is marked failed with the reason."
)


@router.post(
    "/webhooks",
    response_model=WebhookRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register a webhook",
    description="Organisers only. " + SIGNATURE_HELP + " " + DESTINATION_HELP,
    operation_id="webhooks_create",
    responses=problem_responses(401, 403, 404, 422),
)
async def create_webhook(
    event: OrganisedEventDep, session: SessionDep, settings: SettingsDep, body: WebhookCreate
) -> WebhookRead:
    return await service.create_webhook(session, event, body, allow_private=settings.webhook_allow_private)


@router.get(
    "/webhooks",
    response_model=list[WebhookRead],
    summary="List the event's webhooks",
    description="Organisers only. Secrets are never shown again.",
    operation_id="webhooks_list",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_webhooks(event: OrganisedEventDep, session: SessionDep) -> list[WebhookRead]:
    return await service.list_webhooks(session, event)


@router.get(
    "/webhooks/{webhook_id}",
    response_model=WebhookRead,
    summary="Read a webhook",
    description="Organisers only.",
    operation_id="webhooks_get",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_webhook(webhook_id: WebhookId, event: OrganisedEventDep, session: SessionDep) -> WebhookRead:
    return await service.read_webhook(session, event, webhook_id)


@router.patch(
    "/webhooks/{webhook_id}",
    response_model=WebhookRead,
    summary="Change a webhook",
    description="Organisers only. URL, secret, kinds, description, or `active: false` to pause it. " + DESTINATION_HELP,
    operation_id="webhooks_update",
    responses=problem_responses(401, 403, 404, 422),
)
async def update_webhook(
    webhook_id: WebhookId, event: OrganisedEventDep, session: SessionDep, settings: SettingsDep, body: WebhookUpdate
) -> WebhookRead:
    allow_private = settings.webhook_allow_private
    return await service.update_webhook(session, event, webhook_id, body, allow_private=allow_private)


@router.delete(
    "/webhooks/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a webhook",
    description="Organisers only. Its delivery log goes with it.",
    operation_id="webhooks_delete",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_webhook(webhook_id: WebhookId, event: OrganisedEventDep, session: SessionDep) -> Response:
    await service.delete_webhook(session, event, webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/deliveries",
    response_model=Page[DeliveryRead],
    summary="The delivery log",
    description="Organisers only. Every webhook call and email of the event, newest first: status (pending, "
    "delivered, failed, coalesced into a later agenda mail, skipped), attempts, the receiver's last HTTP status "
    "and error, when the next attempt is due.",
    operation_id="deliveries_list",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_deliveries(
    event: OrganisedEventDep,
    session: SessionDep,
    page: PagingDep,
    webhook_id: WebhookIdQuery = None,
    channel: Annotated[DeliveryChannel | None, Query(description="Only webhook calls or only emails")] = None,
    status_: Annotated[DeliveryStatus | None, Query(alias="status", description="Only deliveries in this state")] = (
        None
    ),
    sort: Sort[DeliverySort] = None,
) -> Page[DeliveryRead]:
    return await service.list_deliveries(
        session,
        event,
        webhook_id=webhook_id,
        channel=channel,
        status=status_,
        limit=page.limit,
        offset=page.offset,
        sort=sort or (),
    )


@router.post(
    "/deliveries/{delivery_id}/retry",
    response_model=DeliveryRead,
    summary="Retry a delivery now",
    description="Organisers only. A failed (or waiting) delivery is sent again at once with a fresh set of attempts.",
    operation_id="deliveries_retry",
    responses=problem_responses(401, 403, 404, 422),
)
async def retry_delivery(
    delivery_id: Annotated[int, id_path("Delivery")], event: OrganisedEventDep, session: SessionDep
) -> DeliveryRead:
    return await service.retry_delivery(session, event, delivery_id)
