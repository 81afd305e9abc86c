"""Whole-event export and import: a rich event survives a round trip into a fresh database, on both backends."""

from __future__ import annotations

import asyncio
import copy
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from app.models import Event, Organisation, Participant
from app.schemas.transfer import EventDocument
from tests.conftest import SECRET, _pg_admin, _pg_url
from tests.factories import auth, check, create_event, organiser_token, participant_token

API = "/api/v1"


# --- a rich event, built through the API ------------------------------------------------------


@dataclass
class Rich:
    """The event and the handles the tests need."""

    event: dict[str, Any]
    org: str  # organiser token
    people: list[int]  # participant ids, in creation order
    tokens: dict[int, str]
    meetings: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    slots: list[dict[str, Any]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"{API}/events/{self.event['id']}"


def _person(
    i: int, name: str, org: str, country: str, kind: str, offer: str, want: str, **extra: Any
) -> dict[str, Any]:
    return {
        "external_id": f"rich-{i}",
        "name": name,
        "email": f"rich{i}.{uuid.uuid4().hex[:6]}@example.org",
        "job_title": "Innovation manager",
        "languages": ["en"],
        "organisation": {"name": org, "kind": kind, "country": country, "sectors": ["ict"], "keywords": ["ai"]},
        "offers": [{"title": offer, "description": f"{offer} for partners", "type": "technology"}],
        "requests": [{"title": want, "description": f"Looking for {want}", "type": "rd_cooperation"}],
        **extra,
    }


PEOPLE = [
    (1, "Ștefan Pop", "Tehnologii Ștefan", "RO", "company", "Machine vision for factories", "Robot arms"),
    (2, "Anna Müller", "Institut für Robotik", "DE", "research", "Robot arms research", "Machine vision"),
    (3, "Luca Rossi", "Politecnico Nuovo", "IT", "university", "AI courses", "Industrial data"),
    (4, "María García", "Datos Industriales", "ES", "company", "Industrial data platform", "AI courses"),
    (5, "Jan Novák", "Novák Logistics", "CZ", "company", "Cold chain logistics", "Sensors"),
    (6, "Ioana Pop", "Tehnologii Ștefan", "RO", "company", "Sensors for cold chains", "Logistics partners"),
    (7, "Pierre Martin", "Région Centre", "FR", "public_authority", "Regional funding", "Start-ups"),
    (8, "Eva Berg", "Nordic Seed Fund", "SE", "investor", "Seed investment", "Robotics start-ups"),
]


async def _wait(client: AsyncClient, org: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    started = check(await client.post(path, json=body or {}, headers=auth(org)), 202)
    for _ in range(600):
        run = check(await client.get(f"{path}/{started['id']}", headers=auth(org)), 200)
        if run["status"] in ("succeeded", "failed"):
            assert run["status"] == "succeeded", run
            return dict(run)
        await asyncio.sleep(0.05)
    raise AssertionError(f"{path} did not finish")


async def build_rich_event(client: AsyncClient, db: AsyncEngine) -> Rich:
    """Sessions in the past and the future, tables (one online), custom weights and sector, a cluster with a
    member, consent, blocked slots, a matching run, hides, requests in every state, scheduled, locked,
    cancelled and organiser-booked meetings, a scheduling run and a published schedule."""
    org = await organiser_token(client, db)
    check(
        await client.post(f"{API}/sectors", json={"slug": "space-tech", "name": "Space tech"}, headers=auth(org)), 201
    )
    cluster = check(
        await client.post(
            f"{API}/organisations",
            json={"name": "Transilvania Cluster", "kind": "cluster", "country": "RO", "sectors": ["ict", "space-tech"]},
            headers=auth(org),
        ),
        201,
    )
    member = check(
        await client.post(
            f"{API}/organisations",
            json={"name": "Orbital Sensors", "kind": "company", "country": "RO", "cluster_ids": [cluster["id"]]},
            headers=auth(org),
        ),
        201,
    )
    event = await create_event(
        client,
        org,
        starts_at="2025-07-01T09:00:00+03:00",
        ends_at="2027-06-02T18:00:00+03:00",
        sessions=[
            {"name": "Past", "starts_at": "2025-07-01T14:00:00+03:00", "ends_at": "2025-07-01T16:00:00+03:00"},
            {"name": "Future", "starts_at": "2027-06-01T14:00:00+03:00", "ends_at": "2027-06-01T16:00:00+03:00"},
        ],
        tables=[
            {"name": "T1"},
            {"name": "T2"},
            {"name": "Online", "online": True, "link": "https://meet.example.org/a"},
        ],
        matching_weights={
            "complementarity": 0.5,
            "profile": 0.2,
            "sectors": 0.1,
            "kind": 0.1,
            "cross_border_bonus": 0.1,
            "max_per_organisation": 2,
            "max_per_country": 4,
        },
        requests_deadline="2027-05-01T00:00:00+03:00",
        max_open_requests=5,
    )
    base = f"{API}/events/{event['id']}"
    body = {"participants": [_person(*p) for p in PEOPLE]}
    imported = check(await client.post(f"{base}/participants/import", json=body, headers=auth(org)), 200)
    people = [p["id"] for p in imported["participants"]]
    extra = check(
        await client.post(
            f"{base}/participants",
            json={
                "name": "Radu Ionescu",
                "email": f"radu.{uuid.uuid4().hex[:6]}@example.org",
                "organisation_id": member["id"],
                "offers": [{"title": "Satellite sensors", "type": "technology"}],
            },
            headers=auth(org),
        ),
        201,
    )
    people.append(extra["id"])
    rich = Rich(event, org, people, {pid: await participant_token(client, org, event["id"], pid) for pid in people})
    rich.slots = check(await client.get(f"{base}/slots", headers=auth(org)), 200)
    future = [s for s in rich.slots if s["starts_at"].startswith("2027")]
    past = [s for s in rich.slots if s["starts_at"].startswith("2025")]
    p = people
    check(
        await client.patch(
            f"{base}/participants/{p[1]}",
            json={"session_ids": [future[0]["session_id"]], "blocked_slots": [future[-1]["starts_at"]]},
            headers=auth(rich.tokens[p[1]]),
        ),
        200,
    )
    check(await client.patch(f"{base}/participants/{p[2]}", json={"max_meetings": 3}, headers=auth(org)), 200)
    check(await client.patch(f"{base}/participants/{p[4]}", json={"listed": False}, headers=auth(org)), 200)
    await _wait(client, org, f"{base}/matching-runs")
    check(await client.post(f"{base}/participants/{p[0]}/suggestions/{p[6]}/hide", headers=auth(org)), 204)

    async def ask(key: str, a: int, b: int, message: str) -> int:
        r = check(
            await client.post(
                f"{base}/meeting-requests",
                json={"to_participant_id": p[b], "message": message},
                headers=auth(rich.tokens[p[a]]),
            ),
            201,
        )
        rich.requests[key] = r["id"]
        return int(r["id"])

    async def act(key: str, action: str, who: int) -> dict[str, Any]:
        url = f"{base}/meeting-requests/{rich.requests[key]}/{action}"
        return dict(check(await client.post(url, headers=auth(rich.tokens[p[who]])), 200))

    await ask("future", 0, 1, "Ștefan would like to see your robot arms")
    rich.meetings["future"] = (await act("future", "accept", 1))["meeting_id"]
    await ask("scheduled", 2, 3, "Data for courses?")
    rich.meetings["scheduled"] = (await act("scheduled", "accept", 3))["meeting_id"]
    await ask("past", 7, 0, "Seed money for vision?")
    rich.meetings["past"] = (await act("past", "accept", 0))["meeting_id"]
    await ask("pending_from_0", 0, 2, "Ștefan: courses on AI?")
    await ask("pending_to_0", 3, 0, "Data for your vision systems?")
    await ask("declined", 3, 6, "Pierre?")
    await act("declined", "decline", 6)
    await ask("cancelled", 6, 7, "Funding?")
    await act("cancelled", "cancel", 6)
    await ask("to_cancel", 4, 8, "Sensors from space?")
    rich.meetings["cancelled"] = (await act("to_cancel", "accept", 8))["meeting_id"]
    meetings = f"{base}/meetings"
    check(
        await client.patch(
            f"{meetings}/{rich.meetings['future']}",
            json={"starts_at": future[0]["starts_at"], "table_id": event["tables"][0]["id"], "locked": True},
            headers=auth(org),
        ),
        200,
    )
    check(
        await client.patch(
            f"{meetings}/{rich.meetings['past']}",
            json={"starts_at": past[0]["starts_at"], "table_id": event["tables"][1]["id"], "locked": True},
            headers=auth(org),
        ),
        200,
    )
    check(await client.post(f"{meetings}/{rich.meetings['cancelled']}/cancel", headers=auth(org)), 200)
    booked = check(
        await client.post(
            meetings,
            json={
                "participant_ids": [p[4], p[5]],
                "starts_at": future[1]["starts_at"],
                "table_id": event["tables"][2]["id"],
            },
            headers=auth(org),
        ),
        201,
    )
    rich.meetings["booked"] = booked["id"]
    await _wait(client, org, f"{base}/schedule-runs", {"time_limit": 5})
    check(await client.post(f"{base}/schedule/publish", headers=auth(org)), 204)
    return rich


# --- comparing documents modulo ids ---------------------------------------------------------


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by its entity's position, and ``exported_at`` dropped."""
    d = copy.deepcopy(document)
    del d["exported_at"]
    index = {
        section: {item["id"]: i for i, item in enumerate(d[section])}
        for section in ("sessions", "tables", "organisations", "participants", "meeting_requests", "meetings", "jobs")
    }
    opps = [o for x in d["participants"] for o in (*x["offers"], *x["requests"])]
    opp = {o["id"]: i for i, o in enumerate(opps)}
    people = index["participants"]

    def ref(section: str, value: int | None) -> Any:
        return None if value is None else ("@", section, index[section][value])

    for section in index:
        for item in d[section]:
            item["id"] = ref(section, item["id"])
    for o in opps:
        o["id"] = ("@opp", opp[o["id"]])
    for o in d["organisations"]:
        o["cluster_ids"] = [ref("organisations", c) for c in o["cluster_ids"]]
    for x in d["participants"]:
        x["organisation_id"] = ref("organisations", x["organisation_id"])
        if x["session_ids"] is not None:
            x["session_ids"] = [ref("sessions", s) for s in x["session_ids"]]
    for b in d["blocks"]:
        b["participant_id"], b["blocked_id"] = people[b["participant_id"]], people[b["blocked_id"]]
    for r in d["meeting_requests"]:
        r["from_participant_id"] = people[r["from_participant_id"]]
        r["to_participant_id"] = people[r["to_participant_id"]]
    for m in d["meetings"]:
        m["participant_ids"] = [people[x] for x in m["participant_ids"]]
        m["request_id"] = ref("meeting_requests", m["request_id"])
        m["table_id"] = ref("tables", m["table_id"])
    for j in d["jobs"]:
        for u in (j["result"] or {}).get("unplaced", []):
            u["meeting_id"] = ref("meetings", u["meeting_id"])
    for s in d["suggestions"]:
        s["participant_id"], s["partner_id"] = people[s["participant_id"]], people[s["partner_id"]]
        s["run_id"] = ref("jobs", s["run_id"])
        for reason in s["reasons"]:
            for key in ("mine_id", "theirs_id"):
                if reason.get(key) is not None:
                    reason[key] = opp[reason[key]]
    for e in d["erasures"]:
        e["participant_id"] = people[e["participant_id"]]
    return d


async def export(client: AsyncClient, org: str, event_id: int, **params: Any) -> dict[str, Any]:
    r = await client.get(f"{API}/events/{event_id}/export", params=params, headers=auth(org))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    document = json.loads(r.content)
    EventDocument.model_validate(document)  # the documented contract
    return dict(document)


async def import_(client: AsyncClient, org: str, document: dict[str, Any], status: int = 201, **params: Any) -> Any:
    r = await client.post(
        f"{API}/events/import", content=json.dumps(document), params=params, headers=auth(org) | JSON_TYPE
    )
    return check(r, status)


JSON_TYPE = {"Content-Type": "application/json"}


# --- a second, empty, migrated database ------------------------------------------------------


@dataclass
class Second:
    client: AsyncClient
    engine: AsyncEngine


@pytest.fixture
async def second(backend: str, tmp_path: Path) -> AsyncIterator[Second]:
    """Another app on a fresh database of the same backend: a new SQLite file or a new PostgreSQL database."""
    name = f"matchmaker_second_{uuid.uuid4().hex[:10]}"
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/second.db"
    else:
        await _pg_admin(f'CREATE DATABASE "{name}"')
        url = _pg_url(name)
    try:
        await asyncio.to_thread(upgrade, url)
        app = create_app(Settings(database_url=url, secret_key=SECRET, demo_mode=False, public_url="http://second"))
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://second") as c:
            yield Second(c, app.state.engine)
        await app.state.runner.join()
        await app.state.engine.dispose()
    finally:
        if backend == "postgresql":
            await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- tests ------------------------------------------------------------------------------------


async def test_round_trip_into_a_fresh_database(client: AsyncClient, db: AsyncEngine, second: Second) -> None:
    rich = await build_rich_event(client, db)
    first = await export(client, rich.org, rich.event["id"], suggestions="true")
    assert first["format"] == "matchmaker-event/1"
    # the document holds what was built
    assert len(first["participants"]) == 9 and len(first["sessions"]) == 2 and len(first["tables"]) == 3
    assert {r["status"] for r in first["meeting_requests"]} == {"pending", "accepted", "declined", "cancelled"}
    assert {m["status"] for m in first["meetings"]} == {"scheduled", "cancelled"}
    assert any(m["locked"] for m in first["meetings"]) and first["blocks"] and first["suggestions"]
    assert {j["kind"] for j in first["jobs"]} == {"matching", "scheduling"}
    assert first["event"]["schedule_published"] and first["event"]["matching_weights"]["max_per_country"] == 4
    clusters = [o for o in first["organisations"] if o["cluster_ids"]]
    assert len(clusters) == 1 and "space-tech" in {s["slug"] for s in first["sectors"]}
    assert all(x["token_hash"] for x in first["participants"])

    org2 = await organiser_token(second.client, second.engine)
    result = await import_(second.client, org2, first)
    assert result["counts"]["participants"] == 9 and result["tokens_kept"] == 9 and result["tokens_dropped"] == 0
    assert result["organisations_reused"] == 0 and result["sectors_created"] == len(first["sectors"])
    again = await export(second.client, org2, result["event_id"], suggestions="true")
    assert canonical(again) == canonical(first)
    assert canonical(again) != canonical(first | {"meetings": first["meetings"][1:]})  # the comparison has teeth

    # the imported event works: personal links still open, the organiser reads the report
    pid_index = next(i for i, x in enumerate(first["participants"]) if x["id"] == rich.people[1])
    new_pid = again["participants"][pid_index]["id"]
    token = rich.tokens[rich.people[1]]
    agenda = check(
        await second.client.get(
            f"{API}/events/{result['event_id']}/participants/{new_pid}/agenda", headers=auth(token)
        ),
        200,
    )
    assert agenda["published"] and [i["status"] for i in agenda["items"]] == ["scheduled"]
    report = check(await second.client.get(f"{API}/events/{result['event_id']}/report", headers=auth(org2)), 200)
    source = check(await client.get(f"{rich.base}/report", headers=auth(rich.org)), 200)
    for key in ("participants", "requests", "meetings", "meetings_per_participant", "countries"):
        assert report[key] == source[key], key

    # by default the suggestions stay home; each participant is re-ranked on their first read after the import
    lean = await export(client, rich.org, rich.event["id"])
    assert lean["suggestions"] == [] and all(x["matched_version"] is None for x in lean["participants"])
    assert lean["jobs"] == first["jobs"]
    copy = await import_(second.client, org2, lean, slug="lean-copy")
    assert copy["tokens_dropped"] == 9 and copy["organisations_reused"] == len(lean["organisations"])
    lean_ids = [x["id"] for x in (await export(second.client, org2, copy["event_id"]))["participants"]]
    url = f"{API}/events/{copy['event_id']}/participants/{lean_ids[2]}/suggestions"
    assert check(await second.client.get(url, headers=auth(org2)), 200)["items"]


async def test_import_next_to_the_original_reuses_organisations(client: AsyncClient, db: AsyncEngine) -> None:
    rich = await build_rich_event(client, db)
    document = await export(client, rich.org, rich.event["id"])
    assert document["suggestions"] == [] and document["jobs"]

    async def count(model: Any) -> int:
        async with db.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(model)) or 0)

    before = (await count(Event), await count(Organisation), await count(Participant))
    taken = await import_(client, rich.org, document, 409)
    assert f"slug '{rich.event['slug']}' is taken" in taken["detail"] and "?slug=" in taken["detail"]
    assert (await count(Event), await count(Organisation), await count(Participant)) == before
    result = await import_(client, rich.org, document, slug="copy-of-the-event")
    assert result["slug"] == "copy-of-the-event" and result["organisations_created"] == 0
    assert result["organisations_reused"] == len(document["organisations"])
    # the original keeps its links; the copy's hashes would collide, so its participants need new ones
    assert result["tokens_kept"] == 0 and result["tokens_dropped"] == 9
    assert await count(Organisation) == before[1] and await count(Participant) == 2 * before[2]
    copy_doc = await export(client, rich.org, result["event_id"])
    assert all(x["token_hash"] is None for x in copy_doc["participants"])
    assert [x["organisation_id"] for x in copy_doc["participants"]] == [
        x["organisation_id"] for x in document["participants"]
    ]
    first, copied = canonical(document), canonical(copy_doc)
    for x in first["participants"]:
        x["token_hash"] = x["token_issued_at"] = None
    first["event"]["slug"] = "copy-of-the-event"
    assert copied == first
    me = check(
        await client.get(f"{rich.base}/participants/{rich.people[0]}", headers=auth(rich.tokens[rich.people[0]])), 200
    )
    assert me["id"] == rich.people[0]
    fresh = check(
        await client.post(
            f"{API}/events/import",
            content=json.dumps(document),
            params={"slug": "x-y", "tokens": "drop"},
            headers=auth(rich.org) | JSON_TYPE,
        ),
        201,
    )
    assert fresh["tokens_kept"] == 0


async def test_import_refuses_bad_documents_and_writes_nothing(client: AsyncClient, db: AsyncEngine) -> None:
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    base = f"{API}/events/{event['id']}"
    a, b = [
        check(
            await client.post(
                f"{base}/participants",
                json={
                    "name": n,
                    "email": f"{n}@example.org",
                    "organisation": {"name": n, "kind": "company", "country": "RO"},
                },
                headers=auth(org),
            ),
            201,
        )["id"]
        for n in ("ana", "bob")
    ]
    check(
        await client.post(f"{base}/meetings", json={"participant_ids": [a, b]}, headers=auth(org)),
        201,
    )
    good = await export(client, org, event["id"])

    async def events() -> int:
        async with db.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(Event)) or 0)

    before = await events()
    wrong = good | {"format": "matchmaker-event/2"}
    body = await import_(client, org, wrong, 422, slug="other")
    assert "matchmaker-event/1" in body["detail"] and body["errors"][0]["loc"] == ["body", "format"]
    dangling = copy.deepcopy(good)
    dangling["meetings"][0]["participant_ids"][1] = 999_999
    dangling["meetings"][0]["table_id"] = 888_888
    body = await import_(client, org, dangling, 422, slug="other")
    locs = [e["loc"] for e in body["errors"]]
    assert ["body", "meetings", 0, "participant_ids", 1] in locs and ["body", "meetings", 0, "table_id"] in locs
    duplicate = copy.deepcopy(good)
    duplicate["participants"][1]["email"] = duplicate["participants"][0]["email"].upper()
    body = await import_(client, org, duplicate, 422, slug="other")
    assert body["errors"][0]["loc"] == ["body", "participants", 1] and "email" in body["errors"][0]["msg"]
    invalid = copy.deepcopy(good)
    invalid["participants"][0]["name"] = "x" * 201
    invalid["participants"][0]["surprise"] = True
    body = await import_(client, org, invalid, 422, slug="other")
    assert {tuple(e["loc"]) for e in body["errors"]} >= {
        ("body", "participants", 0, "name"),
        ("body", "participants", 0, "surprise"),
    }
    body = await import_(client, org, {"format": "matchmaker-event/1"}, 422)
    assert any(e["loc"] == ["body", "event"] for e in body["errors"])
    r = await client.post(f"{API}/events/import", content=b"{not json", headers=auth(org) | JSON_TYPE)
    assert check(r, 422)["detail"].startswith("The body is not valid JSON")
    r = await client.post(f"{API}/events/import", content=b"a,b", headers=auth(org) | {"Content-Type": "text/csv"})
    check(r, 415)
    assert await events() == before


async def test_only_organisers_export_and_import(client: AsyncClient, db: AsyncEngine) -> None:
    org = await organiser_token(client, db)
    other = await organiser_token(client, db)
    event = await create_event(client, org)
    base = f"{API}/events/{event['id']}"
    pid = check(
        await client.post(
            f"{base}/participants",
            json={
                "name": "Ana",
                "email": "ana@example.org",
                "organisation": {"name": "A", "kind": "company", "country": "RO"},
            },
            headers=auth(org),
        ),
        201,
    )["id"]
    token = await participant_token(client, org, event["id"], pid)
    check(await client.get(f"{base}/export"), 401)
    check(await client.get(f"{base}/export", headers=auth(token)), 403)
    check(await client.get(f"{base}/export", headers=auth(other)), 403)
    check(await client.get(f"{API}/events/999999/export", headers=auth(org)), 404)
    document = await export(client, org, event["id"])
    r = await client.post(f"{API}/events/import", content=json.dumps(document), headers=auth(token) | JSON_TYPE)
    check(r, 403)
    r = await client.post(f"{API}/events/import", content=json.dumps(document), headers=JSON_TYPE)
    check(r, 401)
    # another organiser imports it as theirs
    result = await import_(client, other, document, slug="theirs")
    check(await client.get(f"{API}/events/{result['event_id']}/export", headers=auth(other)), 200)
    check(await client.get(f"{API}/events/{result['event_id']}/export", headers=auth(org)), 403)


async def test_a_document_over_a_megabyte_imports(client: AsyncClient, db: AsyncEngine) -> None:
    """Whole-event imports take bodies up to MATCHMAKER_MAX_IMPORT_BYTES, like participant imports."""
    org = await organiser_token(client, db)
    event = await create_event(client, org)
    document = await export(client, org, event["id"])
    document["organisations"] = [
        {"id": 1, "name": "Big Org", "kind": "company", "country": "RO", "created_at": NOW, "updated_at": NOW}
    ]
    words = "Sensors, dashboards and data platforms for small factories in the Danube region. " * 4
    document["participants"] = [
        {
            "id": i,
            "organisation_id": 1,
            "name": f"Person {i}",
            "email": f"person{i}@example.org",
            "version": 1,
            "offers": [{"id": i, "type": "technology", "title": "IoT", "description": words, "position": 0}],
            "created_at": NOW,
            "updated_at": NOW,
        }
        for i in range(1, 2501)
    ]
    for x in document["participants"]:
        x["offers"] = [o | {"created_at": NOW, "updated_at": NOW} for o in x["offers"]]
    body = json.dumps(document)
    assert len(body) > 1024 * 1024
    result = await import_(client, org, document, slug="big-one")
    assert result["counts"]["participants"] == 2500 and result["counts"]["opportunities"] == 2500


NOW = "2025-06-01T10:00:00+03:00"
