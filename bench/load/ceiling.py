"""The machine's ceiling: how many requests/s can this host serve to locust at all?

    .venv/bin/python -m bench.load.ceiling [--rate 500] [--users 250] [--duration 30] [--workers 2]

The load target (500 req/s, p95 < 100 ms) is for the whole stack on a 2-core machine that also runs the
load tool and PostgreSQL. Before reading the figures of ``bench.load``, this measures the same client
(locust ``FastHttpUser``, same users and offered rate, same uvicorn command line) against three servers
that do less and less work:

* ``bare``: a FastAPI app with one route returning a 40-byte JSON document, no middleware;
* ``healthz``: Matchmaker's own app (``serving_app``, as ``matchmaker serve`` runs it: all middleware) on
  ``GET /healthz``, no database;
* ``profile``: Matchmaker's ``GET …/participants/{id}`` as a participant (token check and one profile read
  on PostgreSQL), the cheapest authenticated read of the mix. Needs the seed of ``bench.load`` (run it once).

Prints one markdown row per target: requests/s served, p50/p95/p99, errors, CPU seconds of server and
client. Whatever ``bare`` cannot reach, no application on this machine can.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from bench.load.__main__ import RESULTS, ROOT, _read_stats, _Sampler, _stop, _tree_cpu, locust_command

LOCUSTFILE = """
import os
from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ["CEILING_PATH"]
HEADERS = {"Authorization": "Bearer " + os.environ["CEILING_TOKEN"]} if os.environ.get("CEILING_TOKEN") else {}

class Caller(FastHttpUser):
    wait_time = constant_throughput(float(os.environ["CEILING_USER_RPS"]))

    @task
    def call(self):
        self.client.get(PATH, headers=HEADERS, name="target")
"""

bare_app = FastAPI()


@bare_app.get("/ping")
async def ping() -> dict[str, str]:
    return {"status": "ok", "service": "ceiling"}


def _serve(app_ref: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        app_ref,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if app_ref.endswith("()"):
        cmd = [*cmd[:3], app_ref[:-2], "--factory", *cmd[4:]]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except urllib.error.HTTPError:
            return proc  # it answers (the bare app has no /healthz)
        except OSError:
            time.sleep(0.3)
    _stop(proc)
    raise SystemExit(f"{app_ref} did not come up in 180 s")


def _measure(
    name: str, path: str, token: str | None, server: subprocess.Popen[bytes], a: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    locustfile = workdir / "ceiling_locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    prefix = workdir / name
    env = {**os.environ, "CEILING_PATH": path, "CEILING_TOKEN": token or "", "CEILING_USER_RPS": str(a.rate / a.users)}
    cmd = locust_command(locustfile, a.users, a.spawn_rate, a.users / a.spawn_rate + a.duration, a.port, prefix)
    server_cpu0 = _tree_cpu(server.pid)
    client = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _Sampler(server.pid, client.pid)
    sampler.start()
    _, err = client.communicate()
    sampler.done.set()
    sampler.join()
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"locust failed on {name}:\n{err.decode(errors='replace')[-3000:]}")
    stats, _ = _read_stats(prefix)
    row = next(s for s in stats if s["kind"] == "target")
    return {
        "target": name,
        **row,
        "server_cpu_s": round(sampler.cpu["server"] - server_cpu0, 1),
        "client_cpu_s": round(sampler.cpu["client"], 1),
        "load": round(sum(sampler.loads) / max(1, len(sampler.loads)), 2),
    }


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.load.ceiling", description=__doc__.split("\n\n")[0])
    p.add_argument("--rate", type=float, default=500)
    p.add_argument("--users", type=int, default=250)
    p.add_argument("--spawn-rate", type=float, default=50)
    p.add_argument("--duration", type=int, default=30)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--db", default="matchmaker_load")
    p.add_argument("--only", choices=("bare", "healthz", "profile"), action="append")
    a = p.parse_args(argv)
    seed_file = RESULTS / f"load-seed-{a.db}.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    targets: list[tuple[str, str, str, str | None]] = [("bare", "bench.load.ceiling:bare_app", "/ping", None)]
    if seed_file.exists():
        seed = json.loads(seed_file.read_text())
        env |= {
            "MATCHMAKER_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{a.db}",
            "MATCHMAKER_DEMO_MODE": "false",
            "MATCHMAKER_SECRET_KEY": seed["secret"],
            "MATCHMAKER_LOG_LEVEL": "WARNING",
        }
        me, partner = seed["participants"][0], seed["participants"][-1]
        targets += [
            ("healthz", "app.main:serving_app()", "/healthz", None),
            (
                "profile",
                "app.main:serving_app()",
                f"/api/v1/events/{seed['event_id']}/participants/{partner['id']}",
                me["token"],
            ),
        ]
    else:
        print(f"no seed at {seed_file}: run `python -m bench.load` once for the healthz and profile rows")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, app_ref, path, token in targets:
            if a.only and name not in a.only:
                continue
            server = _serve(app_ref, a.port, a.workers, env)
            try:
                rows.append(_measure(name, path, token, server, a, Path(tmp)))
            finally:
                _stop(server)
    print(
        f"\n{a.users} users offering {a.rate:g} req/s for {a.duration} s; {a.workers} uvicorn workers; "
        f"{os.cpu_count()} cores\n"
    )
    print("| target | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU s | client CPU s | load 1m |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['target']} | {r['rps']:.0f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | "
            f"{r['errors']} | {r['server_cpu_s']} | {r['client_cpu_s']} | {r['load']} |"
        )


if __name__ == "__main__":
    main()
