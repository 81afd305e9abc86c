"""Reasons must explain scores that are really there."""

from __future__ import annotations

import pytest

from app.matching import ParticipantRecord, Suggestion
from app.matching.features import sector_key
from app.matching.reasons import MIN_SHARE

Result = dict[int, tuple[Suggestion, ...]]
TYPES = {"request_offer", "offer_request", "shared_terms", "shared_sectors",
         "kind_complementarity", "cross_border", "profile_similarity"}


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


def test_opportunity_reasons_name_real_items(event_records: list[ParticipantRecord],
                                             event_result: Result) -> None:
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


def test_shared_reasons_are_true(event_records: list[ParticipantRecord],
                                 event_result: Result) -> None:
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
                        {sector_key(x) for x in me.sectors} & {sector_key(x) for x in them.sectors})


def test_request_offer_weight_matches_the_score_part(event_result: Result) -> None:
    """A request_offer reason's weight is the complementarity part of score_for_me; it
    appears exactly when that part is at least MIN_SHARE."""
    for suggestions in event_result.values():
        for s in suggestions:
            mine = sum(r.weight for r in s.reasons if r.type != "offer_request")
            if not any(r.type == "request_offer" for r in s.reasons):
                # without complementarity, what is left is explained by the shared reasons
                assert mine == pytest.approx(1.0, abs=0.06)
