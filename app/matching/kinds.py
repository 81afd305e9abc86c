"""How well two kinds of organisation complement each other (the quadruple helix).

The table is small on purpose and symmetric: a value is the prior usefulness of a meeting
between the two kinds, before anything they wrote is read.

| kinds | value | why |
| --- | --- | --- |
| company - university / research | 1.0 | technology transfer, R&D cooperation, the core of cluster events |
| company - investor | 1.0 | funding meets projects |
| cluster - cluster (other country) | 1.0 | cross-border cluster partnerships, the purpose of *Clusters Meet Regions* |
| cluster - public authority | 0.8 | clusters meet regions: smart specialisation, regional policy |
| cluster - company / university / research | 0.6 | membership, ecosystem building |
| company - company | 0.6 | business partnership and supply chain: common, but not complementary by kind |
| public authority - university / research | 0.5 | regional innovation strategies |
| university / research among themselves | 0.5 / 0.3 | consortia happen, but rarely need a B2B event |
| cluster - cluster (same country) | 0.4 | they usually know each other already |
| anything with ``other`` | 0.3 | no prior |
| investor - investor | 0.1 | |
"""

from __future__ import annotations

import numpy as np

__all__ = ["KINDS", "kind_code", "kind_label", "kind_values"]

KINDS: tuple[str, ...] = (
    "cluster",
    "company",
    "university",
    "research",
    "public_authority",
    "investor",
    "other",
)
_LABELS = {
    "cluster": "a cluster organisation",
    "company": "a company",
    "university": "a university",
    "research": "a research organisation",
    "public_authority": "a public authority",
    "investor": "an investor",
    "other": "an organisation",
}
_ALIASES = {
    "sme": "company",
    "enterprise": "company",
    "research_institute": "research",
    "rto": "research",
    "public": "public_authority",
    "authority": "public_authority",
    "academia": "university",
    "cluster_organisation": "cluster",
}
_PAIRS: dict[tuple[str, str], float] = {
    ("cluster", "cluster"): 1.0,
    ("cluster", "company"): 0.6,
    ("cluster", "university"): 0.6,
    ("cluster", "research"): 0.6,
    ("cluster", "public_authority"): 0.8,
    ("cluster", "investor"): 0.5,
    ("company", "company"): 0.6,
    ("company", "university"): 1.0,
    ("company", "research"): 1.0,
    ("company", "public_authority"): 0.4,
    ("company", "investor"): 1.0,
    ("university", "university"): 0.3,
    ("university", "research"): 0.5,
    ("university", "public_authority"): 0.5,
    ("university", "investor"): 0.4,
    ("research", "research"): 0.3,
    ("research", "public_authority"): 0.5,
    ("research", "investor"): 0.4,
    ("public_authority", "public_authority"): 0.5,
    ("public_authority", "investor"): 0.2,
    ("investor", "investor"): 0.1,
}
SAME_COUNTRY_CLUSTERS = 0.4
_OTHER = 0.3


def _table() -> np.ndarray:
    size = len(KINDS)
    table = np.full((size, size), _OTHER, dtype=np.float32)
    for (a, b), value in _PAIRS.items():
        table[KINDS.index(a), KINDS.index(b)] = table[KINDS.index(b), KINDS.index(a)] = value
    return table


TABLE = _table()


def kind_code(kind: str) -> int:
    """Index of a kind in :data:`KINDS`; unknown kinds are ``other``.

    Example
    -------
    >>> KINDS[kind_code("SME")]
    'company'
    """
    key = kind.strip().casefold().replace(" ", "_").replace("-", "_")
    key = _ALIASES.get(key, key)
    return KINDS.index(key) if key in KINDS else KINDS.index("other")


def kind_label(code: int) -> str:
    """A readable name for a kind code, e.g. ``"a university"``."""
    return _LABELS[KINDS[code]]


def kind_values(left: np.ndarray, right: np.ndarray, cross_border: np.ndarray) -> np.ndarray:
    """Table values for pairs of kind codes.

    Parameters
    ----------
    left, right:
        Kind codes of the two sides.
    cross_border:
        Whether the two are in different countries (clusters of one country score lower).

    Returns
    -------
    numpy.ndarray
        Values in [0, 1].

    Example
    -------
    >>> c = kind_code("cluster")
    >>> kind_values(np.array([c, c]), np.array([c, c]), np.array([True, False])).tolist()
    [1.0, 0.4000000059604645]
    """
    values = np.asarray(TABLE[left, right], dtype=np.float32).copy()
    cluster = KINDS.index("cluster")
    domestic = (left == cluster) & (right == cluster) & ~cross_border
    values[domestic] = SAME_COUNTRY_CLUSTERS
    return np.asarray(values)
