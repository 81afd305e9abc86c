"""Independent validator for B2BSP schedules (does not import app.scheduling).

It re-reads the .dzn file with its own small regex reader and checks a schedule
``{meeting (1-based): slot (1-based)}`` against every rule of the problem:

* every meeting is scheduled exactly once, in an existing slot;
* a participant has at most one meeting per slot;
* at most ``nTables`` meetings per slot;
* session 1 meetings in the morning (slots 1..nMorningSlots), 2 in the afternoon, 3 anywhere;
* no meeting in a forbidden slot of either participant (a 0 in a forbidden set is a
  placeholder);
* fixed meetings in their slot; precedences respected.

Breaks are recomputed as in the published B2BSP objective: a break is a maximal run of idle
slots between two meetings of the same participant, counted over the whole day. The spread is
max - min breaks over the participants that have meetings.

Run ``python -m bench.b2bsp_validate INSTANCE.dzn SCHEDULE.json`` to check a file written by
``matchmaker b2bsp --output``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Instance:
    n_business: int
    n_meetings: int
    n_tables: int
    n_slots: int
    n_morning: int
    requested: list[tuple[int, int, int]]
    forbidden: list[set[int]]
    fixed: list[int]
    precedences: list[set[int]]


@dataclass
class Verdict:
    valid: bool
    errors: list[str] = field(default_factory=list)
    total_breaks: int = 0
    spread: int = 0
    breaks: dict[int, int] = field(default_factory=dict)


def read_instance(text: str) -> Instance:
    """Parse the B2BSP .dzn fields with plain regular expressions."""
    text = re.sub(r"%[^\n]*", "", text)

    def integer(name: str) -> int:
        match = re.search(rf"\b{name}\s*=\s*(-?\d+)\s*;", text)
        if match is None:
            raise ValueError(f"missing {name}")
        return int(match.group(1))

    def body(name: str) -> str | None:
        match = re.search(rf"\b{name}\s*=\s*(.*?);", text, re.DOTALL)
        return None if match is None else match.group(1)

    def sets(name: str) -> list[set[int]] | None:
        found = body(name)
        if found is None:
            return None
        result = []
        for inner in re.findall(r"\{([^}]*)\}", found):
            members: set[int] = set()
            for item in inner.split(","):
                item = item.strip()
                if ".." in item:
                    low, high = item.split("..")
                    members.update(range(int(low), int(high) + 1))
                elif item:
                    members.add(int(item))
            result.append(members)
        return result

    n_business, n_meetings = integer("nBusiness"), integer("nMeetings")
    rows = re.findall(r"(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)", body("requested") or "")
    fixed_body = body("fixed")
    return Instance(
        n_business=n_business,
        n_meetings=n_meetings,
        n_tables=integer("nTables"),
        n_slots=integer("nTotalSlots"),
        n_morning=integer("nMorningSlots"),
        requested=[(int(a), int(b), int(s)) for a, b, s in rows],
        forbidden=[members - {0} for members in sets("forbidden") or [set()] * n_business],
        fixed=[int(v) for v in re.findall(r"-?\d+", fixed_body)] if fixed_body else [0] * n_meetings,
        precedences=sets("precedences") or [set() for _ in range(n_meetings)],
    )


def validate(instance: Instance, slots: dict[int, int]) -> Verdict:
    """Check a schedule (meeting 1-based -> slot 1-based); recompute breaks and spread."""
    errors: list[str] = []
    if len(instance.requested) != instance.n_meetings:
        errors.append(f"instance lists {len(instance.requested)} meetings, not {instance.n_meetings}")
    for m in range(1, instance.n_meetings + 1):
        if m not in slots:
            errors.append(f"meeting {m} is not scheduled")
    for m, t in slots.items():
        if not 1 <= m <= instance.n_meetings:
            errors.append(f"unknown meeting {m}")
        elif not 1 <= t <= instance.n_slots:
            errors.append(f"meeting {m} in unknown slot {t}")
    known = {m: t for m, t in slots.items() if 1 <= m <= len(instance.requested)}
    per_slot = Counter(known.values())
    for t, count in sorted(per_slot.items()):
        if count > instance.n_tables:
            errors.append(f"slot {t} holds {count} meetings, tables {instance.n_tables}")
    taken: dict[int, list[int]] = {}
    for m, t in sorted(known.items()):
        a, b, session = instance.requested[m - 1]
        if session == 1 and t > instance.n_morning:
            errors.append(f"meeting {m} is a morning meeting but sits in slot {t}")
        if session == 2 and t <= instance.n_morning:
            errors.append(f"meeting {m} is an afternoon meeting but sits in slot {t}")
        for p in (a, b):
            if t in instance.forbidden[p - 1]:
                errors.append(f"meeting {m} uses slot {t}, forbidden for participant {p}")
            taken.setdefault(p, []).append(t)
        fixed = instance.fixed[m - 1]
        if fixed and fixed != t:
            errors.append(f"meeting {m} is fixed to slot {fixed} but sits in {t}")
        for before in instance.precedences[m - 1]:
            if before in known and known[before] >= t:
                errors.append(f"meeting {before} must precede meeting {m}")
    for p, taken_slots in sorted(taken.items()):
        for t, count in Counter(taken_slots).items():
            if count > 1:
                errors.append(f"participant {p} has {count} meetings in slot {t}")
    breaks = {p: _breaks(taken_slots) for p, taken_slots in taken.items()}
    spread = max(breaks.values()) - min(breaks.values()) if breaks else 0
    return Verdict(not errors, errors, sum(breaks.values()), spread, breaks)


def _breaks(taken: list[int]) -> int:
    ordered = sorted(set(taken))
    return sum(1 for before, after in zip(ordered, ordered[1:], strict=False) if after > before + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("schedule", type=Path, help="JSON with a 'slots' object")
    args = parser.parse_args(argv)
    instance = read_instance(args.instance.read_text(encoding="utf-8"))
    raw = json.loads(args.schedule.read_text(encoding="utf-8"))
    verdict = validate(instance, {int(m): int(t) for m, t in raw["slots"].items()})
    print(
        json.dumps(
            {
                "valid": verdict.valid,
                "errors": verdict.errors[:20],
                "total_breaks": verdict.total_breaks,
                "spread": verdict.spread,
            }
        )
    )
    return 0 if verdict.valid else 1


if __name__ == "__main__":
    sys.exit(main())
