"""Profile the hot routes of the load mix in-process (cProfile) against the seeded load database.

    .venv/bin/python -m bench.load.profile [--db matchmaker_load] [--repeat 200] [--route suggestions]

Needs a database seeded by ``python -m bench.load`` (its seed file in ``bench/results/``). Calls each route
``--repeat`` times through ``httpx.ASGITransport`` (no network, no client cost), prints the mean wall ms per
call and the top functions by cumulative time, so that the cost of the SQL, the ORM, the serialisation and
the middleware can be told apart.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import time
from collections.abc import Sequence

from httpx import ASGITransport, AsyncClient

from app.config import Settings
from app.main import create_app
from bench.load.__main__ import RESULTS


async def _run(db: str, repeat: int, only: str | None, top: int, sort: str) -> None:
    data = json.loads((RESULTS / f"load-seed-{db}.json").read_text())
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
    app = create_app(Settings(database_url=url, secret_key=data["secret"], demo_mode=False, log_level="WARNING"))
    me = data["participants"][0]
    base = f"/api/v1/events/{data['event_id']}"
    pid, partner = me["id"], data["participants"][-1]["id"]
    routes = {
        "suggestions": (f"{base}/participants/{pid}/suggestions?limit=20", me["token"]),
        "agenda": (f"{base}/participants/{pid}/agenda", me["token"]),
        "agenda.ics": (f"{base}/participants/{pid}/agenda.ics", me["token"]),
        "partner profile": (f"{base}/participants/{partner}", me["token"]),
        "incoming requests": (
            f"{base}/meeting-requests?participant_id={pid}&direction=incoming&status=pending&limit=5",
            me["token"],
        ),
        "report": (f"{base}/report", data["organiser_token"]),
    }
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://profile") as c:
        for name, (path, token) in routes.items():
            if only and name != only:
                continue
            h = {"Authorization": f"Bearer {token}"}
            assert (await c.get(path, headers=h)).status_code == 200  # warm caches and the pool
            n = repeat if name != "report" else max(1, repeat // 20)
            prof = cProfile.Profile()
            t, cpu = time.perf_counter(), time.process_time()
            if top:
                prof.enable()
            for _ in range(n):
                r = await c.get(path, headers=h)
            prof.disable()
            ms, cpu_ms = (time.perf_counter() - t) * 1000 / n, (time.process_time() - cpu) * 1000 / n
            assert r.status_code == 200, r.text
            size = len(r.content)
            print(f"\n## {name}: {ms:.1f} ms per call, {cpu_ms:.1f} ms of this process's CPU ({n} calls, {size} bytes)")
            if not top:
                continue
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats(sort).print_stats(top)
            print(out.getvalue())
    await app.state.engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.load.profile")
    p.add_argument("--db", default="matchmaker_load")
    p.add_argument("--repeat", type=int, default=200)
    p.add_argument("--route", default=None)
    p.add_argument("--top", type=int, default=40, help="functions listed; 0 = timings only, without the profiler")
    p.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, ...")
    a = p.parse_args(argv)
    asyncio.run(_run(a.db, a.repeat, a.route, a.top, a.sort))


if __name__ == "__main__":
    main()
