from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import Input
from app.schemas.participant import PARTICIPANT_EXAMPLE, ParticipantRead


class MatchingWeightsIn(Input):
    """How the matching signals add up for an event (defaults chosen on the benchmark)."""

    complementarity: float = Field(ge=0, le=1, description="My requests met by their offers, and the reverse")
    profile: float = Field(ge=0, le=1, description="Similarity of descriptions and keywords")
    sectors: float = Field(ge=0, le=1, description="Shared sectors")
    kind: float = Field(ge=0, le=1, description="Organisation-kind complementarity")
    cross_border_bonus: float = Field(ge=0, le=1, description="Bonus for partners from another country")
    max_per_organisation: int = Field(ge=1, le=10, description="At most this many per organisation in a top 10")
    max_per_country: int = Field(ge=1, le=10, description="At most this many per country in a top 10")


class ReasonRead(BaseModel):
    type: str = Field(
        description="request_offer, offer_request, shared_terms, shared_sectors, kind_complementarity, "
        "cross_border or profile_similarity",
        examples=["request_offer"],
    )
    weight: float = Field(description="This reason's share of the score it explains")
    mine: str | None = Field(default=None, description="My offer or request (title)")
    theirs: str | None = Field(default=None, description="Their offer or request (title)")
    mine_id: int | None = None
    theirs_id: int | None = None
    terms: list[str] = Field(default_factory=list, description="Shared terms")
    sectors: list[str] = Field(default_factory=list, description="Shared sectors")
    detail: str = Field(default="", description="A short English sentence")


class SuggestionRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant": PARTICIPANT_EXAMPLE,
                    "rank": 1,
                    "score": 0.71,
                    "score_for_me": 0.68,
                    "score_for_them": 0.74,
                    "reasons": [
                        {
                            "type": "request_offer",
                            "weight": 0.62,
                            "mine": "Partners for a Horizon Europe proposal",
                            "theirs": "Edge AI platform for predictive maintenance",
                            "mine_id": 511,
                            "theirs_id": 301,
                            "terms": ["robotics", "industry 4.0"],
                            "detail": "Their offer meets your request.",
                        },
                        {
                            "type": "cross_border",
                            "weight": 0.07,
                            "detail": "A partner from another country (RO).",
                        },
                    ],
                    "run_id": 17,
                    "engine_version": "tfidf-soft-1.1",
                    "source": "run",
                    "created_at": "2025-07-05T06:00:00+03:00",
                }
            ]
        }
    )

    participant: ParticipantRead = Field(description="The suggested partner's public profile")
    rank: int
    score: float = Field(description="Mutual score in [0, 1]: harmonic mean of both directions")
    score_for_me: float = Field(description="How well the partner serves my needs")
    score_for_them: float = Field(description="How well I serve the partner's needs")
    reasons: list[ReasonRead]
    run_id: int | None = Field(description="The matching run that produced it; null after a refresh")
    engine_version: str
    source: str = Field(description="run or refresh")
    created_at: datetime


class JobRead(BaseModel):
    id: int
    event_id: int
    kind: str
    status: str = Field(description="queued, running, succeeded or failed")
    progress: float = Field(description="0..1")
    params: dict[str, Any]
    result: dict[str, Any] | None = Field(description="Counts and `timings` (seconds) once succeeded")
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
