"""Hostile and messy input through the real API, on SQLite and PostgreSQL.

Every refusal is a 4xx problem that names what to fix (field, or row and column), never a 500,
and leaves the database exactly as it was: each failure is checked against a snapshot of every
table. `tests/test_import.py` covers the plain import cases (BOM, semicolons, Windows-1250,
row problems, round trip); this file adds the encodings, sizes and attacks around them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient, Response
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db import metadata
from app.main import create_app
from app.schemas.common import MAX_BODY_BYTES
from tests.factories import (
    auth,
    check,
    create_event,
    create_participant,
    event_body,
    organiser_token,
    participant_body,
)

API = "/api/v1"
MB = 1024 * 1024
FORMULAS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


# --- helpers -------------------------------------------------------------------------------------


async def snapshot(db: AsyncEngine) -> dict[str, list[str]]:
    """Every row of every table, as text: equal snapshots mean nothing was written."""
    out: dict[str, list[str]] = {}
    async with db.connect() as conn:
        for table in metadata.sorted_tables:
            rows = (await conn.execute(select(table))).all()
            out[table.name] = sorted(repr(tuple(r)) for r in rows)
    return out


def problem(r: Response, status: int, *locs: tuple[Any, ...]) -> dict[str, Any]:
    """A problem+json answer with this status whose errors point at each of ``locs`` (a prefix of loc)."""
    assert r.status_code == status, f"{r.status_code} != {status}: {r.text[:2000]}"
    assert r.headers["content-type"] == "application/problem+json", r.headers["content-type"]
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"], body
    found = [tuple(e["loc"]) for e in body.get("errors") or []]
    for loc in locs:
        assert any(f[: len(loc)] == loc for f in found), f"no error at {loc}: {found}"
    return body


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def upload(data: bytes, name: str = "p.csv") -> dict[str, Any]:
    return {"files": {"file": (name, data, "text/csv")}}


def cedilla(s: str) -> str:
    """One spelling of the Romanian ș/ț: legacy code pages have only the cedilla forms."""
    return s.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").replace("Ț", "Ţ")


async def setup(client: AsyncClient, db: AsyncEngine, **event: Any) -> tuple[str, dict[str, Any], str]:
    token = await organiser_token(client, db)
    ev = await create_event(client, token, **event)
    return token, ev, f"{API}/events/{ev['id']}"


# --- encodings and spreadsheet dialects ----------------------------------------------------------

HEADER = ["external_id", "name", "email", "organisation", "organisation_kind", "country", "city", "offer_1_title"]
ROMANIAN = [
    ["ro1", "Ștefan Țăranu", "stefan@example.org", "Asociația Îmbrăcăminte Șomcuta", "cluster", "RO", "Brașov",
     "Consultanță în digitalizare și tehnologie"],
    ["ro2", "ĂÂÎȘȚ ăâîșț", "litere@example.org", "Fabrica de Pâine Târgu Mureș", "company", "ro", "Târgu Mureș",
     "Pâine și covrigi, în fiecare zi"],
]  # fmt: skip


async def _names_back(client: AsyncClient, token: str, url: str) -> dict[str, dict[str, Any]]:
    people = check(await client.get(f"{url}/participants", headers=auth(token)), 200)["items"]
    return {p["external_id"]: p for p in people}


@pytest.mark.parametrize("encoding", ["iso8859_2", "cp1250"])
async def test_csv_in_central_european_code_pages_keeps_every_romanian_letter(
    client: AsyncClient, db: AsyncEngine, encoding: str
) -> None:
    token, _, url = await setup(client, db)
    # Excel in a Romanian locale: semicolons, CRLF, a quoted cell with a newline and a semicolon in it
    rows = [HEADER + ["offer_1_description"]] + [[*r, "Rând unu;\r\nrând doi, cu virgulă"] for r in ROMANIAN]
    data = csv_bytes([[cedilla(c) for c in r] for r in rows], encoding, delimiter=";")
    check(await client.post(f"{url}/participants/import", headers=auth(token), **upload(data)), 200)
    back = await _names_back(client, token, url)
    for r in ROMANIAN:
        p = back[r[0]]
        assert cedilla(p["name"]) == cedilla(r[1])
        assert cedilla(p["organisation"]["name"]) == cedilla(r[3]) and p["organisation"]["country"] == "RO"
        assert cedilla(p["organisation"]["city"]) == cedilla(r[6])
        assert cedilla(p["offers"][0]["title"]) == cedilla(r[7])
        assert cedilla(p["offers"][0]["description"]) == cedilla("Rând unu;\r\nrând doi, cu virgulă")


async def test_csv_from_excel_unicode_text_utf16_with_tabs(client: AsyncClient, db: AsyncEngine) -> None:
    token, _, url = await setup(client, db)
    data = "\ufeff".encode("utf-16-le") + csv_bytes([HEADER, *ROMANIAN], "utf-16-le", delimiter="\t")
    check(await client.post(f"{url}/participants/import", headers=auth(token), **upload(data, "p.txt")), 200)
    back = await _names_back(client, token, url)
    assert back["ro1"]["name"] == "Ștefan Țăranu" and back["ro2"]["name"] == "ĂÂÎȘȚ ăâîșț"


async def test_a_workbook_or_binary_sent_as_csv_is_explained(client: AsyncClient, db: AsyncEngine) -> None:
    token, _, url = await setup(client, db)
    wb = Workbook()
    wb.active.append(HEADER)
    xlsx = io.BytesIO()
    wb.save(xlsx)
    before = await snapshot(db)
    body = problem(await client.post(f"{url}/participants/import", headers=auth(token), **upload(xlsx.getvalue())), 422)
    assert "CSV" in body["detail"] and "Save As" in body["detail"]
    # a cell too long for any column stops the parser: the row is named, not a 500
    huge = csv_bytes([HEADER[:6], ["x", "A" * 200_000, "a@example.org", "Org", "company", "RO"]])
    body = problem(await client.post(f"{url}/participants/import", headers=auth(token), **upload(huge)), 422)
    assert body["errors"][0]["row"] == 1 and "longer than" in body["errors"][0]["msg"]
    assert await snapshot(db) == before


# --- formula injection ---------------------------------------------------------------------------


def _hostile_people() -> list[dict[str, Any]]:
    out = []
    for i, payload in enumerate(PAYLOADS):
        out.append(
            {
                "external_id": payload,
                "name": payload,
                "email": f"f{i}@example.org",
                "job_title": payload,
                "languages": ["ro"],
                "organisation": {
                    "name": f"{payload} {i}",
                    "kind": "company",
                    "country": "RO",
                    "city": payload,
                    "description": "\t" + payload,
                    "keywords": [payload],
                },
                "offers": [{"title": payload, "description": "\r" + payload, "keywords": [payload]}],
                "requests": [{"title": payload, "description": "\t=1+1"}],
            }
        )
    return out


def _csv_cells(content: bytes) -> list[str]:
    text_ = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text_, newline="")) for cell in row]


def _assert_csv_safe(content: bytes, expected: int) -> None:
    cells = _csv_cells(content)
    dangerous = [c for c in cells if c.startswith(FORMULAS)]
    assert not dangerous, dangerous[:5]
    guarded = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULAS)]
    assert len(guarded) >= expected, (len(guarded), expected)


def _assert_xlsx_safe(content: bytes, expected: int) -> None:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is stored as a formula"
    # the text itself is kept: the sheet shows what was entered
    kept = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULAS)]
    assert len(kept) >= expected, (len(kept), expected)


async def test_formulas_are_neutralised_on_every_export(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db, tables=[{"name": p} for p in PAYLOADS])
    imported = check(
        await client.post(f"{url}/participants/import", json={"participants": _hostile_people()}, headers=auth(token)),
        200,
    )
    ids = [p["id"] for p in imported["participants"]]
    slots = check(await client.get(f"{url}/slots", headers=auth(token)), 200)
    for i, (a, b) in enumerate([(ids[0], ids[1]), (ids[2], ids[3])]):
        check(
            await client.post(
                f"{url}/meetings",
                json={"participant_ids": [a, b], "starts_at": slots[i]["starts_at"]},
                headers=auth(token),
            ),
            201,
        )
    exported = (await client.get(f"{url}/participants/export", headers=auth(token))).content
    _assert_csv_safe(exported, expected=len(PAYLOADS) * 8)
    for path, fmt, expected in [
        ("meetings/export", "csv", 8),  # two meetings: names and organisations of both sides
        ("meetings/export", "xlsx", 8),
        ("table-plan", "csv", len(PAYLOADS) + 2),  # table names head the columns; cells start with a name
        ("table-plan", "xlsx", len(PAYLOADS) + 2),
    ]:
        r = await client.get(f"{url}/{path}", params={"format": fmt}, headers=auth(token))
        assert r.status_code == 200, r.text
        (_assert_csv_safe if fmt == "csv" else _assert_xlsx_safe)(r.content, expected)
    # the guard is undone on import: the export of an import of the export is the same file
    other = await create_event(client, token)
    other_url = f"{API}/events/{other['id']}/participants"
    check(await client.post(f"{other_url}/import", headers=auth(token), **upload(exported)), 200)
    again = check(await client.get(f"{other_url}/export", params={"format": "json"}, headers=auth(token)), 200)
    first = {p["email"]: p for p in _hostile_people()}
    assert len(again["participants"]) == len(first)
    for p in again["participants"]:
        mine = first[p["email"]]
        assert (p["name"], p["external_id"], p["job_title"]) == (mine["name"], mine["external_id"], mine["job_title"])
        assert p["offers"][0]["title"] == mine["offers"][0]["title"]
        assert p["offers"][0]["keywords"] == mine["offers"][0]["keywords"]
        # CSV cells are trimmed on import; the guard's apostrophe never leaks into the data
        assert p["offers"][0]["description"] == mine["offers"][0]["description"].strip()
        assert p["requests"][0]["description"] == "=1+1"


# --- sizes ---------------------------------------------------------------------------------------


def _csv_of_size(size: int) -> bytes:
    """A valid participants CSV of exactly ``size`` bytes: a few people with many long offers."""
    header = ["name", "email", "organisation", "country"]
    for direction in ("offer", "request"):
        header += [f"{direction}_{n}_{f}" for n in range(1, 21) for f in ("title", "description")]
    lines = [",".join(header).encode() + b"\r\n"]
    total, i = len(lines[0]), 0
    while True:
        row = f"Person {i},p{i}@example.org,Big Data Cluster,RO".encode()
        cells = b"".join(b",Offer," + b"d" * 9_990 for _ in range(40))
        line = row + cells + b"\r\n"
        if total + len(line) > size:
            break
        lines.append(line)
        total += len(line)
        i += 1
    lines.append(b"\r\n" * ((size - total) // 2) + b"\n" * ((size - total) % 2))  # blank lines are skipped
    data = b"".join(lines)
    assert len(data) == size
    return data


async def test_import_of_exactly_the_limit_is_read_and_one_byte_more_is_413(
    client: AsyncClient, db: AsyncEngine, settings: Settings
) -> None:
    token, _, url = await setup(client, db)
    limit = settings.max_import_bytes
    assert limit == 50 * MB  # the default: a real 50 MB file
    data = _csv_of_size(limit)
    before = await snapshot(db)
    body = problem(
        await client.post(f"{url}/participants/import", headers=auth(token), **upload(data + b"\n")),
        413,
    )
    assert "50 MB" in body["detail"] and "split" in body["detail"]
    assert await snapshot(db) == before
    result = check(await client.post(f"{url}/participants/import", headers=auth(token), **upload(data)), 200)
    people = result["created"]
    assert people >= 120
    async with db.connect() as conn:
        opportunities = await conn.scalar(text("SELECT count(*) FROM opportunity"))
    assert opportunities == people * 40
    # a JSON body over the limit is refused before it is read: its Content-Length says so
    body = problem(
        await client.post(
            f"{url}/participants/import",
            content=b" " * (limit + 1),
            headers={**auth(token), "content-type": "application/json"},
        ),
        413,
    )
    assert "50 MB" in body["detail"]


async def _stream(chunks: int, size: int, pulled: list[int], first: bytes = b"") -> AsyncIterator[bytes]:
    if first:
        pulled.append(len(first))
        yield first
    block = b" " * size
    for _ in range(chunks):
        pulled.append(size)
        yield block


async def test_bodies_without_length_are_cut_off_at_the_limit(
    client: AsyncClient, db: AsyncEngine, settings: Settings
) -> None:
    token, _, url = await setup(client, db)
    before = await snapshot(db)
    # 500 MB announced by nobody (chunked): the server stops reading just past 50 MB
    pulled: list[int] = []
    r = await client.post(
        f"{url}/participants/import",
        content=_stream(500, MB, pulled),
        headers={**auth(token), "content-type": "application/json"},
    )
    problem(r, 413)
    assert sum(pulled) <= settings.max_import_bytes + 2 * MB, f"read {sum(pulled) / MB:.0f} MB"
    pulled = []
    part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\n'
    r = await client.post(
        f"{url}/participants/import",
        content=_stream(500, MB, pulled, first=part),
        headers={**auth(token), "content-type": "multipart/form-data; boundary=x"},
    )
    problem(r, 413)
    assert sum(pulled) <= settings.max_import_bytes + 2 * MB, f"read {sum(pulled) / MB:.0f} MB"
    # any other route: 1 MB
    pulled = []
    r = await client.post(
        f"{API}/events",
        content=_stream(100, 64 * 1024, pulled),
        headers={**auth(token), "content-type": "application/json"},
    )
    body = problem(r, 413)
    assert "1 MB" in body["detail"] and sum(pulled) <= MAX_BODY_BYTES + 64 * 1024
    assert await snapshot(db) == before


async def test_json_bodies_over_one_megabyte_are_413(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db)
    person = await create_participant(client, token, ev["id"])
    before = await snapshot(db)
    big = {"name": "x", "description": "y" * MAX_BODY_BYTES}
    problem(await client.post(f"{API}/events", json=big, headers=auth(token)), 413)
    problem(await client.patch(url, json=big, headers=auth(token)), 413)
    problem(await client.patch(f"{url}/participants/{person['id']}", json=big, headers=auth(token)), 413)
    # even unauthenticated: the size is refused before anything else is looked at
    problem(await client.post(f"{API}/organisations", json=big), 413)
    assert await snapshot(db) == before
    # just under the limit is read (and refused for what it says, not for its size)
    near = json.dumps({"description": "y" * (MAX_BODY_BYTES - 100)})
    problem(
        await client.patch(url, content=near, headers={**auth(token), "content-type": "application/json"}),
        422,
        ("body", "description"),
    )


async def test_hundred_thousand_character_fields_are_refused_by_name(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db)
    person = await create_participant(client, token, ev["id"])
    org_id = person["organisation"]["id"]
    long = "ă" * 100_000
    before = await snapshot(db)
    cases: list[tuple[str, str, dict[str, Any], tuple[Any, ...]]] = [
        ("post", f"{API}/events", event_body(name=long), ("body", "name")),
        ("patch", url, {"description": long}, ("body", "description")),
        ("patch", url, {"city": long}, ("body", "city")),
        ("post", f"{API}/organisations", {"name": "Ok", "kind": "company", "country": "RO", "description": long},
         ("body", "description")),
        ("patch", f"{API}/organisations/{org_id}", {"keywords": [long]}, ("body", "keywords", 0)),
        ("post", f"{url}/participants", participant_body(name=long), ("body", "name")),
        ("post", f"{url}/participants", participant_body(external_id=long), ("body", "external_id")),
        ("patch", f"{url}/participants/{person['id']}", {"job_title": long}, ("body", "job_title")),
        ("post", f"{url}/participants/{person['id']}/opportunities", {"direction": "offer", "title": long},
         ("body", "title")),
        ("post", f"{url}/meeting-requests", {"to_participant_id": person["id"], "message": long}, ("body", "message")),
        ("post", f"{API}/sectors", {"slug": "space", "name": long}, ("body", "name")),
    ]  # fmt: skip
    for method, path, body, loc in cases:
        problem(await client.request(method, path, json=body, headers=auth(token)), 422, loc)
    # the import names the row and the column
    rows = [participant_body(email="ok@example.org"), participant_body(job_title=long)]
    body = problem(
        await client.post(f"{url}/participants/import", json={"participants": rows}, headers=auth(token)), 422
    )
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "job_title")}
    data = csv_bytes([HEADER[:6], ["a", "Ana", "ana@example.org", "Org", "company", "RO"],
                      ["b", "Bob", "bob@example.org", "x" * 100_000, "company", "RO"]])  # fmt: skip
    body = problem(await client.post(f"{url}/participants/import", headers=auth(token), **upload(data)), 422)
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "organisation")}
    assert await snapshot(db) == before


async def test_invalid_emails_unknown_countries_and_control_characters(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db)
    before = await snapshot(db)
    for email in ["not-an-email", "ana@", "@example.org", "ana@exa mple.org", "ana@example..org", "a" * 250 + "@x.ro"]:
        problem(await client.post(f"{url}/participants", json=participant_body(email=email), headers=auth(token)),
                422, ("body", "email"))  # fmt: skip
    for country in ["ZZ", "Romania", "R", "ROU", "", "1"]:
        org = {"name": "Firma", "kind": "company", "country": country}
        problem(await client.post(f"{API}/organisations", json=org, headers=auth(token)), 422, ("body", "country"))
        problem(
            await client.post(f"{url}/participants", json=participant_body(organisation=org), headers=auth(token)),
            422,
            ("body", "organisation", "country"),
        )
    for name in ["Ana\r\nBEGIN:VEVENT", "Ana\tIonescu", "Ana\x1b[31m", "\u202eanA"]:
        problem(await client.post(f"{url}/participants", json=participant_body(name=name), headers=auth(token)),
                422, ("body", "name"))  # fmt: skip
    problem(await client.post(f"{url}/participants", json=participant_body(name="Ana\x00"), headers=auth(token)), 422)
    rows = [
        participant_body(email="good@example.org"),
        participant_body(email="bad@"),
        participant_body(organisation={"name": "X", "kind": "company", "country": "Narnia"}),
    ]
    body = problem(
        await client.post(f"{url}/participants/import", json={"participants": rows}, headers=auth(token)), 422
    )
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "email"), (3, "organisation.country")}
    assert "nothing was imported" in body["detail"]
    assert await snapshot(db) == before
    # Kosovo takes part in EU cluster programmes: XK is accepted
    check(await client.post(f"{API}/organisations", json={"name": "Kosovo ICT", "kind": "cluster", "country": "xk"},
                            headers=auth(token)), 201)  # fmt: skip


async def test_time_windows_that_end_before_they_start(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db)
    before = await snapshot(db)
    day = "2025-07-01T{}:00+03:00"
    session = {"name": "S", "starts_at": day.format("14:00"), "ends_at": day.format("18:00")}
    cases: list[tuple[dict[str, Any], tuple[Any, ...]]] = [
        ({"starts_at": day.format("18:00"), "ends_at": day.format("09:00"), "sessions": []}, ("body", "ends_at")),
        ({"sessions": [{**session, "ends_at": day.format("13:00")}]}, ("body", "sessions", 0)),
        ({"sessions": [{**session, "ends_at": "2025-07-09T18:00:00+03:00"}]}, ("body", "sessions", 0)),
        ({"sessions": [{**session, "starts_at": "2025-06-30T14:00:00+03:00"}]}, ("body", "sessions", 0)),
        ({"sessions": [session, {**session, "name": "T", "starts_at": day.format("17:00"),
                                 "ends_at": day.format("19:00")}]}, ("body", "sessions")),
        ({"starts_at": "2025-07-01T09:00:00"}, ("body", "starts_at")),  # no offset
        ({"starts_at": "1900-01-01T09:00:00+00:00"}, ("body", "starts_at")),
        ({"starts_at": "2025-07-01T09:00:00." + "1" * 100_000 + "+03:00"}, ("body", "starts_at")),
        ({"timezone": "Mars/Olympus_Mons"}, ("body", "timezone")),
        ({"meeting_minutes": 0}, ("body", "meeting_minutes")),
        ({"break_minutes": -5}, ("body", "break_minutes")),
        ({"table_count": 1_000_000}, ("body", "table_count")),
    ]  # fmt: skip
    for change, loc in cases:
        problem(await client.post(f"{API}/events", json=event_body(**change), headers=auth(token)), 422, loc)
        problem(await client.patch(url, json=change, headers=auth(token)), 422, loc)
    # moving the end before the existing session is refused too
    problem(await client.patch(url, json={"ends_at": day.format("15:00")}, headers=auth(token)), 422,
            ("body", "sessions", 0))  # fmt: skip
    assert await snapshot(db) == before


async def test_slots_and_meetings_outside_the_event_grid(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db)
    a = await create_participant(client, token, ev["id"])
    b = await create_participant(client, token, ev["id"])
    slots = check(await client.get(f"{url}/slots", headers=auth(token)), 200)
    outside = ["2025-07-01T10:00:00+03:00", "2025-07-03T14:00:00+03:00", "2025-07-01T14:01:00+03:00"]
    before = await snapshot(db)
    for when in outside:
        body = {"blocked_slots": [slots[0]["starts_at"], when]}
        problem(await client.patch(f"{url}/participants/{a['id']}", json=body, headers=auth(token)), 422,
                ("body", "blocked_slots", 1))  # fmt: skip
        meeting = {"participant_ids": [a["id"], b["id"]], "starts_at": when}
        problem(await client.post(f"{url}/meetings", json=meeting, headers=auth(token)), 422, ("body", "starts_at"))
    problem(await client.patch(f"{url}/participants/{a['id']}", json={"session_ids": [999_999]}, headers=auth(token)),
            422, ("body", "session_ids", 0))  # fmt: skip
    meeting = {"participant_ids": [a["id"], b["id"]], "starts_at": slots[0]["starts_at"], "table_id": 999_999}
    assert (await client.post(f"{url}/meetings", json=meeting, headers=auth(token))).status_code in {404, 422}
    assert await snapshot(db) == before


async def test_lists_longer_than_allowed(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db)
    person = await create_participant(client, token, ev["id"])
    pid, org_id = person["id"], person["organisation"]["id"]
    offer = {"title": "Offer"}
    slot = "2025-07-01T14:00:00+03:00"
    before = await snapshot(db)
    cases: list[tuple[str, str, dict[str, Any], tuple[Any, ...]]] = [
        ("post", f"{url}/participants", participant_body(languages=["ro"] * 21), ("body", "languages")),
        ("post", f"{url}/participants", participant_body(offers=[offer] * 21), ("body", "offers")),
        ("post", f"{url}/participants", participant_body(requests=[offer] * 21), ("body", "requests")),
        ("patch", f"{url}/participants/{pid}", {"blocked_slots": [slot] * 201}, ("body", "blocked_slots")),
        ("patch", f"{url}/participants/{pid}", {"session_ids": [1] * 21}, ("body", "session_ids")),
        ("post", f"{API}/events", event_body(sessions=event_body()["sessions"] * 21), ("body", "sessions")),
        ("patch", url, {"tables": [{"name": f"T{i}"} for i in range(1001)]}, ("body", "tables")),
        ("patch", f"{API}/organisations/{org_id}", {"keywords": ["k"] * 51}, ("body", "keywords")),
        ("patch", f"{API}/organisations/{org_id}", {"sectors": ["ict"] * 21}, ("body", "sectors")),
        ("patch", f"{API}/organisations/{org_id}", {"cluster_ids": [1] * 51}, ("body", "cluster_ids")),
        ("post", f"{url}/meetings", {"participant_ids": [pid] * 3}, ("body", "participant_ids")),
    ]  # fmt: skip
    for method, path, body, loc in cases:
        problem(await client.request(method, path, json=body, headers=auth(token)), 422, loc)
    # more rows than an import takes
    tiny = [{"name": "P", "email": f"r{i}@example.org", "organisation": {"name": "O", "country": "RO"}}
            for i in range(50_001)]  # fmt: skip
    body = problem(
        await client.post(f"{url}/participants/import", json={"participants": tiny}, headers=auth(token)), 413
    )
    assert "50000" in body["detail"].replace(",", "")
    assert await snapshot(db) == before


async def test_malformed_bodies_are_4xx_never_500(client: AsyncClient, db: AsyncEngine) -> None:
    token, ev, url = await setup(client, db)
    json_headers = {**auth(token), "content-type": "application/json"}
    before = await snapshot(db)
    bodies = [
        b"[" * 100_000 + b"]" * 100_000,  # nesting deeper than the parser's recursion
        b'{"participants": [{"max_meetings": ' + b"9" * 5000 + b"}]}",  # an integer of 5,000 digits
        b'{"participants": [{"name": "\xff\xfe"}]}',  # not UTF-8
        b'{"participants": [',  # cut off
        b'{"participants": {"a": 1}}',
        b'"participants"',
        b"",
    ]
    for raw in bodies:
        for path in (f"{url}/participants/import", f"{url}/participants", f"{API}/events"):
            r = await client.post(path, content=raw, headers=json_headers)
            assert 400 <= r.status_code < 500 and r.headers["content-type"] == "application/problem+json", (
                path,
                raw[:40],
                r.status_code,
                r.text[:300],
            )
    r = await client.post(f"{url}/participants/import", content=b"name,email", headers={**auth(token),
                          "content-type": "text/csv"})  # fmt: skip
    problem(r, 415)
    assert await snapshot(db) == before


async def test_spec_bounds_every_request_input(tmp_path: Any) -> None:
    """Every string a client sends has a maxLength, every list a maxItems, every number both bounds."""
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/spec.db", secret_key="s" * 40))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as c:
        spec = check(await c.get("/openapi.json"), 200)
    await app.state.engine.dispose()
    assert "1 MB" in spec["info"]["description"] and "413" in spec["info"]["description"]
    unbounded: list[str] = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            for param in op.get("parameters", []):
                _check_bounds(spec, param["schema"], f"{where} ({param['in']} {param['name']})", unbounded, set())
            for media, content in op.get("requestBody", {}).get("content", {}).items():
                schema = content["schema"]
                if media == "multipart/form-data":
                    # an uploaded file is bounded in bytes, stated in the operation
                    assert "MAX_IMPORT_BYTES" in op["description"] and "413" in op["description"], where
                    continue
                _check_bounds(spec, schema, f"{where} body", unbounded, set())
    assert not unbounded, "unbounded request inputs:\n" + "\n".join(sorted(set(unbounded)))


def _check_bounds(spec: dict[str, Any], schema: dict[str, Any], where: str, out: list[str], seen: set[str]) -> None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            _check_bounds(spec, spec["components"]["schemas"][name], name, out, seen | {name})
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            _check_bounds(spec, sub, where, out, seen)
    kind = schema.get("type")
    if kind == "string" and "maxLength" not in schema and "enum" not in schema and "const" not in schema:
        out.append(f"{where}: string without maxLength")
    if kind == "array":
        if "maxItems" not in schema:
            out.append(f"{where}: array without maxItems")
        _check_bounds(spec, schema.get("items", {}), f"{where}[]", out, seen)
    if kind in {"integer", "number"}:
        low = "minimum" in schema or "exclusiveMinimum" in schema
        high = "maximum" in schema or "exclusiveMaximum" in schema
        if not (low and high):
            out.append(f"{where}: {kind} without minimum and maximum")
    if kind == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            _check_bounds(spec, sub, f"{where}.{name}", out, seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                out.append(f"{where}: object without maxProperties")
            _check_bounds(spec, extra, f"{where}.*", out, seen)
