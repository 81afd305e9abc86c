import csv
import io
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import BULK_ROWS
from app.models import Opportunity, Organisation, Participant
from tests.factories import auth, check, create_event, organiser_token

API = "/api/v1"


def row(n: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": f"r{n}",
        "name": f"Participant {n}",
        "email": f"p{n}@example.org",
        "languages": ["ro", "en"],
        "organisation": {"name": f"Firma {n % 3}", "kind": "company", "country": "RO", "sectors": ["ict"]},
        "offers": [{"title": "Digitalizarea proceselor", "description": "Soluții MES", "type": "technology"}],
        "requests": [{"title": "EU project partner", "type": "eu_project_partner"}],
    }
    body.update(overrides)
    return body


async def _counts(db: AsyncEngine) -> tuple[int, int, int]:
    async with db.connect() as conn:
        p = await conn.scalar(select(func.count()).select_from(Participant))
        o = await conn.scalar(select(func.count()).select_from(Organisation))
        x = await conn.scalar(select(func.count()).select_from(Opportunity))
    return int(p or 0), int(o or 0), int(x or 0)


async def test_json_import_creates_then_upserts(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    url = f"{API}/events/{event['id']}/participants/import"
    result = check(await client.post(url, json={"participants": [row(i) for i in range(6)]}, headers=auth(token)), 200)
    assert result["created"] == 6 and result["updated"] == 0 and result["organisations_created"] == 3
    assert [p["external_id"] for p in result["participants"]] == [f"r{i}" for i in range(6)]
    again = [row(0, name="Renamed", email="P0@EXAMPLE.ORG"), row(10)]
    result = check(await client.post(url, json={"participants": again}, headers=auth(token)), 200)
    assert result["created"] == 1 and result["updated"] == 1 and result["organisations_created"] == 0
    assert await _counts(db) == (7, 3, 14)
    p0 = result["participants"][0]["id"]
    read = check(await client.get(f"{API}/events/{event['id']}/participants/{p0}", headers=auth(token)), 200)
    assert read["name"] == "Renamed" and read["version"] == 2


async def test_one_bad_row_writes_nothing_and_lists_every_problem(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    rows = [
        row(1),
        row(2, email="broken"),
        row(3, organisation={"name": "X", "kind": "company", "country": "ZZ", "sectors": ["mining"]}),
        row(4, email="p1@example.org"),
        row(5, offers=[{"title": "", "type": "barter"}]),
    ]
    r = await client.post(
        f"{API}/events/{event['id']}/participants/import", json={"participants": rows}, headers=auth(token)
    )
    body = check(r, 422)
    assert r.headers["content-type"] == "application/problem+json"
    problems = {(e["row"], e["column"]) for e in body["errors"]}
    assert (2, "email") in problems
    assert (3, "organisation.country") in problems
    assert (4, "email") in problems
    assert (5, "offers.0.title") in problems and (5, "offers.0.type") in problems
    assert "nothing was imported" in body["detail"]
    assert await _counts(db) == (0, 0, 0)


async def test_unknown_sector_is_a_row_problem(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    bad = row(1, organisation={"name": "X", "kind": "company", "country": "RO", "sectors": ["mining"]})
    body = check(
        await client.post(
            f"{API}/events/{event['id']}/participants/import", json={"participants": [row(0), bad]}, headers=auth(token)
        ),
        422,
    )
    assert body["errors"][0]["row"] == 2 and "mining" in body["errors"][0]["msg"]
    assert await _counts(db) == (0, 0, 0)


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


HEADER = [
    "external_id",
    "name",
    "email",
    "languages",
    "organisation",
    "organisation_kind",
    "country",
    "sectors",
    "offer_1_title",
    "offer_1_type",
    "offer_1_description",
    "request_1_title",
]
ROWS = [
    [
        "a1",
        "Ana Ionescu",
        "ana@example.org",
        "ro;en",
        "Clusterul Țării",
        "cluster",
        "RO",
        "ict;smart-cities",
        "Digitalizare",
        "technology",
        "Platformă IoT\npentru fabrici",
        "Parteneri Horizon",
    ],
    [
        "a2",
        "Jan Nowak",
        "jan@example.org",
        "pl",
        "Silesia Tech",
        "company",
        "PL",
        "energy",
        "=SUM(A1:A2)",
        "",
        "",
        "Investors",
    ],
]


async def test_csv_with_bom_semicolons_and_quoted_newlines(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    data = ("\ufeff" + _csv([HEADER, *ROWS], delimiter=";")).encode("utf-8")
    url = f"{API}/events/{event['id']}/participants/import"
    result = check(await client.post(url, files={"file": ("p.csv", data, "text/csv")}, headers=auth(token)), 200)
    assert result["created"] == 2
    people = check(await client.get(f"{API}/events/{event['id']}/participants", headers=auth(token)), 200)["items"]
    ana = next(p for p in people if p["external_id"] == "a1")
    assert ana["organisation"]["sectors"] == ["ict", "smart-cities"] and ana["languages"] == ["ro", "en"]
    assert ana["offers"][0]["description"] == "Platformă IoT\npentru fabrici"


async def test_csv_in_windows_1250(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    rows = [
        HEADER,
        [
            "b1",
            "Ștefan Mureșan",
            "stefan@example.org",
            "ro",
            "Asociația Clusterelor Ţării",
            "cluster",
            "RO",
            "ict",
            "Consultanță în digitalizare și proiecte europene",
            "",
            "",
            "Parteneri",
        ],
    ]
    # Windows-1250 has ş/ţ (cedilla) but not ș/ț (comma): Romanian Excel files use the cedilla forms
    text = _csv(rows).replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş")
    data = text.encode("cp1250")
    url = f"{API}/events/{event['id']}/participants/import"
    check(await client.post(url, files={"file": ("p.csv", data, "text/csv")}, headers=auth(token)), 200)
    people = check(await client.get(f"{API}/events/{event['id']}/participants", headers=auth(token)), 200)["items"]

    # ISO-8859-16 and Windows-1250 read these bytes as the comma or the cedilla form of one letter
    def same_letter(s: str) -> str:
        return s.replace("ş", "ș").replace("ţ", "ț").replace("Ş", "Ș").replace("Ţ", "Ț")

    assert same_letter(people[0]["name"]) == "Ștefan Mureșan"
    assert same_letter(people[0]["offers"][0]["title"]) == "Consultanță în digitalizare și proiecte europene"


async def test_csv_problems_name_row_and_column(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    bad = [HEADER, ROWS[0], ["a2", "X", "nope", "", "Org", "company", "Narnia", "", "T", "wrong-type", "", ""]]
    url = f"{API}/events/{event['id']}/participants/import"
    body = check(
        await client.post(url, files={"file": ("p.csv", _csv(bad).encode(), "text/csv")}, headers=auth(token)), 422
    )
    problems = {(e["row"], e["column"]) for e in body["errors"]}
    assert problems == {(2, "email"), (2, "country"), (2, "offer_1_type")}
    unknown_col = [[*HEADER, "favourite_colour"], ROWS[0]]
    body = check(
        await client.post(url, files={"file": ("p.csv", _csv(unknown_col).encode(), "text/csv")}, headers=auth(token)),
        422,
    )
    assert body["errors"][0]["column"] == "favourite_colour"
    assert await _counts(db) == (0, 0, 0)
    check(await client.post(url, content=b"x", headers={**auth(token), "content-type": "text/plain"}), 415)
    check(await client.post(url, files={"file": ("p.csv", b"", "text/csv")}, headers=auth(token)), 422)


async def test_csv_round_trip(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    url = f"{API}/events/{event['id']}/participants"
    check(
        await client.post(
            f"{url}/import", files={"file": ("p.csv", _csv([HEADER, *ROWS]).encode(), "text/csv")}, headers=auth(token)
        ),
        200,
    )
    first = (await client.get(f"{url}/export", headers=auth(token))).text
    assert "'=SUM(A1:A2)" in first  # formula neutralised on export
    # importing the export into a fresh event gives the same export back
    other = await create_event(client, token)
    other_url = f"{API}/events/{other['id']}/participants"
    check(
        await client.post(
            f"{other_url}/import", files={"file": ("p.csv", first.encode(), "text/csv")}, headers=auth(token)
        ),
        200,
    )
    second = (await client.get(f"{other_url}/export", headers=auth(token))).text
    assert second == first
    exported = check(await client.get(f"{other_url}/export", params={"format": "json"}, headers=auth(token)), 200)
    assert exported["participants"][1]["offers"][0]["title"] == "=SUM(A1:A2)"
    # and the JSON export imports too
    third = await create_event(client, token)
    check(await client.post(f"{API}/events/{third['id']}/participants/import", json=exported, headers=auth(token)), 200)


async def test_example_file_imports(client: AsyncClient, db: AsyncEngine) -> None:
    from pathlib import Path

    token = await organiser_token(client, db)
    event = await create_event(client, token)
    data = (Path(__file__).parent.parent / "examples" / "participants.csv").read_bytes()
    result = check(
        await client.post(
            f"{API}/events/{event['id']}/participants/import",
            files={"file": ("p.csv", data, "text/csv")},
            headers=auth(token),
        ),
        200,
    )
    assert result["created"] >= 5


async def test_reimport_changes_only_what_the_file_gives(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    url = f"{API}/events/{event['id']}/participants"
    first = row(1, job_title="CTO", max_meetings=4, listed=False)
    check(await client.post(f"{url}/import", json={"participants": [first]}, headers=auth(token)), 200)
    slim = [["name", "email", "organisation", "country"], ["New Name", "p1@example.org", "Firma 1", "RO"]]
    check(
        await client.post(
            f"{url}/import", files={"file": ("p.csv", _csv(slim).encode(), "text/csv")}, headers=auth(token)
        ),
        200,
    )
    person = check(await client.get(url, headers=auth(token)), 200)["items"][0]
    assert person["name"] == "New Name" and person["job_title"] == "CTO" and person["max_meetings"] == 4
    assert person["listed"] is False and person["external_id"] == "r1"
    assert len(person["offers"]) == 1 and len(person["requests"]) == 1
    # a file with offer columns replaces the offers, and only them
    with_offers = [
        ["name", "email", "organisation", "country", "offer_1_title", "job_title"],
        ["New Name", "p1@example.org", "Firma 1", "RO", "Cloud migration", ""],
    ]
    check(
        await client.post(
            f"{url}/import", files={"file": ("p.csv", _csv(with_offers).encode(), "text/csv")}, headers=auth(token)
        ),
        200,
    )
    person = check(await client.get(url, headers=auth(token)), 200)["items"][0]
    assert [o["title"] for o in person["offers"]] == ["Cloud migration"] and len(person["requests"]) == 1
    assert person["job_title"] is None  # an empty cell in a given column clears it


async def test_a_bulk_import_refreshes_postgresql_planner_statistics(client: AsyncClient, db: AsyncEngine) -> None:
    """A fresh event is read at once: its planner statistics must not say the tables are empty."""
    if db.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    async with db.connect() as conn:
        await conn.execute(text("ANALYZE participant"))  # the empty table, as after a wipe
        before = await conn.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'participant'"))
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    people = [row(n) for n in range(BULK_ROWS)]
    check(
        await client.post(
            f"{API}/events/{event['id']}/participants/import", json={"participants": people}, headers=auth(token)
        ),
        200,
    )
    async with db.connect() as conn:
        after = await conn.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'participant'"))
    assert before is not None and before <= 0 and after == BULK_ROWS
