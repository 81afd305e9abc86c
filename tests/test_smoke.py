from httpx import AsyncClient

from tests.factories import auth, check, create_event, create_participant, organiser_token, participant_token


async def test_health(client: AsyncClient) -> None:
    check(await client.get("/healthz"), 200)
    body = check(await client.get("/readyz"), 200)
    assert body["status"] == "ready"


async def test_event_and_participant_flow(client: AsyncClient, db) -> None:  # type: ignore[no-untyped-def]
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    assert event["starts_at"].endswith("+03:00")
    p = await create_participant(client, token, event["id"])
    ptoken = await participant_token(client, token, event["id"], p["id"])
    me = check(await client.get(f"/api/v1/events/{event['id']}/participants/{p['id']}", headers=auth(ptoken)), 200)
    assert me["email"] == p["email"]
