from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import auth, check, create_event, event_body, organiser_token

API = "/api/v1"


async def test_times_are_stored_utc_and_shown_in_event_zone(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token, starts_at="2025-07-01T06:00:00Z", ends_at="2025-07-02T14:00:00Z")
    assert event["starts_at"] == "2025-07-01T09:00:00+03:00"
    assert event["sessions"][0]["starts_at"] == "2025-07-01T14:00:00+03:00"
    assert event["table_count"] == 10 and event["tables"][0]["name"] == "T01"
    assert event["slug"].startswith("clusters-meet-regions")


async def test_bad_times_are_clear_problems(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    r = await client.post(f"{API}/events", json=event_body(ends_at="2025-06-30T09:00:00+03:00"), headers=auth(token))
    body = check(r, 422)
    assert any(e["loc"] == ["body", "ends_at"] for e in body["errors"])
    outside = [{"name": "Late", "starts_at": "2025-07-05T14:00:00+03:00", "ends_at": "2025-07-05T15:00:00+03:00"}]
    body = check(await client.post(f"{API}/events", json=event_body(sessions=outside), headers=auth(token)), 422)
    assert "within" in body["errors"][0]["msg"]
    backwards = [{"name": "Back", "starts_at": "2025-07-01T15:00:00+03:00", "ends_at": "2025-07-01T14:00:00+03:00"}]
    check(await client.post(f"{API}/events", json=event_body(sessions=backwards), headers=auth(token)), 422)
    naive = event_body(starts_at="2025-07-01T09:00:00")
    check(await client.post(f"{API}/events", json=naive, headers=auth(token)), 422)
    check(await client.post(f"{API}/events", json=event_body(timezone="Mars/Olympus"), headers=auth(token)), 422)


async def test_only_its_organisers_change_an_event(client: AsyncClient, db: AsyncEngine) -> None:
    mine = await organiser_token(client, db)
    other = await organiser_token(client, db)
    event = await create_event(client, mine, status="draft")
    check(await client.patch(f"{API}/events/{event['id']}", json={"name": "Hijack"}, headers=auth(other)), 403)
    check(await client.delete(f"{API}/events/{event['id']}", headers=auth(other)), 403)
    # drafts are invisible to others
    check(await client.get(f"{API}/events/{event['id']}"), 404)
    check(await client.get(f"{API}/events/{event['id']}", headers=auth(other)), 404)
    check(await client.get(f"{API}/events/{event['id']}", headers=auth(mine)), 200)
    listed = check(await client.get(f"{API}/events"), 200)
    assert listed["total"] == 0
    assert check(await client.get(f"{API}/events", headers=auth(mine)), 200)["total"] == 1


async def test_update_sessions_and_tables(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    session_id = event["sessions"][0]["id"]
    body = {
        "sessions": [
            {
                "id": session_id,
                "name": "Afternoon",
                "starts_at": "2025-07-01T14:00:00+03:00",
                "ends_at": "2025-07-01T18:00:00+03:00",
            },
            {"name": "Morning day 2", "starts_at": "2025-07-02T09:00:00+03:00", "ends_at": "2025-07-02T12:00:00+03:00"},
        ],
        "tables": [{"name": "T01"}, {"name": "Online 1", "online": True, "link": "https://meet.example.org/1"}],
    }
    updated = check(await client.patch(f"{API}/events/{event['id']}", json=body, headers=auth(token)), 200)
    assert [s["name"] for s in updated["sessions"]] == ["Afternoon", "Morning day 2"]
    assert updated["sessions"][0]["id"] == session_id
    assert updated["table_count"] == 2 and updated["tables"][1]["online"] is True
    assert updated["tables"][0]["id"] == event["tables"][0]["id"]  # kept by name
    overlap = {"sessions": [body["sessions"][0], {**body["sessions"][1], "starts_at": "2025-07-01T15:00:00+03:00"}]}
    check(await client.patch(f"{API}/events/{event['id']}", json=overlap, headers=auth(token)), 422)
    check(await client.patch(f"{API}/events/{event['id']}", json={"name": None}, headers=auth(token)), 422)


async def test_slug_conflict(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    await create_event(client, token, slug="cmr-2025")
    check(await client.post(f"{API}/events", json=event_body(slug="cmr-2025"), headers=auth(token)), 409)


async def test_same_name_gets_a_free_slug(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    first = await create_event(client, token, name="Clusters Meet Regions")
    second = await create_event(client, token, name="Clusters Meet Regions")
    third = await create_event(client, token, name="Кластеры")  # no Latin letters
    assert (first["slug"], second["slug"]) == ("clusters-meet-regions", "clusters-meet-regions-2")
    assert third["slug"]


async def test_grid_change_unschedules_meetings_off_the_grid(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    eid = event["id"]
    people = [
        {"name": f"P{i}", "email": f"g{i}@example.org", "organisation": {"name": f"G{i}", "country": "RO"}}
        for i in range(2)
    ]
    ids = [
        p["id"]
        for p in check(
            await client.post(
                f"{API}/events/{eid}/participants/import", json={"participants": people}, headers=auth(token)
            ),
            200,
        )["participants"]
    ]
    slots = check(await client.get(f"{API}/events/{eid}/slots", headers=auth(token)), 200)
    m = check(
        await client.post(
            f"{API}/events/{eid}/meetings",
            json={"participant_ids": ids, "starts_at": slots[1]["starts_at"]},
            headers=auth(token),
        ),
        201,
    )
    check(await client.patch(f"{API}/events/{eid}", json={"meeting_minutes": 30}, headers=auth(token)), 200)
    after = check(await client.get(f"{API}/events/{eid}/meetings", headers=auth(token)), 200)["items"][0]
    assert after["id"] == m["id"] and after["status"] == "unscheduled" and after["unplaced_reason"] == "grid_changed"
    assert after["sequence"] > m["sequence"]
