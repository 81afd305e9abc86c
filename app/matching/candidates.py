"""Candidate generation: who is worth scoring exactly, found with one sparse top-n product.

Each participant is one *query* row and one *target* row in a joint space of four blocks:

* query ``[c * needs, c * supplies, p * profile, s * sectors]``,
* target ``[supplies, needs, profile, sectors]``,

where *needs* is the sum of a participant's request vectors and *supplies* of its offer
vectors (each divided by the square root of their number). A query-target product is then

``c * (needs_A . supplies_B + supplies_A . needs_B) + p * profile_A . profile_B + s * ...``

which is symmetric in A and B and follows the sum of both directional scores: the block
weights are the event's weights over the per-event text scales (a text signal's slope at 0).
So one search finds partners that are good *both ways*, which is what the mutual (harmonic
mean) score rewards; separate searches per request and per offer mostly found one-sided
partners and needed more candidates for worse lists.

Near-universal terms are left out of the search only (see
:func:`app.matching.sparse.cap_columns`); the exact scores use the full vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from app.matching.config import EngineConfig
from app.matching.features import Features
from app.matching.scoring import Scales
from app.matching.sparse import best_first, sorted_unique, top_pairs
from app.matching.types import MatchingWeights

__all__ = ["Diversity", "SearchIndex", "all_candidate_pairs", "build_index", "candidates_of"]


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Query rows and transposed target rows of a :class:`Features` table, column-capped."""

    query: sp.csr_matrix  # participants x searched columns
    target_t: sp.csr_matrix  # searched columns x participants
    block_weights: tuple[float, float, float]  # complementarity, profile, sectors
    query_columns: np.ndarray  # joint column -> searched column (-1: capped or unused)
    max_postings: int
    org: np.ndarray  # per participant
    country: np.ndarray  # per participant: a code, -1 when unknown
    items: _ItemIndex
    features: Features
    uncapped: dict[str, sp.csr_matrix]  # built on first need: the uncapped target rows

    def uncapped_target_t(self) -> sp.csr_matrix:
        """Transposed target rows with no column left out (for the few participants whose
        searched terms are all too common to find enough partners)."""
        if "target_t" not in self.uncapped:
            _, target = _joint_rows(self.features, self.block_weights)
            self.uncapped["target_t"] = sp.csr_matrix(target.T.tocsr())
        return self.uncapped["target_t"]


@dataclass(frozen=True, slots=True)
class Diversity:
    """The per-country cap of the top ``window`` places, which the search helps to meet.

    A participant whose candidates come from too few countries to fill the window within the
    cap (fewer than ``window + slack`` admissible ones) gets a wider search, from which the
    best candidates of countries not yet full are added.
    """

    max_per_country: int
    window: int
    slack: int = 5
    widen: int = 2  # the wider search keeps widen * top_n partners


@dataclass(frozen=True, slots=True)
class _ItemIndex:
    """Requests against participants' offers and offers against their requests.

    The joint search sums a participant's requests (and offers), so one strong request-offer
    match among several items weighs less there than in the score, which takes the best
    pair; this second, small search keeps the best partners of every single item.
    """

    requests: sp.csr_matrix  # request rows, capped, over the searched columns of supplies_t
    offers: sp.csr_matrix  # offer rows, likewise for needs_t
    supplies_t: sp.csr_matrix  # searched terms x participants: sums of their offers, capped
    needs_t: sp.csr_matrix  # searched terms x participants: sums of their requests, capped
    request_columns: np.ndarray  # term -> searched column of supplies_t (-1: capped or unused)
    offer_columns: np.ndarray
    request_owner: np.ndarray
    offer_owner: np.ndarray

    def pairs(
        self,
        requests: sp.csr_matrix,
        offers: sp.csr_matrix,
        request_owner: np.ndarray,
        offer_owner: np.ndarray,
        top_n: int,
        n_threads: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(owner, participant) pairs: each item's ``top_n`` best partners."""
        rows, cols, _ = top_pairs(requests, self.supplies_t, top_n, n_threads)
        more_rows, more_cols, _ = top_pairs(offers, self.needs_t, top_n, n_threads)
        return np.r_[request_owner[rows], offer_owner[more_rows]], np.r_[cols, more_cols]


def _item_index(features: Features, cap: int) -> _ItemIndex:
    supplies = _per_participant(features.off, features.off_ptr, normalise=False)
    needs = _per_participant(features.req, features.req_ptr, normalise=False)
    requests, supplies_t, request_columns = _searched(features.req, supplies, cap)
    offers, needs_t, offer_columns = _searched(features.off, needs, cap)
    return _ItemIndex(
        requests,
        offers,
        supplies_t,
        needs_t,
        request_columns,
        offer_columns,
        _owners(features.req_ptr),
        _owners(features.off_ptr),
    )


def _searched(query: sp.csr_matrix, target: sp.csr_matrix, cap: int) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Capped query rows and transposed target rows over the columns both can still use.

    Columns used by more than ``cap`` rows are dropped on each side, and the remaining target
    columns are numbered compactly (sparse_dot_topn copies the right-hand side's row pointers
    on every call, and the joint space has over a million mostly empty columns).

    Returns
    -------
    tuple
        Query rows, transposed target rows and the query columns' map (-1: left out), which
        later single queries go through.
    """
    target_kept = _short_columns(target, cap) > 0
    used = target_kept & (np.bincount(target.indices, minlength=target.shape[1]) > 0)
    columns = np.full(target.shape[1], -1, dtype=np.int64)
    columns[used] = np.arange(int(used.sum()))
    query_columns = np.where(_short_columns(query, cap) > 0, columns, -1)
    width = max(int(used.sum()), 1)
    return (
        _move_columns(query, query_columns, width),
        sp.csr_matrix(_move_columns(target, columns, width).T.tocsr()),
        query_columns,
    )


def _move_columns(matrix: sp.csr_matrix, columns: np.ndarray, width: int) -> sp.csr_matrix:
    """``matrix`` with column j moved to ``columns[j]`` (an increasing map; -1: dropped)."""
    moved = columns[matrix.indices]
    keep = moved >= 0
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[keep]
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=matrix.shape[0]))]
    return sp.csr_matrix((matrix.data[keep], moved[keep], indptr), shape=(matrix.shape[0], width))


def _owners(ptr: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))


def build_index(features: Features, config: EngineConfig, weights: MatchingWeights, scales: Scales) -> SearchIndex:
    """Prepare the candidate search over ``features``.

    Parameters
    ----------
    features:
        The fitted participants.
    config:
        :meth:`~app.matching.config.EngineConfig.search_cap` bounds the columns' lengths;
        the signal switches drop blocks.
    weights, scales:
        The event's weights and text scales, which set the blocks' weights.

    Returns
    -------
    SearchIndex
        Capped query rows and transposed target rows, ready for sparse_dot_topn.

    Example
    -------
    >>> from app.matching.engine import MatchingEngine
    >>> from app.matching.types import ParticipantRecord as P
    >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar energy")])
    >>> e.index_.max_postings
    500
    """
    cap = config.search_cap(features.size)
    block_weights = _block_weights(weights, config, scales)
    query, target_t, query_columns = _searched(*_joint_rows(features, block_weights), cap)
    countries = np.asarray([str(c) for c in features.country.tolist()], dtype=object)
    codes = np.unique(countries, return_inverse=True)[1].astype(np.int64).reshape(-1)
    codes[countries == ""] = -1
    return SearchIndex(
        query,
        target_t,
        block_weights,
        query_columns,
        cap,
        features.org.astype(np.int64),
        codes,
        _item_index(features, cap),
        features,
        {},
    )


def _block_weights(weights: MatchingWeights, config: EngineConfig, scales: Scales) -> tuple[float, float, float]:
    """Weights of the complementarity, profile and sector blocks, relative to each other.

    The sum of both directional scores holds ``w_c * (comp_AB + comp_BA)`` once and the shared
    signals twice; text signals enter through ``1 - exp(-x / scale)``, whose slope at 0 is
    ``1 / scale``.
    """
    comp = weights.complementarity * config.complementarity / max(scales.complementarity, 1e-6)
    profile = 2.0 * weights.profile * config.profile / max(scales.profile, 1e-6)
    sectors = 2.0 * weights.sectors * config.sectors
    if comp <= 0 and profile <= 0 and sectors <= 0:  # only kinds and countries count: any
        return 1.0, 1.0, 1.0  # shared text still finds people to compare
    return float(comp), float(profile), float(sectors)


def _joint_rows(features: Features, block_weights: tuple[float, float, float]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The query and target rows of ``features`` in the joint space."""
    comp, profile, sectors = block_weights
    needs = _per_participant(features.req, features.req_ptr)
    supplies = _per_participant(features.off, features.off_ptr)
    query = sp.hstack(
        [comp * needs, comp * supplies, profile * features.profile, sectors * features.sectors],
        format="csr",
        dtype=np.float32,
    )
    target = sp.hstack([supplies, needs, features.profile, features.sectors], format="csr", dtype=np.float32)
    return sp.csr_matrix(query), sp.csr_matrix(target)


def _per_participant(rows: sp.csr_matrix, ptr: np.ndarray, normalise: bool = True) -> sp.csr_matrix:
    """Sum of each participant's rows (its block ``ptr[i]:ptr[i+1]``), over sqrt(block size)
    when ``normalise``."""
    sizes = np.diff(ptr)
    owners = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    divisor = np.sqrt(np.maximum(sizes, 1)) if normalise else np.ones(len(sizes))
    scale = (1.0 / divisor).astype(np.float32)[owners]
    grouping = sp.csr_matrix(
        (scale, (owners, np.arange(len(owners)))), shape=(len(sizes), rows.shape[0]), dtype=np.float32
    )
    return sp.csr_matrix(grouping @ rows)


def _short_columns(matrix: sp.csr_matrix, max_postings: int) -> np.ndarray:
    """0/1 per column: 1 where at most ``max_postings`` rows use the column.

    The cost of a sparse product grows with the square of each column's length, so a few
    near-universal terms dominate it while telling little about who matches whom.
    """
    postings = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return (postings <= max_postings).astype(np.float32)


def _keep_columns(matrix: sp.csr_matrix, kept: np.ndarray) -> sp.csr_matrix:
    """``matrix`` without the entries of columns where ``kept`` is 0."""
    capped = sp.csr_matrix(matrix, copy=True)
    capped.data[kept[capped.indices] == 0] = 0
    capped.eliminate_zeros()
    return capped


def all_candidate_pairs(
    index: SearchIndex,
    top_n: int,
    n_threads: int,
    diversity: Diversity | None = None,
    per_item: int = 0,
    minimum: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Unordered candidate pairs ``(i, j)``, ``i < j``, over the whole index.

    Parameters
    ----------
    index:
        The search index.
    top_n:
        Partners kept per participant (the pairs also serve the other side, so each
        participant is scored against more than ``top_n``).
    n_threads:
        Threads for sparse_dot_topn.
    diversity:
        When given, participants short of countries get a wider search (see
        :class:`Diversity`).
    per_item:
        Partners kept per request and per offer by the item search (0: none).
    minimum:
        Participants left with fewer candidates of other organisations (their searched terms
        are all too common) search again without the cap.

    Returns
    -------
    tuple
        Two int64 arrays of participant rows, sorted by ``(i, j)`` and unique.

    Example
    -------
    >>> from app.matching.engine import MatchingEngine
    >>> from app.matching.types import ParticipantRecord as P
    >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar"),
    ...                           P(2, 2, "company", "BG", profile_text="solar")])
    >>> [a.tolist() for a in all_candidate_pairs(e.index_, 5, 1)]
    [[0], [1]]
    """
    rows, cols = _search(index, index.query, np.arange(index.query.shape[0]), top_n, n_threads, diversity)
    if per_item > 0:
        items = index.items
        more_rows, more_cols = items.pairs(
            items.requests, items.offers, items.request_owner, items.offer_owner, per_item, n_threads
        )
        rows, cols = np.r_[rows, more_rows], np.r_[cols, more_cols]
    left, right = _unordered_unique(rows, cols, index.query.shape[0])
    if minimum <= 0:
        return left, right
    other = index.org[left] != index.org[right]
    found = np.bincount(np.r_[left[other], right[other]], minlength=index.query.shape[0])
    few = np.flatnonzero(found < minimum)
    if len(few) == 0:
        return left, right
    query, _ = _joint_rows(index.features.select(few), index.block_weights)
    more_rows, more_cols, _ = top_pairs(query, index.uncapped_target_t(), top_n + minimum, n_threads)
    return _unordered_unique(np.r_[left, few[more_rows]], np.r_[right, more_cols], index.query.shape[0])


def _search(
    index: SearchIndex,
    query: sp.csr_matrix,
    owners: np.ndarray,
    top_n: int,
    n_threads: int,
    diversity: Diversity | None,
) -> tuple[np.ndarray, np.ndarray]:
    """(owner, index row) candidates of the query rows (row i belongs to ``owners[i]``)."""
    # one more than asked: a participant is usually its own best match
    found, cols, values = top_pairs(query, index.target_t, top_n + 1, n_threads)
    rows = owners[found]
    if diversity is None or diversity.max_per_country <= 0 or len(rows) == 0:
        return rows, cols
    counts = _CountryCounts(index, rows, cols, values, diversity)
    short = np.flatnonzero(counts.admissible(owners) < diversity.window + diversity.slack)
    if len(short) == 0:
        return rows, cols
    # A participant's best matches often share its language and so its country; the wider
    # search leaves out the countries it already has enough of, grouped by that set.
    extra_rows, extra_cols, extra_values = [], [], []
    for full, members in counts.full_countries(owners[short]).items():
        target_t = index.target_t
        if full:
            allowed = (~np.isin(index.country, np.asarray(full))).astype(np.float32)
            target_t = _keep_columns(target_t, allowed)
        found, found_cols, found_values = top_pairs(
            sp.csr_matrix(query[short[members]]), target_t, diversity.widen * top_n, n_threads
        )
        extra_rows.append(owners[short[members][found]])
        extra_cols.append(found_cols)
        extra_values.append(found_values)
    wide_rows, wide_cols = np.concatenate(extra_rows), np.concatenate(extra_cols)
    wanted = diversity.window + diversity.slack - counts.admissible(owners[short])
    useful = counts.fills(wide_rows, wide_cols, np.concatenate(extra_values), owners[short], wanted)
    return np.r_[rows, wide_rows[useful]], np.r_[cols, wide_cols[useful]]


class _CountryCounts:
    """Per participant, how its candidates spread over countries, as the diversity caps see
    them: other organisations only, each organisation once."""

    def __init__(
        self, index: SearchIndex, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, diversity: Diversity
    ) -> None:
        self.index, self.diversity = index, diversity
        self.base = int(index.country.max(initial=0)) + 2  # codes -1.. shifted to 0..
        other = np.flatnonzero(index.org[cols] != index.org[rows])
        self.orgs, first = np.unique(self._org_keys(rows[other], cols[other]), return_index=True)
        first = other[first]
        self.keys, self.counts = np.unique(self._country_keys(rows[first], cols[first]), return_counts=True)

    def _country_keys(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.asarray(rows * self.base + self.index.country[cols] + 1)

    def _org_keys(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.asarray(rows * (int(self.index.org.max(initial=0)) + 1) + self.index.org[cols])

    def full_countries(self, owners: np.ndarray) -> dict[tuple[int, ...], np.ndarray]:
        """Positions in ``owners`` grouped by the countries each already has enough of."""
        full = (self.counts >= self.diversity.max_per_country) & (self.keys % self.base != 0)
        key_rows, codes = self.keys[full] // self.base, self.keys[full] % self.base - 1
        by_row: dict[int, list[int]] = {}
        for row, code in zip(key_rows.tolist(), codes.tolist(), strict=True):
            by_row.setdefault(row, []).append(code)
        groups: dict[tuple[int, ...], list[int]] = {}
        for position, owner in enumerate(owners.tolist()):
            groups.setdefault(tuple(by_row.get(owner, ())), []).append(position)
        return {full_set: np.asarray(members, dtype=np.int64) for full_set, members in groups.items()}

    def admissible(self, owners: np.ndarray) -> np.ndarray:
        """Per owner, candidates that fit the window's caps (unknown countries: no cap)."""
        unknown = self.keys % self.base == 0
        counted = np.where(unknown, self.counts, np.minimum(self.counts, self.diversity.max_per_country))
        size = int(max(owners.max(initial=0), (self.keys // self.base).max(initial=0))) + 1
        return np.asarray(np.bincount(self.keys // self.base, weights=counted, minlength=size)[owners])

    def fills(
        self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, owners: np.ndarray, wanted: np.ndarray
    ) -> np.ndarray:
        """Mask of the wider search's pairs that add a partner of another organisation from a
        known country still below its cap (up to the cap per country), the best ``wanted``
        per owner."""
        index = self.index
        useful = np.flatnonzero((index.org[cols] != index.org[rows]) & (index.country[cols] >= 0))
        # one partner per organisation, and none of an organisation already among the candidates
        useful = useful[best_first(rows[useful], values[useful])]
        orgs = self._org_keys(rows[useful], cols[useful])
        useful = np.sort(useful[np.unique(orgs, return_index=True)[1]])
        orgs = self._org_keys(rows[useful], cols[useful])
        seen = np.minimum(np.searchsorted(self.orgs, orgs), max(len(self.orgs) - 1, 0))
        if len(self.orgs):
            useful = useful[self.orgs[seen] != orgs]
        keys = self._country_keys(rows[useful], cols[useful])
        order = best_first(keys, values[useful])  # per (owner, country), best first
        useful, keys = useful[order], keys[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        place = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
        where = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        have = (
            np.where(self.keys[where] == keys, self.counts[where], 0)
            if len(self.keys)
            else np.zeros(len(keys), dtype=np.int64)
        )
        useful = useful[have + place < self.diversity.max_per_country]
        useful = useful[best_first(rows[useful], values[useful])]  # per owner, best first
        starts = np.flatnonzero(np.r_[True, rows[useful][1:] != rows[useful][:-1]])
        place = np.arange(len(useful)) - np.repeat(starts, np.diff(np.r_[starts, len(useful)]))
        limit = np.zeros(int(max(rows.max(initial=0), owners.max(initial=0))) + 1)
        limit[owners] = wanted
        mask = np.zeros(len(rows), dtype=bool)
        mask[useful[place < limit[rows[useful]]]] = True
        return mask


def _unordered_unique(left: np.ndarray, right: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    low, high = np.minimum(left, right), np.maximum(left, right)
    keys = sorted_unique(low[low != high] * size + high[low != high])
    return keys // size, keys % size


def candidates_of(
    index: SearchIndex,
    query: Features,
    top_n: int,
    n_threads: int = 1,
    diversity: Diversity | None = None,
    per_item: int = 0,
    minimum: int = 0,
) -> np.ndarray:
    """Rows of ``index`` worth scoring against the single participant in ``query``.

    The search score is symmetric, so these are also the participants whose own search
    would most likely have found the newcomer.

    Parameters
    ----------
    index:
        The search index of the fitted event.
    query:
        A one-participant table in the same text space.
    top_n:
        Partners kept.
    n_threads:
        Threads for sparse_dot_topn.
    diversity, per_item, minimum:
        As for :func:`all_candidate_pairs`.

    Returns
    -------
    numpy.ndarray
        Sorted unique participant rows of the index.

    Example
    -------
    >>> from app.matching.engine import MatchingEngine
    >>> from app.matching.types import ParticipantRecord as P
    >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar"),
    ...                           P(2, 2, "company", "BG", profile_text="wind")])
    >>> candidates_of(e.index_, e.features_.select(np.array([0])), 5).tolist()
    [0]
    """
    rows, _ = _joint_rows(query, index.block_weights)
    width = index.target_t.shape[0]
    # the newcomer is row n of the organisation bookkeeping
    _, found = _search(
        _with_newcomer(index, query),
        _move_columns(rows, index.query_columns, width),
        np.array([len(index.org)]),
        top_n,
        n_threads,
        diversity,
    )
    if per_item > 0:
        items = index.items
        _, more = items.pairs(
            _move_columns(query.req, items.request_columns, items.supplies_t.shape[0]),
            _move_columns(query.off, items.offer_columns, items.needs_t.shape[0]),
            _owners(query.req_ptr),
            _owners(query.off_ptr),
            per_item,
            n_threads,
        )
        found = np.r_[found, more]
    found = sorted_unique(found)
    if minimum > 0 and np.sum(index.org[found] != query.org[0]) < minimum:
        _, more, _ = top_pairs(rows, index.uncapped_target_t(), top_n + minimum, n_threads)
        found = sorted_unique(np.r_[found, more])
    return found


def _with_newcomer(index: SearchIndex, query: Features) -> SearchIndex:
    """The index's bookkeeping with the newcomer appended as the last row."""
    return SearchIndex(
        index.query,
        index.target_t,
        index.block_weights,
        index.query_columns,
        index.max_postings,
        np.r_[index.org, query.org[:1]],
        index.country,
        index.items,
        index.features,
        index.uncapped,
    )
