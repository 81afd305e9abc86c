"""Benchmark the scheduler on the 20 published B2BSP instances and validate every schedule.

Run from the repository root::

    .venv/bin/python -m bench.b2bsp [--dir ../shared/benchmarks/b2bsp] [--time-limit 30] [--only tic-12 ...]

The instance folder defaults to ``$MATCHMAKER_B2BSP_DIR`` or ``../shared/benchmarks/b2bsp``
(relative to the repository root); the .dzn files are read in place, never copied. Each
schedule is checked by :mod:`bench.b2bsp_validate`, which parses the files itself. Prints a
markdown table and writes ``bench/results/b2bsp.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from app.scheduling.b2bsp import solve_instance
from bench.b2bsp_validate import read_instance, validate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

# Incremental-SAT reference (vudangducminh/B2B-Meeting-Scheduling-Problem, from the README of
# the instance folder): total breaks and the authors' runtime in seconds.
REFERENCE: dict[str, tuple[int, float]] = {
    "forum-13": (0, 4.24),
    "forum-13crafb": (6, 11.24),
    "forum-13crafc": (1, 60.53),
    "forum-14": (2, 13.15),
    "forumt-14": (5, 1.51),
    "forumt-14crafc": (5, 1.33),
    "forumt-14crafd": (4, 1.32),
    "forumt-14crafe": (5, 1.30),
    "tic-12": (0, 0.13),
    "tic-12crafc": (0, 0.12),
    "tic-13": (0, 0.89),
    "tic-13crafb": (0, 0.72),
    "tic-13crafc": (4, 1.88),
    "tic-14crafa": (0, 1.46),
    "tic-14crafc": (0, 1.45),
    "tic-14crafd": (0, 1.11),
    "ticf-13crafa": (0, 12.29),
    "ticf-13crafb": (3, 17.30),
    "ticf-13crafc": (1, 91.65),
    "ticf-14crafa": (0, 11.39),
}
REFERENCE_TOTAL_SECONDS_HERE = 391.9  # the reference solver re-run on this kind of machine


def default_dir() -> Path:
    configured = os.environ.get("MATCHMAKER_B2BSP_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "benchmarks" / "b2bsp"


def run(directory: Path, time_limit: float, only: list[str]) -> list[dict[str, object]]:
    rows = []
    for path in sorted(directory.glob("*.dzn")):
        name = path.name.removesuffix(".dzn").removesuffix(".original")
        if only and name not in only:
            continue
        report = solve_instance(path, time_limit)
        verdict = validate(
            read_instance(path.read_text(encoding="utf-8")),
            {int(m): int(t) for m, t in dict(report["slots"]).items()},  # type: ignore[call-overload]
        )
        reference = REFERENCE.get(name)
        rows.append(
            {
                **{key: value for key, value in report.items() if key not in ("slots",)},
                "name": name,
                "valid": verdict.valid,
                "errors": verdict.errors[:5],
                "validated_breaks": verdict.total_breaks,
                "validated_spread": verdict.spread,
                "reference_breaks": None if reference is None else reference[0],
                "reference_seconds": None if reference is None else reference[1],
            }
        )
        print(_line(rows[-1]), file=sys.stderr, flush=True)
    return rows


def _line(row: dict[str, object]) -> str:
    return (
        f"{row['name']}: placed {row['placed']}/{row['meetings']} valid={row['valid']} "
        f"breaks {row['total_breaks']} (ref {row['reference_breaks']}) spread "
        f"{row['break_spread']} {row['seconds']}s optimal={row['optimal']}"
    )


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| instance | participants | meetings | placed | valid | breaks (ours / ref) "
        "| spread (ours, ref <= 1) | seconds (ours / ref) | optimal |",
        "| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: | :---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['participants']} | {row['meetings']} | {row['placed']} "
            f"| {'yes' if row['valid'] else 'NO'} "
            f"| {row['validated_breaks']} / {row['reference_breaks']} "
            f"| {row['validated_spread']} | {row['seconds']} / {row['reference_seconds']} "
            f"| {'yes' if row['optimal'] else 'no'} |"
        )
    ours = sum(float(str(row["seconds"])) for row in rows)
    matched = sum(
        1
        for row in rows
        if row["reference_breaks"] is not None
        and int(str(row["validated_breaks"])) <= int(str(row["reference_breaks"]))
    )
    lines.append(
        f"\n{len(rows)} instances, all placed: "
        f"{all(row['placed'] == row['meetings'] for row in rows)}, all valid: "
        f"{all(row['valid'] for row in rows)}, breaks <= reference on {matched}, "
        f"total {ours:.1f} s (reference {REFERENCE_TOTAL_SECONDS_HERE} s on this machine kind)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="B2BSP benchmark")
    parser.add_argument("--dir", type=Path, default=default_dir())
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument("--only", nargs="*", default=[], help="instance names (no suffix)")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        print(f"no instance folder at {args.dir}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    rows = run(args.dir, args.time_limit, args.only)
    print(table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = RESULTS / "b2bsp.json"
    output.write_text(
        json.dumps(
            {
                "time_limit": args.time_limit,
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "wall_seconds": round(time.perf_counter() - started, 2),
                "instances": rows,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"\nwrote {output.relative_to(ROOT)}")
    return 0 if all(row["valid"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
