"""The matching engine: fit an event, rank everyone's partners, refresh one participant.

Pipeline (see ``bench/README-matching.md`` for figures):

1. ``fit``: one text space for the event (:mod:`app.matching.text`), every participant as
   vectors (:mod:`app.matching.features`), the per-event scales and a candidate search index
   weighted like the score.
2. ``suggest_all``: candidates from sparse top-n products (:mod:`app.matching.candidates`:
   one joint search for partners good both ways, a small per-item search, a wider search for
   participants whose candidates cannot fill the diversity window), exact signals and scores
   for those pairs only (:mod:`app.matching.scoring`), a stable ranking with diversity caps
   (:mod:`app.matching.ranking`), reasons for what is returned (:mod:`app.matching.reasons`).
3. ``refresh``: the same for one new or edited participant against the fitted event, without
   refitting the vocabulary or IDF.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import partial
from typing import Any, Self, TypeVar

import numpy as np

from app.matching.candidates import (
    Diversity,
    SearchIndex,
    all_candidate_pairs,
    build_index,
    candidates_of,
)
from app.matching.config import DEFAULT_CONFIG, EngineConfig
from app.matching.features import Features, build_features, event_texts
from app.matching.ranking import DIVERSITY_WINDOW, diversify, ranking_order
from app.matching.reasons import Explained, explain
from app.matching.scoring import PairScores, PairSignals, estimate_scales, pair_signals
from app.matching.scoring import score as score_pairs
from app.matching.text import fit_text_space
from app.matching.types import MatchingWeights, ParticipantRecord, Reason, Refresh, Suggestion

__all__ = ["DEFAULT_WEIGHTS", "ENGINE_VERSION", "MatchingEngine"]

ENGINE_VERSION = "tfidf-soft-1.1"  # 1.1: joint candidate search (different, better pools)
# The contract's weights. A complementarity-heavier set (0.7/0.1/0.05/0.1/0.05) scored better
# on the synthetic development set, whose labels are complementarity-only by construction,
# and slightly worse on the independent evaluation set; see bench/README-matching.md.
DEFAULT_WEIGHTS = MatchingWeights()
Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class _Scored:
    """Scored pairs between two tables (``left`` rows against ``right`` rows)."""

    left: Features
    right: Features
    signals: PairSignals
    scores: PairScores


class MatchingEngine:
    """Bilateral, explained partner suggestions for the participants of one event.

    Parameters
    ----------
    weights:
        How the signals add up (per event).
    top_k:
        Suggestions per participant.
    config:
        Text handling, candidate search and signal switches (defaults are the shipped engine;
        the quality benchmark uses the switches for its ablations).

    Example
    -------
    >>> from app.matching.types import OpportunityText as O, ParticipantRecord as P
    >>> a = P(1, 10, "company", "RO", requests=(O(1, "Cybersecurity audit"),))
    >>> b = P(2, 20, "research", "BG", offers=(O(2, "Security audits and cybersecurity"),))
    >>> MatchingEngine(top_k=5).fit([a, b]).suggest_all()[1][0].partner_id
    2
    """

    def __init__(
        self, weights: MatchingWeights = DEFAULT_WEIGHTS, top_k: int = 20, *, config: EngineConfig = DEFAULT_CONFIG
    ) -> None:
        self.weights = weights
        self.top_k = top_k
        self.config = config

    # ---------------------------------------------------------------- fit

    def fit(self, records: Sequence[ParticipantRecord]) -> Self:
        """Learn the event's text space and index its participants.

        Parameters
        ----------
        records:
            Every participant of the event (ids unique).

        Returns
        -------
        MatchingEngine
            ``self``, fitted (``space_``, ``features_``, ``index_``, ``scales_``).

        Example
        -------
        >>> from app.matching.types import ParticipantRecord as P
        >>> MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="wine")]).features_.size
        1
        """
        ids = [r.id for r in records]
        if len(set(ids)) != len(ids):
            raise ValueError("participant ids must be unique")
        with _paused_gc():
            self._fit(records)
        return self

    def _fit(self, records: Sequence[ParticipantRecord]) -> None:
        texts = event_texts(records)
        self.space_, vectors = fit_text_space(texts.texts, self.config, texts.owners, texts.n_profiles)
        features = build_features(records, texts, vectors)
        self.scales_ = estimate_scales(features, self.config)
        self._install(features)

    def _install(self, features: Features) -> None:
        """Make ``features`` the indexed base table; forget refreshed extras."""
        self.features_ = features
        self.index_: SearchIndex = build_index(features, self.config, self.weights, self.scales_)
        self.alive_ = np.ones(features.size, dtype=bool)
        self.extras_: Features | None = None
        self.row_of_: dict[int, int] = {int(i): row for row, i in enumerate(features.ids)}
        self.list_scores_: dict[int, np.ndarray] = {}

    def _check_fitted(self) -> None:
        if not hasattr(self, "features_"):
            raise RuntimeError("call fit() first")

    # ---------------------------------------------------------------- suggest_all

    def suggest_all(self, progress: Progress | None = None) -> dict[int, tuple[Suggestion, ...]]:
        """Every participant's ``top_k`` partners, best first.

        Parameters
        ----------
        progress:
            Called with the share of work done, from 0.0 to 1.0.

        Returns
        -------
        dict
            Participant id -> its suggestions (possibly empty).

        Example
        -------
        >>> from app.matching.types import ParticipantRecord as P
        >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar parks"),
        ...                           P(2, 2, "company", "BG", profile_text="solar panels")])
        >>> [s.partner_id for s in e.suggest_all()[1]]
        [2]
        """
        self._check_fitted()
        with _paused_gc():
            return self._suggest_all(progress or (lambda _: None))

    def _suggest_all(self, report: Progress) -> dict[int, tuple[Suggestion, ...]]:
        report(0.0)
        self._consolidate()
        features = self.features_
        left, right = all_candidate_pairs(
            self.index_, self._per_row(), self.config.n_threads, self._diversity(), self._per_item(), self.top_k
        )
        left, right = self._keep_allowed(features, left, right)
        report(0.3)
        lists = self._rank_in_stages(features, left, right, report)
        report(1.0)
        return {int(i): lists.get(int(i), ()) for i in features.ids.tolist()}

    def candidate_pairs(self) -> list[tuple[int, int]]:
        """The unordered participant-id pairs ``suggest_all`` would score (a diagnostic: the
        quality benchmark compares them with an exhaustive ranking).

        Example
        -------
        >>> from app.matching.types import ParticipantRecord as P
        >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar parks"),
        ...                           P(2, 2, "company", "BG", profile_text="solar panels")])
        >>> e.candidate_pairs()
        [(1, 2)]
        """
        self._check_fitted()
        self._consolidate()
        left, right = all_candidate_pairs(
            self.index_, self._per_row(), self.config.n_threads, self._diversity(), self._per_item(), self.top_k
        )
        left, right = self._keep_allowed(self.features_, left, right)
        ids = self.features_.ids
        return list(zip(ids[left].tolist(), ids[right].tolist(), strict=True))

    def _per_row(self) -> int:
        return self.config.candidates_per_row

    def _per_item(self) -> int:
        return self.config.candidates_per_item if self.config.complementarity else 0

    def _diversity(self) -> Diversity | None:
        if not self.config.diversity:
            return None
        return Diversity(self.weights.max_per_country, DIVERSITY_WINDOW)

    def _consolidate(self) -> None:
        """Fold refreshed participants into the base table (vocabulary and IDF unchanged)."""
        if self.extras_ is None and self.alive_.all():
            return
        base = self.features_.select(np.flatnonzero(self.alive_))
        scores = self.list_scores_
        self._install(base if self.extras_ is None else base.append(self.extras_))
        self.list_scores_ = scores

    def _keep_allowed(self, features: Features, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Drop pairs that neither side may see (same organisation, exclusions)."""
        keep = features.org[left] != features.org[right]
        keep &= ~_excluded(features, left, right)
        keep &= features.listed[left] | features.listed[right]
        return left[keep], right[keep]

    def _score(self, left: Features, right: Features, left_rows: np.ndarray, right_rows: np.ndarray) -> _Scored:
        signals = pair_signals(left, right, left_rows, right_rows, self.config.n_threads)
        return _Scored(left, right, signals, score_pairs(signals, self.weights, self.config, self.scales_))

    def _rank_in_stages(
        self, features: Features, left: np.ndarray, right: np.ndarray, report: Progress
    ) -> dict[int, tuple[Suggestion, ...]]:
        """Score the pairs in stages, and rank each stage's owners while later ones are scored.

        The pairs come sorted by their first row (``left < right``), so once the pairs whose
        first row is below ``b`` are scored, every participant below ``b`` has all its pairs.
        A worker thread scores the stages in order (the sparse products release the GIL)
        while this thread ranks and explains the participants whose pairs are complete
        (mostly Python): the two halves of the run overlap on two cores. Each owner is ranked
        from the same entries as if everything were scored first, so results do not depend
        on the stages.
        """
        bounds = _stage_bounds(left, features.size, _STAGES)
        cuts = np.searchsorted(left, bounds).tolist()
        id_rank = np.empty(features.size, dtype=np.int64)
        id_rank[np.argsort(features.ids, kind="stable")] = np.arange(features.size)
        caps = _diversity_caps(features, self.weights)
        lists: dict[int, tuple[Suggestion, ...]] = {}
        self.list_scores_ = {}
        pool = ThreadPoolExecutor(max_workers=1)
        try:
            stages = [
                pool.submit(self._score, features, features, left[a:b], right[a:b])
                for a, b in zip(cuts[:-1], cuts[1:], strict=True)
            ]
            pending: _Scored | None = None
            for k, stage in enumerate(stages):
                scored = stage.result() if pending is None else _joined(pending, stage.result())
                low, high = int(bounds[k]), int(bounds[k + 1])
                picked = self._rank_owners(scored, low, high, id_rank, caps)
                lists.update(self._suggestions(picked))
                self.list_scores_.update(_scores_by_owner(features.ids[picked.owner], picked.mutual))
                pending = _taken(scored, np.flatnonzero(scored.signals.right >= high))
                report(0.3 + 0.7 * (k + 1) / len(stages))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return lists

    def _rank_owners(self, scored: _Scored, low: int, high: int, id_rank: np.ndarray, caps: _Caps) -> _Directed:
        """The chosen entries, in final order, of the owners in rows ``low..high-1`` (their
        pairs are all in ``scored``)."""
        signals = scored.signals
        as_left = np.flatnonzero((signals.left >= low) & (signals.left < high))
        as_right = np.flatnonzero((signals.right >= low) & (signals.right < high))
        entries = _Directed(
            scored,
            np.r_[as_left, as_right],
            np.r_[np.zeros(len(as_left), dtype=bool), np.ones(len(as_right), dtype=bool)],
        )
        features = scored.left
        entries = entries.subset(np.flatnonzero(features.listed[entries.partner]))
        order = ranking_order(entries.owner, entries.mutual, entries.for_me, id_rank[entries.partner])
        entries = entries.subset(order)
        return entries.subset(self._choose(entries, features, caps))

    def _choose(self, entries: _Directed, features: Features, caps: _Caps) -> np.ndarray:
        """Per owner, the entries kept after diversity re-ranking (in final order).

        Most owners' best ``DIVERSITY_WINDOW`` entries already respect the caps, and then
        the re-ranking keeps their order: only the others go through :func:`diversify`.
        """
        owner = entries.owner
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        sizes = np.diff(np.r_[starts, len(owner)])
        place = np.arange(len(owner)) - np.repeat(starts, sizes)
        conflict = np.zeros(len(starts), dtype=bool)
        if self.config.diversity:
            conflict = _window_conflicts(entries.partner, place, caps, np.repeat(np.arange(len(starts)), sizes))
        group = np.repeat(np.arange(len(starts)), sizes)
        chosen = [np.flatnonzero(~conflict[group] & (place < self.top_k))]
        org, country = features.org, features.country
        redone = np.flatnonzero(conflict)
        for g in redone.tolist():
            start, stop = int(starts[g]), int(starts[g] + sizes[g])
            window = entries.partner[start:stop]
            order = diversify(
                org[window].tolist(),
                country[window].tolist(),
                self.weights.max_per_organisation,
                self.weights.max_per_country,
            )
            chosen.append(start + np.asarray(order[: self.top_k], dtype=np.int64))
        picked = np.concatenate(chosen)
        return picked[np.argsort(group[picked], kind="stable")]  # owners in order

    def _suggestions(self, entries: _Directed) -> dict[int, tuple[Suggestion, ...]]:
        """Suggestion objects (with reasons) for entries already in final order per owner."""
        made = self._suggestion_list(entries)
        if not made:
            return {}
        owners = entries.mine.ids[entries.owner]
        by_owner = np.argsort(owners, kind="stable")
        sorted_owners = owners[by_owner]
        starts = np.flatnonzero(np.r_[True, sorted_owners[1:] != sorted_owners[:-1]])
        ordered = list(map(made.__getitem__, by_owner.tolist()))
        bounds = np.r_[starts, len(owners)].tolist()
        return {
            owner: tuple(ordered[bounds[k] : bounds[k + 1]]) for k, owner in enumerate(sorted_owners[starts].tolist())
        }

    def _suggestion_list(self, entries: _Directed) -> list[Suggestion]:
        """One suggestion per entry, in entry order; rank = place among the owner's entries."""
        if len(entries.owner) == 0:
            return []
        reasons = explain(entries.explained(), self.space_.terms, self.scales_.complementarity, self.config.n_threads)
        owners = entries.mine.ids[entries.owner]
        by_owner = np.argsort(owners, kind="stable")
        sorted_owners = owners[by_owner]
        starts = np.flatnonzero(np.r_[True, sorted_owners[1:] != sorted_owners[:-1]])
        sizes = np.diff(np.r_[starts, len(owners)])
        ranks = np.empty(len(owners), dtype=np.int64)
        ranks[by_owner] = np.arange(len(owners)) - np.repeat(starts, sizes) + 1
        return list(
            map(
                _NEW_SUGGESTION,
                zip(
                    entries.theirs.ids[entries.partner].tolist(),
                    ranks.tolist(),
                    *(np.round(a, 6).tolist() for a in (entries.mutual, entries.for_me, entries.for_them)),
                    reasons,
                    strict=True,
                ),
            )
        )

    # ---------------------------------------------------------------- refresh

    def refresh(self, record: ParticipantRecord) -> Refresh:
        """Rank one new or edited participant against the fitted event, without refitting.

        The vocabulary and IDF stay those of ``fit`` (words unknown to the event are ignored),
        so the result can differ slightly from a full refit; see the tests for the tolerance.
        The record then replaces any earlier version with the same id in the engine's state:
        later ``refresh`` and ``suggest_all`` calls include it.

        Parameters
        ----------
        record:
            The participant.

        Returns
        -------
        Refresh
            Its own ``top_k`` and, for up to ``3 * top_k`` best partners, the suggestion of
            this participant as seen from their side. A reverse suggestion's ``rank`` is the
            place it would take by score in that partner's last list known to the engine
            (from ``suggest_all`` or earlier refreshes; 1 when none is known).

        Example
        -------
        >>> from app.matching.types import ParticipantRecord as P
        >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar parks"),
        ...                           P(2, 2, "company", "BG", profile_text="wind farms")])
        >>> r = e.refresh(P(3, 3, "research", "IT", profile_text="solar panels research"))
        >>> [s.partner_id for s in r.own], sorted(r.reverse)
        ([1], [1])
        """
        self._check_fitted()
        with _paused_gc():
            return self._refresh(record)

    def _refresh(self, record: ParticipantRecord) -> Refresh:
        texts = event_texts([record])
        plain = texts.n_profiles if not self.config.char_profiles else 0
        query = build_features([record], texts, self.space_.transform(texts.texts, plain))
        self._forget(record.id)
        parts = [self._score_against_base(query)]
        if self.extras_ is not None:
            parts.append(
                self._score(query, self.extras_, np.zeros(self.extras_.size, np.int64), np.arange(self.extras_.size))
            )
        own = self._own_list(parts)
        reverse = self._reverse(parts, query)
        self.extras_ = query if self.extras_ is None else self.extras_.append(query)
        return Refresh(own, reverse)

    def _forget(self, participant_id: int) -> None:
        """Drop an earlier version of a participant from the base table or the extras."""
        row = self.row_of_.pop(participant_id, None)
        if row is not None:
            self.alive_[row] = False
        if self.extras_ is not None and participant_id in set(self.extras_.ids.tolist()):
            keep = np.flatnonzero(self.extras_.ids != participant_id)
            self.extras_ = self.extras_.select(keep) if len(keep) else None

    def _score_against_base(self, query: Features) -> _Scored:
        rows = candidates_of(
            self.index_, query, self._per_row(), self.config.n_threads, self._diversity(), self._per_item(), self.top_k
        )
        rows = rows[self.alive_[rows]]
        return self._score(query, self.features_, np.zeros(len(rows), np.int64), rows)

    def _own_list(self, parts: list[_Scored]) -> tuple[Suggestion, ...]:
        ranked: list[tuple[float, float, int, int, int]] = []
        for p, part in enumerate(parts):
            rows = part.signals.right
            allowed = _allowed_for(part.left, 0, part.right, rows)
            for i in np.flatnonzero(allowed).tolist():
                ranked.append(
                    (
                        -round(float(part.scores.mutual[i]), 9),
                        -round(float(part.scores.for_left[i]), 9),
                        int(part.right.ids[rows[i]]),
                        p,
                        i,
                    )
                )
        ranked.sort()
        chosen = self._diversified(parts, [(p, i) for *_, p, i in ranked])
        return self._materialise(parts, chosen, side=False)

    def _diversified(self, parts: list[_Scored], ranked: list[tuple[int, int]]) -> list[tuple[int, int]]:
        window = ranked[: self.top_k + 3 * DIVERSITY_WINDOW]
        if not self.config.diversity:
            return window[: self.top_k]
        orgs = [int(parts[p].right.org[parts[p].signals.right[i]]) for p, i in window]
        countries = [str(parts[p].right.country[parts[p].signals.right[i]]) for p, i in window]
        order = diversify(orgs, countries, self.weights.max_per_organisation, self.weights.max_per_country)
        return [window[k] for k in order[: self.top_k]]

    def _materialise(self, parts: list[_Scored], chosen: list[tuple[int, int]], side: bool) -> tuple[Suggestion, ...]:
        """Suggestions for ``chosen`` (part, pair) entries, in that order, from one side."""
        built = self._built(parts, chosen, side)
        return tuple(
            _suggestion(s.partner_id, rank, s.score, s.score_for_me, s.score_for_them, s.reasons)
            for rank, s in enumerate((built[key] for key in chosen), start=1)
        )

    def _built(
        self, parts: list[_Scored], chosen: list[tuple[int, int]], side: bool
    ) -> dict[tuple[int, int], Suggestion]:
        """Suggestions for (part, pair) entries from one side: one batch per part."""
        built: dict[tuple[int, int], Suggestion] = {}
        for p, part in enumerate(parts):
            picked = [i for q, i in chosen if q == p]
            if picked:
                entries = _Directed(part, np.asarray(picked, dtype=np.int64), np.full(len(picked), side))
                built.update(zip(((p, i) for i in picked), self._suggestion_list(entries), strict=True))
        return built

    def _reverse(self, parts: list[_Scored], query: Features) -> dict[int, Suggestion]:
        """The newcomer as seen by its best ``3 * top_k`` partners that may see it."""
        ranked: list[tuple[float, int, int, int]] = []
        for p, part in enumerate(parts):
            rows = part.signals.right
            allowed = _allowed_for(part.right, rows, part.left, np.zeros(len(rows), np.int64))
            for i in np.flatnonzero(allowed).tolist():
                ranked.append((-round(float(part.scores.mutual[i]), 9), int(part.right.ids[rows[i]]), p, i))
        ranked.sort()
        chosen = ranked[: 3 * self.top_k]
        built = self._built(parts, [(p, i) for *_, p, i in chosen], side=True)
        return {partner: self._place(partner, built[(p, i)]) for _, partner, p, i in chosen}

    def _place(self, partner: int, suggestion: Suggestion) -> Suggestion:
        """Give a reverse suggestion its rank in the partner's last known list, and record it."""
        known = self.list_scores_.get(partner, np.zeros(0))
        rank = 1 + int(np.sum(known > suggestion.score))
        if rank <= self.top_k:
            self.list_scores_[partner] = np.sort(np.r_[known, suggestion.score])[::-1][: self.top_k]
        return _suggestion(
            suggestion.partner_id,
            rank,
            suggestion.score,
            suggestion.score_for_me,
            suggestion.score_for_them,
            suggestion.reasons,
        )


class _Directed:
    """Directed entries over scored pairs: ``side`` False = the left participant's view."""

    def __init__(self, scored: _Scored, pair: np.ndarray, side: np.ndarray) -> None:
        self.scored, self.pair, self.side = scored, pair, side
        s, sig = scored.scores, scored.signals
        self.owner = np.where(side, sig.right[pair], sig.left[pair])
        self.partner = np.where(side, sig.left[pair], sig.right[pair])
        self.mutual = s.mutual[pair]
        self.for_me = np.where(side, s.for_right[pair], s.for_left[pair])
        self.for_them = np.where(side, s.for_left[pair], s.for_right[pair])

    @property
    def mine(self) -> Features:
        return self.scored.right if self.side.any() else self.scored.left

    @property
    def theirs(self) -> Features:
        return self.scored.left if self.side.any() else self.scored.right

    def subset(self, index: np.ndarray) -> _Directed:
        return _Directed(self.scored, self.pair[index], self.side[index])

    def explained(self) -> Explained:
        s, sig, p, side = self.scored.scores, self.scored.signals, self.pair, self.side
        return Explained(
            self.mine,
            self.theirs,
            self.owner,
            self.partner,
            self.for_me,
            self.for_them,
            np.where(side, s.comp_rl[p], s.comp_lr[p]),
            np.where(side, s.comp_lr[p], s.comp_rl[p]),
            np.where(side, sig.comp_rl[p], sig.comp_lr[p]),  # my request's match
            np.where(side, sig.comp_lr[p], sig.comp_rl[p]),  # their request's match
            s.profile[p],
            s.sectors[p],
            s.kind[p],
            s.cross[p],
            np.where(side, sig.best_rl[0][p], sig.best_lr[0][p]),  # my request
            np.where(side, sig.best_rl[1][p], sig.best_lr[1][p]),  # their offer
            np.where(side, sig.best_lr[0][p], sig.best_rl[0][p]),  # their request
            np.where(side, sig.best_lr[1][p], sig.best_rl[1][p]),
        )  # my offer


_NEW_SUGGESTION = partial(tuple.__new__, Suggestion)


def _suggestion(
    partner: int, rank: int, score: float, for_me: float, for_them: float, reasons: tuple[Reason, ...]
) -> Suggestion:
    """``Suggestion(...)`` built in C: equal to one built by its constructor."""
    return _NEW_SUGGESTION((partner, rank, score, for_me, for_them, reasons))


def _scores_by_owner(owners: np.ndarray, mutual: np.ndarray) -> dict[int, np.ndarray]:
    """Each owner's list scores (rounded as in its suggestions), in list order."""
    if len(owners) == 0:
        return {}
    by_owner = np.argsort(owners, kind="stable")
    sorted_owners = owners[by_owner]
    starts = np.flatnonzero(np.r_[True, sorted_owners[1:] != sorted_owners[:-1]])
    parts = np.split(np.round(mutual[by_owner], 6), starts[1:])
    return dict(zip(sorted_owners[starts].tolist(), parts, strict=True))


_PROMOTE_AFTER = 100_000  # tracked objects a paused run must leave behind to be promoted


_STAGES = 8  # scoring stages of suggest_all (see MatchingEngine._rank_in_stages)


def _stage_bounds(left: np.ndarray, size: int, stages: int) -> np.ndarray:
    """Row bounds ``0 = b0 < b1 < ... = size`` of about equal stages of work.

    A stage's scoring grows with its pairs (those whose first row is in the stage: many for
    low rows), its ranking with its participants; each stage gets about an equal share of
    both together, so the first stage (scored before anything can overlap) and the last
    (ranked after everything is scored) are both small.
    """
    if size == 0 or len(left) == 0:
        return np.array([0, size], dtype=np.int64)
    work = np.bincount(left, minlength=size) / len(left) + 1.0 / size
    done = np.cumsum(work)
    inner = np.searchsorted(done, np.linspace(0, done[-1], stages + 1)[1:-1], side="right")
    return np.unique(np.r_[0, inner[(inner > 0) & (inner < size)], size]).astype(np.int64)


_Arrays = TypeVar("_Arrays", PairSignals, PairScores)


def _taken(scored: _Scored, index: np.ndarray) -> _Scored:
    """The pairs at ``index`` of ``scored``."""
    return _Scored(scored.left, scored.right, _take(scored.signals, index), _take(scored.scores, index))


def _joined(first: _Scored, second: _Scored) -> _Scored:
    """The pairs of ``first`` followed by those of ``second`` (same tables)."""
    return _Scored(first.left, first.right, _join(first.signals, second.signals), _join(first.scores, second.scores))


def _take(arrays: _Arrays, index: np.ndarray) -> _Arrays:
    values: dict[str, Any] = {}
    for name in (f.name for f in fields(arrays)):
        value = getattr(arrays, name)
        values[name] = tuple(v[index] for v in value) if isinstance(value, tuple) else value[index]
    return type(arrays)(**values)


def _join(first: _Arrays, second: _Arrays) -> _Arrays:
    values: dict[str, Any] = {}
    for name in (f.name for f in fields(first)):
        a, b = getattr(first, name), getattr(second, name)
        values[name] = tuple(np.r_[x, y] for x, y in zip(a, b, strict=True)) if isinstance(a, tuple) else np.r_[a, b]
    return type(first)(**values)


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a run builds many small acyclic objects.

    Hundreds of thousands of tokens, suggestions and reasons would otherwise trigger
    repeated full collections over a growing heap (measured: more than half of the time of
    ``suggest_all``). They hold no reference cycles, so nothing is lost; reference counting
    still frees memory, and the collector's previous state is restored.

    A large run leaves its results as young objects, and re-enabling the collector would
    walk all of them at the next allocation (about 0.3 s for a 5,000-participant event) to
    find no garbage: they are long-lived results. So after such a run the young objects are
    promoted to the oldest generation first (``gc.freeze`` then ``gc.unfreeze``, which moves
    lists, not objects), where the next full collection sees them if they are still alive.

    A serving process has frozen its start-up heap (``app.heap.settle``), and ``gc.unfreeze`` would
    thaw that too. There a full collection runs instead (one walk, which also frees what requests
    served during the run left in cycles) and then freezes the survivors, so later collections walk
    neither the run's results nor the caches filled so far; acyclic ones are still freed by reference
    counting when dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > _PROMOTE_AFTER:
                if gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                else:
                    gc.collect()
                    gc.freeze()
            gc.enable()


_Caps = list[tuple[np.ndarray, np.ndarray | None, int]]


def _diversity_caps(features: Features, weights: MatchingWeights) -> _Caps:
    """Per capped attribute (organisation, country): a code per participant, which
    participants are never capped (no country), and the cap."""
    return [
        (np.unique(features.org, return_inverse=True)[1].reshape(-1), None, weights.max_per_organisation),
        (*_country_codes(features), weights.max_per_country),
    ]


def _window_conflicts(partner: np.ndarray, place: np.ndarray, caps: _Caps, group: np.ndarray) -> np.ndarray:
    """Per owner group: do its first ``DIVERSITY_WINDOW`` entries break a diversity cap?"""
    first = place < DIVERSITY_WINDOW
    conflict = np.zeros(int(group.max(initial=-1)) + 1, dtype=bool)
    for codes, uncapped, cap in caps:
        if cap <= 0:
            continue
        partners = partner[first]
        keep = np.ones(len(partners), dtype=bool) if uncapped is None else ~uncapped[partners]
        keys = group[first][keep] * (int(codes.max(initial=0)) + 1) + codes[partners[keep]]
        values, counts = np.unique(keys, return_counts=True)
        conflict[values[counts > cap] // (int(codes.max(initial=0)) + 1)] = True
    return conflict


def _country_codes(features: Features) -> tuple[np.ndarray, np.ndarray]:
    """A code per participant's country, and which participants have none (never capped)."""
    countries = np.asarray([str(c) for c in features.country.tolist()], dtype=object)
    codes = np.unique(countries, return_inverse=True)[1].reshape(-1)
    return codes, np.asarray(countries == "", dtype=bool)


def _excluded(features: Features, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Pairs where either side excluded the other."""
    size = features.size
    row_of = {int(i): row for row, i in enumerate(features.ids)}
    keys = []
    for row, record in enumerate(features.records):
        for other in record.exclusions:
            partner = row_of.get(other)
            if partner is not None:
                keys.append(min(row, partner) * size + max(row, partner))
    if not keys:
        return np.zeros(len(left), dtype=bool)
    pair_keys = np.minimum(left, right) * size + np.maximum(left, right)
    return np.isin(pair_keys, np.asarray(keys, dtype=np.int64))


def _allowed_for(
    owner: Features, owner_rows: np.ndarray | int, partner: Features, partner_rows: np.ndarray
) -> np.ndarray:
    """May each partner appear in the owner's list? (listed, other organisation, not excluded)."""
    owner_rows = np.broadcast_to(np.asarray(owner_rows), partner_rows.shape)
    allowed = np.asarray(
        partner.listed[partner_rows] & (owner.org[owner_rows] != partner.org[partner_rows]), dtype=bool
    )
    for k, (o, p) in enumerate(zip(owner_rows.tolist(), partner_rows.tolist(), strict=True)):
        me, them = owner.records[o], partner.records[p]
        if them.id in me.exclusions or me.id in them.exclusions or me.id == them.id:
            allowed[k] = False
    return allowed
