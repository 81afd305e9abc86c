"""The exact model: one CP-SAT boolean per (meeting, candidate slot), objectives added per level.

Hard rules
    at most one slot per meeting (locked meetings have exactly one candidate and are forced);
    at most one meeting per attendee and slot; at most ``tables`` meetings per slot (stated
    only where it can bind); caps.

Table capacity: linear or sequential counter
    The placement levels use the linear form (their objective search leans on the LP). The
    compactness level is a clause-learning search, and there the capacity is written as a
    Sinz sequential counter instead (clauses over "at least j of the first i meetings",
    ``capacity="sequential"``): its auxiliary literals let the solver learn about partial
    loads. On the capacity-tight B2BSP instances this finds in seconds what the linear form
    misses in minutes; keeping both forms is worse than either.

Compactness (the break encoding of the B2BSP SAT literature)
    ``busy[p, t]`` is tied to the meeting booleans by clauses, ``seen[p, t]`` says the
    attendee met earlier in the session, and ``gap_end[p, t] >= busy[p, t] & ~busy[p, t-1] &
    seen[p, t-1]`` marks the end of a break (one direction only: minimising pushes it down,
    and the one-way form searches much better). Redundant counts help the search: busy slots
    per attendee equal their meetings, busy attendees per slot are at most twice the tables.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal as Choice

from ortools.sat.python import cp_model

from app.scheduling.evaluate import SCORE_SCALE
from app.scheduling.prepare import Prepared

SEQUENTIAL_COUNTER_LIMIT = 50_000  # auxiliary literals allowed for the capacity counters

BoolVar = cp_model.IntVar
Expression = cp_model.LinearExprT


@dataclass(slots=True)
class BreakTerms:
    """Break variables of the compactness level."""

    total: Expression
    spread: Expression
    by_attendee: dict[int, list[BoolVar]] = field(default_factory=dict)  # gap-end literals
    per_attendee: dict[int, BoolVar] = field(default_factory=dict)  # integer breaks

    @property
    def gap_ends(self) -> list[BoolVar]:
        return [literal for literals in self.by_attendee.values() for literal in literals]


class ScheduleModel:
    """CP-SAT model of a prepared problem; objective levels are added on demand.

    Parameters
    ----------
    prepared:
        The indexed problem.
    capacity:
        ``"linear"``, ``"sequential"`` (falls back to linear when the counters would exceed
        :data:`SEQUENTIAL_COUNTER_LIMIT` literals).
    """

    def __init__(self, prepared: Prepared, capacity: Choice["linear", "sequential"] = "linear") -> None:
        self.prepared = prepared
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], BoolVar] = {}
        self._meetings_at: list[list[int]] = [[] for _ in range(prepared.n_slots)]
        self._busy: dict[tuple[int, int], BoolVar] = {}
        self._add_meeting_vars()
        self._add_attendee_rules()
        self.binding = self._binding_slots()
        self.sequential = capacity == "sequential" and self._counter_size() <= SEQUENTIAL_COUNTER_LIMIT
        for t in self.binding:
            literals, bound = self.meeting_literals(t), self.prepared.free_tables[t]
            if self.sequential:
                _sequential_at_most(self.model, literals, bound)
            else:
                self.model.add(sum(literals) <= bound)

    # -- hard rules -------------------------------------------------------------------------

    def _add_meeting_vars(self) -> None:
        for k, slots in enumerate(self.prepared.candidates):
            for t in slots:
                self.x[k, t] = self.model.new_bool_var(f"x_{k}_{t}")
                self._meetings_at[t].append(k)
            literals = [self.x[k, t] for t in slots]
            if self.prepared.locked[k]:
                self.model.add(literals[0] == 1)
            elif len(literals) > 1:
                self.model.add_at_most_one(literals)

    def _add_attendee_rules(self) -> None:
        for p, mine in enumerate(self.prepared.meetings_of):
            for t in range(self.prepared.n_slots):
                literals = self.slot_literals(p, t)
                if len(literals) > 1:
                    self.model.add_at_most_one(literals)
            cap = self.prepared.caps[p]
            placeable = [k for k in mine if self.prepared.candidates[k]]
            if cap is not None and len(placeable) > cap:
                self.model.add(cp_model.LinearExpr.sum([self.placed(k) for k in placeable]) <= cap)

    def _binding_slots(self) -> list[int]:
        """Slots where more meetings than free tables could run at once."""
        binding = []
        for t in range(self.prepared.n_slots):
            present = {p for k in self._meetings_at[t] for p in self.prepared.ends[k]}
            possible = min(len(self.meeting_literals(t)), len(present) // 2)
            if possible > self.prepared.free_tables[t]:
                binding.append(t)
        return binding

    def _counter_size(self) -> int:
        return sum(len(self.meeting_literals(t)) * self.prepared.free_tables[t] for t in self.binding)

    def require(self, meetings: Iterable[int]) -> None:
        """Force the given meetings to be placed."""
        for k in meetings:
            self.model.add_exactly_one(self.x[k, t] for t in self.prepared.candidates[k])

    def fix_set(self, placed: Collection[int]) -> None:
        """Place exactly the meetings in ``placed`` (slots stay free)."""
        self.require(placed)
        for (k, _), literal in self.x.items():
            if k not in placed:
                self.model.add(literal == 0)

    # -- accessors ----------------------------------------------------------------------------

    def slot_literals(self, p: int, t: int) -> list[BoolVar]:
        """Literals of attendee ``p``'s meetings in slot ``t``."""
        return [self.x[k, t] for k in self.prepared.meetings_of[p] if (k, t) in self.x]

    def meeting_literals(self, t: int) -> list[BoolVar]:
        """Literals of all unlocked meetings that may take slot ``t``."""
        return [self.x[k, t] for k in self._meetings_at[t] if not self.prepared.locked[k]]

    def placed(self, k: int) -> Expression:
        """1 if meeting ``k`` is placed."""
        return cp_model.LinearExpr.sum([self.x[k, t] for t in self.prepared.candidates[k]])

    def count(self, p: int) -> Expression:
        """Meetings of attendee ``p``."""
        return cp_model.LinearExpr.sum(
            [self.x[k, t] for k in self.prepared.meetings_of[p] for t in self.prepared.candidates[k]]
        )

    # -- objective levels -------------------------------------------------------------------

    def must_placed(self) -> Expression:
        """Level 1: number of placed must-meetings."""
        return cp_model.LinearExpr.sum(
            [self.placed(k) for k in range(self.prepared.n_meetings) if self.prepared.meeting(k).must]
        )

    def fairness(self) -> Expression:
        """Level 2: the largest F with every active attendee at ``min(F, upper bound)`` meetings.

        F is order-encoded, ``F = sum(at_least[f])`` with ``at_least[f] -> at_least[f - 1]``,
        so ``min(F, upper[p]) = sum(at_least[f] for f <= upper[p])`` is linear: no big-M.
        """
        active = self.prepared.active()
        top = max((self.prepared.upper[p] for p in active), default=0)
        at_least = [self.model.new_bool_var(f"fairness_{f}") for f in range(1, top + 1)]
        for higher, lower in zip(at_least[1:], at_least, strict=False):
            self.model.add_implication(higher, lower)
        for p in active:
            reached = at_least[: self.prepared.upper[p]]
            self.model.add(self.count(p) >= cp_model.LinearExpr.sum(reached))
        return cp_model.LinearExpr.sum(at_least)

    def score(self) -> Expression:
        """Level 3: total mutual score of placed fill-in meetings, in thousandths."""
        return cp_model.LinearExpr.weighted_sum(
            [self.placed(k) for k in range(self.prepared.n_meetings) if not self.prepared.meeting(k).must],
            [
                round(self.prepared.meeting(k).score * SCORE_SCALE)
                for k in range(self.prepared.n_meetings)
                if not self.prepared.meeting(k).must
            ],
        )

    def moves(self) -> Expression:
        """The re-plan level (right after must): previously placed, unlocked meetings not kept in their slot."""
        kept: list[BoolVar] = []
        moved_anyway = 0
        for k in range(self.prepared.n_meetings):
            current = self.prepared.meeting(k).current_slot
            if current is None or self.prepared.locked[k]:
                continue
            if (k, current) in self.x:
                kept.append(self.x[k, current])
            else:
                moved_anyway += 1
        return len(kept) + moved_anyway - cp_model.LinearExpr.sum(kept)

    def breaks(self, counts: Mapping[int, int] | None = None) -> BreakTerms:
        """Level 4: total breaks and their spread over attendees with meetings.

        Each attendee's breaks are an integer variable (the sum of their gap ends); the total
        is the sum of those integers. Stated this way, rather than as one sum of literals, the
        search tries "no break for this attendee" first, which finds compact schedules far
        sooner. ``counts`` (attendee position -> meetings) says the number of meetings per
        attendee is fixed: the busy counts become constants and the spread a plain max - min.
        """
        top = self.prepared.n_slots
        per_attendee: dict[int, BoolVar] = {}
        by_attendee: dict[int, list[BoolVar]] = {}
        for p in self.prepared.active():
            literals = self._attendee_breaks(p)
            by_attendee[p] = literals
            per_attendee[p] = self.model.new_int_var(0, top, f"breaks_{p}")
            self.model.add(per_attendee[p] == cp_model.LinearExpr.sum(literals))
        highest = self.model.new_int_var(0, top, "most_breaks")
        lowest = self.model.new_int_var(0, top, "fewest_breaks")
        if per_attendee:
            self.model.add_max_equality(highest, list(per_attendee.values()))
        if counts is not None:
            meeting = [value for p, value in per_attendee.items() if counts.get(p, 0) > 0]
            if meeting:
                self.model.add_min_equality(lowest, meeting)
        else:
            for p, value in per_attendee.items():
                meets = self.model.new_bool_var(f"meets_{p}")
                self.model.add(self.count(p) >= 1).only_enforce_if(meets)
                self.model.add(self.count(p) == 0).only_enforce_if(~meets)
                self.model.add(lowest <= value).only_enforce_if(meets)
        self._add_busy_counts(counts)
        return BreakTerms(
            total=cp_model.LinearExpr.sum(list(per_attendee.values())),
            spread=highest - lowest,
            by_attendee=by_attendee,
            per_attendee=per_attendee,
        )

    def _add_busy_counts(self, counts: Mapping[int, int] | None) -> None:
        """Redundant counts on the busy literals (the literature's "implied constraints")."""
        for p in range(self.prepared.n_attendees):
            busy = [b for t in range(self.prepared.n_slots) if (b := self.busy(p, t)) is not None]
            if busy:
                count = self.count(p) if counts is None else counts.get(p, 0)
                self.model.add(cp_model.LinearExpr.sum(busy) == count)
        for t in self.binding:
            present = [b for p in range(self.prepared.n_attendees) if (b := self.busy(p, t)) is not None]
            self.model.add(cp_model.LinearExpr.sum(present) <= 2 * self.prepared.problem.tables)

    def busy(self, p: int, t: int) -> BoolVar | None:
        """Literal 'attendee p meets in slot t' (None when they never can)."""
        if (p, t) in self._busy:
            return self._busy[p, t]
        literals = self.slot_literals(p, t)
        if not literals:
            return None
        busy = self.model.new_bool_var(f"busy_{p}_{t}")
        for literal in literals:
            self.model.add_implication(literal, busy)
        self.model.add_bool_or([*literals, ~busy])
        self._busy[p, t] = busy
        return busy

    def _attendee_breaks(self, p: int) -> list[BoolVar]:
        gap_ends: list[BoolVar] = []
        seen_before: BoolVar | None = None
        for t in range(self.prepared.n_slots):
            if t > 0 and self.prepared.sessions[t] != self.prepared.sessions[t - 1]:
                seen_before = None
            busy = self.busy(p, t)
            if busy is not None and seen_before is not None:
                previous = self.busy(p, t - 1)
                gap_end = self.model.new_bool_var(f"gap_end_{p}_{t}")
                idle_before = [] if previous is None else [previous]
                self.model.add_bool_or([~busy, ~seen_before, *idle_before, gap_end])
                gap_ends.append(gap_end)
            seen_before = self._seen(busy, seen_before)
        return gap_ends

    def _seen(self, busy: BoolVar | None, before: BoolVar | None) -> BoolVar | None:
        """``before | busy``: the attendee has met at or before this slot in the session."""
        if before is None or busy is None:
            return busy if before is None else before
        seen = self.model.new_bool_var("seen")
        self.model.add_implication(before, seen)
        self.model.add_implication(busy, seen)
        self.model.add_bool_or([before, busy, ~seen])
        return seen

    # -- hints and values ---------------------------------------------------------------------

    def hint(self, slot_of: Mapping[int, int]) -> None:
        """Suggest a schedule (meeting position -> slot) as the search's starting point."""
        clear_hints(self.model)
        for (k, t), literal in self.x.items():
            self.model.add_hint(literal, slot_of.get(k) == t)

    def hinted_clone(self, slot_of: Mapping[int, int]) -> cp_model.CpModel:
        """A copy of the model (same variable indices) with ``slot_of`` as its hint."""
        clone = self.model.clone()
        clear_hints(clone)
        for (k, t), literal in self.x.items():
            clone.add_hint(clone.get_bool_var_from_proto_index(literal.index), slot_of.get(k) == t)
        return clone

    def schedule(self, solver: cp_model.CpSolver) -> dict[int, int]:
        """Meeting position -> slot in the solver's current solution."""
        return {k: t for (k, t), literal in self.x.items() if solver.boolean_value(literal)}


def _sequential_at_most(model: cp_model.CpModel, literals: Sequence[BoolVar], bound: int) -> None:
    """Add ``sum(literals) <= bound`` as a Sinz sequential counter (clauses only)."""
    n = len(literals)
    if n <= bound:
        return
    if bound == 0:
        for literal in literals:
            model.add_bool_or([~literal])
        return
    counter = [[model.new_bool_var("seq") for _ in range(bound)] for _ in range(n - 1)]
    model.add_implication(literals[0], counter[0][0])
    for j in range(1, bound):
        model.add_bool_or([~counter[0][j]])
    for i in range(1, n - 1):
        model.add_implication(literals[i], counter[i][0])
        model.add_implication(counter[i - 1][0], counter[i][0])
        for j in range(1, bound):
            model.add_bool_or([~literals[i], ~counter[i - 1][j - 1], counter[i][j]])
            model.add_implication(counter[i - 1][j], counter[i][j])
        model.add_bool_or([~literals[i], ~counter[i - 1][bound - 1]])
    model.add_bool_or([~literals[n - 1], ~counter[n - 2][bound - 1]])


def clear_hints(model: cp_model.CpModel) -> None:
    """Drop all solution hints (typed wrapper)."""
    model.clear_hints()  # type: ignore[no-untyped-call]


def clear_objective(model: cp_model.CpModel) -> None:
    """Drop the objective (typed wrapper)."""
    model.clear_objective()  # type: ignore[no-untyped-call]
