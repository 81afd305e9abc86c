"""Organiser read-outs: meeting exports, the table plan, the event report and its chart.

Everything is shown in the event's time zone. Counting is done with GROUP BY where the question is
a plain count; per-participant figures (meetings, idle gaps, reasons) come from a few bulk queries
and are computed here, never with a query per participant.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db import utcnow
from app.models import Event, EventTable, Meeting, MeetingRequest, MeetingSeat, Organisation, Participant
from app.schemas.reports import (
    EventReport,
    ExportFormat,
    IdleGaps,
    MeetingCounts,
    MeetingsPerParticipant,
    NoMeetingReasons,
    ParticipantCounts,
    PlanCell,
    PlanPerson,
    PlanSlot,
    RequestCounts,
    TablePlan,
    WithoutMeetings,
)
from app.services.agenda import Person, people_of
from app.services.common import in_zone
from app.services.events import tables_of
from app.services.grid import GridSlot
from app.services.imports import neutralise
from app.services.meetings import grid_of
from app.services.requests import expire_due

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Value = str | int | bool | None  # one spreadsheet cell

MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True, slots=True)
class Export:
    """A rendered file: what the router sends as an attachment."""

    content: bytes
    media_type: str
    filename: str


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    columns: Sequence[tuple[str, int]]  # header, column width in characters
    rows: Sequence[Sequence[Value]]


# --- rendering (pure; run in a worker thread) ------------------------------------------------


def sheet_to_csv(sheet: Sheet) -> bytes:
    """CSV with formula-looking text neutralised, so a spreadsheet shows it instead of running it."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name, _ in sheet.columns])  # table names are headers too
    for row in sheet.rows:
        writer.writerow([_csv_text(v) for v in row])
    return buffer.getvalue().encode()


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value) if isinstance(value, str) else str(value)


def sheet_to_xlsx(sheet: Sheet) -> bytes:
    """A streamed (write-only) workbook: bold frozen header, set column widths, text kept as text."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet.title)
    for i, (_, width) in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append([_text_cell(ws, name, bold=True) for name, _ in sheet.columns])
    for row in sheet.rows:
        ws.append([_text_cell(ws, v) if isinstance(v, str) and v.startswith("=") else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text_cell(ws: WriteOnlyWorksheet, value: str, *, bold: bool = False) -> Cell:
    cell = WriteOnlyCell(ws, value=value)
    # openpyxl stores a string starting with "=" as a formula; typed as text it is shown, never run.
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


async def render(sheet: Sheet, fmt: ExportFormat, stem: str) -> Export:
    renderer = sheet_to_xlsx if fmt is ExportFormat.xlsx else sheet_to_csv
    content = await anyio.to_thread.run_sync(renderer, sheet)
    return Export(content, MEDIA_TYPES[fmt], f"{stem}.{fmt.value}")


# --- meetings export ----------------------------------------------------------------------------

MEETING_COLUMNS = (
    ("meeting_id", 11),
    ("status", 12),
    ("date", 12),
    ("time", 13),
    ("starts_at", 27),
    ("ends_at", 27),
    ("table", 10),
    ("online_link", 32),
    ("a_name", 24),
    ("a_organisation", 32),
    ("a_country", 10),
    ("a_email", 30),
    ("b_name", 24),
    ("b_organisation", 32),
    ("b_country", 10),
    ("b_email", 30),
    ("source", 11),
    ("locked", 8),
    ("unplaced_reason", 22),
    ("cancel_reason", 22),
)


def _person_cells(p: Person) -> list[Value]:
    return [p.name, p.organisation, p.country, p.email]


def _when(m: Meeting, tz: str) -> list[Value]:
    if m.starts_at is None or m.ends_at is None:
        return [None, None, None, None]
    start, end = in_zone(m.starts_at, tz), in_zone(m.ends_at, tz)
    return [start.date().isoformat(), f"{start:%H:%M}-{end:%H:%M}", start.isoformat(), end.isoformat()]


def _meeting_row(m: Meeting, tz: str, people: Mapping[int, Person], tables: Mapping[int, EventTable]) -> list[Value]:
    table = tables.get(m.table_id) if m.table_id is not None else None
    return [
        m.id,
        m.status,
        *_when(m, tz),
        table.name if table else None,
        table.link if table and table.online else None,
        *_person_cells(people[m.a_id]),
        *_person_cells(people[m.b_id]),
        m.source,
        m.locked,
        m.unplaced_reason,
        m.cancel_reason,
    ]


async def export_meetings(session: AsyncSession, event: Event, fmt: ExportFormat) -> Export:
    """Every meeting of the event, one row each, by time then table (unscheduled and cancelled last)."""
    assert event.id is not None
    meetings = (await session.scalars(select(Meeting).where(col(Meeting.event_id) == event.id))).all()
    tables = {t.id: t for t in await tables_of(session, event.id) if t.id is not None}
    position = {tid: t.position for tid, t in tables.items()}
    order = {"scheduled": 0, "unscheduled": 1, "cancelled": 2}
    meetings = sorted(
        meetings,
        key=lambda m: (
            order.get(m.status, 3),
            m.starts_at.timestamp() if m.starts_at else 0.0,
            position.get(m.table_id or 0, 0),
            m.id or 0,
        ),
    )
    people = await people_of(session, event.id)
    rows = [_meeting_row(m, event.timezone, people, tables) for m in meetings]
    return await render(Sheet("Meetings", MEETING_COLUMNS, rows), fmt, f"{event.slug}-meetings")


# --- table plan ---------------------------------------------------------------------------------

NO_TABLE = "no table"


async def table_plan(session: AsyncSession, event: Event) -> TablePlan:
    """Who meets whom at which table, for every slot of the grid (free tables are null)."""
    assert event.id is not None
    tz = event.timezone
    tables = await tables_of(session, event.id)
    meetings = (
        await session.scalars(
            select(Meeting).where(col(Meeting.event_id) == event.id, col(Meeting.status) == "scheduled")
        )
    ).all()
    cells, extra = _plan_cells(meetings, {t.id: t.name for t in tables}, await people_of(session, event.id))
    columns = [t.name for t in tables] + extra
    # the grid's slots, plus any meeting left off-grid by a later change of the sessions
    times = {(s.starts_at, s.ends_at) for s in await grid_of(session, event)}
    times |= {(m.starts_at, m.ends_at) for m in meetings if m.starts_at and m.ends_at}
    slots = [
        PlanSlot(
            starts_at=in_zone(start, tz),
            ends_at=in_zone(end, tz),
            tables={name: cells.get((start, name)) for name in columns},
        )
        for start, end in sorted(times)
    ]
    return TablePlan(timezone=tz, tables=columns, slots=slots)


def _plan_cells(
    meetings: Sequence[Meeting], names: Mapping[int | None, str], people: Mapping[int, Person]
) -> tuple[dict[tuple[datetime, str], PlanCell], list[str]]:
    """(start, table name) -> meeting, and the extra columns for meetings whose table was removed since."""
    cells: dict[tuple[datetime, str], PlanCell] = {}
    tableless: Counter[datetime] = Counter()
    for m in sorted(meetings, key=lambda m: m.id or 0):
        assert m.starts_at is not None
        name = names.get(m.table_id)
        if name is None:
            tableless[m.starts_at] += 1
            name = f"{NO_TABLE} {tableless[m.starts_at]}"
        pair = [PlanPerson(id=p.id, name=p.name, organisation=p.organisation) for p in (people[m.a_id], people[m.b_id])]
        cells[(m.starts_at, name)] = PlanCell(meeting_id=m.id or 0, participants=pair)
    return cells, [f"{NO_TABLE} {i}" for i in range(1, max(tableless.values(), default=0) + 1)]


def _plan_cell(cell: PlanCell | None) -> str | None:
    if cell is None:
        return None
    return " / ".join(f"{p.name} ({p.organisation})" for p in cell.participants)


def plan_sheet(plan: TablePlan) -> Sheet:
    """The plan as a grid: one row per slot, one column per table."""
    columns = [("date", 12), ("start", 8), ("end", 8), *((name, 44) for name in plan.tables)]
    rows = [
        [
            s.starts_at.date().isoformat(),
            f"{s.starts_at:%H:%M}",
            f"{s.ends_at:%H:%M}",
            *(_plan_cell(s.tables[name]) for name in plan.tables),
        ]
        for s in plan.slots
    ]
    return Sheet("Table plan", columns, rows)


async def export_table_plan(session: AsyncSession, event: Event, fmt: ExportFormat) -> Export:
    return await render(plan_sheet(await table_plan(session, event)), fmt, f"{event.slug}-table-plan")


# --- event report -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attendance:
    """What decides whether a participant can meet at all."""

    id: int
    country: str
    session_ids: list[int] | None
    blocked_slots: list[str]
    max_meetings: int | None


@dataclass(frozen=True, slots=True)
class Seat:
    meeting_id: int
    participant_id: int
    starts_at: datetime


async def _grouped(session: AsyncSession, stmt: Select[Any, int]) -> dict[Any, int]:
    """Run ``select(key, count())...`` grouped by its key: ``key -> count``, most frequent first."""
    key = stmt.selected_columns[0]
    rows = await session.execute(stmt.group_by(key).order_by(func.count().desc(), key))
    return {k: int(n) for k, n in rows}


async def _participant_counts(session: AsyncSession, event_id: int) -> ParticipantCounts:
    stmt = select(col(Participant.listed), func.count()).where(col(Participant.event_id) == event_id)
    by_listed = await _grouped(session, stmt)
    return ParticipantCounts(total=sum(by_listed.values()), listed=by_listed.get(True, 0))


async def _by_organisation(session: AsyncSession, event_id: int, key: Any) -> dict[str, int]:
    """Participants per organisation ``key`` (country, kind)."""
    stmt = (
        select(key, func.count())
        .join_from(Participant, Organisation, col(Organisation.id) == col(Participant.organisation_id))
        .where(col(Participant.event_id) == event_id)
    )
    return await _grouped(session, stmt)


async def _request_counts(session: AsyncSession, event: Event) -> tuple[RequestCounts, float | None]:
    await expire_due(session, event)
    by_status = await _grouped(
        session, select(col(MeetingRequest.status), func.count()).where(col(MeetingRequest.event_id) == event.id)
    )
    # Accepting a request creates its meeting, so requests with a meeting were accepted, even if cancelled since.
    ever_accepted = int(
        await session.scalar(
            select(func.count(func.distinct(col(Meeting.request_id)))).where(
                col(Meeting.event_id) == event.id, col(Meeting.request_id).is_not(None)
            )
        )
        or 0
    )
    answered = ever_accepted + by_status.get("declined", 0)
    counts = RequestCounts(
        sent=sum(by_status.values()),
        **{s: by_status.get(s, 0) for s in ("pending", "accepted", "declined", "cancelled", "expired")},
    )
    return counts, (round(ever_accepted / answered, 4) if answered else None)


async def _meeting_counts(session: AsyncSession, event_id: int) -> MeetingCounts:
    key = (col(Meeting.status), col(Meeting.source))
    rows = await session.execute(select(*key, func.count()).where(col(Meeting.event_id) == event_id).group_by(*key))
    by_status: Counter[str] = Counter()
    live_by_source: Counter[str] = Counter()
    for status, source, n in rows:
        by_status[status] += n
        if status != "cancelled":
            live_by_source[source] += n
    return MeetingCounts(
        scheduled=by_status["scheduled"],
        unscheduled=by_status["unscheduled"],
        cancelled=by_status["cancelled"],
        from_requests=live_by_source["request"],
        fill_ins=live_by_source["suggestion"],
        by_organiser=live_by_source["organiser"],
    )


async def _attendance(session: AsyncSession, event_id: int) -> list[Attendance]:
    rows = await session.execute(
        select(
            col(Participant.id),
            col(Organisation.country),
            col(Participant.session_ids),
            col(Participant.blocked_slots),
            col(Participant.max_meetings),
        )
        .join(Organisation, col(Organisation.id) == col(Participant.organisation_id))
        .where(col(Participant.event_id) == event_id)
        .order_by(col(Participant.id))
    )
    return [
        Attendance(pid or 0, country, session_ids, blocked, cap) for pid, country, session_ids, blocked, cap in rows
    ]


async def _seats(session: AsyncSession, event_id: int) -> list[Seat]:
    """Who sits where: one row per participant of each scheduled meeting."""
    rows = await session.execute(
        select(col(MeetingSeat.meeting_id), col(MeetingSeat.participant_id), col(MeetingSeat.starts_at))
        .join(Meeting, col(Meeting.id) == col(MeetingSeat.meeting_id))
        .where(col(Meeting.event_id) == event_id, col(Meeting.status) == "scheduled")
    )
    return [Seat(*row) for row in rows]


async def _unplaced_reasons(session: AsyncSession, event_id: int) -> dict[int, list[str]]:
    """Participant -> why each of their unscheduled (live) meetings is not placed."""
    rows = await session.execute(
        select(col(Meeting.a_id), col(Meeting.b_id), col(Meeting.unplaced_reason))
        .where(col(Meeting.event_id) == event_id, col(Meeting.status) == "unscheduled")
        .order_by(col(Meeting.id))  # ties between reasons go to the oldest meeting's
    )
    out: dict[int, list[str]] = defaultdict(list)
    for a, b, reason in rows:
        for pid in (a, b):
            out[pid].append(reason or "not_scheduled_yet")
    return out


def per_participant(counts: Sequence[int]) -> MeetingsPerParticipant:
    """Min, median, max, mean and histogram of meetings per participant (zeros included)."""
    if not counts:
        return MeetingsPerParticipant(min=None, median=None, max=None, mean=None, histogram={})
    return MeetingsPerParticipant(
        min=min(counts),
        median=float(statistics.median(counts)),
        max=max(counts),
        mean=round(statistics.fmean(counts), 2),
        histogram=dict(sorted(Counter(counts).items())),
    )


def _can_attend(p: Attendance, grid: Sequence[GridSlot]) -> bool:
    blocked = set(p.blocked_slots)
    return any(
        (p.session_ids is None or s.session_id in p.session_ids) and s.starts_at.isoformat() not in blocked
        for s in grid
    )


def without_meetings(
    people: Sequence[Attendance], met: set[int], grid: Sequence[GridSlot], unplaced: Mapping[int, list[str]]
) -> WithoutMeetings:
    """Participants with no scheduled meeting, each under the first reason that applies."""
    reasons: Counter[str] = Counter()
    not_placed: Counter[str] = Counter()
    for p in people:
        if p.id in met:
            continue
        if p.max_meetings == 0:
            reasons["cap_zero"] += 1
        elif not _can_attend(p, grid):
            reasons["unavailable"] += 1
        elif p.id in unplaced:
            reasons["not_placed"] += 1
            not_placed[Counter(unplaced[p.id]).most_common(1)[0][0]] += 1
        else:
            reasons["no_accepted_requests"] += 1
    return WithoutMeetings(
        total=sum(reasons.values()),
        reasons=NoMeetingReasons(**{k: reasons[k] for k in NoMeetingReasons.model_fields}),
        not_placed_reasons=dict(not_placed.most_common()),
    )


def gaps_of(slots: Iterable[GridSlot]) -> list[int]:
    """Lengths (in slots) of the idle gaps between one participant's meetings, within each session.

    Example: meetings in slots 0 and 2 of a session leave one gap of 1 slot; slots 0, 1 leave none;
    the last slot of one session and the first of the next are not a gap.
    """
    ordered = sorted(slots, key=lambda s: s.index)
    return [
        b.index - a.index - 1
        for a, b in pairwise(ordered)
        if a.session_index == b.session_index and b.index - a.index > 1
    ]


def idle_gaps(seats: Sequence[Seat], grid: Sequence[GridSlot]) -> IdleGaps:
    at = {s.starts_at: s for s in grid}
    slots_of: dict[int, list[GridSlot]] = defaultdict(list)
    for seat in seats:
        if seat.starts_at in at:  # a meeting left off-grid by a later change has no neighbours to measure
            slots_of[seat.participant_id].append(at[seat.starts_at])
    gaps = {pid: gaps_of(slots) for pid, slots in slots_of.items()}
    lengths = [n for found in gaps.values() for n in found]
    return IdleGaps(
        total=len(lengths),
        idle_slots=sum(lengths),
        per_participant_mean=round(len(lengths) / len(gaps), 2) if gaps else None,
        max=max((len(found) for found in gaps.values()), default=0),
        longest=max(lengths, default=0),
    )


def cross_border(seats: Sequence[Seat], country: Mapping[int, str]) -> tuple[int, float | None]:
    """Distinct pairs of different countries that met, and the share of meetings across a border."""
    pairs: dict[int, list[str]] = defaultdict(list)
    for seat in seats:
        pairs[seat.meeting_id].append(country.get(seat.participant_id, ""))
    crossing = [frozenset(cs) for cs in pairs.values() if len(set(cs)) > 1]
    return len(set(crossing)), (round(len(crossing) / len(pairs), 4) if pairs else None)


@dataclass(frozen=True, slots=True)
class _Derived:
    """The parts of the report computed in Python from the rows (thousands of seats at a large event)."""

    meetings_per_participant: MeetingsPerParticipant
    without_meetings: WithoutMeetings
    idle_gaps: IdleGaps
    countries_met: int
    cross_border_share: float | None


def _derive(
    people: Sequence[Attendance], seats: Sequence[Seat], grid: Sequence[GridSlot], unplaced: Mapping[int, list[str]]
) -> _Derived:
    met = Counter(s.participant_id for s in seats)
    countries_met, share = cross_border(seats, {p.id: p.country for p in people})
    return _Derived(
        meetings_per_participant=per_participant([met.get(p.id, 0) for p in people]),
        without_meetings=without_meetings(people, set(met), grid, unplaced),
        idle_gaps=idle_gaps(seats, grid),
        countries_met=countries_met,
        cross_border_share=share,
    )


async def event_report(session: AsyncSession, event: Event) -> EventReport:
    """Everything an organiser asks after a matchmaking event, in a dozen queries.

    The queries run on the event loop; what is computed from their rows runs on a worker thread (about
    0.1 s of CPU at 5,000 participants and 9,000 meetings, which would stall every other request of the
    process; bench/README-load.md).
    """
    assert event.id is not None
    requests, acceptance = await _request_counts(session, event)
    people = await _attendance(session, event.id)
    seats = await _seats(session, event.id)
    grid = await grid_of(session, event)
    unplaced = await _unplaced_reasons(session, event.id)
    participants = await _participant_counts(session, event.id)
    countries = await _by_organisation(session, event.id, col(Organisation.country))
    kinds = await _by_organisation(session, event.id, col(Organisation.kind))
    meetings = await _meeting_counts(session, event.id)
    derived = await anyio.to_thread.run_sync(_derive, people, seats, grid, unplaced)
    return EventReport(
        event_id=event.id,
        timezone=event.timezone,
        generated_at=in_zone(utcnow(), event.timezone),
        participants=participants,
        countries=countries,
        organisation_kinds=kinds,
        requests=requests,
        acceptance_rate=acceptance,
        meetings=meetings,
        meetings_per_participant=derived.meetings_per_participant,
        without_meetings=derived.without_meetings,
        idle_gaps=derived.idle_gaps,
        countries_met=derived.countries_met,
        cross_border_share=derived.cross_border_share,
    )


# --- chart --------------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"


async def meetings_chart(session: AsyncSession, event: Event) -> str:
    """The meetings-per-participant histogram as an SVG bar chart."""
    assert event.id is not None
    people = await _attendance(session, event.id)
    met = Counter(s.participant_id for s in await _seats(session, event.id))
    histogram = per_participant([met.get(p.id, 0) for p in people]).histogram
    name = event.name if len(event.name) <= 50 else event.name[:49] + "…"
    return bar_chart_svg(
        histogram,
        title=f"Meetings per participant: {name}",
        x_label="Scheduled meetings",
        y_label="Participants",
    )


def _nice_step(top: int, ticks: int = 5) -> int:
    """A 1-2-5 step that splits 0..top into at most ``ticks`` intervals (counts: at least 1)."""
    if top <= ticks:
        return 1
    magnitude = 10 ** math.floor(math.log10(top / ticks))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude * ticks >= top))


def bar_chart_svg(
    counts: Mapping[int, int], *, title: str, x_label: str, y_label: str, width: int = 640, height: int = 400
) -> str:
    """A plain, readable SVG bar chart of ``value -> count`` (every value from 0 to the largest gets a bar).

    Built with ElementTree, so text is escaped and the document is well formed.

    Example: ``bar_chart_svg({0: 2, 1: 5, 3: 1}, title="t", x_label="x", y_label="y")`` draws four bars
    (0, 1, 2 and 3), the one at 2 empty.
    """
    left, right, top, bottom = 64, 24, 56, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    values = list(range(max(counts, default=0) + 1))
    step = _nice_step(max(counts.values(), default=0))
    y_top = max(step, step * math.ceil(max(counts.values(), default=0) / step))

    def y(v: float) -> str:
        return f"{top + plot_h - plot_h * v / y_top:.1f}"

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "font-family": "system-ui, -apple-system, 'Segoe UI', sans-serif",
            "font-size": "12",
        },
    )
    ET.SubElement(svg, "title").text = title
    ET.SubElement(svg, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})
    _text(svg, width / 2, 30, title, size=16, weight="bold")
    for tick in range(0, y_top + 1, step):
        ET.SubElement(
            svg, "line", {"x1": str(left), "x2": str(left + plot_w), "y1": y(tick), "y2": y(tick), "stroke": "#e3e3e3"}
        )
        _text(svg, left - 8, float(y(tick)) + 4, str(tick), anchor="end")
    band = plot_w / len(values)
    label_every = math.ceil(len(values) / 25)  # keep x labels apart on wide histograms
    for i, value in enumerate(values):
        n = counts.get(value, 0)
        x = left + i * band + band * 0.15
        ET.SubElement(
            svg,
            "rect",
            {
                "x": f"{x:.1f}",
                "y": y(n),
                "width": f"{band * 0.7:.1f}",
                "height": f"{plot_h * n / y_top:.1f}",
                "fill": "#3b6ea5",
            },
        )
        if n:
            _text(svg, x + band * 0.35, float(y(n)) - 4, str(n), size=11)
        if i % label_every == 0:
            _text(svg, x + band * 0.35, top + plot_h + 18, str(value))
    ET.SubElement(
        svg,
        "line",
        {
            "x1": str(left),
            "x2": str(left + plot_w),
            "y1": str(top + plot_h),
            "y2": str(top + plot_h),
            "stroke": "#333333",
        },
    )
    _text(svg, left + plot_w / 2, height - 18, x_label, size=13)
    label = _text(svg, 18, top + plot_h / 2, y_label, size=13)
    label.set("transform", f"rotate(-90 18 {top + plot_h / 2:.1f})")
    if not counts:
        _text(svg, left + plot_w / 2, top + plot_h / 2, "No participants yet", size=14)
    return ET.tostring(svg, encoding="unicode", xml_declaration=True)


def _text(
    parent: ET.Element, x: float, y: float, text: str, *, size: int = 12, anchor: str = "middle", weight: str = "normal"
) -> ET.Element:
    el = ET.SubElement(
        parent,
        "text",
        {
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "text-anchor": anchor,
            "font-size": str(size),
            "font-weight": weight,
            "fill": "#222222",
        },
    )
    el.text = text
    return el
