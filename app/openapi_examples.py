"""Examples the generated OpenAPI document cannot carry by itself, added to it after generation.

Two gaps. FastAPI writes the document with ``exclude_none``, which also strips every ``null`` out of the
model examples (a meeting's ``request_id: null`` vanishes and the example no longer validates):
``restore_nulls`` puts the examples back as pydantic generated them. And bodies that are not JSON (CSV
exports, the iCalendar feed, the SSE streams, the SVG chart), the health probes and responses whose model
example would mislead (a run just queued, a meeting just cancelled) have no model to carry one:
``add_examples`` renders those with the code that renders the real responses, from the records of the
JSON examples, so the examples agree with each other and with what the API sends.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from fastapi.openapi.constants import REF_TEMPLATE
from fastapi.openapi.utils import get_fields_from_routes
from fastapi.sse import ServerSentEvent, format_sse_event
from pydantic import BaseModel, TypeAdapter
from starlette.routing import BaseRoute

from app.matching.engine import ENGINE_VERSION
from app.matching.types import MatchingWeights
from app.models import Event, EventTable, Meeting, Participant
from app.routers.health import Health
from app.routers.live import RETRY_MS, _message
from app.schemas.event import EVENT_EXAMPLE
from app.schemas.live import DeliveryRead, LiveEvent
from app.schemas.meeting import MEETING_EXAMPLE, TABLE_EXAMPLE, ScheduleRunCreate
from app.schemas.participant import IMPORT_PARTICIPANT_EXAMPLE, PARTICIPANT_EXAMPLE, ImportBody
from app.schemas.reports import EventReport, TablePlan
from app.services.agenda import Person, _calendar, _vevent
from app.services.common import in_zone
from app.services.imports import records_to_csv
from app.services.reports import MEETING_COLUMNS, Sheet, _meeting_row, bar_chart_svg, plan_sheet, sheet_to_csv

Examples = dict[str, Any]  # the OpenAPI `examples` map: name -> {"summary", "value"}


def add_examples(spec: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Complete the examples of ``spec`` (the document generated from ``routes``) in place."""
    restore_nulls(spec, routes)
    operations = {
        op["operationId"]: op for item in spec["paths"].values() for op in item.values() if "operationId" in op
    }
    for operation_id, status, media_type, examples in _media_examples():
        if operation_id not in operations:
            raise KeyError(f"app/openapi_examples.py has examples for {operation_id!r}, which the API no longer has")
        operations[operation_id]["responses"][status]["content"][media_type]["examples"] = examples


def restore_nulls(spec: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Give every component schema the examples pydantic generated for it, nulls included.

    The schemas are generated again from the same route fields FastAPI used, so they get the same names.
    """
    fields = get_fields_from_routes(list(routes))
    inputs = [
        ((i, f.mode), f.mode, TypeAdapter(f.field_info.annotation))
        for i, f in enumerate(fields)
        if f.field_info.annotation is not None
    ]
    _, generated = TypeAdapter.json_schemas(inputs, ref_template=REF_TEMPLATE)
    schemas = spec.get("components", {}).get("schemas", {})
    for name, schema in generated.get("$defs", {}).items():
        if "examples" in schema and name in schemas:
            schemas[name]["examples"] = schema["examples"]


def _media_examples() -> list[tuple[str, str, str, Examples]]:
    """(operationId, status, media type, examples) for each response body given its examples here."""
    stream = _example("Two messages after the greeting", _sse_stream())
    return [
        ("liveness_get", "200", "application/json", _example("Up", Health(status="ok"))),
        ("readiness_get", "200", "application/json", _example("Ready", _READY)),
        ("readiness_get", "503", "application/json", _example("The database is down", _NOT_READY)),
        ("participants_export", "200", "text/csv", _example("One participant", _participants_csv())),
        ("meetings_export", "200", "text/csv", _example("One meeting", _meetings_csv())),
        ("table_plan_get", "200", "text/csv", _example("One slot, one table", _table_plan_csv())),
        ("report_chart_get", "200", "image/svg+xml", _example("The report's histogram", _chart_svg())),
        ("agenda_ics_get", "200", "text/calendar", _example("One published meeting", _agenda_ics())),
        ("participant_stream_open", "200", "text/event-stream", stream),
        ("event_stream_open", "200", "text/event-stream", stream),
        ("matching_runs_create", "202", "application/json", _example("Queued", _MATCHING_QUEUED)),
        ("matching_runs_get", "200", "application/json", _example("Succeeded", _matching_done())),
        ("schedule_runs_create", "202", "application/json", _example("Queued", _scheduling_queued())),
        ("schedule_runs_get", "200", "application/json", _example("Succeeded", _scheduling_done())),
        (
            "no_shows_record",
            "200",
            "application/json",
            _example("With replan, the re-planning run", _no_show_replan()) | _example("Without replan", None),
        ),
        ("meetings_cancel", "200", "application/json", _example("Cancelled by an organiser", _MEETING_CANCELLED)),
        ("deliveries_retry", "200", "application/json", _example("Due again now", _delivery_retried())),
    ]


def _example(summary: str, value: Any) -> Examples:
    """One named example; the name is the summary in snake case."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return {re.sub(r"\W+", "_", summary.lower()).strip("_"): {"summary": summary, "value": value}}


def _first_example(model: type[BaseModel]) -> Any:
    return model.model_json_schema()["examples"][0]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# --- health ---------------------------------------------------------------------------------------

_READY = Health(status="ready", checks={"database": "ok", "migrations": "ok"})
_NOT_READY = Health(status="not ready", checks={"database": "unreachable or not migrated: OperationalError"})


# --- the records behind the examples: event 3, meeting 215 of Ioana Popescu (42) and Javier Martínez (107) --

_TZ: str = EVENT_EXAMPLE["timezone"]


def _event() -> Event:
    e = EVENT_EXAMPLE
    return Event(
        id=e["id"],
        slug=e["slug"],
        name=e["name"],
        city=e["city"],
        venue=e["venue"],
        timezone=_TZ,
        starts_at=_utc(e["starts_at"]),
        ends_at=_utc(e["ends_at"]),
        schedule_published=True,
    )


def _person(p: dict[str, Any], participant_id: int) -> Person:
    org = p["organisation"]
    return Person(participant_id, p["name"], p["email"], p["job_title"], org["name"], org["country"], org["kind"])


_PEOPLE = {42: _person(PARTICIPANT_EXAMPLE, 42), 107: _person(IMPORT_PARTICIPANT_EXAMPLE, 107)}


def _participant() -> Participant:
    p = PARTICIPANT_EXAMPLE
    email: str = p["email"]
    return Participant(
        id=p["id"],
        event_id=p["event_id"],
        organisation_id=p["organisation"]["id"],
        name=p["name"],
        email=email,
        email_key=email.lower(),
    )


def _table() -> EventTable:
    return EventTable(event_id=EVENT_EXAMPLE["id"], **TABLE_EXAMPLE)


def _meeting() -> Meeting:
    m = MEETING_EXAMPLE
    a, b = m["participant_ids"]
    return Meeting(
        id=m["id"],
        event_id=m["event_id"],
        request_id=m["request_id"],
        a_id=a,
        b_id=b,
        status=m["status"],
        starts_at=_utc(m["starts_at"]),
        ends_at=_utc(m["ends_at"]),
        table_id=m["table"]["id"],
        locked=m["locked"],
        source=m["source"],
        score=m["score"],
        sequence=m["sequence"],
        created_at=_utc("2025-07-04T13:47:00+03:00"),  # when request 88 was accepted
        updated_at=_utc(m["updated_at"]),
    )


# --- text bodies, rendered by the code that renders the responses -----------------------------------


def _participants_csv() -> str:
    return records_to_csv(_first_example(ImportBody)["participants"])


def _meetings_csv() -> str:
    table = _table()
    row = _meeting_row(_meeting(), _TZ, _PEOPLE, {TABLE_EXAMPLE["id"]: table})
    return sheet_to_csv(Sheet("Meetings", MEETING_COLUMNS, [row])).decode()


def _table_plan_csv() -> str:
    return sheet_to_csv(plan_sheet(TablePlan.model_validate(_first_example(TablePlan)))).decode()


def _chart_svg() -> str:
    """As ``services.reports.meetings_chart`` draws the report example's histogram."""
    histogram = EventReport.model_validate(_first_example(EventReport)).meetings_per_participant.histogram
    return bar_chart_svg(
        histogram,
        title=f"Meetings per participant: {EVENT_EXAMPLE['name']}",
        x_label="Scheduled meetings",
        y_label="Participants",
    )


def _agenda_ics() -> str:
    """As ``services.agenda.agenda_ics`` writes Ioana Popescu's feed with meeting 215."""
    event, meeting = _event(), _meeting()
    calendar = _calendar(event, _participant())
    calendar.add_component(_vevent(event, meeting, _PEOPLE[107], _table()))
    start, end = in_zone(event.starts_at, _TZ), in_zone(event.ends_at, _TZ)
    calendar.add_missing_timezones(date(start.year - 1, 1, 1), date(end.year + 1, 12, 31))
    ics: bytes = calendar.to_ical()
    return ics.decode()


def _sse_stream() -> str:
    """The greeting a stream opens with, then the ``LiveEvent`` examples as the stream sends them."""
    events = [LiveEvent.model_validate(e) for e in LiveEvent.model_json_schema()["examples"]]
    messages = [ServerSentEvent(comment="connected", retry=RETRY_MS), *map(_message, events)]
    return "".join(_sse_frame(m).decode() for m in messages)


def _sse_frame(message: ServerSentEvent) -> bytes:
    # FastAPI's encoding of a ServerSentEvent with raw_data (fastapi.routing, `_serialize_sse_item`)
    return format_sse_event(
        data_str=message.raw_data, event=message.event, id=message.id, retry=message.retry, comment=message.comment
    )


# --- runs, a cancelled meeting, a retried delivery ---------------------------------------------------

_JOB: dict[str, Any] = {"event_id": EVENT_EXAMPLE["id"], "progress": 0.0, "result": None, "error": None}
_NOT_STARTED: dict[str, Any] = {**_JOB, "status": "queued", "started_at": None, "finished_at": None}
_MATCHING_QUEUED = {
    **_NOT_STARTED,
    "id": 17,
    "kind": "matching",
    "params": {},
    "created_at": "2025-07-05T05:58:12+03:00",
}


def _matching_done() -> dict[str, Any]:
    timings = {"load_s": 0.4121, "engine_s": 9.8734, "store_s": 1.2045}
    result = {
        "engine_version": ENGINE_VERSION,
        "participants": 148,
        "suggestions": 2960,
        "weights": MatchingWeights().to_dict(),
        "timings": timings,
    }
    done = {"started_at": "2025-07-05T05:58:13+03:00", "finished_at": "2025-07-05T05:58:25+03:00"}
    return {**_MATCHING_QUEUED, **done, "status": "succeeded", "progress": 1.0, "result": result}


def _scheduling_queued() -> dict[str, Any]:
    params = ScheduleRunCreate.model_validate(_first_example(ScheduleRunCreate)).model_dump(mode="json")
    return {**_NOT_STARTED, "id": 18, "kind": "scheduling", "params": params, "created_at": "2025-07-06T18:19:30+03:00"}


def _scheduling_done() -> dict[str, Any]:
    unplaced = {"meeting_id": 241, "reason": "cap_reached", "detail": "attendee 107 already has 10 meetings (cap 10)"}
    result = {
        "slots": 14,
        "tables": 3,
        "must": 390,
        "must_placed": 389,
        "fill_in_candidates": 96,
        "fill_ins_placed": 21,
        "placed": 410,
        "unplaced": [unplaced],
        "solver_status": "feasible",
        "objective": 40873.0,
        "bound": 41012.0,
        "gap": 0.0034,
        "total_breaks": 54,
        "break_spread": 3,
        "moved": 7,
        "changed_during_run": 0,
        "dropped_for_manual_bookings": 0,
        "timings": {"build_s": 0.6512, "solve_s": 20.0087, "apply_s": 1.1893},
    }
    done = {"started_at": "2025-07-06T18:19:31+03:00", "finished_at": "2025-07-06T18:19:54+03:00"}
    return {**_scheduling_queued(), **done, "status": "succeeded", "progress": 1.0, "result": result}


def _no_show_replan() -> dict[str, Any]:
    """As the no-show route starts it: fill from suggestions, replan, nothing before now moves."""
    params = ScheduleRunCreate(fill_from_suggestions=True, replan=True).model_dump(mode="json")
    params["freeze_before"] = "2025-07-08T08:05:41.503112+00:00"
    return {**_scheduling_queued(), "id": 23, "params": params, "created_at": "2025-07-08T11:05:41+03:00"}


_MEETING_CANCELLED = {
    **MEETING_EXAMPLE,
    "status": "cancelled",
    "cancel_reason": "organiser",
    "sequence": MEETING_EXAMPLE["sequence"] + 1,
    "updated_at": "2025-07-07T09:12:00+03:00",
}


def _delivery_retried() -> dict[str, Any]:
    """The failed delivery example after a retry: due now, with a fresh set of attempts."""
    failed = DeliveryRead.model_json_schema()["examples"][1]
    return {
        **failed,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": "2025-07-07T09:30:00+03:00",
        "last_error": None,
    }
