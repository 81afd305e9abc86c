"""Sparse helpers: top-n candidate products and exact dot products for chosen row pairs.

Nothing here builds an n x n dense matrix: candidates come from ``sparse_dot_topn`` (which
keeps ``top_n`` entries per row), and exact values are computed only for the pairs asked for,
in bounded chunks.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sparse_dot_topn import sp_matmul_topn

__all__ = [
    "best_first",
    "cartesian_blocks",
    "cap_columns",
    "pair_dots",
    "pair_products",
    "pair_top_features",
    "segment_argmax",
    "sorted_unique",
    "top_pairs",
]

_PAIRS_PER_CHUNK = 1 << 16  # pairs per gathered block (bounded memory)
_FEW_ROWS = 16  # top_pairs with at most this many rows skips sparse_dot_topn


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` through a sort.

    NumPy 2.4 answers a plain ``np.unique`` of integers with a hash table that is about a
    hundred times slower than sorting for millions of wide-range keys.

    Example
    -------
    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(np.asarray(values).reshape(-1))
    if len(ordered) == 0:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def best_first(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.lexsort((-values, groups))``: by group, larger value first, ties in input order.

    For float32 values and groups below 2**31 it is one stable sort of a packed integer key
    (the float's bits in a sortable form), about three times faster than the lexsort.

    Example
    -------
    >>> best_first(np.array([1, 0, 1, 0]), np.array([0.5, 0.1, 0.9, 0.3], np.float32)).tolist()
    [3, 1, 2, 0]
    """
    groups = np.asarray(groups, dtype=np.int64)
    if len(groups) == 0 or values.dtype != np.float32 or groups.min() < 0 or groups.max() >= 1 << 31:
        return np.lexsort((-values, groups))
    bits = (values + np.float32(0.0)).view(np.uint32).astype(np.int64)  # -0.0 as 0.0
    ascending = np.where(bits >= 1 << 31, (1 << 32) - 1 - bits, bits | (1 << 31))
    return np.argsort(groups << 32 | ((1 << 32) - 1 - ascending), kind="stable")


def top_pairs(
    left: sp.csr_matrix, right_t: sp.csr_matrix, top_n: int, n_threads: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    if left.shape[0] <= _FEW_ROWS:
        return _few_rows_top(left, right_t, top_n)
    threads = n_threads if n_threads > 1 else None
    product = sp_matmul_topn(left, right_t, top_n=top_n, threshold=0.0, n_threads=threads)
    coo = sp.coo_matrix(product)
    return coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float32)


def _few_rows_top(left: sp.csr_matrix, right_t: sp.csr_matrix, top_n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`top_pairs` for a handful of rows (a refresh): scipy's product touches only the
    rows' columns, where sparse_dot_topn copies the whole right-hand side on every call."""
    product = sp.csr_matrix(left @ right_t)
    product.eliminate_zeros()
    rows = np.repeat(np.arange(product.shape[0], dtype=np.int64), np.diff(product.indptr))
    cols = product.indices.astype(np.int64)
    values = product.data.astype(np.float32)
    positive = values > 0
    rows, cols, values = rows[positive], cols[positive], values[positive]
    order = np.lexsort((cols, -values, rows))  # per row: best first, ties by column
    rows, cols, values = rows[order], cols[order], values[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else rows
    place = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = place < top_n
    return rows[keep], cols[keep], values[keep]


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


def pair_dots(
    left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, n_threads: int = 1
) -> np.ndarray:
    """Exact ``left[rows[i]] . right[cols[i]]`` for each i, in bounded chunks.

    Each chunk gathers the rows of both sides and multiplies them elementwise (scipy's
    compiled sparse kernels, which release the GIL, so chunks run on ``n_threads`` threads).
    The cost is linear in the rows' nonzeros; no full product is ever formed.

    Example
    -------
    >>> m = sp.csr_matrix(np.array([[1, 0], [1, 1]], dtype=np.float32))
    >>> pair_dots(m, m, np.array([0, 1]), np.array([1, 1])).tolist()
    [1.0, 2.0]
    """
    out = np.zeros(len(rows), dtype=np.float32)

    def fill(start: int, stop: int) -> None:
        out[start:stop] = _row_sums(pair_products(left, right, rows[start:stop], cols[start:stop]))

    _in_chunks(len(rows), fill, n_threads)
    return out


def pair_top_features(
    left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, top: int, n_threads: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the columns contributing most to ``left[row] . right[col]``, best first.

    Returns
    -------
    tuple
        ``ptr`` and ``features``: the columns of pair i are ``features[ptr[i]:ptr[i + 1]]``
        (at most ``top``, larger products first, ties by column).

    Example
    -------
    >>> m = sp.csr_matrix(np.array([[1, 2, 0], [3, 1, 0]], dtype=np.float32))
    >>> [a.tolist() for a in pair_top_features(m, m, np.array([0]), np.array([1]), 1)]
    [[0, 1], [0]]
    """
    starts = list(range(0, len(rows), _PAIRS_PER_CHUNK))
    counts: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(starts)
    features: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(starts)

    def fill(start: int, stop: int) -> None:
        product = pair_products(left, right, rows[start:stop], cols[start:stop])
        per_pair = np.diff(product.indptr).astype(np.int64)
        pair = np.repeat(np.arange(stop - start, dtype=np.int64), per_pair)
        # one float key: pair, then larger value first (values are cosine parts, < 2); the
        # stable sort keeps the ascending column order among equal values
        values = np.clip(product.data.astype(np.float64), 0.0, 1.999)
        order = np.argsort(pair + (1.0 - values / 2.0), kind="stable")
        rank = np.arange(len(order)) - np.repeat(product.indptr[:-1].astype(np.int64), per_pair)
        chosen = order[rank < top]
        k = start // _PAIRS_PER_CHUNK
        counts[k] = np.minimum(per_pair, top)
        features[k] = product.indices[chosen].astype(np.int64)

    _in_chunks(len(rows), fill, n_threads)
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    if starts:
        np.cumsum(np.concatenate(counts), out=ptr[1:])
    flat = np.concatenate(features) if starts else np.zeros(0, dtype=np.int64)
    return ptr, flat


def pair_products(left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    """Row i holds the nonzero terms of ``left[rows[i]] * right[cols[i]]`` (elementwise).

    Both matrices should have sorted indices (scipy then merges rows in one pass).

    Example
    -------
    >>> m = sp.csr_matrix(np.array([[1, 2], [3, 0]], dtype=np.float32))
    >>> pair_products(m, m, np.array([0]), np.array([1])).toarray().tolist()
    [[3.0, 0.0]]
    """
    if len(rows) == 0:
        return sp.csr_matrix(np.zeros((0, left.shape[1]), dtype=np.float32))
    return sp.csr_matrix(left[rows].multiply(right[cols]))


def _row_sums(matrix: sp.csr_matrix) -> np.ndarray:
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    starts, stops = matrix.indptr[:-1], matrix.indptr[1:]
    filled = stops > starts
    if filled.any():
        out[filled] = np.add.reduceat(matrix.data, starts[filled])
    return out


def _in_chunks(size: int, work: Callable[[int, int], None], n_threads: int) -> None:
    """Call ``work(start, stop)`` over ``range(size)`` in chunks, on up to ``n_threads`` threads."""
    bounds = [(start, min(start + _PAIRS_PER_CHUNK, size)) for start in range(0, size, _PAIRS_PER_CHUNK)]
    if n_threads > 1 and len(bounds) > 1:
        with ThreadPoolExecutor(max_workers=min(n_threads, len(bounds))) as pool:
            for _ in pool.map(lambda bound: work(*bound), bounds):
                pass
    else:
        for start, stop in bounds:
            work(start, stop)


def cartesian_blocks(
    ptr_left: np.ndarray, ptr_right: np.ndarray, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    offset = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    width = np.maximum(n_right[pair], 1)
    left_rows = ptr_left[left][pair] + offset // width
    right_rows = ptr_right[right][pair] + offset % width
    return pair, left_rows, right_rows


def segment_argmax(pair: np.ndarray, values: np.ndarray, n_pairs: int) -> tuple[np.ndarray, np.ndarray]:
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
    is_max = values == segment_max[np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(pair)]))]
    positions = np.flatnonzero(is_max)
    firsts = positions[np.r_[True, pair[positions][1:] != pair[positions][:-1]]]
    where[pair[firsts]] = firsts
    return best, where
