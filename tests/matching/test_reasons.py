"""Reasons must explain scores that are really there."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.matching import MatchingEngine, OpportunityText, ParticipantRecord, Suggestion
from app.matching import reasons as reasons_module
from app.matching.features import opportunity_text, sector_key
from app.matching.reasons import MIN_MATCH, MIN_SHARE
from app.matching.types import Reason
from tests.matching.conftest import opportunity

Result = dict[int, tuple[Suggestion, ...]]
TYPES = {
    "request_offer",
    "offer_request",
    "shared_terms",
    "shared_sectors",
    "kind_complementarity",
    "cross_border",
    "profile_similarity",
}
OPPORTUNITY_TYPES = {"request_offer", "offer_request"}


class _Cosines:
    """Cosines of (request, offer) pairs recomputed from the texts in the fitted space, not read
    from the engine's arrays; every item is vectorised once (item ids are unique)."""

    def __init__(self, engine: MatchingEngine, records: Sequence[ParticipantRecord]) -> None:
        items = [o for r in records for o in (*r.requests, *r.offers)]
        self.row = {o.id: k for k, o in enumerate(items)}
        self.vectors = engine.space_.transform([opportunity_text(o) for o in items])
        self.floor = MIN_MATCH * engine.scales_.complementarity

    def best(self, requests: Sequence[OpportunityText], offers: Sequence[OpportunityText]) -> float:
        """The best cosine of any (request, offer) pair (0 when either list is empty)."""
        if not requests or not offers:
            return 0.0
        left = self.vectors[[self.row[o.id] for o in requests]]
        right = self.vectors[[self.row[o.id] for o in offers]]
        return float((left @ right.T).toarray().max())

    def of(self, me: ParticipantRecord, them: ParticipantRecord, reason: Reason) -> float:
        """The cosine of the (request, offer) pair an opportunity reason names."""
        if reason.type == "request_offer":
            request = next(o for o in me.requests if o.id == reason.mine_id)
            offer = next(o for o in them.offers if o.id == reason.theirs_id)
        else:
            request = next(o for o in them.requests if o.id == reason.theirs_id)
            offer = next(o for o in me.offers if o.id == reason.mine_id)
        return self.best([request], [offer])


def test_reason_types_and_weights(event_result: Result) -> None:
    for suggestions in event_result.values():
        for s in suggestions:
            assert s.reasons, "every suggestion is explained"
            for reason in s.reasons:
                assert reason.type in TYPES
                assert MIN_SHARE <= reason.weight <= 1.0
            weights = [r.weight for r in s.reasons]
            assert weights == sorted(weights, reverse=True)
            mine = sum(r.weight for r in s.reasons if r.type != "offer_request")
            assert mine <= 1.0 + 1e-3  # parts of score_for_me add up to at most the whole


def test_opportunity_reasons_name_real_items(event_records: list[ParticipantRecord], event_result: Result) -> None:
    by_id = {r.id: r for r in event_records}
    checked = 0
    for pid, suggestions in event_result.items():
        me = by_id[pid]
        for s in suggestions:
            them = by_id[s.partner_id]
            for reason in s.reasons:
                if reason.type == "request_offer":
                    mine, theirs = me.requests, them.offers
                elif reason.type == "offer_request":
                    mine, theirs = me.offers, them.requests
                else:
                    continue
                checked += 1
                assert (reason.mine_id, reason.mine) in {(o.id, o.title) for o in mine}
                assert (reason.theirs_id, reason.theirs) in {(o.id, o.title) for o in theirs}
                assert reason.terms
    assert checked > 1000


def test_shared_reasons_are_true(event_records: list[ParticipantRecord], event_result: Result) -> None:
    by_id = {r.id: r for r in event_records}
    for pid, suggestions in event_result.items():
        me = by_id[pid]
        for s in suggestions:
            them = by_id[s.partner_id]
            types = {r.type for r in s.reasons}
            if "cross_border" in types:
                assert me.country != them.country
            for reason in s.reasons:
                if reason.type == "shared_sectors":
                    assert reason.sectors
                    assert {sector_key(x) for x in reason.sectors} <= (
                        {sector_key(x) for x in me.sectors} & {sector_key(x) for x in them.sectors}
                    )


def test_request_offer_weight_matches_the_score_part(
    event_engine: MatchingEngine, event_records: list[ParticipantRecord], event_result: Result
) -> None:
    """A request_offer reason's weight is the complementarity part of score_for_me. When none
    is shown, either that part is below MIN_SHARE (the shared reasons explain the rest of the
    score) or no (my request, their offer) pair of the two is a match."""
    by_id = {r.id: r for r in event_records}
    cosines = _Cosines(event_engine, event_records)
    hidden = 0
    for pid, suggestions in event_result.items():
        for s in suggestions:
            if any(r.type == "request_offer" for r in s.reasons):
                continue
            mine = sum(r.weight for r in s.reasons if r.type != "offer_request")
            if mine == pytest.approx(1.0, abs=0.06):
                continue
            hidden += 1
            best = cosines.best(by_id[pid].requests, by_id[s.partner_id].offers)
            assert best < cosines.floor + 1e-6
    assert hidden > 0  # the floor is exercised by this event


def test_opportunity_reasons_name_a_match_on_the_event_scale(
    event_engine: MatchingEngine, event_records: list[ParticipantRecord], event_result: Result
) -> None:
    """Every named (request, offer) pair is a match: its cosine, recomputed from the texts,
    reaches MIN_MATCH times the event's scale, whatever share of the score it carries."""
    by_id = {r.id: r for r in event_records}
    cosines = _Cosines(event_engine, event_records)
    checked = 0
    for pid, suggestions in event_result.items():
        for s in suggestions:
            for reason in s.reasons:
                if reason.type not in OPPORTUNITY_TYPES:
                    continue
                assert cosines.of(by_id[pid], by_id[s.partner_id], reason) >= cosines.floor - 1e-6
                assert reason.terms
                checked += 1
    assert checked > 1000


def test_a_reason_left_out_changes_no_score(
    event_records: list[ParticipantRecord], event_result: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the floor, the same lists with the same scores come out, and the reasons are a
    superset: the extra ones are exactly the opportunity pairs below the floor."""
    engine = MatchingEngine(top_k=20).fit(event_records)
    cosines = _Cosines(engine, event_records)
    monkeypatch.setattr(reasons_module, "MIN_MATCH", 0.0)
    unfloored = engine.suggest_all()
    by_id = {r.id: r for r in event_records}
    extra = 0
    for pid, suggestions in event_result.items():
        others = unfloored[pid]
        assert [(s.partner_id, s.rank, s.score, s.score_for_me, s.score_for_them) for s in suggestions] == [
            (s.partner_id, s.rank, s.score, s.score_for_me, s.score_for_them) for s in others
        ]
        for kept, everything in zip(suggestions, others, strict=True):
            assert set(kept.reasons) <= set(everything.reasons)
            for reason in set(everything.reasons) - set(kept.reasons):
                assert reason.type in OPPORTUNITY_TYPES
                assert cosines.of(by_id[pid], by_id[kept.partner_id], reason) < cosines.floor + 1e-6
                extra += 1
    assert extra > 0


def _region_event() -> list[ParticipantRecord]:
    """The demo's odd pair in miniature: a supplier base in the West region (1) and an agency
    asking for start-up support practices in the North-West region (2) share only the region
    words; each has a real match elsewhere (3-6)."""

    def record(
        pid: int,
        kind: str,
        country: str,
        profile: str,
        offers: tuple[OpportunityText, ...] = (),
        requests: tuple[OpportunityText, ...] = (),
    ) -> ParticipantRecord:
        return ParticipantRecord(pid, pid, kind, country, profile_text=profile, offers=offers, requests=requests)

    return [
        record(
            1,
            "cluster",
            "RO",
            "Cluster auto din regiunea Vest, furnizori din Timiș și Arad.",
            offers=(
                opportunity(
                    11,
                    "Bază de furnizori auto din regiunea Vest",
                    "Contact cu furnizori de componente, injecție mase plastice, cablaje, certificați IATF 16949.",
                ),
            ),
            requests=(
                opportunity(
                    12,
                    "Tehnologii de reciclare a bateriilor litiu-ion",
                    "Căutăm parteneri care pot recicla deșeurile de baterii generate de furnizorii din regiune.",
                ),
            ),
        ),
        record(
            2,
            "public_authority",
            "RO",
            "Agenția de dezvoltare regională Nord-Vest.",
            offers=(
                opportunity(
                    21,
                    "Finanțări din Programul Regional Nord-Vest",
                    "Apeluri pentru IMM-uri, transfer tehnologic și digitalizare; reguli pentru parteneri străini.",
                ),
            ),
            requests=(
                opportunity(
                    22,
                    "Bune practici pentru sprijinirea start-up-urilor",
                    "Căutăm acceleratoare cu programe de pregătire pentru investitori, pentru regiunea Nord-Vest.",
                ),
            ),
        ),
        record(
            3,
            "company",
            "DE",
            "Battery recycling company.",
            offers=(opportunity(31, "Reciclarea bateriilor litiu-ion", "Colectăm și reciclăm baterii litiu-ion."),),
        ),
        record(
            4,
            "other",
            "ES",
            "Start-up accelerator.",
            offers=(
                opportunity(
                    41,
                    "Programe de accelerare pentru start-up-uri",
                    "Pregătire pentru investitori pentru start-up-uri.",
                ),
            ),
        ),
        record(
            5,
            "company",
            "IT",
            "Automotive OEM.",
            requests=(
                opportunity(51, "Furnizori auto de componente", "Injecție mase plastice și cablaje, IATF 16949."),
            ),
        ),
        record(
            6,
            "company",
            "FR",
            "Software SME.",
            requests=(opportunity(61, "Finanțări pentru IMM-uri", "Transfer tehnologic și digitalizare."),),
        ),
    ]


def test_shared_region_words_do_not_make_an_opportunity_reason() -> None:
    records = _region_event()
    engine = MatchingEngine(top_k=20).fit(records)
    result = engine.suggest_all()
    by_id = {r.id: r for r in records}
    cosines = _Cosines(engine, records)
    # the two do share words, a little: the pair is weak, not empty
    assert 0 < cosines.best(by_id[2].requests, by_id[1].offers) < cosines.floor
    assert 0 < cosines.best(by_id[1].requests, by_id[2].offers) < cosines.floor
    for owner, partner in ((1, 2), (2, 1)):
        suggestion = next(s for s in result[owner] if s.partner_id == partner)
        assert suggestion.reasons, "still explained, by what the two really share"
        assert not {r.type for r in suggestion.reasons} & OPPORTUNITY_TYPES
    # the real matches are still named
    named = {
        (owner, r.mine_id, r.theirs_id)
        for owner in (1, 2)
        for s in result[owner]
        for r in s.reasons
        if r.type in OPPORTUNITY_TYPES
    }
    assert {(1, 12, 31), (1, 11, 51), (2, 22, 41), (2, 21, 61)} <= named
