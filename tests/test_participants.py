from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import (
    auth,
    check,
    create_event,
    create_participant,
    organiser_token,
    participant_token,
)

API = "/api/v1"


async def _setup(client: AsyncClient, db: AsyncEngine) -> tuple[str, dict, dict, dict, str, str]:  # type: ignore[type-arg]
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    a = await create_participant(client, org, event["id"])
    b = await create_participant(client, org, event["id"])
    return (
        org,
        event,
        a,
        b,
        await participant_token(client, org, event["id"], a["id"]),
        await participant_token(client, org, event["id"], b["id"]),
    )


async def test_participant_sees_own_private_data_and_others_public_profile(
    client: AsyncClient, db: AsyncEngine
) -> None:
    _, event, a, b, ta, _ = await _setup(client, db)
    url = f"{API}/events/{event['id']}/participants"
    mine = check(await client.get(f"{url}/{a['id']}", headers=auth(ta)), 200)
    assert mine["email"] == a["email"] and mine["session_ids"] is None
    theirs = check(await client.get(f"{url}/{b['id']}", headers=auth(ta)), 200)
    assert theirs["email"] is None and theirs["name"] == b["name"] and theirs["offers"]
    listing = check(await client.get(url, headers=auth(ta)), 200)
    assert listing["total"] == 2
    assert {p["email"] for p in listing["items"]} == {a["email"], None}


async def test_participant_cannot_change_someone_else(client: AsyncClient, db: AsyncEngine) -> None:
    _, event, a, b, ta, tb = await _setup(client, db)
    url = f"{API}/events/{event['id']}/participants"
    check(await client.patch(f"{url}/{b['id']}", json={"name": "Mallory"}, headers=auth(ta)), 403)
    offer = {"direction": "offer", "title": "Fake", "type": "other"}
    check(await client.post(f"{url}/{b['id']}/opportunities", json=offer, headers=auth(ta)), 403)
    opp_id = b["offers"][0]["id"]
    check(await client.delete(f"{url}/{b['id']}/opportunities/{opp_id}", headers=auth(ta)), 403)
    check(await client.post(f"{url}/{b['id']}/access-token", headers=auth(ta)), 403)
    check(await client.delete(f"{url}/{b['id']}", headers=auth(ta)), 403)
    check(await client.get(f"{url}/export", headers=auth(ta)), 403)
    # own profile: allowed, but not organiser-only fields
    updated = check(
        await client.patch(f"{url}/{a['id']}", json={"job_title": "CEO", "listed": False}, headers=auth(ta)), 200
    )
    assert updated["job_title"] == "CEO" and updated["version"] == a["version"] + 1
    check(await client.patch(f"{url}/{a['id']}", json={"email": "new@example.org"}, headers=auth(ta)), 403)
    created = check(await client.post(f"{url}/{a['id']}/opportunities", json=offer, headers=auth(ta)), 201)
    check(
        await client.patch(f"{url}/{a['id']}/opportunities/{created['id']}", json={"title": "Real"}, headers=auth(ta)),
        200,
    )
    # unlisted participants disappear for others, not for themselves
    check(await client.get(f"{url}/{a['id']}", headers=auth(tb)), 404)
    assert check(await client.get(url, headers=auth(tb)), 200)["total"] == 1
    assert check(await client.get(f"{url}/{a['id']}", headers=auth(ta)), 200)["listed"] is False


async def test_no_access_across_events(client: AsyncClient, db: AsyncEngine) -> None:
    org, event, a, _, ta, _ = await _setup(client, db)
    other_org = await organiser_token(client, db)
    other_event = await create_event(client, other_org)
    c = await create_participant(client, other_org, other_event["id"])
    check(await client.get(f"{API}/events/{other_event['id']}/participants", headers=auth(ta)), 403)
    check(await client.get(f"{API}/events/{other_event['id']}/participants/{c['id']}", headers=auth(ta)), 403)
    # a participant id of another event under this event's path is unknown here
    check(await client.get(f"{API}/events/{event['id']}/participants/{c['id']}", headers=auth(org)), 404)
    # an organiser of another event cannot read or import
    check(await client.get(f"{API}/events/{event['id']}/participants", headers=auth(other_org)), 403)
    check(
        await client.post(
            f"{API}/events/{event['id']}/participants/import", json={"participants": []}, headers=auth(other_org)
        ),
        403,
    )
    check(await client.get(f"{API}/events/{event['id']}/participants"), 401)


async def test_token_is_reissued_and_old_one_stops(client: AsyncClient, db: AsyncEngine) -> None:
    org, event, a, _, ta, _ = await _setup(client, db)
    url = f"{API}/events/{event['id']}/participants/{a['id']}"
    new = check(await client.post(f"{url}/access-token", headers=auth(org)), 200)
    assert new["token"] != ta and new["token"] in new["link"]
    check(await client.get(url, headers=auth(ta)), 401)
    check(await client.get(url, headers=auth(new["token"])), 200)
    me = check(await client.get(f"{API}/auth/me", headers=auth(new["token"])), 200)
    assert me == {"role": "participant", "organiser": None, "participant_id": a["id"], "event_id": event["id"]}


async def test_duplicate_email_and_bad_input(client: AsyncClient, db: AsyncEngine) -> None:
    org, event, a, _, _, _ = await _setup(client, db)
    url = f"{API}/events/{event['id']}/participants"
    r = await client.post(
        url,
        json={"name": "X", "email": a["email"].upper(), "organisation_id": a["organisation"]["id"]},
        headers=auth(org),
    )
    check(r, 409)
    body = check(
        await client.post(url, json={"name": "X", "email": "not-an-email", "organisation_id": 1}, headers=auth(org)),
        422,
    )
    assert body["errors"][0]["loc"] == ["body", "email"]
    body = check(await client.post(url, json={"name": "X", "email": "x@example.org"}, headers=auth(org)), 422)
    assert "organisation" in body["detail"]
    body = check(
        await client.post(
            url,
            json={
                "name": "X",
                "email": "x@example.org",
                "organisation_id": a["organisation"]["id"],
                "session_ids": [99999],
            },
            headers=auth(org),
        ),
        422,
    )
    assert body["errors"][0]["loc"] == ["body", "session_ids", 0]


async def test_filters_and_opportunity_listing(client: AsyncClient, db: AsyncEngine) -> None:
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    await create_participant(
        client,
        org,
        event["id"],
        organisation={
            "name": "Fraunhofer-like Institute",
            "kind": "research",
            "country": "DE",
            "sectors": ["advanced-manufacturing"],
        },
    )
    await create_participant(client, org, event["id"])
    url = f"{API}/events/{event['id']}"
    assert (
        check(await client.get(f"{url}/participants", params={"country": "DE"}, headers=auth(org)), 200)["total"] == 1
    )
    assert (
        check(await client.get(f"{url}/participants", params={"kind": "research"}, headers=auth(org)), 200)["total"]
        == 1
    )
    assert (
        check(await client.get(f"{url}/participants", params={"sector": "ict"}, headers=auth(org)), 200)["total"] == 1
    )
    assert (
        check(await client.get(f"{url}/participants", params={"q": "fraunhofer"}, headers=auth(org)), 200)["total"] == 1
    )
    offers = check(await client.get(f"{url}/opportunities", params={"direction": "offer"}, headers=auth(org)), 200)
    assert offers["total"] == 2 and all(o["direction"] == "offer" for o in offers["items"])
    found = check(await client.get(f"{url}/opportunities", params={"q": "machine learning"}, headers=auth(org)), 200)
    assert found["total"] == 2 and all(o["direction"] == "request" for o in found["items"])
