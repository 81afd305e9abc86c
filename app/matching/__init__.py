"""Pure matching engine: participant records in, ranked, explained bilateral pairs out.

Example
-------
>>> from app.matching import MatchingEngine, ParticipantRecord
>>> engine = MatchingEngine(top_k=10).fit([ParticipantRecord(1, 1, "company", "RO")])
>>> engine.suggest_all()
{1: ()}
"""

from app.matching.config import EngineConfig
from app.matching.engine import DEFAULT_WEIGHTS, ENGINE_VERSION, MatchingEngine
from app.matching.types import (
    MatchingWeights,
    OpportunityText,
    ParticipantRecord,
    Reason,
    Refresh,
    Suggestion,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "EngineConfig",
    "MatchingEngine",
    "MatchingWeights",
    "OpportunityText",
    "ParticipantRecord",
    "Reason",
    "Refresh",
    "Suggestion",
]
