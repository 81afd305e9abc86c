from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import auth, check, organiser_token

API = "/api/v1"


def org(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Transilvania IT Cluster",
        "kind": "cluster",
        "country": "ro",
        "city": "Cluj-Napoca",
        "sectors": ["ict"],
        "keywords": ["software"],
        "esca_label": "silver",
    }
    body.update(overrides)
    return body


async def test_create_read_filter(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    cluster = check(await client.post(f"{API}/organisations", json=org(), headers=auth(token)), 201)
    assert cluster["country"] == "RO" and cluster["sectors"] == ["ict"]
    check(
        await client.post(
            f"{API}/organisations",
            json=org(name="Agro Food Cluster", sectors=["agrifood"], city="Iași", esca_label="bronze"),
            headers=auth(token),
        ),
        201,
    )
    company = check(
        await client.post(
            f"{API}/organisations",
            json=org(name="Softworks SRL", kind="company", cluster_ids=[cluster["id"]]),
            headers=auth(token),
        ),
        201,
    )
    assert company["cluster_ids"] == [cluster["id"]]
    check(
        await client.post(f"{API}/organisations", json=org(name="Bavaria Tech", country="DE"), headers=auth(token)), 201
    )

    # public reads: no token needed
    page = check(await client.get(f"{API}/organisations", params={"country": "RO", "kind": "cluster"}), 200)
    assert page["total"] == 2 and {o["name"] for o in page["items"]} == {"Transilvania IT Cluster", "Agro Food Cluster"}
    page = check(await client.get(f"{API}/organisations", params={"sector": "agrifood"}), 200)
    assert [o["name"] for o in page["items"]] == ["Agro Food Cluster"]
    page = check(await client.get(f"{API}/organisations", params={"q": "iași"}), 200)
    assert page["total"] == 1
    page = check(await client.get(f"{API}/organisations", params={"limit": 1, "offset": 1}), 200)
    assert page["total"] == 4 and len(page["items"]) == 1 and page["limit"] == 1 and page["offset"] == 1
    members = check(await client.get(f"{API}/organisations/{cluster['id']}/members"), 200)
    assert [m["id"] for m in members["items"]] == [company["id"]]
    assert check(await client.get(f"{API}/organisations/{cluster['id']}"), 200)["member_count"] == 1


async def test_duplicate_is_409_ignoring_case_and_accents(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    check(await client.post(f"{API}/organisations", json=org(name="Clusterul Țării"), headers=auth(token)), 201)
    r = await client.post(f"{API}/organisations", json=org(name="clusterul TARII"), headers=auth(token))
    body = check(r, 409)
    assert r.headers["content-type"] == "application/problem+json"
    assert body["status"] == 409 and "exists already" in body["detail"]
    # same name in another country is fine
    check(
        await client.post(f"{API}/organisations", json=org(name="Clusterul Țării", country="MD"), headers=auth(token)),
        201,
    )


async def test_validation_errors_are_problems(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    r = await client.post(
        f"{API}/organisations",
        json=org(country="XX", kind="spaceship", sectors=["not-a-sector"]),
        headers=auth(token),
    )
    body = check(r, 422)
    assert body["type"] == "/problems/validation-error" and body["title"] and body["status"] == 422
    fields = {tuple(e["loc"]) for e in body["errors"]}
    assert ("body", "country") in fields and ("body", "kind") in fields
    r = await client.post(f"{API}/organisations", json=org(sectors=["not-a-sector"]), headers=auth(token))
    body = check(r, 422)
    assert "unknown sector" in body["errors"][0]["msg"]


async def test_writes_need_an_organiser(client: AsyncClient, db: AsyncEngine) -> None:
    r = await client.post(f"{API}/organisations", json=org())
    assert check(r, 401)["status"] == 401
    assert r.headers["www-authenticate"] == "Bearer"
    check(await client.post(f"{API}/organisations", json=org(), headers=auth("garbage")), 401)


async def test_update_delete_and_unknown_ids(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    created = check(await client.post(f"{API}/organisations", json=org(), headers=auth(token)), 201)
    updated = check(
        await client.patch(
            f"{API}/organisations/{created['id']}",
            json={"city": "Cluj", "sectors": ["ict", "smart-cities"]},
            headers=auth(token),
        ),
        200,
    )
    assert (
        updated["city"] == "Cluj"
        and updated["sectors"] == ["ict", "smart-cities"]
        and updated["name"] == created["name"]
    )
    check(await client.get(f"{API}/organisations/999999"), 404)
    check(await client.patch(f"{API}/organisations/999999", json={"city": "x"}, headers=auth(token)), 404)
    check(await client.delete(f"{API}/organisations/{created['id']}", headers=auth(token)), 204)
    check(await client.get(f"{API}/organisations/{created['id']}"), 404)


async def test_sector_vocabulary_can_be_extended(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    sectors = check(await client.get(f"{API}/sectors"), 200)
    assert len(sectors) == 18
    check(await client.post(f"{API}/sectors", json={"slug": "space-tech", "name": "Space"}, headers=auth(token)), 201)
    check(await client.post(f"{API}/sectors", json={"slug": "space-tech", "name": "Space"}, headers=auth(token)), 409)
    check(await client.post(f"{API}/organisations", json=org(sectors=["Space-Tech"]), headers=auth(token)), 201)


async def test_only_its_creator_or_an_organiser_of_its_event_edits_it(client: AsyncClient, db: AsyncEngine) -> None:
    from tests.factories import create_event

    mine = await organiser_token(client, db)
    other = await organiser_token(client, db)
    created = check(await client.post(f"{API}/organisations", json=org(), headers=auth(mine)), 201)
    url = f"{API}/organisations/{created['id']}"
    check(await client.patch(url, json={"name": "Hijacked"}, headers=auth(other)), 403)
    check(await client.delete(url, headers=auth(other)), 403)
    # once it takes part in the other organiser's event, they may edit it
    event = await create_event(client, other)
    person = {"name": "X", "email": "x@example.org", "organisation_id": created["id"]}
    check(await client.post(f"{API}/events/{event['id']}/participants", json=person, headers=auth(other)), 201)
    check(await client.patch(url, json={"city": "Cluj"}, headers=auth(other)), 200)
