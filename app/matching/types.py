"""Plain records in, ranked explained pairs out: the matching engine's contract.

The engine is pure: it never touches the database, FastAPI, settings or the clock.
The service layer builds :class:`ParticipantRecord` values from SQL rows and stores
the :class:`Suggestion` values it gets back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class OpportunityText:
    """One thing a participant offers or requests."""

    id: int
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    type: str | None = None  # business_partnership, technology, rd_cooperation, ...


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    """Everything the engine may know about one participant of one event."""

    id: int
    organisation_id: int
    organisation_kind: str  # cluster|company|university|research|public_authority|investor|other
    country: str  # ISO 3166-1 alpha-2
    sectors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    profile_text: str = ""  # organisation description, keywords, job title
    offers: tuple[OpportunityText, ...] = ()
    requests: tuple[OpportunityText, ...] = ()
    exclusions: frozenset[int] = frozenset()  # partner ids never to suggest (blocked, declined, hidden)
    listed: bool = True  # visibility consent: an unlisted participant is never suggested to others


@dataclass(frozen=True, slots=True)
class MatchingWeights:
    """How the signals add up; stored per event, defaults chosen on the benchmark."""

    complementarity: float = 0.55
    profile: float = 0.2
    sectors: float = 0.1
    kind: float = 0.1
    cross_border_bonus: float = 0.05
    max_per_organisation: int = 1  # in a participant's top 10
    max_per_country: int = 4  # in a participant's top 10

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class Reason(NamedTuple):
    """One structured reason a front-end can render.

    ``type`` is one of: ``request_offer`` (my request ``mine`` is met by their offer
    ``theirs``), ``offer_request`` (my offer meets their request), ``shared_terms``,
    ``shared_sectors``, ``kind_complementarity``, ``cross_border``, ``profile_similarity``.

    Immutable like the other results, but a named tuple rather than a frozen dataclass: a
    run returns hundreds of thousands of reasons, and a tuple is built in C (about four times
    faster than setting a slotted dataclass's nine fields).
    """

    type: str
    weight: float  # this reason's share of the directional/mutual score it explains
    mine: str | None = None  # my opportunity title (request_offer / offer_request)
    theirs: str | None = None  # their opportunity title
    mine_id: int | None = None
    theirs_id: int | None = None
    terms: tuple[str, ...] = ()  # shared terms (shared_terms, request_offer, offer_request)
    sectors: tuple[str, ...] = ()  # shared sectors
    detail: str = ""  # a short English sentence for logs and simple UIs

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "weight": self.weight,
            "mine": self.mine,
            "theirs": self.theirs,
            "mine_id": self.mine_id,
            "theirs_id": self.theirs_id,
            "terms": list(self.terms),
            "sectors": list(self.sectors),
            "detail": self.detail,
        }


class Suggestion(NamedTuple):
    """A partner for one participant: mutual score and both directional scores.

    A named tuple like :class:`Reason`, for the same reason: a run returns one per
    participant and place, built in bulk.
    """

    partner_id: int
    rank: int  # 1-based, after diversity re-ranking
    score: float  # mutual (bilateral) score in [0, 1]
    score_for_me: float  # s(me -> partner): how well the partner serves my needs
    score_for_them: float  # s(partner -> me)
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Refresh:
    """The result of re-ranking one new or edited participant against a fitted event.

    ``own`` is the participant's new top-k. ``reverse`` holds, for the best candidates,
    the suggestion of this participant as seen from the partner's side (keyed by the
    partner's id), so the service can slot the newcomer into others' lists.
    """

    own: tuple[Suggestion, ...]
    reverse: dict[int, Suggestion]
