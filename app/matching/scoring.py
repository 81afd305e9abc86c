"""Exact signals and scores for chosen pairs of participants.

For a pair (L, R) the signals are:

* ``comp_lr``: how well R's offers answer L's requests, the best cosine over all
  (L request, R offer) pairs; ``comp_rl`` the reverse;
* ``profile``: cosine of the profile vectors; ``sectors``: cosine of the sector sets;
* ``kind``: the organisation-kind table (:mod:`app.matching.kinds`);
* ``cross``: 1 when the countries differ.

Text cosines are put on a common scale per event, ``1 - exp(-x / q)``, where ``q`` is the
median best-match cosine of the event (see :func:`estimate_scales`): short and long texts give
very different raw cosines, and the weights should mean the same on both. The directional
score is the weighted mean of the signals, so it lies in [0, 1]; the mutual score is the
harmonic mean of the two directions (RECON), low whenever interest is one-sided.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.matching.config import EngineConfig
from app.matching.features import Features
from app.matching.kinds import kind_values
from app.matching.sparse import cap_columns, cartesian_blocks, pair_dots, segment_argmax, top_pairs
from app.matching.types import MatchingWeights

__all__ = ["PairScores", "PairSignals", "Scales", "estimate_scales", "pair_signals", "score"]


@dataclass(frozen=True, slots=True)
class Scales:
    """Per-event scale of the text cosines (median best match)."""

    complementarity: float = 0.3
    profile: float = 0.3


@dataclass(frozen=True, slots=True)
class PairSignals:
    """Raw signals of pairs: ``left`` rows of one table against ``right`` rows of another."""

    left: np.ndarray
    right: np.ndarray
    comp_lr: np.ndarray
    comp_rl: np.ndarray
    best_lr: tuple[np.ndarray, np.ndarray]  # (left request row, right offer row), -1 if none
    best_rl: tuple[np.ndarray, np.ndarray]  # (right request row, left offer row)
    profile: np.ndarray
    sectors: np.ndarray
    kind: np.ndarray
    cross: np.ndarray


def pair_signals(
    left: Features, right: Features, left_rows: np.ndarray, right_rows: np.ndarray, n_threads: int = 1
) -> PairSignals:
    """Compute every raw signal for the pairs ``(left_rows[i], right_rows[i])``.

    Parameters
    ----------
    left, right:
        Tables built in the same text space (they may be the same table).
    left_rows, right_rows:
        Participant rows of the pairs.
    n_threads:
        Threads for the pair products.

    Returns
    -------
    PairSignals
        One value per pair for each signal, plus the best opportunity rows per direction.

    Example
    -------
    >>> from app.matching.engine import MatchingEngine
    >>> from app.matching.types import ParticipantRecord as P
    >>> f = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar"),
    ...                           P(2, 2, "research", "BG", profile_text="solar")]).features_
    >>> s = pair_signals(f, f, np.array([0]), np.array([1]))
    >>> round(float(s.profile[0]), 3), float(s.kind[0]), bool(s.cross[0])
    (1.0, 1.0, True)
    """
    comp_lr, best_lr = _complementarity(left, right, left_rows, right_rows, n_threads)
    comp_rl, best_rl = _complementarity(right, left, right_rows, left_rows, n_threads)
    cross = _cross_border(left.country[left_rows], right.country[right_rows])
    return PairSignals(
        left_rows,
        right_rows,
        comp_lr,
        comp_rl,
        best_lr,
        best_rl,
        pair_dots(left.profile, right.profile, left_rows, right_rows, n_threads),
        pair_dots(left.sectors, right.sectors, left_rows, right_rows, n_threads),
        kind_values(left.kind[left_rows], right.kind[right_rows], cross),
        cross,
    )


def _cross_border(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    known = (left != "") & (right != "")
    return np.asarray(known & (left != right), dtype=bool)


_PAIRS_PER_BLOCK = 1 << 18  # pairs whose item combinations are expanded at once (memory)


def _complementarity(
    needs: Features, supplies: Features, need_rows: np.ndarray, supply_rows: np.ndarray, n_threads: int = 1
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Best cosine of a need's request against the supplier's offers, and which pair it was."""
    best = np.zeros(len(need_rows), dtype=np.float32)
    best_req = np.full(len(need_rows), -1, dtype=np.int64)
    best_off = np.full(len(need_rows), -1, dtype=np.int64)
    for start in range(0, len(need_rows), _PAIRS_PER_BLOCK):
        stop = min(start + _PAIRS_PER_BLOCK, len(need_rows))
        pair, req_rows, off_rows = cartesian_blocks(
            needs.req_ptr, supplies.off_ptr, need_rows[start:stop], supply_rows[start:stop]
        )
        dots = pair_dots(needs.req, supplies.off, req_rows, off_rows, n_threads)
        block_best, where = segment_argmax(pair, dots, stop - start)
        found = where >= 0
        best[start:stop] = block_best
        best_req[start:stop][found] = req_rows[where[found]]
        best_off[start:stop][found] = off_rows[where[found]]
    return best, (best_req, best_off)


@dataclass(frozen=True, slots=True)
class PairScores:
    """Scores of pairs and each signal's (weighted) part of the directional scores."""

    for_left: np.ndarray  # s(L -> R): how well R serves L
    for_right: np.ndarray  # s(R -> L)
    mutual: np.ndarray
    comp_lr: np.ndarray  # part of for_left
    comp_rl: np.ndarray  # part of for_right
    profile: np.ndarray  # parts of both directions from here on
    sectors: np.ndarray
    kind: np.ndarray
    cross: np.ndarray


def score(signals: PairSignals, weights: MatchingWeights, config: EngineConfig, scales: Scales) -> PairScores:
    """Combine raw signals into directional and mutual scores in [0, 1].

    Parameters
    ----------
    signals:
        Raw pair signals.
    weights:
        Per-event weights; they are divided by their sum, so only their ratios matter.
    config:
        Switches that turn signals off (ablations).
    scales:
        Per-event scales of the text cosines.

    Returns
    -------
    PairScores
        Directional and mutual scores plus each signal's contribution.

    Example
    -------
    >>> from app.matching.engine import MatchingEngine
    >>> from app.matching.types import ParticipantRecord as P
    >>> f = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar"),
    ...                           P(2, 2, "research", "BG", profile_text="solar")]).features_
    >>> s = score(pair_signals(f, f, np.array([0]), np.array([1])), MatchingWeights(),
    ...           EngineConfig(), Scales())
    >>> bool(s.mutual[0] == s.for_left[0] == s.for_right[0])
    True
    """
    w = _effective_weights(weights, config)
    total = sum(w) or 1.0
    w_comp, w_prof, w_sect, w_kind, w_cross = (x / total for x in w)
    comp_lr = w_comp * _calibrate(signals.comp_lr, scales.complementarity)
    comp_rl = w_comp * _calibrate(signals.comp_rl, scales.complementarity)
    profile = w_prof * _calibrate(signals.profile, scales.profile)
    sectors = w_sect * np.clip(signals.sectors.astype(np.float64), 0.0, 1.0)
    kind = w_kind * signals.kind.astype(np.float64)
    cross = w_cross * signals.cross.astype(np.float64)
    shared = profile + sectors + kind + cross
    for_left, for_right = np.clip(comp_lr + shared, 0, 1), np.clip(comp_rl + shared, 0, 1)
    return PairScores(
        for_left, for_right, harmonic_mean(for_left, for_right), comp_lr, comp_rl, profile, sectors, kind, cross
    )


def _effective_weights(weights: MatchingWeights, config: EngineConfig) -> tuple[float, float, float, float, float]:
    return (
        weights.complementarity * config.complementarity,
        weights.profile * config.profile,
        weights.sectors * config.sectors,
        weights.kind * config.kind,
        weights.cross_border_bonus * config.cross_border,
    )


def _calibrate(raw: np.ndarray, scale: float) -> np.ndarray:
    values = np.clip(raw.astype(np.float64), 0.0, None)
    return np.asarray(1.0 - np.exp(-values / max(scale, 1e-6)))


def harmonic_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise ``2ab / (a + b)``, 0 where both are 0.

    Example
    -------
    >>> harmonic_mean(np.array([0.5, 0.0, 1.0]), np.array([0.5, 0.0, 0.0])).tolist()
    [0.5, 0.0, 0.0]
    """
    total = a + b
    safe = np.where(total > 0, total, 1.0)
    return np.asarray(np.where(total > 0, 2.0 * a * b / safe, 0.0))


def estimate_scales(features: Features, config: EngineConfig, sample: int = 2000) -> Scales:
    """Median best-match cosine of a fixed sample of participants, per text signal.

    Best matches are looked up with column-capped vectors (as the candidate search does) and
    their cosines then computed exactly.

    Parameters
    ----------
    features:
        The fitted event.
    config:
        ``n_threads`` and the search caps.
    sample:
        At most this many participants, evenly spaced (deterministic).

    Returns
    -------
    Scales
        The scales; the defaults when the event has too little text to tell.

    Example
    -------
    >>> from app.matching.engine import MatchingEngine
    >>> from app.matching.types import ParticipantRecord as P
    >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar energy"),
    ...                           P(2, 2, "research", "BG", profile_text="solar power")])
    >>> 0 < e.scales_.profile < 1
    True
    """
    if features.size < 2:
        return Scales()
    cap = config.search_cap(features.size)
    profile_rows, req, off = (cap_columns(m, cap) for m in (features.profile, features.req, features.off))
    rows = np.unique(np.linspace(0, features.size - 1, min(sample, features.size)).astype(int))
    found_l, found_r, _ = top_pairs(profile_rows[rows], profile_rows.T.tocsr(), 6, config.n_threads)
    left, right = _other_organisations(features, rows[found_l], found_r)
    profile = _median_best(left, pair_dots(features.profile, features.profile, left, right, config.n_threads))
    req_rows = np.concatenate([np.arange(features.req_ptr[r], features.req_ptr[r + 1], dtype=np.int64) for r in rows])
    found_l, found_r, _ = top_pairs(req[req_rows], off.T.tocsr(), 5, config.n_threads)
    req_owner = np.repeat(np.arange(features.size, dtype=np.int64), np.diff(features.req_ptr))
    off_owner = np.repeat(np.arange(features.size, dtype=np.int64), np.diff(features.off_ptr))
    left, right = _other_organisations(features, req_owner[req_rows[found_l]], off_owner[found_r])
    comp = _median_best(left, _complementarity(features, features, left, right, config.n_threads)[0])
    default = Scales()
    return Scales(comp or default.complementarity, profile or default.profile)


def _other_organisations(features: Features, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    valid = features.org[left] != features.org[right]
    return left[valid], right[valid]


def _median_best(left: np.ndarray, values: np.ndarray) -> float:
    """Median over the ``left`` participants of their best positive value (0 if none)."""
    if len(left) == 0:
        return 0.0
    order = np.lexsort((-values, left))
    first = order[np.r_[True, left[order][1:] != left[order][:-1]]]
    best = values[first]
    best = best[best > 0]
    return float(np.median(best)) if len(best) else 0.0
