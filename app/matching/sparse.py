"""Sparse helpers: top-n candidate products and exact dot products for chosen row pairs.

Nothing here builds an n x n dense matrix: candidates come from ``sparse_dot_topn`` (which
keeps ``top_n`` entries per row), and exact values are computed only for the pairs asked for,
in bounded chunks.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp
from sparse_dot_topn import sp_matmul_topn

__all__ = [
    "cartesian_blocks",
    "cap_columns",
    "pair_dots",
    "pair_products",
    "pair_top_features",
    "segment_argmax",
    "top_pairs",
]

_ROWS_PER_CHUNK = 256  # distinct left rows per dense block


def top_pairs(left: sp.csr_matrix, right_t: sp.csr_matrix, top_n: int,
              n_threads: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``top_n`` best columns of ``left @ right_t`` for every row, as COO arrays.

    Parameters
    ----------
    left:
        ``m x f`` CSR matrix.
    right_t:
        ``f x k`` CSR matrix (the transposed right-hand side, prepared once).
    top_n:
        Entries kept per row.
    n_threads:
        Threads for sparse_dot_topn.

    Returns
    -------
    tuple
        ``rows``, ``cols`` (int64) and ``values`` (float32) of the kept, strictly positive
        entries.

    Example
    -------
    >>> m = sp.csr_matrix(np.eye(3, dtype=np.float32))
    >>> top_pairs(m, m, 1, 1)[1].tolist()
    [0, 1, 2]
    """
    if left.shape[0] == 0 or right_t.shape[1] == 0 or top_n <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    threads = n_threads if n_threads > 1 else None
    product = sp_matmul_topn(left, right_t, top_n=top_n, threshold=0.0, n_threads=threads)
    coo = sp.coo_matrix(product)
    return coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float32)


def cap_columns(matrix: sp.csr_matrix, max_postings: int) -> sp.csr_matrix:
    """Drop the columns used by more than ``max_postings`` rows (for candidate search only).

    The cost of a sparse product grows with the square of each column's length, so a few
    near-universal terms dominate it while telling little about who matches whom.

    Example
    -------
    >>> m = sp.csr_matrix(np.array([[1, 1], [1, 0], [1, 0]], dtype=np.float32))
    >>> cap_columns(m, 2).toarray()[:, 0].tolist()
    [0.0, 0.0, 0.0]
    """
    postings = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = (postings <= max_postings).astype(np.float32)
    capped = sp.csr_matrix(matrix @ sp.diags(keep, format="csr"))
    capped.eliminate_zeros()
    return capped


def pair_dots(left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray,
              cols: np.ndarray) -> np.ndarray:
    """Exact ``left[rows[i]] . right[cols[i]]`` for each i, in bounded chunks.

    Example
    -------
    >>> m = sp.csr_matrix(np.array([[1, 0], [1, 1]], dtype=np.float32))
    >>> pair_dots(m, m, np.array([0, 1]), np.array([1, 1])).tolist()
    [1.0, 2.0]
    """
    out = np.zeros(len(rows), dtype=np.float32)
    for pair, _, values in pair_products(left, right, rows, cols):
        out += np.bincount(pair, weights=values, minlength=len(rows)).astype(np.float32)
    return out


def pair_top_features(left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray,
                      cols: np.ndarray, top: int) -> list[np.ndarray]:
    """For each pair, the columns contributing most to ``left[row] . right[col]``, best first.

    Example
    -------
    >>> m = sp.csr_matrix(np.array([[1, 2, 0], [3, 1, 0]], dtype=np.float32))
    >>> [a.tolist() for a in pair_top_features(m, m, np.array([0]), np.array([1]), 1)]
    [[0]]
    """
    pairs, features = [], []
    for pair, feature, values in pair_products(left, right, rows, cols):
        # one float key: pair, then larger value first (values are cosine parts, < 2);
        # the stable sort keeps column order among equal values
        order = np.argsort(pair + (1.0 - np.clip(values, 0, 1.999) / 2.0), kind="stable")
        pair, feature = pair[order], feature[order]
        first = np.searchsorted(pair, pair, side="left")
        chosen = (np.arange(len(pair)) - first) < top
        pairs.append(pair[chosen])
        features.append(feature[chosen])
    if not pairs:
        return [np.zeros(0, dtype=np.int64) for _ in range(len(rows))]
    pair, feature = np.concatenate(pairs), np.concatenate(features)
    order = np.argsort(pair, kind="stable")
    counts = np.bincount(pair, minlength=len(rows))
    return np.split(feature[order], np.cumsum(counts)[:-1])


def pair_products(left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray,
                  cols: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The nonzero terms of ``left[rows[i]] * right[cols[i]]``, chunk by chunk.

    A chunk's distinct left rows are scattered into a small dense block over only the
    columns they use; each right row is then streamed past it. The cost is linear in the
    right rows' nonzeros and no full product is ever formed.

    Yields
    ------
    tuple
        ``pair`` (index into ``rows``), ``feature`` (column) and ``value`` arrays.

    Example
    -------
    >>> m = sp.csr_matrix(np.array([[1, 2], [3, 0]], dtype=np.float32))
    >>> [a.tolist() for a in next(pair_products(m, m, np.array([0]), np.array([1])))]
    [[0], [0], [3.0]]
    """
    if len(rows) == 0:
        return
    order = np.argsort(rows, kind="stable")
    remap = np.full(left.shape[1], -1, dtype=np.int64)
    unique_rows, first = np.unique(rows[order], return_index=True)
    bounds = np.r_[first[::_ROWS_PER_CHUNK], len(order)]
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        yield _chunk_products(left, right, rows, cols, order[start:stop], remap)


def _chunk_products(left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray,
                    cols: np.ndarray, chunk: np.ndarray,
                    remap: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    local_rows, local_of_pair = np.unique(rows[chunk], return_inverse=True)
    block = sp.csr_matrix(left[local_rows])
    used = np.unique(block.indices)
    remap[used] = np.arange(len(used))
    dense = np.zeros((len(local_rows), len(used)), dtype=np.float32)
    block_rows = np.repeat(np.arange(len(local_rows)), np.diff(block.indptr))
    dense[block_rows, remap[block.indices]] = block.data
    starts, lengths = right.indptr[cols[chunk]], np.diff(right.indptr)[cols[chunk]]
    offsets = np.cumsum(lengths) - lengths
    positions = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
    features = right.indices[positions]
    local = remap[features]
    hit = local >= 0
    owner = np.repeat(np.arange(len(chunk)), lengths)[hit]
    values = dense[local_of_pair[owner], local[hit]] * right.data[positions[hit]]
    remap[used] = -1
    nonzero = values != 0
    return chunk[owner[nonzero]], features[hit][nonzero].astype(np.int64), values[nonzero]


def cartesian_blocks(ptr_left: np.ndarray, ptr_right: np.ndarray, left: np.ndarray,
                     right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (row of block ``left[i]``, row of block ``right[i]``) combination.

    Blocks are row ranges ``ptr[k]:ptr[k+1]`` (e.g. one participant's requests).

    Returns
    -------
    tuple
        ``pair`` (which i each combination belongs to, sorted), ``left_rows``, ``right_rows``.

    Example
    -------
    >>> ptr = np.array([0, 2, 3])
    >>> [a.tolist() for a in cartesian_blocks(ptr, ptr, np.array([0]), np.array([1]))]
    [[0, 0], [0, 1], [2, 2]]
    """
    n_left = (ptr_left[left + 1] - ptr_left[left]).astype(np.int64)
    n_right = (ptr_right[right + 1] - ptr_right[right]).astype(np.int64)
    sizes = n_left * n_right
    pair = np.repeat(np.arange(len(left), dtype=np.int64), sizes)
    offset = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes,
                                                                     sizes)
    width = np.maximum(n_right[pair], 1)
    left_rows = ptr_left[left][pair] + offset // width
    right_rows = ptr_right[right][pair] + offset % width
    return pair, left_rows, right_rows


def segment_argmax(pair: np.ndarray, values: np.ndarray,
                   n_pairs: int) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, the largest value and the position of its first occurrence (-1 if none).

    ``pair`` must be sorted (as :func:`cartesian_blocks` returns it).

    Example
    -------
    >>> best, where = segment_argmax(np.array([0, 0, 2]), np.array([0.1, 0.5, 0.3]), 3)
    >>> best.tolist(), where.tolist()
    ([0.5, 0.0, 0.30000001192092896], [1, -1, 2])
    """
    best = np.zeros(n_pairs, dtype=np.float32)
    where = np.full(n_pairs, -1, dtype=np.int64)
    if len(pair) == 0:
        return best, where
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    segment_max = np.maximum.reduceat(values, starts)
    owners = pair[starts]
    best[owners] = segment_max
    is_max = values == segment_max[np.repeat(np.arange(len(starts)),
                                             np.diff(np.r_[starts, len(pair)]))]
    positions = np.flatnonzero(is_max)
    firsts = positions[np.r_[True, pair[positions][1:] != pair[positions][:-1]]]
    where[pair[firsts]] = firsts
    return best, where
