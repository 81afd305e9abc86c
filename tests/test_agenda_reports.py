"""Agendas (JSON and iCalendar), organiser exports, the table plan and the event report."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

from httpx import ASGITransport, AsyncClient, Response
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.main import create_app
from app.services.grid import GridSlot
from app.services.reports import bar_chart_svg, gaps_of
from tests.factories import auth, check, create_event, organiser_token, participant_token

API = "/api/v1"
LINK = "https://meet.example.org/b2b-1"
SVG = "{http://www.w3.org/2000/svg}"


def raw(response: Response, status: int = 200) -> Response:
    """Like ``check`` for bodies that are not JSON (calendars, spreadsheets, images)."""
    assert response.status_code == status, f"{response.status_code} != {status}: {response.text[:500]}"
    return response


def person(key: str, country: str, kind: str = "company", **extra: Any) -> dict[str, Any]:
    return {
        "external_id": key,
        "name": f"{key.title()} Tester",
        "email": f"{key}@example.org",
        "job_title": "Innovation manager",
        "organisation": {"name": f"{key.title()} Org", "kind": kind, "country": country},
        **extra,
    }


async def import_people(client: AsyncClient, org: str, event_id: int, people: list[dict[str, Any]]) -> dict[str, int]:
    url = f"{API}/events/{event_id}/participants/import"
    body = check(await client.post(url, json={"participants": people}, headers=auth(org)), 200)
    return {p["external_id"]: p["id"] for p in body["participants"]}


async def slot_starts(client: AsyncClient, org: str, event_id: int) -> list[str]:
    return [s["starts_at"] for s in check(await client.get(f"{API}/events/{event_id}/slots", headers=auth(org)), 200)]


async def book(client: AsyncClient, org: str, event_id: int, a: int, b: int, starts_at: str, **extra: Any) -> int:
    body = {"participant_ids": [a, b], "starts_at": starts_at, **extra}
    return int(check(await client.post(f"{API}/events/{event_id}/meetings", json=body, headers=auth(org)), 201)["id"])


async def request(client: AsyncClient, org: str, event_id: int, a: int, b: int, then: str | None = None) -> Any:
    """A request from a to b sent by the organiser on a's behalf, then accepted / declined / cancelled."""
    url = f"{API}/events/{event_id}/meeting-requests"
    body = {"from_participant_id": a, "to_participant_id": b}
    created = check(await client.post(url, json=body, headers=auth(org)), 201)
    if then is None:
        return created
    return check(await client.post(f"{url}/{created['id']}/{then}", headers=auth(org)), 200)


async def move(client: AsyncClient, org: str, event_id: int, meeting_id: int, starts_at: str) -> None:
    url = f"{API}/events/{event_id}/meetings/{meeting_id}"
    check(await client.patch(url, json={"starts_at": starts_at}, headers=auth(org)), 200)


# --- agenda -----------------------------------------------------------------------------------


async def _agenda_event(client: AsyncClient, db: AsyncEngine) -> dict[str, Any]:
    """Ana meets Bert at 14:00 at a table and Carla at 14:25 online; Dan (cancelled) and Eve (unscheduled)."""
    org = await organiser_token(client, db)
    tables = [{"name": "T01"}, {"name": "T02"}, {"name": "Online", "online": True, "link": LINK}]
    event = await create_event(client, org, venue="Grand Hotel", tables=tables)
    eid = event["id"]
    ids = await import_people(
        client,
        org,
        eid,
        [
            person("ana", "RO"),
            person("bert", "DE", "university"),
            person("carla", "IT", "research"),
            person("dan", "RO"),
            person("eve", "FR", "cluster"),
        ],
    )
    starts = await slot_starts(client, org, eid)
    online = next(t["id"] for t in event["tables"] if t["online"])
    meetings = {
        "bert": await book(client, org, eid, ids["ana"], ids["bert"], starts[0]),
        "carla": await book(client, org, eid, ids["carla"], ids["ana"], starts[1], table_id=online),
        "dan": await book(client, org, eid, ids["ana"], ids["dan"], starts[3]),
    }
    check(await client.post(f"{API}/events/{eid}/meetings/{meetings['dan']}/cancel", headers=auth(org)), 200)
    meetings["eve"] = (await request(client, org, eid, ids["eve"], ids["ana"], "accept"))["meeting_id"]
    return {
        "org": org,
        "event": event,
        "ids": ids,
        "meetings": meetings,
        "starts": starts,
        "ana": await participant_token(client, org, eid, ids["ana"]),
        "bert": await participant_token(client, org, eid, ids["bert"]),
    }


async def test_agenda_lists_live_meetings_in_event_time_with_public_partners(
    client: AsyncClient, db: AsyncEngine
) -> None:
    s = await _agenda_event(client, db)
    eid, ids, meetings = s["event"]["id"], s["ids"], s["meetings"]
    url = f"{API}/events/{eid}/participants/{ids['ana']}/agenda"
    agenda = check(await client.get(url, headers=auth(s["ana"])), 200)
    assert agenda["timezone"] == "Europe/Bucharest" and agenda["published"] is False
    items = agenda["items"]
    assert [i["meeting_id"] for i in items] == [meetings["bert"], meetings["carla"], meetings["eve"]]  # no cancelled
    first, online, unscheduled = items
    assert first["starts_at"] == "2025-07-01T14:00:00+03:00" and first["ends_at"] == "2025-07-01T14:20:00+03:00"
    assert first["table"]["name"] == "T01" and first["status"] == "scheduled"
    assert first["partner"]["name"] == "Bert Tester" and first["partner"]["email"] is None  # others' email hidden
    assert first["partner"]["organisation"]["country"] == "DE"
    assert online["table"] == {"id": online["table"]["id"], "name": "Online", "online": True, "link": LINK}
    assert online["partner"]["id"] == ids["carla"]
    assert unscheduled["starts_at"] is None and unscheduled["status"] == "unscheduled"
    # an organiser sees the partner's email; another participant may not look
    as_organiser = check(await client.get(url, headers=auth(s["org"])), 200)
    assert as_organiser["items"][0]["partner"]["email"] == "bert@example.org"
    check(await client.get(url, headers=auth(s["bert"])), 403)
    check(await client.get(url), 401)
    check(await client.get(f"{API}/events/{eid}/participants/999999/agenda", headers=auth(s["org"])), 404)


def _events(body: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


async def test_ics_feed_has_stable_uids_growing_sequence_and_cancellations(
    client: AsyncClient, db: AsyncEngine
) -> None:
    s = await _agenda_event(client, db)
    eid, ids, meetings, starts = s["event"]["id"], s["ids"], s["meetings"], s["starts"]
    url = f"{API}/events/{eid}/participants/{ids['ana']}/agenda.ics"
    r = raw(await client.get(url, params={"token": s["ana"]}), 200)
    assert r.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(r.content)
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Bucharest" and "Ana Tester" in str(cal["X-WR-CALNAME"])
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Bucharest"]
    events = _events(r.content)
    uid = {k: f"meeting-{m}-event-{eid}@matchmaker" for k, m in meetings.items()}
    assert set(events) == {uid["bert"], uid["carla"], uid["dan"]}  # the unscheduled one has no time yet
    bert = events[uid["bert"]]
    assert bert["DTSTART"].params["TZID"] == "Europe/Bucharest"
    assert bert.decoded("DTSTART").isoformat() == "2025-07-01T14:00:00+03:00"
    assert str(bert["SUMMARY"]) == "B2B meeting: Bert Tester (Bert Org)"
    assert str(bert["LOCATION"]) == "Table T01, Grand Hotel, Cluj-Napoca"
    assert "Innovation manager" in str(bert["DESCRIPTION"]) and "(DE)" in str(bert["DESCRIPTION"])
    assert str(bert["STATUS"]) == "TENTATIVE" and bert.decoded("DTSTAMP").utcoffset().total_seconds() == 0
    carla = events[uid["carla"]]
    assert str(carla["LOCATION"]) == LINK and str(carla["URL"]) == LINK and LINK in str(carla["DESCRIPTION"])
    assert str(events[uid["dan"]]["STATUS"]) == "CANCELLED"
    # the same UIDs on the next fetch; a move raises SEQUENCE so calendars update the entry
    again = _events(raw(await client.get(url, headers=auth(s["ana"])), 200).content)
    assert set(again) == set(events)
    await move(client, s["org"], eid, meetings["bert"], starts[2])
    moved = _events(raw(await client.get(url, params={"token": s["ana"]}), 200).content)
    assert set(moved) == set(events)
    assert int(moved[uid["bert"]]["SEQUENCE"]) > int(events[uid["bert"]]["SEQUENCE"])
    assert moved[uid["bert"]].decoded("DTSTART").isoformat() == "2025-07-01T14:50:00+03:00"
    assert int(moved[uid["carla"]]["SEQUENCE"]) == int(events[uid["carla"]]["SEQUENCE"])


async def test_ics_feed_revalidates_and_follows_changes(
    client: AsyncClient, db: AsyncEngine, settings: Settings
) -> None:
    """The feed's ETag changes with anything it shows; a cached feed is byte for byte a fresh process's."""
    s = await _agenda_event(client, db)
    eid, ids, meetings, starts = s["event"]["id"], s["ids"], s["meetings"], s["starts"]
    url = f"{API}/events/{eid}/participants/{ids['ana']}/agenda.ics"

    async def read(step: str, tag: str | None = None) -> tuple[int, str, bytes]:
        r = await client.get(url, params={"token": s["ana"]}, headers={"If-None-Match": tag} if tag else {})
        fresh_app = create_app(settings)  # an empty cache
        async with AsyncClient(transport=ASGITransport(app=fresh_app), base_url="http://test") as fresh:
            uncached = raw(await fresh.get(url, params={"token": s["ana"]}), 200)
        await fresh_app.state.engine.dispose()
        assert r.headers["ETag"] == uncached.headers["ETag"], step
        assert r.headers["Cache-Control"] == "private, no-cache", step
        if r.status_code == 200:
            assert r.content == uncached.content, step
        return r.status_code, r.headers["ETag"], r.content

    status, tag, _ = await read("first")
    assert status == 200
    status, same, body = await read("unchanged", tag)
    assert (status, same, body) == (304, tag, b"")
    assert (await client.get(url, params={"token": s["ana"]}, headers={"If-None-Match": '"other"'})).status_code == 200

    tags = {tag}
    bert = f"{API}/events/{eid}/participants/{ids['bert']}"
    check(await client.patch(bert, json={"job_title": "Chief engineer"}, headers=auth(s["bert"])), 200)
    status, tag, body = await read("partner edited", tag)
    assert status == 200 and tag not in tags and "Chief engineer" in str(_events(body).values())
    tags.add(tag)
    check(await client.patch(f"{API}/events/{eid}", json={"name": "Renamed meetup"}, headers=auth(s["org"])), 200)
    status, tag, body = await read("event renamed", tag)
    assert status == 200 and tag not in tags and "Renamed meetup" in str(Calendar.from_ical(body)["X-WR-CALNAME"])
    tags.add(tag)
    check(await client.post(f"{API}/events/{eid}/schedule/publish", headers=auth(s["org"])), 204)
    status, tag, body = await read("published", tag)
    assert status == 200 and tag not in tags
    assert {str(e["STATUS"]) for e in _events(body).values()} == {"CONFIRMED", "CANCELLED"}
    tags.add(tag)
    await move(client, s["org"], eid, meetings["bert"], starts[2])
    status, tag, body = await read("moved", tag)
    assert status == 200 and tag not in tags
    uid = f"meeting-{meetings['bert']}-event-{eid}@matchmaker"
    assert _events(body)[uid].decoded("DTSTART").isoformat() == "2025-07-01T14:50:00+03:00"


async def test_ics_feed_access(client: AsyncClient, db: AsyncEngine) -> None:
    s = await _agenda_event(client, db)
    eid, ids = s["event"]["id"], s["ids"]
    url = f"{API}/events/{eid}/participants/{ids['ana']}/agenda.ics"
    wrong = await client.get(url, params={"token": "mmp_not-a-real-token"})
    assert wrong.status_code == 401 and wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["status"] == 401
    check(await client.get(url), 401)
    check(await client.get(url, params={"token": s["bert"]}), 403)  # another participant
    raw(await client.get(url, params={"token": s["org"]}), 200)  # the organiser
    # the query token is only for the feed
    check(await client.get(f"{API}/events/{eid}/participants/{ids['ana']}/agenda", params={"token": s["ana"]}), 401)


# --- exports, table plan, report ---------------------------------------------------------------

FORMULA_ORG = "=1+2 Research"


async def _report_event(client: AsyncClient, db: AsyncEngine) -> dict[str, Any]:
    """Eight participants, two sessions (5 + 2 slots), four scheduled meetings, one unscheduled.

    ana: slots 0, 2 (session 1) and 5 (session 2) -> one 1-slot gap; bert: slots 0 and 3 -> one 2-slot gap;
    carla: 2, 3; dan: 5. Without meetings: eve (accepted, unscheduled), finn (nothing accepted), gio (cap 0),
    hana (attends no session).
    """
    org = await organiser_token(client, db)
    sessions = [
        {"name": "Afternoon", "starts_at": "2025-07-01T14:00:00+03:00", "ends_at": "2025-07-01T16:00:00+03:00"},
        {"name": "Morning", "starts_at": "2025-07-02T10:00:00+03:00", "ends_at": "2025-07-02T11:00:00+03:00"},
    ]
    event = await create_event(client, org, sessions=sessions, table_count=3)
    eid = event["id"]
    carla = person("carla", "IT", "research")
    carla["organisation"]["name"] = FORMULA_ORG
    ids = await import_people(
        client,
        org,
        eid,
        [
            person("ana", "RO"),
            person("bert", "DE", "university"),
            carla,
            person("dan", "RO"),
            person("eve", "FR", "cluster"),
            person("finn", "DE"),
            person("gio", "IT", max_meetings=0),
            person("hana", "RO"),
        ],
    )
    hana = f"{API}/events/{eid}/participants/{ids['hana']}"
    check(await client.patch(hana, json={"session_ids": []}, headers=auth(org)), 200)
    starts = await slot_starts(client, org, eid)
    assert len(starts) == 7
    m = {
        "ana-bert": await book(client, org, eid, ids["ana"], ids["bert"], starts[0]),
        "ana-carla": await book(client, org, eid, ids["ana"], ids["carla"], starts[2]),
        "ana-dan": await book(client, org, eid, ids["ana"], ids["dan"], starts[5]),
    }
    m["bert-carla"] = (await request(client, org, eid, ids["bert"], ids["carla"], "accept"))["meeting_id"]
    await move(client, org, eid, m["bert-carla"], starts[3])
    m["eve-ana"] = (await request(client, org, eid, ids["eve"], ids["ana"], "accept"))["meeting_id"]
    await request(client, org, eid, ids["finn"], ids["bert"], "decline")
    await request(client, org, eid, ids["dan"], ids["carla"])  # pending
    await request(client, org, eid, ids["carla"], ids["eve"], "cancel")
    participant = await participant_token(client, org, eid, ids["ana"])
    return {"org": org, "event": event, "ids": ids, "meetings": m, "starts": starts, "participant": participant}


async def test_meetings_export_csv_and_xlsx(client: AsyncClient, db: AsyncEngine) -> None:
    s = await _report_event(client, db)
    eid, m = s["event"]["id"], s["meetings"]
    url = f"{API}/events/{eid}/meetings/export"
    r = raw(await client.get(url, headers=auth(s["org"])), 200)
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    order = [m["ana-bert"], m["ana-carla"], m["bert-carla"], m["ana-dan"], m["eve-ana"]]
    assert [int(row["meeting_id"]) for row in rows] == order
    first = rows[0]
    assert first["status"] == "scheduled" and first["date"] == "2025-07-01" and first["time"] == "14:00-14:20"
    assert first["starts_at"] == "2025-07-01T14:00:00+03:00" and first["table"] == "T01"
    assert (first["a_name"], first["a_country"], first["a_email"]) == ("Ana Tester", "RO", "ana@example.org")
    assert (first["b_organisation"], first["source"], first["locked"]) == ("Bert Org", "organiser", "false")
    assert rows[1]["b_organisation"] == "'" + FORMULA_ORG  # neutralised for spreadsheets
    assert rows[3]["starts_at"] == "2025-07-02T10:00:00+03:00"
    assert rows[4]["status"] == "unscheduled" and rows[4]["starts_at"] == "" and rows[4]["source"] == "request"

    x = raw(await client.get(url, params={"format": "xlsx"}, headers=auth(s["org"])), 200)
    assert x.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert x.headers["content-disposition"].endswith('-meetings.xlsx"')
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[0]
    assert header[:4] == ["meeting_id", "status", "date", "time"] and sheet["A1"].font.b
    assert [v[0] for v in values[1:]] == order
    cell = sheet.cell(row=3, column=header.index("b_organisation") + 1)
    assert cell.value == FORMULA_ORG and cell.data_type == "s"  # text, never a formula
    check(await client.get(url, params={"format": "pdf"}, headers=auth(s["org"])), 422)


async def test_table_plan(client: AsyncClient, db: AsyncEngine) -> None:
    s = await _report_event(client, db)
    eid, ids, m = s["event"]["id"], s["ids"], s["meetings"]
    url = f"{API}/events/{eid}/table-plan"
    plan = check(await client.get(url, headers=auth(s["org"])), 200)
    assert plan["timezone"] == "Europe/Bucharest" and plan["tables"] == ["T01", "T02", "T03"]
    assert [slot["starts_at"][11:16] for slot in plan["slots"]] == [
        "14:00",
        "14:25",
        "14:50",
        "15:15",
        "15:40",
        "10:00",
        "10:25",
    ]
    first = plan["slots"][0]
    assert first["starts_at"] == "2025-07-01T14:00:00+03:00" and first["ends_at"] == "2025-07-01T14:20:00+03:00"
    assert first["tables"]["T01"]["meeting_id"] == m["ana-bert"]
    assert [p["id"] for p in first["tables"]["T01"]["participants"]] == [ids["ana"], ids["bert"]]
    bert = {"id": ids["bert"], "name": "Bert Tester", "organisation": "Bert Org"}
    assert first["tables"]["T01"]["participants"][1] == bert
    assert first["tables"]["T02"] is None
    assert all(t is None for t in plan["slots"][1]["tables"].values())

    r = raw(await client.get(url, params={"format": "csv"}, headers=auth(s["org"])), 200)
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["date", "start", "end", "T01", "T02", "T03"] and len(rows) == 8
    assert rows[1][:4] == ["2025-07-01", "14:00", "14:20", "Ana Tester (Ana Org) / Bert Tester (Bert Org)"]
    x = raw(await client.get(url, params={"format": "xlsx"}, headers=auth(s["org"])), 200)
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None and sheet.max_row == 8 and sheet["D2"].value == rows[1][3]
    check(await client.get(url, params={"format": "pdf"}, headers=auth(s["org"])), 422)


async def test_table_plan_after_a_table_is_removed(client: AsyncClient, db: AsyncEngine) -> None:
    s = await _report_event(client, db)
    eid, m = s["event"]["id"], s["meetings"]
    tables = [{"name": "T02"}, {"name": "=Stage"}]  # T01 hosted every meeting; it goes
    check(await client.patch(f"{API}/events/{eid}", json={"tables": tables}, headers=auth(s["org"])), 200)
    url = f"{API}/events/{eid}/table-plan"
    plan = check(await client.get(url, headers=auth(s["org"])), 200)
    # its meetings went back to unscheduled (to be placed again), so no slot shows them
    assert plan["tables"] == ["T02", "=Stage"]
    assert all(cell is None for slot in plan["slots"] for cell in slot["tables"].values())
    moved = check(await client.get(f"{API}/events/{eid}/meetings", headers=auth(s["org"])), 200)["items"]
    assert next(x for x in moved if x["id"] == m["ana-bert"])["unplaced_reason"] == "grid_changed"
    r = raw(await client.get(url, params={"format": "csv"}, headers=auth(s["org"])))
    header = next(csv.reader(io.StringIO(r.text)))
    assert header[3:] == ["T02", "'=Stage"]
    x = raw(await client.get(url, params={"format": "xlsx"}, headers=auth(s["org"])))
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None and sheet["E1"].value == "=Stage" and sheet["E1"].data_type == "s"


async def test_report_numbers(client: AsyncClient, db: AsyncEngine) -> None:
    s = await _report_event(client, db)
    report = check(await client.get(f"{API}/events/{s['event']['id']}/report", headers=auth(s["org"])), 200)
    assert report["participants"] == {"total": 8, "listed": 8}
    assert list(report["countries"].items()) == [("RO", 3), ("DE", 2), ("IT", 2), ("FR", 1)]
    assert report["organisation_kinds"] == {"company": 5, "university": 1, "research": 1, "cluster": 1}
    assert report["requests"] == {
        "sent": 5,
        "pending": 1,
        "accepted": 2,
        "declined": 1,
        "cancelled": 1,
        "expired": 0,
    }
    assert report["acceptance_rate"] == round(2 / 3, 4)
    assert report["meetings"] == {
        "scheduled": 4,
        "unscheduled": 1,
        "cancelled": 0,
        "from_requests": 2,
        "fill_ins": 0,
        "by_organiser": 3,
    }
    assert report["meetings_per_participant"] == {
        "min": 0,
        "median": 0.5,
        "max": 3,
        "mean": 1.0,
        "histogram": {"0": 4, "1": 1, "2": 2, "3": 1},
    }
    assert report["without_meetings"] == {
        "total": 4,
        "reasons": {"cap_zero": 1, "unavailable": 1, "not_placed": 1, "no_accepted_requests": 1},
        "not_placed_reasons": {"not_scheduled_yet": 1},
    }
    # ana: a 1-slot gap (slots 0 and 2; slot 5 is the next session); bert: a 2-slot gap (slots 0 and 3)
    assert report["idle_gaps"] == {"total": 2, "idle_slots": 3, "per_participant_mean": 0.5, "max": 1, "longest": 2}
    assert report["countries_met"] == 3  # RO-DE, RO-IT, DE-IT; RO-RO is not a border
    assert report["cross_border_share"] == 0.75
    assert report["timezone"] == "Europe/Bucharest" and report["generated_at"].endswith(("+03:00", "+02:00"))


async def test_report_of_an_empty_event(client: AsyncClient, db: AsyncEngine) -> None:
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    report = check(await client.get(f"{API}/events/{event['id']}/report", headers=auth(org)), 200)
    assert report["participants"]["total"] == 0 and report["acceptance_rate"] is None
    assert report["meetings_per_participant"]["median"] is None and report["cross_border_share"] is None
    chart = raw(await client.get(f"{API}/events/{event['id']}/report/meetings-per-participant.svg", headers=auth(org)))
    assert ET.fromstring(chart.content).tag == f"{SVG}svg"


async def test_report_chart_is_valid_svg(client: AsyncClient, db: AsyncEngine) -> None:
    s = await _report_event(client, db)
    url = f"{API}/events/{s['event']['id']}/report/meetings-per-participant.svg"
    r = raw(await client.get(url, headers=auth(s["org"])))
    assert r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text and title.text.startswith("Meetings per participant")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Scheduled meetings" in texts and "Participants" in texts
    bars = [b for b in root.iter(f"{SVG}rect") if b.get("fill") == "#3b6ea5"]
    assert len(bars) == 4  # 0, 1, 2 and 3 meetings
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights[0] == max(heights) and heights[1] == heights[3] and heights[2] == 2 * heights[1]


async def test_organiser_only(client: AsyncClient, db: AsyncEngine) -> None:
    s = await _report_event(client, db)
    eid = s["event"]["id"]
    paths = [
        "meetings/export",
        "meetings/export?format=xlsx",
        "table-plan",
        "report",
        "report/meetings-per-participant.svg",
    ]
    for path in paths:
        r = await client.get(f"{API}/events/{eid}/{path}", headers=auth(s["participant"]))
        assert r.status_code == 403, path
        assert r.headers["content-type"] == "application/problem+json"
        check(await client.get(f"{API}/events/{eid}/{path}"), 401)
    stranger = await organiser_token(client, db)
    check(await client.get(f"{API}/events/{eid}/report", headers=auth(stranger)), 403)


# --- pure helpers ------------------------------------------------------------------------------


def _slots(*positions: tuple[int, int]) -> list[GridSlot]:
    """Grid slots from (index, session) pairs; times do not matter to gaps."""
    from datetime import UTC, datetime

    t = datetime(2025, 7, 1, tzinfo=UTC)
    return [GridSlot(i, session + 1, session, t, t) for i, session in positions]


def test_gaps_count_free_runs_inside_a_session_only() -> None:
    assert gaps_of(_slots((0, 0), (2, 0))) == [1]
    assert gaps_of(_slots((0, 0), (1, 0))) == []
    assert gaps_of(_slots((3, 0), (0, 0), (4, 0))) == [2]  # order does not matter
    assert gaps_of(_slots((4, 0), (5, 1))) == []  # end of one session, start of the next
    assert gaps_of(_slots((0, 0), (2, 0), (5, 0), (7, 1), (9, 1))) == [1, 2, 1]


def test_chart_escapes_text_and_thins_crowded_labels() -> None:
    svg = bar_chart_svg({0: 3, 60: 1}, title="R&D <2025>", x_label="x", y_label="y")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title") is not None and root.findtext(f"{SVG}title") == "R&D <2025>"
    assert len([b for b in root.iter(f"{SVG}rect") if b.get("fill") == "#3b6ea5"]) == 61
    axis = [t.text for t in root.iter(f"{SVG}text") if t.get("y") == "354.0"]  # below the x axis
    assert axis == [str(n) for n in range(0, 61, 3)]  # every third value labelled on 61 bars
