"""Candidate generation: who is worth scoring exactly, found with sparse top-n products.

For every participant the union of three lists is kept: the partners whose offers best answer
one of its requests, those whose requests its offers best answer, and those with the most
similar profile. Near-universal terms are left out of these searches only (see
:func:`app.matching.sparse.cap_columns`); the exact scores use the full vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from app.matching.config import EngineConfig
from app.matching.features import Features
from app.matching.sparse import cap_columns, top_pairs

__all__ = ["SearchIndex", "all_candidate_pairs", "build_index", "candidates_of"]


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Column-capped vectors of a :class:`Features` table, with their transposes."""

    profile: sp.csr_matrix
    profile_t: sp.csr_matrix
    req: sp.csr_matrix
    req_t: sp.csr_matrix
    off: sp.csr_matrix
    off_t: sp.csr_matrix
    req_owner: np.ndarray
    off_owner: np.ndarray
    max_postings: int


def build_index(features: Features, config: EngineConfig) -> SearchIndex:
    """Prepare the candidate search over ``features``.

    Parameters
    ----------
    features:
        The fitted participants.
    config:
        ``search_max_df`` and ``search_min_postings`` bound the columns' lengths.

    Returns
    -------
    SearchIndex
        Capped matrices and their transposes (CSR), ready for sparse_dot_topn.

    Example
    -------
    >>> from app.matching.engine import MatchingEngine
    >>> from app.matching.types import ParticipantRecord as P
    >>> e = MatchingEngine().fit([P(1, 1, "company", "RO", profile_text="solar energy")])
    >>> build_index(e.features_, EngineConfig()).max_postings
    500
    """
    cap = max(config.search_min_postings, int(config.search_max_df * features.size))
    profile, req, off = (cap_columns(m, cap) for m in (features.profile, features.req,
                                                        features.off))
    return SearchIndex(profile, _transpose(profile), req, _transpose(req), off, _transpose(off),
                       _owners(features.req_ptr), _owners(features.off_ptr), cap)


def _transpose(matrix: sp.csr_matrix) -> sp.csr_matrix:
    return sp.csr_matrix(matrix.T.tocsr())


def _owners(ptr: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))


def all_candidate_pairs(index: SearchIndex, top_n: int,
                        n_threads: int) -> tuple[np.ndarray, np.ndarray]:
    """Unordered candidate pairs ``(i, j)``, ``i < j``, over the whole index.

    Parameters
    ----------
    index:
        The search index.
    top_n:
        Partners kept per profile, request and offer row.
    n_threads:
        Threads for sparse_dot_topn.

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
    >>> [a.tolist() for a in all_candidate_pairs(build_index(e.features_, EngineConfig()), 5, 1)]
    [[0], [1]]
    """
    rows, cols, _ = top_pairs(index.profile, index.profile_t, top_n + 1, n_threads)
    lefts, rights = [rows], [cols]
    rows, cols, _ = top_pairs(index.req, index.off_t, top_n, n_threads)
    lefts.append(index.req_owner[rows])
    rights.append(index.off_owner[cols])
    rows, cols, _ = top_pairs(index.off, index.req_t, top_n, n_threads)
    lefts.append(index.off_owner[rows])
    rights.append(index.req_owner[cols])
    return _unordered_unique(np.concatenate(lefts), np.concatenate(rights),
                             index.profile.shape[0])


def _unordered_unique(left: np.ndarray, right: np.ndarray,
                      size: int) -> tuple[np.ndarray, np.ndarray]:
    low, high = np.minimum(left, right), np.maximum(left, right)
    keys = np.unique(low[low != high] * size + high[low != high])
    return keys // size, keys % size


def candidates_of(index: SearchIndex, query: Features, top_n: int) -> np.ndarray:
    """Rows of ``index`` worth scoring against the single participant in ``query``.

    Parameters
    ----------
    index:
        The search index of the fitted event.
    query:
        A one-participant table in the same text space.
    top_n:
        Partners kept per profile, request and offer row of the query.

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
    >>> candidates_of(build_index(e.features_, EngineConfig()), e.features_.select(
    ...     np.array([0])), 5).tolist()
    [0]
    """
    found = [_row_top(query.profile, index.profile_t, top_n + 1)]
    found.append(index.off_owner[_row_top(query.req, index.off_t, top_n)])
    found.append(index.req_owner[_row_top(query.off, index.req_t, top_n)])
    return np.unique(np.concatenate(found))


def _row_top(rows: sp.csr_matrix, right_t: sp.csr_matrix, top_n: int) -> np.ndarray:
    """Columns of the ``top_n`` largest entries of each row of ``rows @ right_t``."""
    product = sp.csr_matrix(rows @ right_t)
    found = []
    for start, stop in zip(product.indptr[:-1], product.indptr[1:], strict=True):
        values, columns = product.data[start:stop], product.indices[start:stop]
        if len(values) > top_n:
            keep = np.lexsort((columns, -values))[:top_n]
            columns = columns[keep]
        found.append(columns.astype(np.int64))
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
