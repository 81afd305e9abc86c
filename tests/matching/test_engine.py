"""Engine invariants: who may be suggested, score properties, determinism, diversity."""

from __future__ import annotations

from collections import Counter

import pytest

from app.matching import (
    EngineConfig,
    MatchingEngine,
    MatchingWeights,
    ParticipantRecord,
    Suggestion,
)
from tests.matching.conftest import opportunity

Result = dict[int, tuple[Suggestion, ...]]


def test_never_self_colleague_excluded_or_unlisted(
    event_records: list[ParticipantRecord], event_result: Result
) -> None:
    by_id = {r.id: r for r in event_records}
    for pid, suggestions in event_result.items():
        me = by_id[pid]
        for s in suggestions:
            them = by_id[s.partner_id]
            assert s.partner_id != pid
            assert them.organisation_id != me.organisation_id
            assert s.partner_id not in me.exclusions and pid not in them.exclusions
            assert them.listed


def test_unlisted_participants_still_get_suggestions(
    event_records: list[ParticipantRecord], event_result: Result
) -> None:
    unlisted = [r.id for r in event_records if not r.listed]
    assert unlisted and all(event_result[pid] for pid in unlisted)


def test_every_participant_gets_top_k_and_ranks_are_consecutive(event_result: Result) -> None:
    for suggestions in event_result.values():
        assert len(suggestions) == 20
        assert [s.rank for s in suggestions] == list(range(1, 21))
        assert len({s.partner_id for s in suggestions}) == 20


def test_scores_in_unit_interval_and_mutual_is_harmonic_mean(event_result: Result) -> None:
    for suggestions in event_result.values():
        for s in suggestions:
            assert 0.0 <= s.score <= 1.0
            assert 0.0 <= s.score_for_me <= 1.0 and 0.0 <= s.score_for_them <= 1.0
            total = s.score_for_me + s.score_for_them
            expected = 2 * s.score_for_me * s.score_for_them / total if total else 0.0
            assert s.score == pytest.approx(expected, abs=2e-6)


def test_mutual_score_is_symmetric(event_result: Result) -> None:
    seen = {(pid, s.partner_id): s for pid, items in event_result.items() for s in items}
    both = [(key, s) for key, s in seen.items() if (key[1], key[0]) in seen]
    assert len(both) > 100
    for (a, b), s in both:
        other = seen[(b, a)]
        assert s.score == other.score
        assert s.score_for_me == other.score_for_them
        assert s.score_for_them == other.score_for_me


def test_deterministic_for_the_same_input(event_records: list[ParticipantRecord], event_result: Result) -> None:
    again = MatchingEngine(top_k=20).fit(event_records).suggest_all()
    assert again == event_result


def test_diversity_caps_in_the_top_ten(event_records: list[ParticipantRecord]) -> None:
    weights = MatchingWeights(max_per_organisation=1, max_per_country=2)
    config = EngineConfig(candidates_per_row=40)  # enough candidates to satisfy the caps
    result = MatchingEngine(weights, top_k=20, config=config).fit(event_records).suggest_all()
    by_id = {r.id: r for r in event_records}
    for suggestions in result.values():
        top = [by_id[s.partner_id] for s in suggestions[:10]]
        assert max(Counter(r.organisation_id for r in top).values()) <= 1
        assert max(Counter(r.country for r in top).values()) <= 2


def test_one_sided_interest_ranks_below_mutual_interest() -> None:
    need = opportunity(1, "Precision agriculture drones for vineyards")
    records = [
        ParticipantRecord(1, 1, "company", "RO", requests=(need,), offers=(opportunity(2, "Wine export to Asia"),)),
        # answers the request and also needs what 1 offers: mutual
        ParticipantRecord(
            2,
            2,
            "company",
            "BG",
            offers=(opportunity(3, "Agriculture drones"),),
            requests=(opportunity(4, "Wine exporters to Asia"),),
        ),
        # answers the request but needs something 1 does not have: one-sided
        ParticipantRecord(
            3,
            3,
            "company",
            "BG",
            offers=(opportunity(5, "Agriculture drones"),),
            requests=(opportunity(6, "Battery recycling plant"),),
        ),
    ]
    ranked = MatchingEngine(top_k=5).fit(records).suggest_all()[1]
    assert [s.partner_id for s in ranked] == [2, 3]
    assert ranked[0].score > ranked[1].score


def test_progress_is_reported_from_zero_to_one(event_records: list[ParticipantRecord]) -> None:
    seen: list[float] = []
    MatchingEngine(top_k=5).fit(event_records[:40]).suggest_all(seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_empty_and_tiny_events() -> None:
    assert MatchingEngine().fit([]).suggest_all() == {}
    lone = ParticipantRecord(1, 1, "company", "RO")
    assert MatchingEngine().fit([lone]).suggest_all() == {1: ()}
    colleagues = [lone, ParticipantRecord(2, 1, "company", "RO", profile_text="x")]
    assert MatchingEngine().fit(colleagues).suggest_all() == {1: (), 2: ()}


def test_duplicate_ids_are_rejected() -> None:
    record = ParticipantRecord(1, 1, "company", "RO")
    with pytest.raises(ValueError, match="unique"):
        MatchingEngine().fit([record, record])


def test_refresh_before_fit_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        MatchingEngine().refresh(ParticipantRecord(1, 1, "company", "RO"))
