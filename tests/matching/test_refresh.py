"""refresh(): one participant against the fitted event, without refitting."""

from __future__ import annotations

from dataclasses import replace

from app.matching import MatchingEngine, ParticipantRecord


def _top(suggestions: tuple[object, ...], k: int = 10) -> list[int]:
    return [s.partner_id for s in suggestions[:k]]  # type: ignore[attr-defined]


def test_refresh_matches_a_full_refit_closely(event_records: list[ParticipantRecord]) -> None:
    """Tolerance: vocabulary and IDF are not refitted and the newcomer is not a candidate of
    others' searches, so lists may differ a little; on this event the top 10 overlap by at
    least 8 of 10 on average and the best partner is the same for most newcomers."""
    overlaps, same_first = [], 0
    newcomers = event_records[-10:]
    base = MatchingEngine(top_k=20).fit(event_records[:-10])
    full = MatchingEngine(top_k=20).fit(event_records).suggest_all()
    for record in newcomers:
        own = base.refresh(record).own
        expected = _top(full[record.id])
        overlaps.append(len(set(_top(own)) & set(expected)) / max(1, len(expected)))
        same_first += _top(own, 1) == expected[:1]
    assert sum(overlaps) / len(overlaps) >= 0.8
    assert same_first >= 7


def test_refresh_of_a_fitted_record_reproduces_its_list(event_records: list[ParticipantRecord]) -> None:
    engine = MatchingEngine(top_k=20).fit(event_records)
    full = engine.suggest_all()
    record = event_records[20]
    own = engine.refresh(record).own
    assert _top(own, 5) == _top(full[record.id], 5)
    assert own[0].score == full[record.id][0].score


def test_reverse_suggestions_show_the_newcomer_from_the_partner_side(event_records: list[ParticipantRecord]) -> None:
    engine = MatchingEngine(top_k=10).fit(event_records[:-1])
    engine.suggest_all()
    newcomer = event_records[-1]
    result = engine.refresh(newcomer)
    own = {s.partner_id: s for s in result.own}
    assert 0 < len(result.reverse) <= 30
    by_id = {r.id: r for r in event_records}
    for partner, suggestion in result.reverse.items():
        assert suggestion.partner_id == newcomer.id
        assert suggestion.rank >= 1
        assert by_id[partner].organisation_id != newcomer.organisation_id
        if partner in own:
            assert suggestion.score == own[partner].score
            assert suggestion.score_for_me == own[partner].score_for_them


def test_refresh_respects_exclusions_and_listing(event_records: list[ParticipantRecord]) -> None:
    engine = MatchingEngine(top_k=10).fit(event_records[:-1])
    first = engine.refresh(event_records[-1])
    blocked = next(iter(first.reverse))
    hidden = replace(event_records[-1], exclusions=frozenset({blocked}), listed=False)
    again = engine.refresh(hidden)
    assert blocked not in {s.partner_id for s in again.own}
    assert again.reverse == {}  # unlisted: nobody sees it
    assert again.own  # but it still gets suggestions


def test_refresh_updates_the_state(event_records: list[ParticipantRecord]) -> None:
    engine = MatchingEngine(top_k=10).fit(event_records[:-1])
    newcomer = event_records[-1]
    engine.refresh(newcomer)
    engine.refresh(replace(newcomer, profile_text=newcomer.profile_text + " wine"))  # an edit
    result = engine.suggest_all()
    assert newcomer.id in result and result[newcomer.id]
    seen_by_others = {s.partner_id for items in result.values() for s in items}
    assert newcomer.id in seen_by_others
    assert len(result) == len(event_records)
