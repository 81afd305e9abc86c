"""GDPR erasure: the person's data is gone from every answer, partners are told, the report still adds up."""

from __future__ import annotations

import json
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.models import Notification
from tests.factories import auth, check
from tests.test_transfer import API, JSON_TYPE, Rich, _wait, build_rich_event, export

# what participant 0 (Ștefan Pop) wrote, and what was written to him
HIS_WORDS = (
    "Ștefan Pop",
    "Machine vision for factories",
    "Ștefan would like",
    "Ștefan: courses",
    "Data for your vision",
)


async def everything_visible(client: AsyncClient, rich: Rich) -> str:
    """Every answer an organiser or a participant can get about the event, as one text."""
    base, org = rich.base, auth(rich.org)
    page = {"limit": 200}
    out: list[str] = []

    async def get(url: str, headers: dict[str, str], **params: Any) -> None:
        r = await client.get(url, params=params, headers=headers)
        assert r.status_code == 200, f"{url}: {r.status_code} {r.text}"
        out.append(r.text)

    await get(f"{base}/participants", org, **page)
    await get(f"{base}/opportunities", org, **page)
    await get(f"{base}/meeting-requests", org, **page)
    await get(f"{base}/meetings", org, **page)
    await get(f"{base}/participants/export", org, format="csv")
    await get(f"{base}/participants/export", org, format="json")
    await get(f"{base}/meetings/export", org, format="csv")
    await get(f"{base}/table-plan", org)
    await get(f"{base}/report", org)
    await get(f"{base}/export", org)
    for pid in rich.people:
        await get(f"{base}/participants/{pid}", org)
        await get(f"{base}/participants/{pid}/suggestions", org, **page)
        await get(f"{base}/participants/{pid}/agenda", org)
        await get(f"{base}/participants/{pid}/agenda.ics", org)
    partner = auth(rich.tokens[rich.people[1]])
    await get(f"{base}/participants", partner, **page)
    await get(f"{base}/meeting-requests", partner, **page)
    await get(f"{base}/participants/{rich.people[1]}/suggestions", partner, **page)
    return "\n".join(out)


async def notifications(db: AsyncEngine) -> list[Notification]:
    async with db.connect() as conn:
        rows = (await conn.execute(select(Notification).order_by(Notification.id))).all()  # type: ignore[arg-type]
    return [Notification.model_validate(dict(r._mapping)) for r in rows]


async def test_erasure_removes_the_person_everywhere_and_tells_partners(client: AsyncClient, db: AsyncEngine) -> None:
    rich = await build_rich_event(client, db)
    base, org = rich.base, auth(rich.org)
    p = rich.people
    me = check(await client.get(f"{base}/participants/{p[0]}", headers=org), 200)
    before_text = await everything_visible(client, rich)
    for words in (*HIS_WORDS, me["email"]):
        assert words in before_text, words  # the check below can fail
    before = check(await client.get(f"{base}/report", headers=org), 200)

    erased = check(await client.post(f"{base}/participants/{p[0]}/erase", headers=org), 200)
    # his meeting in the future (with p1) is cancelled; the one held in 2025 (with p7) stays
    assert erased["meetings_cancelled"] == 1 and erased["requests_withdrawn"] == 2
    assert erased["partners_notified"] == 3 and erased["erased_by"] == "organiser" and erased["kept"]

    after_text = await everything_visible(client, rich)
    for words in (*HIS_WORDS, me["email"], me["external_id"]):
        assert words not in after_text, words
    assert "Erased participant" in after_text
    async with db.connect() as conn:  # nothing left in the database either
        dump = json.dumps(
            [
                [list(r) for r in (await conn.execute(text(f"SELECT * FROM {table}"))).all()]
                for table in ("participant", "opportunity", "meeting_request", "suggestion", "notification")
            ],
            default=str,
            ensure_ascii=False,
        )
    for words in (*HIS_WORDS, me["email"]):
        assert words not in dump, words

    # partners see the cancellation: meetings list with the reason, calendar feed, a domain event
    t1 = auth(rich.tokens[p[1]])
    mine = check(await client.get(f"{base}/meetings", headers=t1), 200)["items"]
    cancelled = next(m for m in mine if m["id"] == rich.meetings["future"])
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "participant_left"
    agenda = check(await client.get(f"{base}/participants/{p[1]}/agenda", headers=t1), 200)
    assert rich.meetings["future"] not in [i["meeting_id"] for i in agenda["items"]]
    ics = (await client.get(f"{base}/participants/{p[1]}/agenda.ics", headers=t1)).text
    assert "STATUS:CANCELLED" in ics
    told = [(n.recipient_id, n.kind, n.payload) for n in await notifications(db)]
    assert (p[1], "meeting.cancelled") in [(r, k) for r, k, load in told if load.get("reason") == "participant_left"]
    assert {r for r, k, load in told if k == "request.cancelled" and load.get("cancelled_by") == p[0]} == {p[2], p[3]}
    assert not [n for n in told if n[0] == p[0]]  # nothing addressed to the tombstone
    # the meeting held in 2025 is still in the partner's (p7) agenda, with the tombstone
    t7 = auth(rich.tokens[p[7]])
    held = check(await client.get(f"{base}/participants/{p[7]}/agenda", headers=t7), 200)["items"]
    assert [i["partner"]["name"] for i in held if i["meeting_id"] == rich.meetings["past"]] == ["Erased participant"]

    # the report still adds up
    after = check(await client.get(f"{base}/report", headers=org), 200)
    assert after["participants"]["total"] == before["participants"]["total"]
    assert after["participants"]["listed"] == before["participants"]["listed"] - 1
    assert after["requests"]["sent"] == before["requests"]["sent"]
    statuses = ("pending", "accepted", "declined", "cancelled", "expired")
    assert sum(after["requests"][s] for s in statuses) == after["requests"]["sent"]
    assert after["requests"]["pending"] == before["requests"]["pending"] - 2
    meetings = ("scheduled", "unscheduled", "cancelled")
    assert sum(after["meetings"][s] for s in meetings) == sum(before["meetings"][s] for s in meetings)
    assert after["meetings"]["cancelled"] == before["meetings"]["cancelled"] + 1
    with_meetings = sum(n for k, n in after["meetings_per_participant"]["histogram"].items() if int(k) > 0)
    assert with_meetings + after["without_meetings"]["total"] == after["participants"]["total"]
    assert after["countries"] == before["countries"]

    # a tombstone takes no further part
    check(await client.get(f"{base}/participants/{p[1]}", headers=auth(rich.tokens[p[0]])), 401)
    check(await client.post(f"{base}/participants/{p[0]}/erase", headers=org), 409)
    check(await client.patch(f"{base}/participants/{p[0]}", json={"name": "Back"}, headers=org), 409)
    check(await client.post(f"{base}/participants/{p[0]}/access-token", headers=org), 409)
    ask = {"to_participant_id": p[0], "from_participant_id": p[3]}
    check(await client.post(f"{base}/meeting-requests", json=ask, headers=org), 409)
    check(await client.post(f"{base}/meetings", json={"participant_ids": [p[0], p[3]]}, headers=org), 409)


async def test_participant_erases_themself_and_the_export_keeps_the_tombstone(
    client: AsyncClient, db: AsyncEngine
) -> None:
    rich = await build_rich_event(client, db)
    base, p = rich.base, rich.people
    mine = auth(rich.tokens[p[3]])
    check(await client.post(f"{base}/participants/{p[2]}/erase", headers=mine), 403)  # not someone else
    erased = check(await client.post(f"{base}/participants/{p[3]}/erase", headers=mine), 200)
    assert erased["erased_by"] == "participant" and erased["participant_id"] == p[3]
    check(await client.get(f"{base}/participants/{p[3]}", headers=mine), 401)  # the token died with the data

    # a profile edit re-ranks someone against the fitted engine: the erased person does not come back
    t2 = auth(rich.tokens[p[2]])
    check(await client.patch(f"{base}/participants/{p[2]}", json={"job_title": "Dean of data"}, headers=t2), 200)
    listed = check(await client.get(f"{base}/participants/{p[2]}/suggestions", headers=t2), 200)["items"]
    assert p[3] not in [s["participant"]["id"] for s in listed]
    document = await export(client, rich.org, rich.event["id"])
    assert "Datos Industriales" in json.dumps(document, ensure_ascii=False)  # the organisation stays
    assert "María García" not in json.dumps(document, ensure_ascii=False)
    assert [e["participant_id"] for e in document["erasures"]] == [p[3]]
    # never suggested to anyone again, and a new run gives the tombstone no list of its own
    assert all(s["partner_id"] != p[3] for s in document["suggestions"])
    await _wait(client, rich.org, f"{base}/matching-runs")
    rerun = await export(client, rich.org, rich.event["id"], suggestions="true")
    assert rerun["suggestions"], "the run ranked the others"
    assert all(p[3] not in (s["participant_id"], s["partner_id"]) for s in rerun["suggestions"])
    tomb = next(x for x in document["participants"] if x["id"] == p[3])
    assert tomb["name"] == "Erased participant" and tomb["offers"] == tomb["requests"] == [] and not tomb["listed"]

    # the tombstone survives an import: still erased, still refused
    r = await client.post(
        f"{API}/events/import",
        content=json.dumps(document),
        params={"slug": "after-erasure"},
        headers=auth(rich.org) | JSON_TYPE,
    )
    imported = check(r, 201)
    assert imported["counts"]["erasures"] == 1
    copy_base = f"{API}/events/{imported['event_id']}"
    people = check(await client.get(f"{copy_base}/participants", params={"limit": 200}, headers=auth(rich.org)), 200)
    tomb_id = next(x["id"] for x in people["items"] if x["name"] == "Erased participant")
    check(await client.post(f"{copy_base}/participants/{tomb_id}/erase", headers=auth(rich.org)), 409)
