"""Load benchmark: 5,000 participants on PostgreSQL, several uvicorn workers, a locust mix.

    .venv/bin/python -m bench.load [--participants 5000] [--users 250] [--rate 500] [--duration 60]
        [--workers 2] [--processes 1] [--reuse]

1. creates a fresh PostgreSQL database (``--pg``), migrates it and seeds it (``bench/load/seed.py``);
2. starts ``matchmaker serve --workers N`` against it (demo mode off, a real secret, logs at WARNING);
3. runs ``bench/load/locustfile.py`` headless: ``--users`` participants, each at ``rate / users`` requests/s
   (``constant_throughput``), plus one organiser polling the report;
4. prints a markdown table (throughput, p50/p95/p99 per request kind and overall, errors, machine load and
   CPU seconds of the server and of the client) and writes the same as JSON to ``bench/results/``.

``--reuse`` skips steps 1 and the seeding when the database and its seed file are there (re-measure quickly).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import psutil
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
TARGET = {"rps": 500.0, "p95_ms": 100.0, "errors": 0}


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432", help="PostgreSQL server (no database)")
    p.add_argument("--db", default="matchmaker_load", help="database to (re)create")
    p.add_argument("--participants", type=int, default=5000)
    p.add_argument("--load-users", type=int, default=600, help="participants given a token (>= --users)")
    p.add_argument("--incoming", type=int, default=10, help="pending requests seeded into each load user's inbox")
    p.add_argument("--users", type=int, default=250, help="concurrent simulated participants")
    p.add_argument("--rate", type=float, default=500.0, help="offered load, requests/s over all users")
    p.add_argument("--duration", type=int, default=60, help="measured seconds (after the ramp-up)")
    p.add_argument("--spawn-rate", type=float, default=50.0)
    p.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    p.add_argument("--processes", type=int, default=1, help="locust processes (-1: one per core)")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--reuse", action="store_true", help="keep the database and seed of an earlier run")
    return p.parse_args(argv)


async def _recreate(server: str, db: str) -> None:
    conn = await asyncpg.connect(f"{server}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{db}"')
    finally:
        await conn.close()


def _prepare(a: argparse.Namespace, url: str, secret: str, seed_file: Path) -> dict[str, Any]:
    if a.reuse and seed_file.exists():
        data: dict[str, Any] = json.loads(seed_file.read_text())
        if data.get("participants_total") == a.participants:
            print(f"reusing database {a.db} and {seed_file.relative_to(ROOT)}", file=sys.stderr)
            return data
    from bench.load.seed import run_seed

    asyncio.run(_recreate(a.pg, a.db))
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "app", "migrate"], check=True, cwd=ROOT, env=env)
    t = time.perf_counter()
    seeded = run_seed(url, a.participants, max(a.load_users, a.users), a.incoming, secret)
    data = {**seeded.as_dict(), "participants_total": a.participants, "secret": secret}
    data["seconds"]["total"] = round(time.perf_counter() - t, 1)
    seed_file.write_text(json.dumps(data))
    print(f"seeded in {data['seconds']}: {data['counts']}", file=sys.stderr)
    return data


def _serve(a: argparse.Namespace, url: str, secret: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    env |= {
        "MATCHMAKER_DATABASE_URL": url,
        "MATCHMAKER_DEMO_MODE": "false",
        "MATCHMAKER_SECRET_KEY": secret,
        "MATCHMAKER_LOG_LEVEL": "WARNING",
    }
    cmd = [sys.executable, "-m", "app", "serve", "--port", str(a.port), "--workers", str(a.workers)]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 180  # the workers import scikit-learn and OR-Tools: slow on a busy machine
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{a.port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    _stop(server)
    raise SystemExit("the API did not come up in 180 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group we started (uvicorn and its workers)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def _tree_cpu(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


class _Sampler(threading.Thread):
    """Samples the machine load and the CPU seconds of the server and client process trees."""

    def __init__(self, server: int, client: int) -> None:
        super().__init__(daemon=True)
        self.pids, self.loads, self.cpu = (server, client), [], {"server": 0.0, "client": 0.0}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(2.0):
            self.loads.append(os.getloadavg()[0])
            for name, pid in zip(("server", "client"), self.pids, strict=True):
                self.cpu[name] = max(self.cpu[name], _tree_cpu(pid))


def locust_command(
    locustfile: Path, users: int, spawn_rate: float, seconds: float, port: int, prefix: Path
) -> list[str]:
    """Headless locust against the local server on ``port``: ramp-up stats reset, CSVs at ``prefix``."""
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(locustfile),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{int(seconds)}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--reset-stats",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
    ]


def _locust(a: argparse.Namespace, users_file: Path, prefix: Path, server_pid: int) -> tuple[int, _Sampler, float]:
    env = {
        **os.environ,
        "MATCHMAKER_LOAD_USERS": str(users_file),
        "MATCHMAKER_LOAD_PROCESSES": str(a.processes if a.processes > 0 else os.cpu_count() or 1),
        "MATCHMAKER_LOAD_USER_RPS": str(a.rate / a.users),
    }
    locustfile = ROOT / "bench" / "load" / "locustfile.py"
    cmd = locust_command(locustfile, a.users + 1, a.spawn_rate, a.users / a.spawn_rate + a.duration, a.port, prefix)
    if a.processes != 1:
        cmd += ["--processes", str(a.processes)]
    server_cpu0 = _tree_cpu(server_pid)
    client = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    sampler = _Sampler(server_pid, client.pid)
    sampler.start()
    code = client.wait()
    sampler.done.set()
    sampler.join()
    return code, sampler, server_cpu0


def _read_stats(prefix: Path) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as f:
        for r in csv.DictReader(f):
            rows.append(
                {
                    "kind": r["Name"] if r["Name"] != "Aggregated" else "overall",
                    "method": r["Type"],
                    "requests": int(r["Request Count"]),
                    "errors": int(r["Failure Count"]),
                    "rps": float(r["Requests/s"]),
                    "p50_ms": float(r["50%"] or 0),
                    "p95_ms": float(r["95%"] or 0),
                    "p99_ms": float(r["99%"] or 0),
                    "max_ms": float(r["Max Response Time"] or 0),
                }
            )
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = list(csv.DictReader(f))
    return rows, failures


def _markdown(result: dict[str, Any]) -> str:
    lines = [
        "| request kind | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["stats"]:
        name = f"**{r['kind']}**" if r["kind"] == "overall" else f"{r['method']} {r['kind']}"
        lines.append(
            f"| {name} | {r['requests']} | {r['rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
            f"{r['p99_ms']:.0f} | {r['max_ms']:.0f} | {r['errors']} |"
        )
    m = result["machine"]
    cfg = result["config"]
    lines += [
        "",
        f"{cfg['participants']} participants, {cfg['users']} users offering {cfg['rate']:.0f} req/s for "
        f"{cfg['duration']} s; {cfg['workers']} uvicorn workers, {cfg['processes']} locust process(es); "
        f"{m['cores']} cores.",
        f"Machine load (1 min): {m['load_before']:.2f} before, {m['load_during_mean']:.2f} mean / "
        f"{m['load_during_max']:.2f} max during. CPU seconds during the run: server {m['server_cpu_s']:.1f}, "
        f"client {m['client_cpu_s']:.1f} (of {m['wall_s']:.0f} s x {m['cores']} cores).",
        "Read caches (hits / lookups, server start included): "
        + (
            ", ".join(
                f"{name} {c['hit']:.0f} / {c['hit'] + c['miss']:.0f}"
                for name, c in sorted(result.get("read_caches", {}).items())
            )
            or "none"
        )
        + ".",
        f"Target {TARGET['rps']:.0f} req/s, p95 < {TARGET['p95_ms']:.0f} ms, 0 errors: "
        + ("**met**" if result["target_met"] else "**not met**"),
    ]
    for f in result["failures"][:5]:
        lines.append(f"- error x{f['Occurrences']}: {f['Method']} {f['Name']}: {f['Error'][:160]}")
    return "\n".join(lines)


def _read_caches(port: int) -> dict[str, dict[str, float]]:
    """Hits and misses of the API's read caches over the run (its /metrics, scraped from this host)."""
    out: dict[str, dict[str, float]] = {}
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        for family in text_string_to_metric_families(r.read().decode()):
            for sample in family.samples:
                if sample.name == "matchmaker_read_cache_lookups_total":
                    cache = out.setdefault(sample.labels["cache"], {"hit": 0.0, "miss": 0.0})
                    cache[sample.labels["outcome"]] += sample.value
    return out


def main(argv: Sequence[str] | None = None) -> None:
    a = _args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = f"{a.pg.replace('postgresql://', 'postgresql+asyncpg://')}/{a.db}"
    seed_file = RESULTS / f"load-seed-{a.db}.json"
    data = _prepare(a, url, "load-" + secrets.token_urlsafe(32), seed_file)
    load_before = os.getloadavg()[0]
    server = _serve(a, url, data["secret"])
    stamp = time.strftime("%Y%m%dT%H%M%S")
    prefix = RESULTS / f"load-{stamp}"
    try:
        started = time.monotonic()
        code, sampler, server_cpu0 = _locust(a, seed_file, prefix, server.pid)
        wall = time.monotonic() - started
        caches = _read_caches(a.port)
    finally:
        _stop(server)
    if code not in (0, 1):  # 1: locust's "there were failures"
        raise SystemExit(f"locust exited with {code}")
    stats, failures = _read_stats(prefix)
    overall = next(r for r in stats if r["kind"] == "overall")
    loads = sampler.loads or [os.getloadavg()[0]]
    result = {
        "when": stamp,
        "command": "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:]),
        "config": {k: getattr(a, k) for k in ("participants", "users", "rate", "duration", "workers", "processes")},
        "seed": {"seconds": data["seconds"], "counts": data["counts"]},
        "stats": stats,
        "failures": failures,
        "machine": {
            "cores": os.cpu_count(),
            "load_before": load_before,
            "load_during_mean": sum(loads) / len(loads),
            "load_during_max": max(loads),
            "server_cpu_s": sampler.cpu["server"] - server_cpu0,
            "client_cpu_s": sampler.cpu["client"],
            "wall_s": wall,
        },
        "read_caches": caches,
        "target_met": overall["rps"] >= TARGET["rps"] * 0.98
        and overall["p95_ms"] < TARGET["p95_ms"]
        and overall["errors"] == 0,
    }
    (RESULTS / f"load-{stamp}.json").write_text(json.dumps(result, indent=1))
    print(_markdown(result))


if __name__ == "__main__":
    main()
