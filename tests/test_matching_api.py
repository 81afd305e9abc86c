import asyncio
from typing import Any

from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.main import create_app
from tests.factories import auth, check, create_event, organiser_token, participant_token

API = "/api/v1"


def person(
    n: int, country: str, org: str, kind: str, offers: list[str], requests: list[str], **extra: Any
) -> dict[str, Any]:
    return {
        "external_id": f"m{n}",
        "name": f"Person {n}",
        "email": f"m{n}@example.org",
        "languages": ["en"],
        "organisation": {
            "name": org,
            "kind": kind,
            "country": country,
            "sectors": extra.pop("sectors", ["ict"]),
            "description": extra.pop("description", ""),
        },
        "offers": [{"title": t, "type": "technology"} for t in offers],
        "requests": [{"title": t, "type": "rd_cooperation"} for t in requests],
        **extra,
    }


PEOPLE = [
    person(
        1, "RO", "Cluj Robotics", "company", ["Industrial robot integration"], ["Cybersecurity audit for factories"]
    ),
    person(
        2,
        "DE",
        "Secura Labs",
        "research",
        ["Cybersecurity audits for industrial plants"],
        ["Robot integration partner"],
    ),
    person(3, "RO", "Cluj Robotics", "company", ["Robot arms"], ["Cybersecurity audit"]),  # colleague of 1
    person(4, "IT", "Vino Rosso", "company", ["Wine export"], ["Distributors of wine in Poland"], sectors=["agrifood"]),
    person(
        5,
        "PL",
        "Polska Dystrybucja",
        "company",
        ["Distribution of wine and spirits in Poland"],
        ["Italian wine producers"],
        sectors=["agrifood"],
    ),
    person(6, "ES", "Hidden Co", "company", ["Cybersecurity audits"], ["Robots"], listed=False),
]


async def _run(client: AsyncClient, token: str, event_id: int) -> dict[str, Any]:
    started = check(await client.post(f"{API}/events/{event_id}/matching-runs", headers=auth(token)), 202)
    for _ in range(200):
        run = check(
            await client.get(f"{API}/events/{event_id}/matching-runs/{started['id']}", headers=auth(token)), 200
        )
        if run["status"] in ("succeeded", "failed"):
            return dict(run)
        await asyncio.sleep(0.05)
    raise AssertionError("matching run did not finish")


async def _event_with_people(client: AsyncClient, db: AsyncEngine) -> tuple[str, int, dict[str, int]]:
    """An organiser's token, a new event with PEOPLE imported, and their ids by external id."""
    token = await organiser_token(client, db)
    eid = (await create_event(client, token))["id"]
    imported = check(
        await client.post(
            f"{API}/events/{eid}/participants/import", json={"participants": PEOPLE}, headers=auth(token)
        ),
        200,
    )
    return token, eid, {p["external_id"]: p["id"] for p in imported["participants"]}


async def test_run_suggest_hide_and_refresh(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    eid = event["id"]
    imported = check(
        await client.post(
            f"{API}/events/{eid}/participants/import", json={"participants": PEOPLE}, headers=auth(token)
        ),
        200,
    )
    ids = {p["external_id"]: p["id"] for p in imported["participants"]}
    run = await _run(client, token, eid)
    assert run["status"] == "succeeded", run
    assert run["result"]["participants"] == 6 and run["result"]["timings"]["engine_s"] >= 0

    me = await participant_token(client, token, eid, ids["m1"])
    url = f"{API}/events/{eid}/participants/{ids['m1']}/suggestions"
    page = check(await client.get(url, headers=auth(me)), 200)
    partners = [s["participant"]["id"] for s in page["items"]]
    assert partners[0] == ids["m2"]
    assert ids["m3"] not in partners and ids["m1"] not in partners and ids["m6"] not in partners
    best = page["items"][0]
    assert best["participant"]["email"] is None and best["run_id"] == run["id"]
    assert 0 < best["score"] <= min(best["score_for_me"], best["score_for_them"]) * 2
    types = {r["type"] for r in best["reasons"]}
    assert "request_offer" in types
    ro = next(r for r in best["reasons"] if r["type"] == "request_offer")
    assert (
        ro["mine"] == "Cybersecurity audit for factories"
        and ro["theirs"] == "Cybersecurity audits for industrial plants"
    )

    # another participant cannot read my suggestions; the organiser can
    other = await participant_token(client, token, eid, ids["m2"])
    check(await client.get(url, headers=auth(other)), 403)
    check(await client.get(url, headers=auth(token)), 200)

    # hide: gone now and after the next run
    check(await client.post(f"{url}/{ids['m2']}/hide", headers=auth(me)), 204)
    assert ids["m2"] not in [
        s["participant"]["id"] for s in check(await client.get(url, headers=auth(me)), 200)["items"]
    ]
    await _run(client, token, eid)
    assert ids["m2"] not in [
        s["participant"]["id"] for s in check(await client.get(url, headers=auth(me)), 200)["items"]
    ]
    check(await client.post(f"{url}/{ids['m1']}/hide", headers=auth(me)), 422)

    # a newcomer after the run: fresh suggestions on first read, and appears in a partner's list
    newcomer = person(
        7,
        "FR",
        "Vins de France",
        "company",
        ["Wine distribution network in Poland and Baltics"],
        ["Italian wine producers"],
        sectors=["agrifood"],
    )
    new = check(await client.post(f"{API}/events/{eid}/participants", json=newcomer, headers=auth(token)), 201)
    news = check(await client.get(f"{API}/events/{eid}/participants/{new['id']}/suggestions", headers=auth(token)), 200)
    assert (
        news["items"] and news["items"][0]["participant"]["id"] == ids["m4"] and news["items"][0]["source"] == "refresh"
    )
    wine = check(await client.get(f"{API}/events/{eid}/participants/{ids['m4']}/suggestions", headers=auth(token)), 200)
    assert new["id"] in [s["participant"]["id"] for s in wine["items"]]


async def test_rerun_while_running_returns_same_run(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    check(
        await client.post(
            f"{API}/events/{event['id']}/participants/import", json={"participants": PEOPLE[:2]}, headers=auth(token)
        ),
        200,
    )
    starts = await asyncio.gather(
        *(client.post(f"{API}/events/{event['id']}/matching-runs", headers=auth(token)) for _ in range(5))
    )
    assert all(r.status_code == 202 for r in starts), [r.text for r in starts]
    runs = sorted({r.json()["id"] for r in starts})
    await client._transport.app.state.runner.join()  # type: ignore[attr-defined]
    # a start while a run is active returns that run: no two runs of the event ever overlap
    done = [
        check(await client.get(f"{API}/events/{event['id']}/matching-runs/{i}", headers=auth(token)), 200) for i in runs
    ]
    spans = sorted((d["started_at"], d["finished_at"]) for d in done)
    assert all(d["status"] == "succeeded" for d in done)
    assert all(later[0] >= earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))
    check(await client.get(f"{API}/events/{event['id']}/matching-runs/999999", headers=auth(token)), 404)


async def test_runs_and_suggestions_need_the_right_role(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    imported = check(
        await client.post(
            f"{API}/events/{event['id']}/participants/import", json={"participants": PEOPLE[:2]}, headers=auth(token)
        ),
        200,
    )
    pid = imported["participants"][0]["id"]
    me = await participant_token(client, token, event["id"], pid)
    check(await client.post(f"{API}/events/{event['id']}/matching-runs", headers=auth(me)), 403)
    check(await client.post(f"{API}/events/{event['id']}/matching-runs"), 401)
    # before any run: an empty page, not an error
    assert (
        check(await client.get(f"{API}/events/{event['id']}/participants/{pid}/suggestions", headers=auth(me)), 200)[
            "total"
        ]
        == 0
    )


async def test_hidden_partner_stays_hidden_after_profile_edits(client: AsyncClient, db: AsyncEngine) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    eid = event["id"]
    imported = check(
        await client.post(
            f"{API}/events/{eid}/participants/import", json={"participants": PEOPLE}, headers=auth(token)
        ),
        200,
    )
    ids = {p["external_id"]: p["id"] for p in imported["participants"]}
    await _run(client, token, eid)
    me = await participant_token(client, token, eid, ids["m1"])
    url = f"{API}/events/{eid}/participants/{ids['m1']}"
    check(await client.post(f"{url}/suggestions/{ids['m2']}/hide", headers=auth(me)), 204)
    # edits on both sides trigger refreshes against the cached engine; the block still holds
    check(await client.patch(url, json={"job_title": "Director"}, headers=auth(me)), 200)
    partner = await participant_token(client, token, eid, ids["m2"])
    check(
        await client.patch(
            f"{API}/events/{eid}/participants/{ids['m2']}", json={"job_title": "Lead"}, headers=auth(partner)
        ),
        200,
    )
    mine = check(await client.get(f"{url}/suggestions", headers=auth(me)), 200)
    assert ids["m2"] not in [s["participant"]["id"] for s in mine["items"]]
    theirs = check(
        await client.get(f"{API}/events/{eid}/participants/{ids['m2']}/suggestions", headers=auth(partner)), 200
    )
    assert ids["m1"] not in [s["participant"]["id"] for s in theirs["items"]]
    # and a participant cannot raise their own cap above the event's
    check(await client.patch(url, json={"max_meetings": 100}, headers=auth(me)), 403)
    check(await client.patch(url, json={"max_meetings": 2}, headers=auth(me)), 200)


async def test_cached_public_profiles_follow_every_change(
    client: AsyncClient, db: AsyncEngine, settings: Settings
) -> None:
    """Partners' public profiles are served from a per-process cache keyed by profile version: after each
    kind of change, what a participant reads equals what a process with an empty cache reads."""
    token, eid, ids = await _event_with_people(client, db)
    assert (await _run(client, token, eid))["status"] == "succeeded"
    me = auth(await participant_token(client, token, eid, ids["m1"]))
    partner = auth(await participant_token(client, token, eid, ids["m2"]))
    base = f"{API}/events/{eid}/participants"
    reads = [f"{base}/{ids['m1']}/suggestions", f"{base}/{ids['m2']}"]

    async def same_as_uncached(step: str) -> list[Any]:
        cached = [(r.status_code, r.json()) for r in [await client.get(u, headers=me) for u in reads]]
        fresh_app = create_app(settings)  # its own sessionmaker: an empty cache
        async with AsyncClient(transport=ASGITransport(app=fresh_app), base_url="http://test") as fresh:
            uncached = [(r.status_code, r.json()) for r in [await fresh.get(u, headers=me) for u in reads]]
        await fresh_app.state.engine.dispose()
        assert cached == uncached, step
        return cached

    await same_as_uncached("warm")
    await same_as_uncached("served from the cache")
    profiles = client._transport.app.state.sessionmaker.kw["info"]["profiles"]  # type: ignore[attr-defined]
    assert profiles.hits > 0
    check(await client.patch(f"{base}/{ids['m2']}", json={"job_title": "Head of audits"}, headers=partner), 200)
    [(_, page), (_, profile)] = await same_as_uncached("job title")
    assert profile["job_title"] == "Head of audits"
    assert next(s for s in page["items"] if s["participant"]["id"] == ids["m2"])["participant"]["job_title"] == (
        "Head of audits"
    )
    offer = {"direction": "offer", "title": "OT network penetration tests", "type": "technology"}
    check(await client.post(f"{base}/{ids['m2']}/opportunities", json=offer, headers=partner), 201)
    assert "OT network penetration tests" in [o["title"] for o in (await same_as_uncached("new offer"))[1][1]["offers"]]
    org = profile["organisation"]["id"]
    check(await client.patch(f"{API}/organisations/{org}", json={"name": "Secura Labs GmbH"}, headers=auth(token)), 200)
    assert (await same_as_uncached("organisation renamed"))[1][1]["organisation"]["name"] == "Secura Labs GmbH"
    pages = client._transport.app.state.sessionmaker.kw["info"]["pages"]  # type: ignore[attr-defined]
    assert pages.hits > 0  # the suggestion page itself came from the cache between changes
    first = (await same_as_uncached("before a hide"))[0][1]["items"][-1]["participant"]["id"]
    check(await client.post(f"{reads[0]}/{first}/hide", headers=me), 204)
    page = (await same_as_uncached("hidden"))[0][1]
    assert first not in [s["participant"]["id"] for s in page["items"]]
    check(await client.patch(f"{base}/{ids['m2']}", json={"listed": False}, headers=auth(token)), 200)
    [(_, page), (status, _)] = await same_as_uncached("unlisted")
    assert status == 404 and ids["m2"] not in [s["participant"]["id"] for s in page["items"]]


async def test_suggestions_revalidate_with_an_etag(client: AsyncClient, db: AsyncEngine) -> None:
    """An unchanged page is answered 304 without a body; any change of the page gives a new ETag."""
    token, eid, ids = await _event_with_people(client, db)
    assert (await _run(client, token, eid))["status"] == "succeeded"
    me = auth(await participant_token(client, token, eid, ids["m1"]))
    url = f"{API}/events/{eid}/participants/{ids['m1']}/suggestions"
    first = await client.get(url, headers=me)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and tag.startswith('"') and first.headers["Cache-Control"] == "private, no-cache"
    again = await client.get(url, headers={**me, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == tag
    assert (await client.get(url, headers={**me, "If-None-Match": '"other", W/' + tag})).status_code == 304
    assert (await client.get(url, headers={**me, "If-None-Match": '"stale"'})).status_code == 200
    other_page = await client.get(url + "?limit=1", headers={**me, "If-None-Match": tag})
    assert other_page.status_code == 200 and other_page.headers["ETag"] != tag
    organiser_view = await client.get(url, headers={**auth(token), "If-None-Match": tag})
    assert organiser_view.status_code == 200  # organisers see partners' private fields: another body
    partner = first.json()["items"][0]["participant"]["id"]
    check(await client.post(f"{url}/{partner}/hide", headers=me), 204)
    changed = await client.get(url, headers={**me, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert partner not in [s["participant"]["id"] for s in changed.json()["items"]]


async def test_agenda_revalidates_and_follows_changes(client: AsyncClient, db: AsyncEngine, settings: Settings) -> None:
    """The agenda's ETag changes with anything it shows; a cached agenda equals a fresh process's."""
    token, eid, ids = await _event_with_people(client, db)
    me = auth(await participant_token(client, token, eid, ids["m1"]))
    partner = auth(await participant_token(client, token, eid, ids["m2"]))
    url = f"{API}/events/{eid}/participants/{ids['m1']}/agenda"
    meeting = check(
        await client.post(
            f"{API}/events/{eid}/meetings", json={"participant_ids": [ids["m1"], ids["m2"]]}, headers=auth(token)
        ),
        201,
    )

    async def read(step: str, tag: str | None = None) -> tuple[int, str, Any]:
        r = await client.get(url, headers={**me, **({"If-None-Match": tag} if tag else {})})
        fresh_app = create_app(settings)  # an empty cache
        async with AsyncClient(transport=ASGITransport(app=fresh_app), base_url="http://test") as fresh:
            uncached = await fresh.get(url, headers=me)
        await fresh_app.state.engine.dispose()
        assert r.headers["ETag"] == uncached.headers["ETag"], step
        if r.status_code == 200:
            assert r.json() == uncached.json(), step
        return r.status_code, r.headers["ETag"], r.json() if r.status_code == 200 else None

    status, tag, body = await read("first")
    assert status == 200 and [i["meeting_id"] for i in body["items"]] == [meeting["id"]]
    assert (await read("unchanged", tag))[0] == 304
    check(
        await client.patch(f"{API}/events/{eid}/participants/{ids['m2']}", json={"job_title": "CTO"}, headers=partner),
        200,
    )
    status, tag2, body = await read("partner edited", tag)
    assert status == 200 and tag2 != tag and body["items"][0]["partner"]["job_title"] == "CTO"
    check(await client.post(f"{API}/events/{eid}/meetings/{meeting['id']}/cancel", headers=auth(token)), 200)
    status, tag3, body = await read("cancelled", tag2)
    assert status == 200 and tag3 != tag2 and body["items"] == []
