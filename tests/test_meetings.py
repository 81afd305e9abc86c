import asyncio
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import auth, check, create_event, organiser_token, participant_token

API = "/api/v1"


def people(n: int, same_org: tuple[int, int] | None = None) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        org = f"Org {i}" if not same_org or i not in same_org else "Shared Org"
        out.append(
            {
                "external_id": f"q{i}",
                "name": f"P{i}",
                "email": f"q{i}@example.org",
                "organisation": {"name": org, "kind": "company", "country": "RO"},
            }
        )
    return out


async def setup(
    client: AsyncClient, db: AsyncEngine, n: int = 4, **event: Any
) -> tuple[str, dict[str, Any], list[int]]:
    token = await organiser_token(client, db)
    ev = await create_event(client, token, **event)
    body = {"participants": people(n, same_org=(n - 2, n - 1))}
    imported = check(
        await client.post(f"{API}/events/{ev['id']}/participants/import", json=body, headers=auth(token)), 200
    )
    return token, ev, [p["id"] for p in imported["participants"]]


async def test_request_lifecycle(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db)
    url = f"{API}/events/{ev['id']}/meeting-requests"
    t0, t1, t2 = [await participant_token(client, org, ev["id"], i) for i in ids[:3]]
    req = check(await client.post(url, json={"to_participant_id": ids[1], "message": "Hi"}, headers=auth(t0)), 201)
    assert req["status"] == "pending" and req["from_participant_id"] == ids[0]
    # one open request per pair, whichever direction
    check(await client.post(url, json={"to_participant_id": ids[0]}, headers=auth(t1)), 409)
    check(await client.post(url, json={"to_participant_id": ids[0]}, headers=auth(t0)), 422)  # oneself
    check(await client.post(url, json={"to_participant_id": ids[3]}, headers=auth(t0)), 201)
    # colleagues: the last two share an organisation
    t3 = await participant_token(client, org, ev["id"], ids[3])
    check(await client.post(url, json={"to_participant_id": ids[2]}, headers=auth(t3)), 422)
    # only the invited one accepts; a third party is refused
    check(await client.post(f"{url}/{req['id']}/accept", headers=auth(t0)), 403)
    check(await client.post(f"{url}/{req['id']}/accept", headers=auth(t2)), 403)
    accepted = check(await client.post(f"{url}/{req['id']}/accept", headers=auth(t1)), 200)
    assert accepted["status"] == "accepted" and accepted["meeting_id"]
    body = check(await client.post(f"{url}/{req['id']}/decline", headers=auth(t1)), 409)
    assert "is accepted, so it cannot be declined" in body["detail"]
    # the accepted request is a meeting to place
    meetings = check(await client.get(f"{API}/events/{ev['id']}/meetings", headers=auth(t0)), 200)
    assert meetings["total"] == 1 and meetings["items"][0]["status"] == "unscheduled"
    # cancel the meeting: the request is cancelled too; then accepting it is a conflict
    check(await client.post(f"{API}/events/{ev['id']}/meetings/{accepted['meeting_id']}/cancel", headers=auth(t1)), 200)
    check(await client.post(f"{url}/{req['id']}/accept", headers=auth(t1)), 409)
    mine = check(await client.get(url, params={"direction": "outgoing"}, headers=auth(t0)), 200)
    assert {r["status"] for r in mine["items"]} == {"cancelled", "pending"}
    check(await client.get(url, params={"participant_id": ids[1]}, headers=auth(t0)), 403)
    # after a cancellation the pair may ask again
    check(await client.post(url, json={"to_participant_id": ids[1]}, headers=auth(t0)), 201)


async def test_decline_excludes_pair_and_organiser_acts_on_behalf(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db)
    url = f"{API}/events/{ev['id']}/meeting-requests"
    check(await client.post(url, json={"to_participant_id": ids[1]}, headers=auth(org)), 422)  # on whose behalf?
    req = check(
        await client.post(url, json={"to_participant_id": ids[1], "from_participant_id": ids[0]}, headers=auth(org)),
        201,
    )
    assert req["created_by"] == "organiser"
    declined = check(await client.post(f"{url}/{req['id']}/decline", headers=auth(org)), 200)
    assert declined["status"] == "declined"
    everything = check(await client.get(url, params={"status": "declined"}, headers=auth(org)), 200)
    assert everything["total"] == 1


async def test_cap_and_deadline(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db, n=5, max_open_requests=2)
    url = f"{API}/events/{ev['id']}/meeting-requests"
    t0 = await participant_token(client, org, ev["id"], ids[0])
    check(await client.post(url, json={"to_participant_id": ids[1]}, headers=auth(t0)), 201)
    check(await client.post(url, json={"to_participant_id": ids[2]}, headers=auth(t0)), 201)
    body = check(await client.post(url, json={"to_participant_id": ids[3]}, headers=auth(t0)), 409)
    assert "pending requests" in body["detail"]
    # the organiser sets a deadline in the past: pending requests expire
    check(
        await client.patch(
            f"{API}/events/{ev['id']}", json={"requests_deadline": "2020-01-01T00:00:00Z"}, headers=auth(org)
        ),
        200,
    )
    listed = check(await client.get(url, headers=auth(t0)), 200)
    assert {r["status"] for r in listed["items"]} == {"expired"}
    check(await client.post(url, json={"to_participant_id": ids[3]}, headers=auth(t0)), 409)


async def test_manual_booking_conflicts_swap_lock(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db, n=6, table_count=1)
    slots = check(await client.get(f"{API}/events/{ev['id']}/slots", headers=auth(org)), 200)
    assert slots[0]["starts_at"] == "2025-07-01T14:00:00+03:00" and slots[1]["starts_at"] == "2025-07-01T14:25:00+03:00"
    assert len(slots) == 9  # 14:00..18:00, 20 min + 5 min break
    url = f"{API}/events/{ev['id']}/meetings"
    s0, s1 = slots[0]["starts_at"], slots[1]["starts_at"]
    m1 = check(
        await client.post(url, json={"participant_ids": [ids[0], ids[1]], "starts_at": s0}, headers=auth(org)), 201
    )
    assert m1["table"]["name"] == "T01" and m1["status"] == "scheduled"
    body = check(
        await client.post(url, json={"participant_ids": [ids[0], ids[2]], "starts_at": s0}, headers=auth(org)), 409
    )
    assert f"participant {ids[0]} already has meeting" in body["detail"]
    body = check(
        await client.post(url, json={"participant_ids": [ids[2], ids[3]], "starts_at": s0}, headers=auth(org)), 409
    )
    assert "table" in body["detail"]
    check(
        await client.post(
            url, json={"participant_ids": [ids[2], ids[3]], "starts_at": "2025-07-01T14:07:00+03:00"}, headers=auth(org)
        ),
        422,
    )
    m2 = check(
        await client.post(url, json={"participant_ids": [ids[2], ids[3]], "starts_at": s1}, headers=auth(org)), 201
    )
    swapped = check(
        await client.post(f"{url}/{m1['id']}/swap", json={"with_meeting_id": m2["id"]}, headers=auth(org)), 200
    )
    assert swapped[0]["starts_at"] == s1 and swapped[1]["starts_at"] == s0
    assert swapped[0]["sequence"] > m1["sequence"]
    locked = check(await client.patch(f"{url}/{m1['id']}", json={"locked": True}, headers=auth(org)), 200)
    assert locked["locked"] is True
    check(await client.post(f"{url}/{m1['id']}/swap", json={"with_meeting_id": m2["id"]}, headers=auth(org)), 409)
    moved = check(
        await client.patch(f"{url}/{m2['id']}", json={"starts_at": slots[3]["starts_at"]}, headers=auth(org)), 200
    )
    assert moved["starts_at"] == slots[3]["starts_at"]
    cancelled = check(await client.post(f"{url}/{m2['id']}/cancel", headers=auth(org)), 200)
    assert cancelled["status"] == "cancelled"
    check(await client.post(f"{url}/{m2['id']}/cancel", headers=auth(org)), 409)
    # freed: the slot can be booked again
    check(
        await client.post(
            url, json={"participant_ids": [ids[4], ids[2]], "starts_at": slots[3]["starts_at"]}, headers=auth(org)
        ),
        201,
    )
    # participants cannot book by hand or touch others' meetings
    t5 = await participant_token(client, org, ev["id"], ids[5])
    check(await client.post(url, json={"participant_ids": [ids[5], ids[0]], "starts_at": s0}, headers=auth(t5)), 403)
    check(await client.post(f"{url}/{m1['id']}/cancel", headers=auth(t5)), 403)


FUTURE = {
    "starts_at": "2030-07-01T09:00:00+03:00",
    "ends_at": "2030-07-01T18:00:00+03:00",
    "sessions": [
        {"name": "Afternoon", "starts_at": "2030-07-01T14:00:00+03:00", "ends_at": "2030-07-01T18:00:00+03:00"}
    ],
}


async def test_no_show_cancels_meetings(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db, n=4, **FUTURE)
    slots = check(await client.get(f"{API}/events/{ev['id']}/slots", headers=auth(org)), 200)
    url = f"{API}/events/{ev['id']}/meetings"
    check(
        await client.post(
            url, json={"participant_ids": [ids[0], ids[1]], "starts_at": slots[0]["starts_at"]}, headers=auth(org)
        ),
        201,
    )
    check(await client.post(f"{API}/events/{ev['id']}/participants/{ids[0]}/no-show", json={}, headers=auth(org)), 200)
    listed = check(await client.get(url, params={"status": "cancelled"}, headers=auth(org)), 200)
    assert listed["total"] == 1 and listed["items"][0]["cancel_reason"] == "no_show"


async def test_concurrent_bookings_of_one_participant_give_one_success(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db, n=52, table_count=60)
    slots = check(await client.get(f"{API}/events/{ev['id']}/slots", headers=auth(org)), 200)
    url = f"{API}/events/{ev['id']}/meetings"
    start = slots[2]["starts_at"]

    async def book(partner: int) -> int:
        r = await client.post(url, json={"participant_ids": [ids[0], partner], "starts_at": start}, headers=auth(org))
        return r.status_code

    codes = await asyncio.gather(*(book(p) for p in ids[1:51]))
    assert sorted(codes).count(201) == 1 and codes.count(409) == 49, codes


async def test_concurrent_bookings_of_one_table_give_one_success(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db, n=102, table_count=3)
    slots = check(await client.get(f"{API}/events/{ev['id']}/slots", headers=auth(org)), 200)
    table = ev["tables"][0]["id"]
    url = f"{API}/events/{ev['id']}/meetings"

    async def book(i: int) -> int:
        body = {"participant_ids": [ids[2 * i], ids[2 * i + 1]], "starts_at": slots[0]["starts_at"], "table_id": table}
        return (await client.post(url, json=body, headers=auth(org))).status_code

    codes = await asyncio.gather(*(book(i) for i in range(50)))
    assert codes.count(201) == 1 and codes.count(409) == 49, codes


async def test_participant_blocks_a_slot(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db, n=4)
    slots = check(await client.get(f"{API}/events/{ev['id']}/slots", headers=auth(org)), 200)
    t0 = await participant_token(client, org, ev["id"], ids[0])
    me = f"{API}/events/{ev['id']}/participants/{ids[0]}"
    body = check(await client.patch(me, json={"blocked_slots": ["2025-07-01T14:10:00+03:00"]}, headers=auth(t0)), 422)
    assert body["errors"][0]["loc"] == ["body", "blocked_slots", 0]
    updated = check(await client.patch(me, json={"blocked_slots": [slots[1]["starts_at"]]}, headers=auth(t0)), 200)
    assert updated["blocked_slots"] == [slots[1]["starts_at"]]
    url = f"{API}/events/{ev['id']}/meetings"
    body = check(
        await client.post(
            url, json={"participant_ids": [ids[0], ids[1]], "starts_at": slots[1]["starts_at"]}, headers=auth(org)
        ),
        409,
    )
    assert "blocked that slot" in body["detail"]
    other = await participant_token(client, org, ev["id"], ids[1])
    assert check(await client.get(me, headers=auth(other)), 200)["blocked_slots"] is None


async def test_accept_and_cancel_at_once_stay_consistent(client: AsyncClient, db: AsyncEngine) -> None:
    org, ev, ids = await setup(client, db, n=4)
    url = f"{API}/events/{ev['id']}/meeting-requests"
    t0, t1 = [await participant_token(client, org, ev["id"], i) for i in ids[:2]]
    for _ in range(5):
        req = check(await client.post(url, json={"to_participant_id": ids[1]}, headers=auth(t0)), 201)
        accept, cancel = await asyncio.gather(
            client.post(f"{url}/{req['id']}/accept", headers=auth(t1)),
            client.post(f"{url}/{req['id']}/cancel", headers=auth(t0)),
        )
        assert cancel.status_code == 200 and accept.status_code in (200, 409)
        final = next(r for r in check(await client.get(url, headers=auth(t0)), 200)["items"] if r["id"] == req["id"])
        assert final["status"] == "cancelled"
        meetings = check(await client.get(f"{API}/events/{ev['id']}/meetings", headers=auth(org)), 200)["items"]
        assert all(m["status"] == "cancelled" for m in meetings if m["request_id"] == req["id"])
