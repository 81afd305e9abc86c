"""Structured reasons, built only for the suggestions that are returned.

Every reason explains a part of a score that is really there: ``weight`` is that part's share
of the directional score it belongs to (``request_offer`` and the shared signals: of
``score_for_me``; ``offer_request``: of ``score_for_them``). A ``request_offer`` reason names
the one (request, offer) pair whose similarity is the complementarity signal, since the signal
is the best such pair.
"""

from __future__ import annotations

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


def explain(entries: Explained, terms: np.ndarray) -> list[tuple[Reason, ...]]:
    """Reasons for every entry, strongest first.

    Parameters
    ----------
    entries:
        The directed entries and their score parts.
    terms:
        Column index -> term of the text space (for shared terms).

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
    request_terms = _terms(e.mine.req, e.theirs.off, e.my_request, e.their_offer,
                           shares.request >= MIN_SHARE, terms)
    offer_terms = _terms(e.theirs.req, e.mine.off, e.their_request, e.my_offer,
                         shares.offer >= MIN_SHARE, terms)
    profile_terms = _terms(e.mine.profile, e.theirs.profile, e.my_rows, e.their_rows,
                           shares.profile >= MIN_SHARE, terms)
    builder = _Builder(e, shares)
    return [builder.reasons(i, request_terms[i], offer_terms[i], profile_terms[i])
            for i in range(len(e.my_rows))]


class _Shares:
    """Each score part's share of its directional score, rounded, as Python lists."""

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


def _terms(left: sp.csr_matrix, right: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray,
           wanted: np.ndarray, terms: np.ndarray) -> list[tuple[str, ...]]:
    """Top shared terms of each wanted (row, col) pair; empty elsewhere or where a row is -1."""
    found: list[tuple[str, ...]] = [() for _ in range(len(rows))]
    valid = np.flatnonzero(wanted & (rows >= 0) & (cols >= 0))
    if len(valid) == 0:
        return found
    ptr, features = pair_top_features(left, right, rows[valid], cols[valid], TERMS_PER_REASON)
    words = terms[features].tolist()
    bounds = ptr.tolist()
    for k, position in enumerate(valid.tolist()):
        found[position] = tuple(words[bounds[k]:bounds[k + 1]])
    return found


class _Builder:
    """Turns one entry's numbers into :class:`Reason` objects.

    Reasons are created by :func:`_reason`, which skips the frozen-dataclass ``__init__``
    (about twice as fast; a run builds hundreds of thousands of them). The shared reasons'
    texts are cached by content.
    """

    def __init__(self, e: Explained, shares: _Shares) -> None:
        self.e = e
        self.request, self.offer = shares.request.tolist(), shares.offer.tolist()
        self.profile, self.sectors = shares.profile.tolist(), shares.sectors.tolist()
        self.kind, self.cross = shares.kind.tolist(), shares.cross.tolist()
        self.my_rows, self.their_rows = e.my_rows.tolist(), e.their_rows.tolist()
        self.my_request = e.my_request.tolist()
        self.their_offer = e.their_offer.tolist()
        self.their_request = e.their_request.tolist()
        self.my_offer = e.my_offer.tolist()
        self.my_kind = e.mine.kind[e.my_rows].tolist()
        self.their_kind = e.theirs.kind[e.their_rows].tolist()
        self.my_country = e.mine.country[e.my_rows].tolist()
        self.their_country = e.theirs.country[e.their_rows].tolist()
        self.texts: dict[tuple[object, ...], tuple[tuple[str, ...], str]] = {}

    def reasons(self, i: int, request_terms: tuple[str, ...], offer_terms: tuple[str, ...],
                profile_terms: tuple[str, ...]) -> tuple[Reason, ...]:
        found: list[Reason] = []
        me, them = self.e.mine.records[self.my_rows[i]], self.e.theirs.records[self.their_rows[i]]
        if self.request[i] >= MIN_SHARE and self.my_request[i] >= 0:
            mine = me.requests[int(self.e.mine.req_item[self.my_request[i]])]
            theirs = them.offers[int(self.e.theirs.off_item[self.their_offer[i]])]
            found.append(_reason("request_offer", self.request[i], mine, theirs, request_terms,
                                 (), f"Your request '{mine.title}' meets their offer "
                                     f"'{theirs.title}'"))
        if self.offer[i] >= MIN_SHARE and self.their_request[i] >= 0:
            mine = me.offers[int(self.e.mine.off_item[self.my_offer[i]])]
            theirs = them.requests[int(self.e.theirs.req_item[self.their_request[i]])]
            found.append(_reason("offer_request", self.offer[i], mine, theirs, offer_terms, (),
                                 f"Your offer '{mine.title}' meets their request "
                                 f"'{theirs.title}'"))
        if self.profile[i] >= MIN_SHARE and profile_terms:
            found.append(_reason("shared_terms", self.profile[i], None, None, profile_terms, (),
                                 "Similar profiles: " + ", ".join(profile_terms)))
        if self.sectors[i] >= MIN_SHARE:
            found.append(self._shared("shared_sectors", self.sectors[i],
                                      (me.sectors, them.sectors)))
        if self.kind[i] >= MIN_SHARE:
            found.append(self._shared("kind_complementarity", self.kind[i],
                                      (self.my_kind[i], self.their_kind[i])))
        if self.cross[i] >= MIN_SHARE:
            found.append(self._shared("cross_border", self.cross[i],
                                      (self.my_country[i], self.their_country[i])))
        found.sort(key=_by_weight)
        return tuple(found)

    def _shared(self, kind: str, share: float, key: tuple[Any, Any]) -> Reason:
        cache_key = (kind, key)
        text = self.texts.get(cache_key)
        if text is None:
            text = self.texts[cache_key] = _shared_text(kind, key)
        return _reason(kind, share, None, None, (), text[0], text[1])


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


def _by_weight(reason: Reason) -> float:
    return -reason.weight


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
