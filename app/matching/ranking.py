"""Ordering a participant's partners: stable sort, then diversity caps at the top."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["DIVERSITY_WINDOW", "diversify", "ranking_order"]

DIVERSITY_WINDOW = 10


def ranking_order(owner: np.ndarray, mutual: np.ndarray, for_me: np.ndarray, partner_id: np.ndarray) -> np.ndarray:
    """Order of directed entries: by owner, best mutual score first, ties by id.

    Parameters
    ----------
    owner:
        Whose list each entry belongs to.
    mutual, for_me:
        Mutual score, then the owner's directional score, both descending.
    partner_id:
        Final tie-break, ascending, so equal inputs always give equal lists.

    Returns
    -------
    numpy.ndarray
        Indices that sort the entries.

    Example
    -------
    >>> ranking_order(np.array([0, 0, 0]), np.array([0.5, 0.5, 0.9]), np.array([0.1, 0.1, 0.1]),
    ...               np.array([7, 3, 9])).tolist()
    [2, 1, 0]
    """
    if len(owner) == 0:
        return np.zeros(0, dtype=np.int64)
    # The four keys packed into two integer keys (scores have 9 decimals once rounded, as
    # np.round(x, 9) rounds them): half the passes of a four-key lexsort.
    scale = 1_000_000_000
    best_mutual = scale - np.rint(np.asarray(mutual, dtype=np.float64) * scale).astype(np.int64)
    best_for_me = scale - np.rint(np.asarray(for_me, dtype=np.float64) * scale).astype(np.int64)
    partner = np.asarray(partner_id, dtype=np.int64)
    if partner.min() < 0 or partner.max() >= 1 << 32:  # order-preserving small numbers
        partner = np.unique(partner, return_inverse=True)[1].reshape(-1)
    first = np.asarray(owner, dtype=np.int64) * (scale + 1) + best_mutual
    second = best_for_me * (int(partner.max()) + 1) + partner
    # One stable sort by the first key, then the second key only where the first ties: the
    # same order as np.lexsort((second, first)), in a fifth of the time.
    order = np.argsort(first, kind="stable")
    ordered = first[order]
    tie = ordered[1:] == ordered[:-1]
    if tie.any():
        in_tie = np.r_[tie, False] | np.r_[False, tie]
        where = np.flatnonzero(in_tie)
        tied = order[where]
        order[where] = tied[np.lexsort((second[tied], first[tied]))]
    return order


def diversify(
    organisations: Sequence[int],
    countries: Sequence[str],
    max_per_organisation: int,
    max_per_country: int,
    window: int = DIVERSITY_WINDOW,
) -> list[int]:
    """Re-rank so the first ``window`` places respect per-organisation and per-country caps.

    Entries that would break a cap are deferred; if too few entries remain to fill the
    window within the caps, deferred ones fill it in their original order. Everything after
    the window keeps the original order. A cap of 0 or less means no cap; an empty country
    is never capped.

    Parameters
    ----------
    organisations, countries:
        The partners' organisation ids and countries, best first.
    max_per_organisation, max_per_country:
        The caps within the window.
    window:
        How many top places the caps apply to.

    Returns
    -------
    list[int]
        Positions of the input in their new order (a permutation).

    Example
    -------
    >>> diversify([1, 1, 2, 3], ["RO", "RO", "RO", "BG"], 1, 4, window=2)
    [0, 2, 1, 3]
    """
    chosen: list[int] = []
    deferred: list[int] = []
    # plain dicts: Counter's missing-key hook is Python code, and this loop runs per owner
    per_org: dict[int, int] = {}
    per_country: dict[str, int] = {}
    org_cap = max_per_organisation if max_per_organisation > 0 else len(organisations) + 1
    country_cap = max_per_country if max_per_country > 0 else len(organisations) + 1
    position = 0
    while position < len(organisations) and len(chosen) < window:
        org, country = organisations[position], countries[position]
        if per_org.get(org, 0) >= org_cap or (country != "" and per_country.get(country, 0) >= country_cap):
            deferred.append(position)
        else:
            chosen.append(position)
            per_org[org] = per_org.get(org, 0) + 1
            per_country[country] = per_country.get(country, 0) + 1
        position += 1
    missing = window - len(chosen)
    if missing > 0:
        chosen += deferred[:missing]
        deferred = deferred[missing:]
    return chosen + sorted(deferred + list(range(position, len(organisations))))
