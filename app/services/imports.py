"""Bulk import and export of an event's participants (CSV and JSON).

Every row is validated first; a file with any bad row writes nothing and answers with
every problem (row, column, message). Good files are written with a handful of bulk
statements, so 10,000 rows take seconds on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import anyio.to_thread
from charset_normalizer import from_bytes
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db import BULK_ROWS, analyze, utcnow
from app.errors import InvalidInput
from app.models import Event, Opportunity, Organisation, OrganisationSector, Participant
from app.schemas.participant import ImportedRef, ImportParticipant, ImportResult
from app.services import organisations as orgs
from app.services.common import fold

CHUNK = 2000  # rows per IN (...) query: well under SQLite's and asyncpg's parameter limits
MULTI_SEPARATOR = ";"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

PARTICIPANT_COLUMNS = ["external_id", "name", "email", "job_title", "languages", "max_meetings", "listed"]
ORGANISATION_COLUMNS = {
    "organisation": "name",
    "organisation_kind": "kind",
    "country": "country",
    "city": "city",
    "region": "region",
    "website": "website",
    "sectors": "sectors",
    "organisation_description": "description",
    "organisation_keywords": "keywords",
}
OPPORTUNITY_FIELDS = ["title", "type", "description", "keywords"]
MULTI_VALUE = {"languages", "sectors", "organisation_keywords"}
REQUIRED_COLUMNS = ["name", "email", "organisation", "country"]
CLEARABLE = {"external_id", "job_title", "max_meetings"}  # an empty cell clears these
_OPP_COLUMN = re.compile(r"^(offer|request)_(\d{1,2})_(title|type|description|keywords)$")

_row_adapter: TypeAdapter[ImportParticipant] = TypeAdapter(ImportParticipant)


@dataclass
class Problems:
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int, column: str, msg: str, type_: str = "value_error") -> None:
        self.items.append({"row": row, "column": column, "msg": msg, "type": type_, "loc": ["row", row, column]})

    def raise_if_any(self, rows: int) -> None:
        if self.items:
            bad_rows = len({p["row"] for p in self.items})
            raise InvalidInput(
                f"{len(self.items)} problem(s) in {bad_rows} of {max(rows, bad_rows)} row(s); nothing was imported. "
                "Fix every listed cell and send the whole file again.",
                errors=self.items,
            )


# --- reading CSV ----------------------------------------------------------------------


SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods (zip), .xls (OLE)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" is UTF-16 with a BOM


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM; otherwise the best guess of charset-normalizer
    (Windows-1250 / ISO-8859-2 files from Romanian Excel installs)."""
    if data.startswith(SPREADSHEET_MAGIC):
        raise InvalidInput(
            "The file is a spreadsheet workbook, not CSV: in Excel use File > Save As > 'CSV UTF-8 (Comma "
            "delimited)' and upload that file."
        )
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidInput("The file starts like UTF-16 text but is not: save it as CSV (UTF-8).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=["cp1250", "iso8859_2", "cp1252", "iso8859_16"]).best()
        if best is None:
            raise InvalidInput("The file is not text: save it as CSV (UTF-8).") from None
        return str(best)


def _unformula(value: str) -> str:
    """Undo the export's formula guard: a leading apostrophe before = + - @ tab or CR."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()]


def _check_header(header: Sequence[str], problems: Problems) -> None:
    known = set(PARTICIPANT_COLUMNS) | set(ORGANISATION_COLUMNS)
    for column in header:
        if column not in known and not _OPP_COLUMN.match(column):
            problems.add(1, column, f"unknown column '{column}'; see examples/participants.csv for the column set")
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.add(1, column, f"required column '{column}' is missing")
    if len(set(header)) != len(header):
        problems.add(1, "", "a column name appears twice")


def _opportunities(cells: dict[str, str], direction: str) -> list[dict[str, Any]]:
    numbers = sorted({int(m.group(2)) for c in cells if (m := _OPP_COLUMN.match(c)) and m.group(1) == direction})
    out = []
    for n in numbers:
        item = {f: cells.get(f"{direction}_{n}_{f}", "").strip() for f in OPPORTUNITY_FIELDS}
        if not any(item.values()):
            continue
        entry: dict[str, Any] = {
            "title": item["title"],
            "description": item["description"],
            "keywords": _split(item["keywords"]),
            "_n": n,
        }
        if item["type"]:
            entry["type"] = item["type"]
        out.append(entry)
    return out


def csv_row_to_record(cells: dict[str, str]) -> dict[str, Any]:
    """One CSV row in the JSON import shape."""
    cells = {k: _unformula(v or "") for k, v in cells.items() if k is not None}
    org: dict[str, Any] = {}
    for column, key in ORGANISATION_COLUMNS.items():
        value = cells.get(column, "").strip()
        if column in MULTI_VALUE:
            org[key] = _split(value)
        elif value:
            org[key] = value
    record: dict[str, Any] = {"organisation": org}
    # Only columns the file has are set: a re-import leaves the others as they are.
    for column in PARTICIPANT_COLUMNS:
        if column not in cells:
            continue
        value = cells[column].strip()
        if column == "languages":
            record[column] = _split(value)
        elif value:
            record[column] = value
        elif column in CLEARABLE:
            record[column] = None
    for direction in ("offer", "request"):
        if any(_OPP_COLUMN.match(c) and c.startswith(direction + "_") for c in cells):
            record[direction + "s"] = _opportunities(cells, direction)
    return record


def parse_csv(data: bytes) -> tuple[list[dict[str, Any]], Problems]:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    problems = Problems()
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        problems.add(1, "", "the file is empty: it needs a header row and one row per participant")
        return [], problems
    reader.fieldnames = header
    _check_header(header, problems)
    records: list[dict[str, Any]] = []
    try:
        for row in reader:
            if None in row:
                problems.add(len(records) + 1, "", "the row has more cells than the header")
            records.append(csv_row_to_record(row))
    except csv.Error as exc:
        msg = f"the CSV is malformed: {exc}"
        if "field larger than field limit" in str(exc):
            msg = f"a cell is longer than {csv.field_size_limit():,} characters; no column allows that much text"
        problems.add(len(records) + 1, "", msg)
    return records, problems


# --- validation -----------------------------------------------------------------------


def _column_of(loc: Sequence[Any], csv_mode: bool, record: dict[str, Any]) -> str:
    """Name the CSV column (or JSON path) a pydantic error points at."""
    parts = [str(p) for p in loc]
    if not csv_mode:
        return ".".join(parts)
    if parts and parts[0] == "organisation":
        if len(parts) == 1:
            return "organisation"
        key = parts[1]
        return next((c for c, k in ORGANISATION_COLUMNS.items() if k == key), key)
    if parts and parts[0] in {"offers", "requests"} and len(parts) >= 2:
        direction = parts[0][:-1]
        items = record.get(parts[0], [])
        idx = int(parts[1]) if parts[1].isdigit() else 0
        n = items[idx]["_n"] if idx < len(items) else idx + 1
        return f"{direction}_{n}_{parts[2] if len(parts) > 2 else 'title'}"
    return parts[0] if parts else ""


def validate_records(
    records: Sequence[dict[str, Any]], known_sectors: set[str], *, csv_mode: bool
) -> tuple[list[ImportParticipant], Problems]:
    problems = Problems()
    valid: list[ImportParticipant] = []
    seen_email: dict[str, int] = {}
    seen_external: dict[str, int] = {}
    for i, record in enumerate(records, start=1):
        try:
            row = _row_adapter.validate_python(record)
        except ValidationError as exc:
            for err in exc.errors():
                problems.add(i, _column_of(err["loc"], csv_mode, record), err["msg"], err["type"])
            continue
        bad = sorted(set(row.organisation.sectors) - known_sectors)
        if bad:
            problems.add(
                i,
                "sectors" if csv_mode else "organisation.sectors",
                f"unknown sector(s) {', '.join(bad)}; known: {', '.join(sorted(known_sectors))}",
            )
        email = row.email.lower()
        if email in seen_email:
            problems.add(i, "email", f"email {row.email} appears in row {seen_email[email]} too")
        seen_email.setdefault(email, i)
        if row.external_id:
            if row.external_id in seen_external:
                problems.add(
                    i,
                    "external_id",
                    f"external_id {row.external_id} appears in row {seen_external[row.external_id]} too",
                )
            seen_external.setdefault(row.external_id, i)
        valid.append(row)
    return valid, problems


# --- writing --------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _organisation_ids(
    session: AsyncSession, rows: Sequence[ImportParticipant]
) -> tuple[dict[tuple[str, str], int], int]:
    """Match organisations by folded name and country; create the missing ones in bulk."""
    wanted: dict[tuple[str, str], ImportParticipant] = {}
    for row in rows:
        wanted.setdefault((fold(row.organisation.name), row.organisation.country), row)
    ids: dict[tuple[str, str], int] = {}
    keys = list(wanted)
    for chunk in _chunks(keys):
        found = await session.execute(
            select(col(Organisation.name_key), col(Organisation.country), col(Organisation.id)).where(
                tuple_(col(Organisation.name_key), col(Organisation.country)).in_(chunk)
            )
        )
        ids.update({(k, c): cast(int, i) for k, c, i in found})
    missing = [k for k in keys if k not in ids]
    now = utcnow()
    new_rows = []
    for key in missing:
        o = wanted[key].organisation
        new_rows.append(
            {
                "name": o.name,
                "name_key": key[0],
                "kind": o.kind.value,
                "country": o.country,
                "city": o.city,
                "region": o.region,
                "website": o.website,
                "description": o.description,
                "keywords": o.keywords,
                "esca_label": "none",
                "size": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    for chunk in _chunks(new_rows):
        result = await session.execute(
            insert(Organisation).returning(col(Organisation.id), sort_by_parameter_order=True),
            list(chunk),
        )
        for data, (new_id,) in zip(chunk, result.all(), strict=True):
            ids[(data["name_key"], data["country"])] = cast(int, new_id)
    links = [
        {"organisation_id": ids[key], "sector_slug": s}
        for key in missing
        for s in dict.fromkeys(wanted[key].organisation.sectors)
    ]
    if links:
        await session.execute(insert(OrganisationSector), links)
    return ids, len(missing)


async def _existing_participants(session: AsyncSession, event_id: int) -> dict[str, tuple[int, str | None]]:
    rows = await session.execute(
        select(col(Participant.email_key), col(Participant.id), col(Participant.external_id)).where(
            col(Participant.event_id) == event_id
        )
    )
    return {email: (cast(int, pid), ext) for email, pid, ext in rows}


UPDATABLE = ("external_id", "job_title", "languages", "max_meetings", "listed")


def _update_values(row: ImportParticipant, pid: int, org_id: int, now: Any) -> dict[str, Any]:
    """An existing participant's changes: only the fields the row gives."""
    given = {k: getattr(row, k) for k in UPDATABLE if k in row.model_fields_set}
    return {"id": pid, "organisation_id": org_id, "name": row.name, "email": row.email, "updated_at": now, **given}


def _participant_values(row: ImportParticipant, event_id: int, org_id: int) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "organisation_id": org_id,
        "external_id": row.external_id,
        "name": row.name,
        "email": row.email,
        "email_key": row.email.lower(),
        "job_title": row.job_title,
        "languages": row.languages,
        "max_meetings": row.max_meetings,
        "listed": row.listed,
    }


def _check_external_ids(
    rows: Sequence[ImportParticipant], existing: dict[str, tuple[int, str | None]], csv_mode: bool
) -> Problems:
    """An external_id already used by another participant of the event is a problem."""
    owner = {ext: email for email, (_, ext) in existing.items() if ext}
    problems = Problems()
    for i, row in enumerate(rows, start=1):
        if row.external_id and owner.get(row.external_id, row.email.lower()) != row.email.lower():
            problems.add(
                i,
                "external_id",
                f"external_id {row.external_id} belongs to another participant ({owner[row.external_id]})",
            )
    return problems


async def apply_import(
    session: AsyncSession, event: Event, rows: Sequence[ImportParticipant], csv_mode: bool
) -> ImportResult:
    assert event.id is not None
    existing = await _existing_participants(session, event.id)
    _check_external_ids(rows, existing, csv_mode).raise_if_any(len(rows))
    org_ids, orgs_created = await _organisation_ids(session, rows)
    now = utcnow()
    new_rows, updates = [], []
    for row in rows:
        org_id = org_ids[(fold(row.organisation.name), row.organisation.country)]
        if row.email.lower() in existing:
            updates.append(_update_values(row, existing[row.email.lower()][0], org_id, now))
        else:
            values = _participant_values(row, event.id, org_id)
            new_rows.append({**values, "created_at": now, "updated_at": now, "version": 1})
    ids_by_email = {email: pid for email, (pid, _) in existing.items()}
    for chunk in _chunks(new_rows):
        result = await session.execute(
            insert(Participant).returning(col(Participant.id), sort_by_parameter_order=True),
            list(chunk),
        )
        for data, (new_id,) in zip(chunk, result.all(), strict=True):
            ids_by_email[data["email_key"]] = cast(int, new_id)
    if updates:
        for group in _by_keys(updates):
            await session.execute(update(Participant), group)
        await _bump_versions(session, [u["id"] for u in updates])
        await _drop_replaced_opportunities(session, rows, ids_by_email, set(existing))
    await _insert_opportunities(session, rows, ids_by_email, now)
    if len(rows) >= BULK_ROWS:
        await analyze(session, "participant", "opportunity", "organisation")
    return ImportResult(
        created=len(new_rows),
        updated=len(updates),
        organisations_created=orgs_created,
        participants=[
            ImportedRef(id=ids_by_email[r.email.lower()], external_id=r.external_id, email=r.email) for r in rows
        ],
    )


def _by_keys(rows: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Bulk UPDATE statements need one key set each."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(frozenset(row), []).append(row)
    return list(groups.values())


async def _drop_replaced_opportunities(
    session: AsyncSession, rows: Sequence[ImportParticipant], ids_by_email: dict[str, int], existing: set[str]
) -> None:
    """An existing participant's offers (or requests) are replaced only when the row gives them."""
    for direction in ("offer", "request"):
        ids = [
            ids_by_email[r.email.lower()]
            for r in rows
            if r.email.lower() in existing and direction + "s" in r.model_fields_set
        ]
        for chunk in _chunks(ids):
            await session.execute(
                delete(Opportunity).where(
                    col(Opportunity.participant_id).in_(chunk), col(Opportunity.direction) == direction
                )
            )


async def _bump_versions(session: AsyncSession, ids: Sequence[int]) -> None:
    for chunk in _chunks(ids):
        await session.execute(
            update(Participant)
            .where(col(Participant.id).in_(chunk))
            .values(version=col(Participant.version) + 1)
            .execution_options(synchronize_session=False)
        )


async def _insert_opportunities(
    session: AsyncSession, rows: Sequence[ImportParticipant], ids_by_email: dict[str, int], now: Any
) -> None:
    values = []
    for row in rows:
        pid = ids_by_email[row.email.lower()]
        for direction, items in (("offer", row.offers), ("request", row.requests)):
            if direction + "s" not in row.model_fields_set:
                continue
            for position, o in enumerate(items):
                values.append(
                    {
                        "participant_id": pid,
                        "direction": direction,
                        "type": o.type.value,
                        "title": o.title,
                        "description": o.description,
                        "keywords": o.keywords,
                        "position": position,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    for chunk in _chunks(values, 5000):
        await session.execute(insert(Opportunity), list(chunk))


async def import_records(
    session: AsyncSession,
    event: Event,
    records: Sequence[dict[str, Any]],
    *,
    csv_mode: bool,
    pre: Problems | None = None,
) -> ImportResult:
    """Validate every record, then write all of them or nothing."""
    known = await orgs.known_sectors(session)
    rows, problems = await anyio.to_thread.run_sync(lambda: validate_records(records, known, csv_mode=csv_mode))
    if pre is not None:
        problems.items[:0] = pre.items
    problems.raise_if_any(len(records))
    if not rows:
        raise InvalidInput("The file has no participants: add one row per participant below the header.")
    return await apply_import(session, event, rows, csv_mode)


# --- export ---------------------------------------------------------------------------


async def export_records(session: AsyncSession, event: Event) -> list[dict[str, Any]]:
    """Every participant of the event in the JSON import shape (with its id)."""
    from app.services.participants import opportunities_of

    people = (
        await session.scalars(
            select(Participant).where(col(Participant.event_id) == event.id).order_by(col(Participant.id))
        )
    ).all()
    org_rows = {}
    org_ids = sorted({p.organisation_id for p in people})
    for chunk in _chunks(org_ids):
        for o in (await session.scalars(select(Organisation).where(col(Organisation.id).in_(chunk)))).all():
            org_rows[o.id] = o
    sectors = await orgs._sectors_of(session, org_ids)
    opps = await opportunities_of(session, [p.id for p in people if p.id is not None])
    out = []
    for p in people:
        o = org_rows[p.organisation_id]
        mine = opps.get(p.id or 0, [])
        out.append(
            {
                "id": p.id,
                "external_id": p.external_id,
                "name": p.name,
                "email": p.email,
                "job_title": p.job_title,
                "languages": p.languages,
                "max_meetings": p.max_meetings,
                "listed": p.listed,
                "organisation": {
                    "name": o.name,
                    "kind": o.kind,
                    "country": o.country,
                    "city": o.city,
                    "region": o.region,
                    "website": o.website,
                    "sectors": sectors.get(o.id or 0, []),
                    "description": o.description,
                    "keywords": o.keywords,
                },
                "offers": [_opp_dict(x) for x in mine if x.direction == "offer"],
                "requests": [_opp_dict(x) for x in mine if x.direction == "request"],
            }
        )
    return out


def _opp_dict(o: Opportunity) -> dict[str, Any]:
    return {"title": o.title, "description": o.description, "type": o.type, "keywords": o.keywords}


def neutralise(value: str) -> str:
    """Guard spreadsheet formulas (CSV injection): prefix an apostrophe, undone on import."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_header(n_offers: int, n_requests: int) -> list[str]:
    header = PARTICIPANT_COLUMNS + list(ORGANISATION_COLUMNS)
    for direction, n in (("offer", n_offers), ("request", n_requests)):
        header += [f"{direction}_{i}_{f}" for i in range(1, n + 1) for f in OPPORTUNITY_FIELDS]
    return header


def records_to_csv(records: Sequence[dict[str, Any]]) -> str:
    n_offers = max([3, *(len(r["offers"]) for r in records)])
    n_requests = max([3, *(len(r["requests"]) for r in records)])
    header = csv_header(n_offers, n_requests)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for r in records:
        writer.writerow([neutralise(v) for v in _csv_cells(r, header)])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _csv_cells(r: dict[str, Any], header: Sequence[str]) -> list[str]:
    cells = {c: _cell(r.get(c)) for c in PARTICIPANT_COLUMNS}
    for column, key in ORGANISATION_COLUMNS.items():
        cells[column] = _cell(r["organisation"].get(key))
    for direction in ("offer", "request"):
        for i, o in enumerate(r[direction + "s"], start=1):
            for f in OPPORTUNITY_FIELDS:
                cells[f"{direction}_{i}_{f}"] = _cell(o.get(f))
    return [cells.get(c, "") for c in header]


async def parse_csv_off_loop(data: bytes) -> tuple[list[dict[str, Any]], Problems]:
    """Decode and parse a CSV in a worker thread: large files must not block the event loop."""
    return await anyio.to_thread.run_sync(parse_csv, data)
