"""The engine's fast paths give exactly what the plain ones give.

Each speed-up of the 5,000-participant run (numpy n-gram counting, staged scoring, the packed
ranking sort, reasons built column-wise, the collector pause) is checked here against the
straightforward computation it replaces.
"""

from __future__ import annotations

import gc
import json

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

import app.matching.engine as engine_module
from app.matching import EngineConfig, MatchingEngine, ParticipantRecord, Reason, Suggestion
from app.matching.candidates import all_candidate_pairs
from app.matching.ranking import ranking_order
from app.matching.text import char_grams

Result = dict[int, tuple[Suggestion, ...]]

VOCABULARY = [
    "digitalizare",
    "digitalisation",
    "digitalization",
    "cybersecurity",
    "învățare",
    "straße",
    "łódź",
    "日本語テキスト",
    "ab",
    "abc",
    "abcd",
    "x" * 40,
    "2025",
    "a1b2",
    "agriculture",
    "agricultura",
    "vineyards",
    "vine",
    "ai",
]


def _vectoriser_rows(terms: list[str], config: EngineConfig) -> sp.csr_matrix:
    eligible = ["" if len(w) < config.char_min_word or w.isdigit() else w for w in terms]
    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=config.char_range, sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    return sp.csr_matrix(vectoriser.fit_transform(eligible))


@pytest.mark.parametrize(
    "config",
    [
        EngineConfig(),
        EngineConfig(char_range=(2, 4), char_min_word=2),
        EngineConfig(char_range=(1, 5), char_min_word=1),
        EngineConfig(char_range=(4, 5), char_min_word=1),  # " a " is shorter than 4: vectoriser
    ],
    ids=["default", "2-4", "1-5", "4-5-short-words"],
)
@pytest.mark.parametrize("terms", [VOCABULARY, [*VOCABULARY, "two words"]], ids=["words", "with-a-space"])
def test_char_grams_are_the_vectoriser_rows_bit_for_bit(terms: list[str], config: EngineConfig) -> None:
    mine, theirs = char_grams(terms, config), _vectoriser_rows(terms, config)
    assert mine.shape == theirs.shape
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(mine, part), getattr(theirs, part)), part


def test_char_grams_of_no_eligible_word_are_empty_rows() -> None:
    assert char_grams(["", "12345", "ab"], EngineConfig()).shape == (3, 1)


def _lexsort_order(owner: np.ndarray, mutual: np.ndarray, for_me: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """The ranking order as a plain four-key lexsort (the reference)."""
    return np.lexsort((partner, -np.round(for_me, 9), -np.round(mutual, 9), owner))


@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),
            st.sampled_from([0.0, 0.25, 0.5, 0.123456789]),
            st.sampled_from([0.0, 0.3, 0.7]),
            st.integers(0, 10_000),
        ),
        max_size=60,
    )
)
def test_ranking_order_is_the_four_key_lexsort(rows: list[tuple[int, float, float, int]]) -> None:
    unique = list({(o, p): (o, m, f, p) for o, m, f, p in rows}.values())  # a partner once
    if not unique:
        return
    owner, partner = (np.asarray([u[k] for u in unique], dtype=np.int64) for k in (0, 3))
    mutual, for_me = (np.asarray([u[k] for u in unique], dtype=np.float64) for k in (1, 2))
    assert (
        ranking_order(owner, mutual, for_me, partner).tolist()
        == _lexsort_order(owner, mutual, for_me, partner).tolist()
    )


def test_staged_scoring_gives_the_one_stage_result(
    event_records: list[ParticipantRecord], event_result: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = MatchingEngine(top_k=20).fit(event_records)
    left, _ = all_candidate_pairs(engine.index_, 30, 1)
    bounds = engine_module._stage_bounds(left, engine.features_.size, engine_module._STAGES)
    assert len(bounds) > 5 and bounds[0] == 0 and bounds[-1] == len(event_records)
    for stages in (1, 3):
        monkeypatch.setattr(engine_module, "_STAGES", stages)
        assert MatchingEngine(top_k=20).fit(event_records).suggest_all() == event_result


def test_list_scores_do_not_depend_on_stages(
    event_records: list[ParticipantRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = MatchingEngine(top_k=20).fit(event_records)
    staged.suggest_all()
    monkeypatch.setattr(engine_module, "_STAGES", 1)
    single = MatchingEngine(top_k=20).fit(event_records)
    single.suggest_all()
    assert staged.list_scores_.keys() == single.list_scores_.keys()
    for owner, scores in single.list_scores_.items():
        assert staged.list_scores_[owner].tolist() == scores.tolist()


def test_a_failing_stage_fails_the_run(event_records: list[ParticipantRecord], monkeypatch: pytest.MonkeyPatch) -> None:
    engine = MatchingEngine(top_k=20).fit(event_records)
    original = MatchingEngine._score
    calls: list[int] = []

    def flaky(self: MatchingEngine, *args: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise ArithmeticError("stage 2")
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(MatchingEngine, "_score", flaky)
    with pytest.raises(ArithmeticError, match="stage 2"):
        engine.suggest_all()
    assert gc.isenabled()


def test_results_are_plain_values(event_result: Result) -> None:
    for suggestions in event_result.values():
        for s in suggestions:
            assert type(s) is Suggestion and type(s.partner_id) is int and type(s.rank) is int
            assert type(s.score) is float and type(s.score_for_me) is float
            for reason in s.reasons:
                assert type(reason) is Reason and type(reason.weight) is float
                assert reason == Reason(
                    **{**reason.to_dict(), "terms": tuple(reason.terms), "sectors": tuple(reason.sectors)}
                )
                json.dumps(reason.to_dict())


def test_paused_gc_promotes_a_large_run_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with engine_module._paused_gc():
        assert not gc.isenabled()
        kept = [(i,) for i in range(engine_module._PROMOTE_AFTER + 1000)]
    assert gc.isenabled()
    assert gc.get_count()[0] < 1000  # promoted to the oldest generation, not left young
    assert gc.get_freeze_count() == 0
    assert len(kept) > engine_module._PROMOTE_AFTER


def test_paused_gc_keeps_a_disabled_collector_and_an_applications_frozen_objects() -> None:
    gc.disable()
    try:
        with engine_module._paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with engine_module._paused_gc():
            kept = [[i] for i in range(engine_module._PROMOTE_AFTER + 1000)]  # lists: always tracked
        assert gc.get_freeze_count() >= frozen + len(kept)  # nothing unfrozen; the run's results frozen too
        assert gc.get_count()[0] < 1000  # no young objects left for the next collections to walk
        assert len(kept) > engine_module._PROMOTE_AFTER
    finally:
        gc.unfreeze()
