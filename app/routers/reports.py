from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.deps import OrganisedEventDep, SessionDep
from app.problems import problem_responses
from app.schemas.reports import EventReport, ExportFormat, PlanFormat, TablePlan
from app.services import reports as service

router = APIRouter(prefix="/events/{event_id}", tags=["reports"])

_SHEETS: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    service.MEDIA_TYPES[ExportFormat.xlsx]: {"schema": {"type": "string", "format": "binary"}},
}


def _attachment(export: service.Export) -> Response:
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@router.get(
    "/meetings/export",
    summary="Export all meetings (CSV or XLSX)",
    description="Organisers only. One row per meeting, any status: id, status, date and time and ISO 8601 "
    "start and end in the event's time zone, table and online link, both participants (name, organisation, "
    "country, email), source, locked, and why it is unplaced or cancelled. Scheduled meetings first by time and "
    "table, then unscheduled, then cancelled. In the CSV, text starting with = + - @ gets a leading apostrophe "
    "so spreadsheets do not run it; in the XLSX such text is stored as text.",
    operation_id="meetings_export",
    response_class=Response,
    responses={200: {"description": "The meetings", "content": _SHEETS}, **problem_responses(401, 403, 404, 422)},
)
async def export_meetings(
    event: OrganisedEventDep,
    session: SessionDep,
    format_: Annotated[ExportFormat, Query(alias="format", description="csv or xlsx")] = ExportFormat.csv,
) -> Response:
    return _attachment(await service.export_meetings(session, event, format_))


@router.get(
    "/table-plan",
    response_model=TablePlan,
    summary="The table plan",
    description="Organisers only. For every slot of the time grid (in the event's time zone) and every table: "
    "the meeting there and its two participants, or null when the table is free. `format=csv` or `xlsx` gives "
    "the same plan as a printable grid: one row per slot, one column per table.",
    operation_id="table_plan_get",
    responses={200: {"content": _SHEETS}, **problem_responses(401, 403, 404, 422)},
)
async def get_table_plan(
    event: OrganisedEventDep,
    session: SessionDep,
    format_: Annotated[PlanFormat, Query(alias="format", description="json, csv or xlsx")] = PlanFormat.json,
) -> TablePlan | Response:
    if format_ is PlanFormat.json:
        return await service.table_plan(session, event)
    return _attachment(await service.export_table_plan(session, event, ExportFormat(format_.value)))


@router.get(
    "/report",
    response_model=EventReport,
    summary="The event report",
    description="Organisers only. Participants by country and organisation kind; requests by status and the "
    "acceptance rate; meetings by status and source; meetings per participant (min, median, max, mean and a "
    "histogram, also drawn at `report/meetings-per-participant.svg`); who has no meeting and why; idle gaps "
    "between a participant's meetings within a session; how many country pairs met and the cross-border share.",
    operation_id="report_get",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_report(event: OrganisedEventDep, session: SessionDep) -> EventReport:
    return await service.event_report(session, event)


@router.get(
    "/report/meetings-per-participant.svg",
    summary="Chart: meetings per participant",
    description="Organisers only. An SVG bar chart of the meetings-per-participant histogram: x the number of "
    "scheduled meetings, y how many participants have that many.",
    operation_id="report_chart_get",
    response_class=Response,
    responses={
        200: {"description": "The chart", "content": {"image/svg+xml": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 404, 422),
    },
)
async def get_report_chart(event: OrganisedEventDep, session: SessionDep) -> Response:
    return Response(await service.meetings_chart(session, event), media_type="image/svg+xml")
