"""Structured reasons, built only for the suggestions that are returned.

Every reason explains a part of a score that is really there: ``weight`` is that part's share
of the directional score it belongs to (``request_offer`` and the shared signals: of
``score_for_me``; ``offer_request``: of ``score_for_them``). A ``request_offer`` reason names
the one (request, offer) pair whose similarity is the complementarity signal, since the signal
is the best such pair.

A reason claims something, so it is shown only when the claim holds, not merely when its part
of the score is large enough (:data:`MIN_SHARE`): a weak pair can carry half of a weak score.
An opportunity reason says "this request meets that offer", so its pair must be a match on the
event's own scale (its cosine at least :data:`MIN_MATCH` times the event's median best-match
cosine) and share a term; a ``shared_terms`` reason needs a shared term. Leaving a reason out
changes no score: reasons are read off the scores, never fed back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import partial
from itertools import chain, repeat
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp

from app.matching.features import Features, sector_key
from app.matching.kinds import kind_label
from app.matching.sparse import pair_top_features
from app.matching.types import Reason

__all__ = ["MIN_MATCH", "MIN_SHARE", "TERMS_PER_REASON", "Explained", "explain"]

_T = TypeVar("_T")
MIN_SHARE = 0.01  # reasons below 1 % of their score are left out
# An opportunity pair is named only if its cosine is at least half the event's complementarity
# scale (the median best-match cosine), i.e. its calibrated signal 1 - exp(-cos / scale) is at
# least 0.39. Below that, shared words are mostly incidental (a region, "partners"); see
# bench/README-matching.md, "Reasons".
MIN_MATCH = 0.5
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
    match_me: np.ndarray  # cosine of (my request, their offer): the signal behind comp_me
    match_them: np.ndarray  # cosine of (their request, my offer)
    profile: np.ndarray
    sectors: np.ndarray
    kind: np.ndarray
    cross: np.ndarray
    my_request: np.ndarray  # row in mine.req, -1 if none
    their_offer: np.ndarray  # row in theirs.off
    their_request: np.ndarray  # row in theirs.req
    my_offer: np.ndarray  # row in mine.off


def explain(entries: Explained, terms: np.ndarray, match_scale: float, n_threads: int = 1) -> list[tuple[Reason, ...]]:
    """Reasons for every entry, strongest first.

    Parameters
    ----------
    entries:
        The directed entries and their score parts.
    terms:
        Column index -> term of the text space (for shared terms).
    match_scale:
        The event's complementarity scale (median best-match cosine): an opportunity pair is
        named only if its cosine reaches ``MIN_MATCH * match_scale``.
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
    floor = MIN_MATCH * match_scale
    # a pair is named only if it is a match (the floor) and they share a term (found)
    wanted_request = (shares.request >= MIN_SHARE) & (e.match_me >= floor)
    wanted_offer = (shares.offer >= MIN_SHARE) & (e.match_them >= floor)
    request_terms, offer_terms = _opportunity_terms(e, wanted_request, wanted_offer, terms, n_threads)
    profile_terms = _terms(
        e.mine.profile,
        e.theirs.profile,
        e.my_rows,
        e.their_rows,
        shares.profile >= MIN_SHARE,
        terms,
        n_threads,
        symmetric=e.mine is e.theirs,
    )
    builder = _Builder(e, shares)
    # One column of reasons per type, in the order ties are listed.
    present = [
        wanted_request & (e.my_request >= 0) & request_terms.found(),
        wanted_offer & (e.their_request >= 0) & offer_terms.found(),
        (shares.profile >= MIN_SHARE) & profile_terms.found(),
        shares.sectors >= MIN_SHARE,
        shares.kind >= MIN_SHARE,
        shares.cross >= MIN_SHARE,
    ]
    rows = [np.flatnonzero(mask) for mask in present]
    columns = [
        builder.opportunity(rows[0], request_terms, offers=False),
        builder.opportunity(rows[1], offer_terms, offers=True),
        builder.profile(rows[2], profile_terms),
        builder.sectors(rows[3]),
        builder.kinds(rows[4]),
        builder.cross_border(rows[5]),
    ]
    share_columns = (shares.request, shares.offer, shares.profile, shares.sectors, shares.kind, shares.cross)
    made = list(chain.from_iterable(columns))
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
    return _rows_as_tuples(made, where)


def _rows_as_tuples(made: list[_T], where: np.ndarray) -> list[tuple[_T, ...]]:
    """Each row of ``where`` (positions in ``made``, present ones first, -1 after) as a tuple.

    Rows with the same number k of reasons are cut into k-tuples by ``zip`` over one
    iterator (built in C, no slices or lists per row), then put back in row order.
    """
    counts = (where >= 0).sum(axis=1)
    tuples: list[tuple[_T, ...]] = []
    groups = []
    for k in range(where.shape[1] + 1):
        members = np.flatnonzero(counts == k)
        if len(members) == 0:
            continue
        groups.append(members)
        if k == 0:
            tuples.extend([()] * len(members))
        else:
            items = map(made.__getitem__, where[members, :k].ravel().tolist())
            tuples.extend(zip(*[items] * k, strict=True))
    position = np.empty(len(where), dtype=np.int64)
    if groups:
        position[np.concatenate(groups)] = np.arange(len(where))
    return list(map(tuples.__getitem__, position.tolist()))


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


def _opportunity_terms(
    e: Explained, wanted_request: np.ndarray, wanted_offer: np.ndarray, terms: np.ndarray, n_threads: int
) -> tuple[_Found, _Found]:
    """Shared terms of the wanted (my request, their offer) and (their request, my offer) pairs.

    When both sides come from one table, the two lists are one computation: the request of A
    met by the offer of B is the same pair of rows whether A's or B's list explains it.
    """
    if e.mine is not e.theirs:
        return (
            _terms(e.mine.req, e.theirs.off, e.my_request, e.their_offer, wanted_request, terms, n_threads),
            _terms(e.theirs.req, e.mine.off, e.their_request, e.my_offer, wanted_offer, terms, n_threads),
        )
    both = _terms(
        e.mine.req,
        e.mine.off,
        np.r_[e.my_request, e.their_request],
        np.r_[e.their_offer, e.my_offer],
        np.r_[wanted_request, wanted_offer],
        terms,
        n_threads,
    )
    return both.part(0, len(e.my_rows)), both.part(len(e.my_rows), 2 * len(e.my_rows))


@dataclass(frozen=True, slots=True)
class _Found:
    """Shared terms per entry: ``tuples[which[i]]`` (the last tuple is the empty one)."""

    tuples: list[tuple[str, ...]]
    which: np.ndarray

    def found(self) -> np.ndarray:
        """Which entries have at least one shared term."""
        lengths = np.fromiter(map(len, self.tuples), dtype=np.int64, count=len(self.tuples))
        return np.asarray(lengths[self.which] > 0)

    def at(self, rows: np.ndarray) -> list[tuple[str, ...]]:
        return list(map(self.tuples.__getitem__, self.which[rows].tolist()))

    def part(self, start: int, stop: int) -> _Found:
        return _Found(self.tuples, self.which[start:stop])


_NONE: tuple[str, ...] = ()


def _terms(
    left: sp.csr_matrix,
    right: sp.csr_matrix,
    rows: np.ndarray,
    cols: np.ndarray,
    wanted: np.ndarray,
    terms: np.ndarray,
    n_threads: int,
    symmetric: bool = False,
) -> _Found:
    """Top shared terms of each wanted (row, col) pair; empty elsewhere or where a row is -1.

    Each distinct pair is computed once (``symmetric``: ``left`` and ``right`` are one
    matrix, so (a, b) and (b, a) share their terms).
    """
    valid = np.flatnonzero(wanted & (rows >= 0) & (cols >= 0))
    which = np.zeros(len(rows), dtype=np.int64)
    if len(valid) == 0:
        return _Found([_NONE], which)
    first, second = rows[valid].astype(np.int64), cols[valid].astype(np.int64)
    if symmetric:
        first, second = np.minimum(first, second), np.maximum(first, second)
    keys = first * int(right.shape[0]) + second
    unique, where, inverse = np.unique(keys, return_index=True, return_inverse=True)
    ptr, features = pair_top_features(left, right, first[where], second[where], TERMS_PER_REASON, n_threads)
    words = terms[features].tolist()
    place = np.arange(TERMS_PER_REASON)
    layout = ptr[:-1, None] + place[None, :]
    layout[place[None, :] >= np.diff(ptr)[:, None]] = -1
    tuples = _rows_as_tuples(words, layout)
    # equal tuples shared: far fewer objects for the garbage collector to walk later
    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    tuples = list(map(canonical.setdefault, tuples, tuples))
    tuples.append(_NONE)
    which[:] = len(unique)
    which[valid] = inverse.reshape(-1)
    return _Found(tuples, which)


_NEW_REASON = partial(tuple.__new__, Reason)


def _reasons(
    kind: str,
    weights: list[float],
    mine: Iterable[str | None],
    theirs: Iterable[str | None],
    mine_ids: Iterable[int | None],
    theirs_ids: Iterable[int | None],
    terms: Iterable[tuple[str, ...]],
    sectors: Iterable[tuple[str, ...]],
    details: Iterable[str],
) -> list[Reason]:
    """Reasons from columns of field values (one per weight), built in C: equal to
    ``Reason(kind, weight, ...)`` one by one (a run builds hundreds of thousands)."""
    return list(
        map(_NEW_REASON, zip(repeat(kind), weights, mine, theirs, mine_ids, theirs_ids, terms, sectors, details))
    )


class _Builder:
    """Turns entries' numbers into :class:`Reason` objects, one reason type at a time.

    Shared reasons (sectors, kinds, countries) depend only on their share and a small key, so
    equal ones are built once and reused (they are immutable).
    """

    def __init__(self, e: Explained, shares: _Shares) -> None:
        self.e = e
        self.shares = shares

    def opportunity(self, rows: np.ndarray, found: _Found, offers: bool) -> list[Reason]:
        """``request_offer`` (my request, their offer) or ``offer_request`` reasons."""
        e = self.e
        if offers:
            kind, share = "offer_request", self.shares.offer
            sentence = "Your offer '{}' meets their request '{}'"
            mine_titles, mine_ids = _items(e.mine, e.my_offer[rows], offers=True)
            their_titles, their_ids = _items(e.theirs, e.their_request[rows], offers=False)
        else:
            kind, share = "request_offer", self.shares.request
            sentence = "Your request '{}' meets their offer '{}'"
            mine_titles, mine_ids = _items(e.mine, e.my_request[rows], offers=False)
            their_titles, their_ids = _items(e.theirs, e.their_offer[rows], offers=True)
        details = map(sentence.format, mine_titles, their_titles)
        return _reasons(
            kind,
            share[rows].tolist(),
            mine_titles,
            their_titles,
            mine_ids,
            their_ids,
            found.at(rows),
            repeat(()),
            details,
        )

    def profile(self, rows: np.ndarray, found: _Found) -> list[Reason]:
        """``shared_terms`` reasons (similar profiles)."""
        details = ["Similar profiles: " + ", ".join(words) for words in found.tuples]
        which = found.which[rows].tolist()
        return _reasons(
            "shared_terms",
            self.shares.profile[rows].tolist(),
            repeat(None),
            repeat(None),
            repeat(None),
            repeat(None),
            map(found.tuples.__getitem__, which),
            repeat(()),
            map(details.__getitem__, which),
        )

    def sectors(self, rows: np.ndarray) -> list[Reason]:
        mine, theirs = self.e.mine.records, self.e.theirs.records
        return self._shared(
            "shared_sectors", rows, self.shares.sectors, lambda row: mine[row].sectors, lambda row: theirs[row].sectors
        )

    def kinds(self, rows: np.ndarray) -> list[Reason]:
        mine, theirs = self.e.mine.kind, self.e.theirs.kind
        return self._shared(
            "kind_complementarity", rows, self.shares.kind, lambda row: int(mine[row]), lambda row: int(theirs[row])
        )

    def cross_border(self, rows: np.ndarray) -> list[Reason]:
        mine, theirs = self.e.mine.country, self.e.theirs.country
        return self._shared(
            "cross_border", rows, self.shares.cross, lambda row: str(mine[row]), lambda row: str(theirs[row])
        )

    def _shared(
        self,
        kind: str,
        rows: np.ndarray,
        shares: np.ndarray,
        my_value: Callable[[int], Hashable],
        their_value: Callable[[int], Hashable],
    ) -> list[Reason]:
        """Reasons whose content depends only on (share, my value, their value): each distinct
        combination is built once (values are looked up once per participant)."""
        if len(rows) == 0:
            return []
        codes: dict[Hashable, int] = {}
        mine = _codes(self.e.my_rows[rows], my_value, codes)
        theirs = _codes(self.e.their_rows[rows], their_value, codes)
        values = list(codes)
        share = shares[rows]
        pair = mine * len(values) + theirs
        key = pair * 10_001 + np.rint(share * 10_000).astype(np.int64)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        pairs, which = np.unique(pair[first], return_inverse=True)
        texts = [_shared_text(kind, (values[p // len(values)], values[p % len(values)])) for p in pairs.tolist()]
        sectors, details = [t[0] for t in texts], [t[1] for t in texts]
        which_list = which.reshape(-1).tolist()
        made = _reasons(
            kind,
            share[first].tolist(),
            repeat(None),
            repeat(None),
            repeat(None),
            repeat(None),
            repeat(()),
            map(sectors.__getitem__, which_list),
            map(details.__getitem__, which_list),
        )
        return list(map(made.__getitem__, inverse.reshape(-1).tolist()))


def _items(features: Features, item_rows: np.ndarray, offers: bool) -> tuple[list[str], list[int]]:
    """Titles and ids of the offers (or requests) at ``item_rows`` of ``features``; each
    distinct item is looked up once."""
    if len(item_rows) == 0:
        return [], []
    distinct, where = np.unique(item_rows, return_inverse=True)
    ptr = features.off_ptr if offers else features.req_ptr
    owners = (np.searchsorted(ptr, distinct, side="right") - 1).tolist()
    positions = (features.off_item if offers else features.req_item)[distinct].tolist()
    records = features.records
    if offers:
        items = [records[o].offers[k] for o, k in zip(owners, positions, strict=True)]
    else:
        items = [records[o].requests[k] for o, k in zip(owners, positions, strict=True)]
    titles = np.asarray([item.title for item in items], dtype=object)
    ids = np.asarray([item.id for item in items], dtype=np.int64)
    where = where.reshape(-1)
    return titles[where].tolist(), ids[where].tolist()


def _codes(rows: np.ndarray, value: Callable[[int], Hashable], codes: dict[Hashable, int]) -> np.ndarray:
    """A small integer per distinct ``value(row)`` (shared through ``codes``), per row."""
    distinct, where = np.unique(rows, return_inverse=True)
    per_row = [codes.setdefault(value(row), len(codes)) for row in distinct.tolist()]
    return np.asarray(per_row, dtype=np.int64)[where.reshape(-1)]


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
