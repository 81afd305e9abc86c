"""Structured reasons, built only for the suggestions that are returned.

Every reason explains a part of a score that is really there: ``weight`` is that part's share
of the directional score it belongs to (``request_offer`` and the shared signals: of
``score_for_me``; ``offer_request``: of ``score_for_them``). A ``request_offer`` reason names
the one (request, offer) pair whose similarity is the complementarity signal, since the signal
is the best such pair.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from app.matching.features import Features, sector_key
from app.matching.kinds import kind_label
from app.matching.sparse import pair_top_features
from app.matching.types import OpportunityText, Reason

__all__ = ["MIN_SHARE", "TERMS_PER_REASON", "Explained", "explain"]

MIN_SHARE = 0.01  # reasons below 1 % of their score are left out
TERMS_PER_REASON = 5


@dataclass(frozen=True, slots=True)
class Explained:
    """Directed entries to explain: ``mine`` rows of one table against ``theirs`` rows.

    Score parts are already weighted (their sum is the directional score).
    """

    mine: Features
    theirs: Features
    my_rows: np.ndarray
    their_rows: np.ndarray
    for_me: np.ndarray
    for_them: np.ndarray
    comp_me: np.ndarray  # part of for_me: my requests met by their offers
    comp_them: np.ndarray  # part of for_them
    profile: np.ndarray
    sectors: np.ndarray
    kind: np.ndarray
    cross: np.ndarray
    my_request: np.ndarray  # row in mine.req, -1 if none
    their_offer: np.ndarray  # row in theirs.off
    their_request: np.ndarray  # row in theirs.req
    my_offer: np.ndarray  # row in mine.off


def explain(entries: Explained, terms: np.ndarray, n_threads: int = 1) -> list[tuple[Reason, ...]]:
    """Reasons for every entry, strongest first.

    Parameters
    ----------
    entries:
        The directed entries and their score parts.
    terms:
        Column index -> term of the text space (for shared terms).
    n_threads:
        Threads for the shared-term products.

    Returns
    -------
    list
        One tuple of :class:`Reason` per entry.

    Example
    -------
    See ``tests/matching/test_reasons.py``: reasons are checked against the scores there.
    """
    e = entries
    shares = _Shares(e)
    request_terms, offer_terms = _opportunity_terms(e, shares, terms, n_threads)
    profile_terms = _terms(e.mine.profile, e.theirs.profile, e.my_rows, e.their_rows,
                           shares.profile >= MIN_SHARE, terms, n_threads,
                           symmetric=e.mine is e.theirs)
    has_profile_terms = np.fromiter((bool(t) for t in profile_terms), dtype=bool,
                                    count=len(profile_terms))
    builder = _Builder(e, shares)
    # One column of reasons per type, in the order ties are listed.
    present = [(shares.request >= MIN_SHARE) & (e.my_request >= 0),
               (shares.offer >= MIN_SHARE) & (e.their_request >= 0),
               (shares.profile >= MIN_SHARE) & has_profile_terms,
               shares.sectors >= MIN_SHARE, shares.kind >= MIN_SHARE, shares.cross >= MIN_SHARE]
    rows = [np.flatnonzero(mask) for mask in present]
    columns = [builder.opportunity(rows[0], request_terms, offers=False),
               builder.opportunity(rows[1], offer_terms, offers=True),
               builder.profile(rows[2], profile_terms), builder.sectors(rows[3]),
               builder.kinds(rows[4]), builder.cross_border(rows[5])]
    share_columns = (shares.request, shares.offer, shares.profile, shares.sectors, shares.kind,
                     shares.cross)
    made = [reason for column in columns for reason in column]
    # Per entry, larger weight first, ties in column order (a stable sort by weight); shares
    # have 4 decimals, so integer keys, with absent reasons last.
    where = np.full((len(e.my_rows), len(columns)), -1, dtype=np.int64)
    key = np.full(where.shape, 20_000, dtype=np.int64)
    offset = 0
    for kind, (share, r) in enumerate(zip(share_columns, rows, strict=True)):
        where[r, kind] = offset + np.arange(len(r))
        key[r, kind] = 10_000 - np.rint(share[r] * 10_000).astype(np.int64)
        offset += len(r)
    where = np.take_along_axis(where, np.argsort(key, axis=1, kind="stable"), axis=1)
    ordered = list(map(made.__getitem__, where[where >= 0].tolist()))
    bounds = np.r_[0, np.cumsum((where >= 0).sum(axis=1))].tolist()
    return [tuple(ordered[bounds[i]:bounds[i + 1]]) for i in range(len(e.my_rows))]


class _Shares:
    """Each score part's share of its directional score, rounded to 4 decimals."""

    def __init__(self, e: Explained) -> None:
        self.request = _shares(e.comp_me, e.for_me)
        self.offer = _shares(e.comp_them, e.for_them)
        self.profile = _shares(e.profile, e.for_me)
        self.sectors = _shares(e.sectors, e.for_me)
        self.kind = _shares(e.kind, e.for_me)
        self.cross = _shares(e.cross, e.for_me)


def _shares(part: np.ndarray, total: np.ndarray) -> np.ndarray:
    safe = np.where(total > 0, total, 1.0)
    return np.asarray(np.round(np.where(total > 0, part / safe, 0.0), 4))


def _opportunity_terms(e: Explained, shares: _Shares, terms: np.ndarray,
                       n_threads: int) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Shared terms of the (my request, their offer) and (their request, my offer) pairs.

    When both sides come from one table, the two lists are one computation: the request of A
    met by the offer of B is the same pair of rows whether A's or B's list explains it.
    """
    wanted_request = shares.request >= MIN_SHARE
    wanted_offer = shares.offer >= MIN_SHARE
    if e.mine is not e.theirs:
        return (_terms(e.mine.req, e.theirs.off, e.my_request, e.their_offer, wanted_request,
                       terms, n_threads),
                _terms(e.theirs.req, e.mine.off, e.their_request, e.my_offer, wanted_offer,
                       terms, n_threads))
    both = _terms(e.mine.req, e.mine.off, np.r_[e.my_request, e.their_request],
                  np.r_[e.their_offer, e.my_offer], np.r_[wanted_request, wanted_offer], terms,
                  n_threads)
    return both[:len(e.my_rows)], both[len(e.my_rows):]


_NONE: tuple[str, ...] = ()


def _terms(left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray,
           wanted: np.ndarray, terms: np.ndarray, n_threads: int,
           symmetric: bool = False) -> list[tuple[str, ...]]:
    """Top shared terms of each wanted (row, col) pair; empty elsewhere or where a row is -1.

    Each distinct pair is computed once (``symmetric``: ``left`` and ``right`` are one
    matrix, so (a, b) and (b, a) share their terms).
    """
    valid = np.flatnonzero(wanted & (rows >= 0) & (cols >= 0))
    if len(valid) == 0:
        return [_NONE] * len(rows)
    first, second = rows[valid].astype(np.int64), cols[valid].astype(np.int64)
    if symmetric:
        first, second = np.minimum(first, second), np.maximum(first, second)
    keys = first * int(right.shape[0]) + second
    unique, where, inverse = np.unique(keys, return_index=True, return_inverse=True)
    ptr, features = pair_top_features(left, right, first[where], second[where],
                                      TERMS_PER_REASON, n_threads)
    words = terms[features].tolist()
    bounds = ptr.tolist()
    tuples = [tuple(words[bounds[k]:bounds[k + 1]]) for k in range(len(unique))]
    tuples.append(_NONE)
    which = np.full(len(rows), len(unique), dtype=np.int64)
    which[valid] = inverse.reshape(-1)
    return list(map(tuples.__getitem__, which.tolist()))


class _Builder:
    """Turns entries' numbers into :class:`Reason` objects, one reason type at a time.

    Reasons are created by :func:`_reason`, which skips the frozen-dataclass ``__init__``
    (about twice as fast; a run builds millions of them). Shared reasons (sectors, kinds,
    countries) depend only on their share and a small key, so equal ones are built once and
    reused (they are immutable).
    """

    def __init__(self, e: Explained, shares: _Shares) -> None:
        self.e = e
        self.shares = shares

    def opportunity(self, rows: np.ndarray, found_terms: list[tuple[str, ...]],
                    offers: bool) -> list[Reason]:
        """``request_offer`` (my request, their offer) or ``offer_request`` reasons."""
        e = self.e
        if offers:
            kind, share = "offer_request", self.shares.offer
            mine_items = e.mine.off_item[e.my_offer[rows]].tolist()
            their_items = e.theirs.req_item[e.their_request[rows]].tolist()
        else:
            kind, share = "request_offer", self.shares.request
            mine_items = e.mine.req_item[e.my_request[rows]].tolist()
            their_items = e.theirs.off_item[e.their_offer[rows]].tolist()
        mine_records, their_records = e.mine.records, e.theirs.records
        my_rows, their_rows = e.my_rows[rows].tolist(), e.their_rows[rows].tolist()
        if offers:
            mine = [mine_records[r].offers[k] for r, k in zip(my_rows, mine_items, strict=True)]
            theirs = [their_records[r].requests[k]
                      for r, k in zip(their_rows, their_items, strict=True)]
            sentence = "Your offer '{}' meets their request '{}'"
        else:
            mine = [mine_records[r].requests[k] for r, k in zip(my_rows, mine_items, strict=True)]
            theirs = [their_records[r].offers[k]
                      for r, k in zip(their_rows, their_items, strict=True)]
            sentence = "Your request '{}' meets their offer '{}'"
        return [_opportunity_reason(kind, weight, a, b, found_terms[i],
                                    sentence.format(a.title, b.title))
                for i, a, b, weight in zip(rows.tolist(), mine, theirs, share[rows].tolist(),
                                           strict=True)]

    def profile(self, rows: np.ndarray, found_terms: list[tuple[str, ...]]) -> list[Reason]:
        """``shared_terms`` reasons (similar profiles)."""
        made = []
        for i, weight in zip(rows.tolist(), self.shares.profile[rows].tolist(), strict=True):
            words = found_terms[i]
            made.append(_reason("shared_terms", weight, None, None, words, (),
                                "Similar profiles: " + ", ".join(words)))
        return made

    def sectors(self, rows: np.ndarray) -> list[Reason]:
        mine, theirs = self.e.mine.records, self.e.theirs.records
        return self._shared("shared_sectors", rows, self.shares.sectors,
                            lambda row: mine[row].sectors, lambda row: theirs[row].sectors)

    def kinds(self, rows: np.ndarray) -> list[Reason]:
        mine, theirs = self.e.mine.kind, self.e.theirs.kind
        return self._shared("kind_complementarity", rows, self.shares.kind,
                            lambda row: int(mine[row]), lambda row: int(theirs[row]))

    def cross_border(self, rows: np.ndarray) -> list[Reason]:
        mine, theirs = self.e.mine.country, self.e.theirs.country
        return self._shared("cross_border", rows, self.shares.cross,
                            lambda row: str(mine[row]), lambda row: str(theirs[row]))

    def _shared(self, kind: str, rows: np.ndarray, shares: np.ndarray,
                my_value: Callable[[int], Hashable],
                their_value: Callable[[int], Hashable]) -> list[Reason]:
        """Reasons whose content depends only on (share, my value, their value): each distinct
        combination is built once (values are looked up once per participant)."""
        if len(rows) == 0:
            return []
        codes: dict[Hashable, int] = {}
        mine = _codes(self.e.my_rows[rows], my_value, codes)
        theirs = _codes(self.e.their_rows[rows], their_value, codes)
        values = list(codes)
        share = shares[rows]
        key = (mine * len(values) + theirs) * 10_001 + np.rint(share * 10_000).astype(np.int64)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        made = []
        texts: dict[tuple[int, int], tuple[tuple[str, ...], str]] = {}
        for a, b, weight in zip(mine[first].tolist(), theirs[first].tolist(),
                                share[first].tolist(), strict=True):
            text = texts.get((a, b))
            if text is None:
                text = texts[(a, b)] = _shared_text(kind, (values[a], values[b]))
            made.append(_reason(kind, weight, None, None, (), text[0], text[1]))
        return list(map(made.__getitem__, inverse.reshape(-1).tolist()))


def _codes(rows: np.ndarray, value: Callable[[int], Hashable],
           codes: dict[Hashable, int]) -> np.ndarray:
    """A small integer per distinct ``value(row)`` (shared through ``codes``), per row."""
    distinct, where = np.unique(rows, return_inverse=True)
    per_row = [codes.setdefault(value(row), len(codes)) for row in distinct.tolist()]
    return np.asarray(per_row, dtype=np.int64)[where.reshape(-1)]


_NEW = object.__new__
(_TYPE, _WEIGHT, _MINE, _THEIRS, _MINE_ID, _THEIRS_ID, _TERMS, _SECTORS, _DETAIL) = (
    Reason.__dict__[name].__set__ for name in (
        "type", "weight", "mine", "theirs", "mine_id", "theirs_id", "terms", "sectors", "detail"))


def _reason(kind: str, share: float, mine: OpportunityText | None,
            theirs: OpportunityText | None, terms: tuple[str, ...], sectors: tuple[str, ...],
            detail: str) -> Reason:
    """A :class:`Reason` set through its slots: equal to one built by ``__init__``, faster."""
    reason: Reason = _NEW(Reason)
    _TYPE(reason, kind)
    _WEIGHT(reason, share)
    _MINE(reason, None if mine is None else mine.title)
    _THEIRS(reason, None if theirs is None else theirs.title)
    _MINE_ID(reason, None if mine is None else mine.id)
    _THEIRS_ID(reason, None if theirs is None else theirs.id)
    _TERMS(reason, terms)
    _SECTORS(reason, sectors)
    _DETAIL(reason, detail)
    return reason


def _opportunity_reason(kind: str, share: float, mine: OpportunityText, theirs: OpportunityText,
                        terms: tuple[str, ...], detail: str) -> Reason:
    """:func:`_reason` for the two opportunity types (both items known)."""
    reason: Reason = _NEW(Reason)
    _TYPE(reason, kind)
    _WEIGHT(reason, share)
    _MINE(reason, mine.title)
    _THEIRS(reason, theirs.title)
    _MINE_ID(reason, mine.id)
    _THEIRS_ID(reason, theirs.id)
    _TERMS(reason, terms)
    _SECTORS(reason, ())
    _DETAIL(reason, detail)
    return reason


def _shared_text(kind: str, key: tuple[Any, Any]) -> tuple[tuple[str, ...], str]:
    """Sectors and sentence of a shared reason (they depend only on ``key``)."""
    if kind == "shared_sectors":
        theirs = {sector_key(s) for s in key[1]}
        sectors = tuple(sorted({s for s in key[0] if sector_key(s) in theirs}))
        return sectors, "Shared sectors: " + ", ".join(sectors)
    if kind == "kind_complementarity":
        mine, other = kind_label(key[0]), kind_label(key[1])
        return (), f"{mine[0].upper()}{mine[1:]} meets {other}"
    return (), f"Cross-border contact ({key[0]} - {key[1]})"
