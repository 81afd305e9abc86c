"""Pure fixtures for the matching engine: records only, no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.matching import MatchingEngine, OpportunityText, ParticipantRecord, Suggestion
from bench.matching_speed import records_from_event, synthetic_event


def opportunity(id_: int, title: str, description: str = "") -> OpportunityText:
    return OpportunityText(id=id_, title=title, description=description)


@pytest.fixture(scope="session")
def event_records() -> list[ParticipantRecord]:
    """A generated event of 160 participants with a few exclusions and unlisted people."""
    records, _ = records_from_event(synthetic_event(160, seed=5))
    changed = []
    for record in records:
        if record.id % 17 == 3:
            record = replace(record, listed=False)
        if record.id % 11 == 4:
            record = replace(record, exclusions=frozenset({record.id + 1, record.id + 7}))
        changed.append(record)
    return changed


@pytest.fixture(scope="session")
def event_engine(event_records: list[ParticipantRecord]) -> MatchingEngine:
    """The engine fitted on ``event_records`` (read it, do not refresh it: it is shared)."""
    return MatchingEngine(top_k=20).fit(event_records)


@pytest.fixture(scope="session")
def event_result(event_engine: MatchingEngine) -> dict[int, tuple[Suggestion, ...]]:
    return event_engine.suggest_all()
