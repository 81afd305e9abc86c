"""``GET /metrics``: Prometheus text exposition.

Kept out of the public OpenAPI document: it is an operator's endpoint, not part of the API the
front-end and organisers' scripts are promised, and its body is not JSON. README "Operations"
documents it. Who may read it: callers on the loopback interface (a scraper or sidecar on the
same host; a request relayed by a proxy, i.e. carrying ``Forwarded``/``X-Forwarded-For``, does not
count as local), a bearer holding ``MATCHMAKER_METRICS_TOKEN``, or a logged-in organiser.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from app import metrics
from app.deps import SessionDep, SettingsDep, current_organiser, organiser_scheme
from app.errors import Unauthorized

router = APIRouter(tags=["operations"], include_in_schema=False)
_FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def is_local_caller(request: Request) -> bool:
    """A direct connection from the loopback interface (not relayed by a proxy)."""
    if request.client is None or any(h in request.headers for h in _FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


@router.get("/metrics", summary="Prometheus metrics", operation_id="metrics_read")
async def read_metrics(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(organiser_scheme)],
) -> Response:
    expected = settings.metrics_token
    by_token = bool(expected and token and hmac.compare_digest(token.encode(), expected.encode()))
    if not (by_token or is_local_caller(request)):
        if not token:
            raise Unauthorized(
                "Metrics are for operators: scrape from the host itself, or send the metrics token "
                "(MATCHMAKER_METRICS_TOKEN) or an organiser token as a bearer token."
            )
        await current_organiser(session, settings, token)
    body = await run_in_threadpool(metrics.render)  # multiprocess mode reads one file per process
    return Response(content=body, media_type=metrics.CONTENT_TYPE)
